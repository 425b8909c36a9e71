"""Parallel builds: chunks by bytes, in order, bounded; -j2 writes the same bytes as -j1 on a generated corpus (#13)."""

from __future__ import annotations

import io
import pickle
from concurrent.futures import Future

import pyarrow as pa
import pytest

from corpack import dispatch, executors
from corpack.rowpack import PackedRows
from corpack.schemas import RESOURCES
from corpack.sources import BadFile
from corpack.pipeline import build
from corpack.workers import ordered_chunks, ordered_futures, plan_chunks, tapered_chunks, worker_pool
from tests.helpers import benchmark_corpus, digests





def test_chunks_hold_about_the_same_bytes_and_a_huge_file_travels_alone_13():
    sizes = [10, 10, 10, 500, 10, 10, 10, 10]
    chunks = plan_chunks(sizes, 25)
    assert [list(chunk) for chunk in chunks] == [[0, 1], [2], [3], [4, 5], [6, 7]]
    assert plan_chunks([], 25) == []
    assert [list(c) for c in plan_chunks([100, 100], 25)] == [[0], [1]]


def test_the_last_chunks_are_smaller_so_workers_finish_together_13():
    sizes = [10] * 40
    chunks = tapered_chunks(sizes, 40, workers=2)
    assert [index for chunk in chunks for index in chunk] == list(range(40))  # every file once, in order
    assert [len(chunk) for chunk in chunks] == [4] * 8 + [1] * 8  # the last 2 x 40 bytes in chunks of 10
    assert [list(c) for c in tapered_chunks([500, 10, 10], 40, workers=2)] == [[0], [1], [2]]  # a huge file alone
    assert tapered_chunks([], 40, workers=2) == []
    assert [len(c) for c in tapered_chunks([1] * 6, 1, workers=3)] == [1] * 6  # a file a chunk stays so


def _square_all(numbers: list[int]) -> list[int]:
    return [n * n for n in numbers]


def test_ordered_chunks_yields_every_item_in_order_13():
    chunks = [(list(range(start, start + 3)),) for start in range(0, 30, 3)]
    with worker_pool(2) as pool:
        assert list(ordered_chunks(pool, _square_all, chunks, [3] * 10, in_flight=2, held_bytes=4)) == [n * n for n in range(30)]


def test_j2_writes_the_bytes_of_j1_on_a_generated_corpus_13(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    benchmark_corpus().generate(corpus, 300_000, seed=3)
    monkeypatch.setattr(dispatch, "MIN_CHUNK_BYTES", 8_000)  # many chunks, so order across workers matters
    one, two = tmp_path / "one", tmp_path / "two"
    build(corpus, one, jobs=1, skip_bad=True)
    build(corpus, two, jobs=2, skip_bad=True)
    assert digests(two) == digests(one)
    monkeypatch.setattr(executors, "HELD_BYTES_MAX", 1)  # no chunk waits behind another: each sent when first
    alone = tmp_path / "alone"
    build(corpus, alone, jobs=2, skip_bad=True)
    assert digests(alone) == digests(one)


def test_warm_up_changes_no_output_13(tmp_path):
    corpus = tmp_path / "corpus"
    benchmark_corpus().generate(corpus, 100_000, seed=4)
    cold = tmp_path / "cold"
    build(corpus, cold, validate=False)
    dispatch.warm_up()
    warm = tmp_path / "warm"
    build(corpus, warm, validate=False)
    assert digests(warm) == digests(cold)


class _Engine:
    """Futures finished by hand, as two workers would: ``wait_any`` (and a blocking ``result``) finishes the
    lowest unfinished chunk but the ``slow`` one, which finishes only once ``after`` chunks behind it are done
    (or nothing else runs). Records what was submitted and checks at each submission that the chunks not yet
    wholly yielded, less the first, hold at most ``budget`` bytes."""

    def __init__(self, sizes: list[int], slow: int, after: int, budget: int) -> None:
        self.sizes, self.slow, self.after, self.budget = sizes, slow, after, budget
        self.submitted: list[int] = []
        self.futures: list[Future] = []
        self.yielded: set[int] = set()  # chunks whose items the caller has all taken
        self.finished: list[int] = []
        self.largest_behind = 0
        self.most_running = 0
        self.alone: list[int] = []  # chunks larger than the budget, submitted when nothing waited before them

    def submit(self, chunk: tuple[int]) -> Future:
        (index,) = chunk
        held = [n for n in self.submitted if n not in self.yielded]
        behind = sum(self.sizes[n] for n in held[1:]) + (self.sizes[index] if held else 0)
        self.largest_behind = max(self.largest_behind, behind)
        if self.sizes[index] > self.budget and not held:
            self.alone.append(index)
        self.submitted.append(index)
        future: Future = Future()
        future.index = index  # type: ignore[attr-defined]
        self.futures.append(future)
        self.most_running = max(self.most_running, sum(not f.done() for f in self.futures))
        return future

    def _finish_one(self, running: set[Future]) -> Future:
        others = sorted((f for f in running if f.index != self.slow), key=lambda f: f.index)  # type: ignore[attr-defined]
        slow = [f for f in running if f.index == self.slow]  # type: ignore[attr-defined]
        done_after = sum(n > self.slow for n in self.finished)
        pick = others[0] if others and (done_after < self.after or not slow) else slow[0]
        pick.set_result([(pick.index, k) for k in range(2)])  # type: ignore[attr-defined]
        self.finished.append(pick.index)  # type: ignore[attr-defined]
        return pick

    def wait_any(self, running: set[Future]) -> set[Future]:
        return {self._finish_one(running)}

    def result(self, future: Future, index: int) -> list:
        assert future.index == index  # type: ignore[attr-defined]
        while not future.done():  # a blocking wait: the workers go on with what was submitted, nothing more
            self._finish_one({f for f in self.futures if not f.done()})
        return future.result()


def _run(engine: _Engine, in_flight: int) -> list:
    """Every item :func:`ordered_futures` yields from ``engine``'s chunks, telling it which chunks were yielded."""
    items = []
    chunks = [(n,) for n in range(len(engine.sizes))]
    for item in ordered_futures(engine.submit, engine.result, engine.wait_any, chunks, engine.sizes, in_flight=in_flight, held_bytes=engine.budget):
        items.append(item)
        if item[1] == 1:
            engine.yielded.add(item[0])
    return items


def test_chunks_after_a_slow_first_one_keep_running_within_the_held_bytes_13():
    """A slow chunk at the head held up the other workers once they had finished the few chunks in flight
    behind it (the 1 GB build: one worker idle 3/4 of the time). Chunks are now sent as any finishes, up to
    the bytes allowed to wait; the output stays in chunk order (#13)."""
    sizes = [10] + [1] * 11 + [50] + [1] * 7  # chunk 12 is larger than the budget
    engine = _Engine(sizes, slow=0, after=6, budget=8)
    items = _run(engine, in_flight=2)
    assert items == [(n, k) for n in range(len(sizes)) for k in range(2)]
    assert engine.submitted == list(range(len(sizes)))
    assert engine.finished.index(0) >= 6 > 2  # six chunks behind it finished first, more than in flight
    assert engine.largest_behind <= 8 and engine.most_running <= 2
    assert engine.alone == [0, 12]  # each larger than the budget, sent when it was first


def test_a_slow_chunk_in_the_middle_and_a_budget_of_nothing_keep_order_13():
    for slow, budget, in_flight in [(5, 3, 2), (0, 0, 3), (19, 100, 4), (3, 1, 1)]:
        sizes = [n % 4 for n in range(20)]
        engine = _Engine(sizes, slow=slow, after=4, budget=budget)
        assert _run(engine, in_flight=in_flight) == [(n, k) for n in range(20) for k in range(2)]
        assert engine.largest_behind <= budget and engine.most_running <= in_flight


def test_held_bytes_let_the_others_run_while_the_largest_chunk_runs_and_are_capped_13():
    from corpack.executors import CHUNKS_IN_FLIGHT, HELD_BYTES_MAX, held_bytes

    small = [256 << 10] * 30
    assert held_bytes(small, 2) == 2 * CHUNKS_IN_FLIGHT * (256 << 10)  # as many small chunks as were in flight
    big = small[:10] + [1 << 20] + small[10:]
    assert held_bytes(big, 2) >= 2 * (1 << 20)  # the other worker gets through the largest chunk's bytes and more
    assert held_bytes(small[:10] + [5 << 20], 64) == HELD_BYTES_MAX
    assert held_bytes([], 2) == 0


_SHARED: dict = {}


def _share(event, counter) -> None:
    _SHARED.update(event=event, counter=counter)


def _first_waits_for_later(index: int, later: int) -> list[tuple[int, bool]]:
    """Chunk 0 waits (two minutes at most) until ``later`` other chunks have run; the others count themselves."""
    if index == 0:
        return [(0, _SHARED["event"].wait(timeout=120))]
    counter = _SHARED["counter"]
    with counter.get_lock():
        counter.value += 1
        if counter.value >= later:
            _SHARED["event"].set()
    return [(index, True)]


def test_a_pool_runs_more_chunks_than_are_in_flight_while_the_first_one_waits_13():
    """Chunk 0 runs until six chunks after it have run, with four chunks in flight: it is released only if
    chunks are sent while it runs (before, it waited out its two minutes) (#13)."""
    import functools
    import multiprocessing

    event, counter = multiprocessing.Event(), multiprocessing.Value("i", 0)
    chunks = [(n, 6) for n in range(12)]
    with worker_pool(2, setup=functools.partial(_share, event, counter)) as pool:
        items = list(ordered_chunks(pool, _first_waits_for_later, chunks, [1] * 12, in_flight=4, held_bytes=100))
    assert items == [(n, True) for n in range(12)]


def test_usable_cores_are_the_cores_this_process_may_run_on_13():
    import os

    from corpack.workers import usable_cores

    assert usable_cores() == (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count())


def test_pkg_build_runs_a_worker_per_usable_core_unless_told_13(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from corpack import cli, pipeline

    asked: list[int] = []

    class Asked(Exception):
        pass

    def open_executor(name, *, jobs, scheduler=None, **_):
        asked.append(jobs)
        raise Asked

    monkeypatch.setattr(pipeline, "usable_cores", lambda: 3)
    monkeypatch.setattr(pipeline, "open_executor", open_executor)
    (tmp_path / "corpus").mkdir()
    for extra in ([], ["-j", "1"], ["--jobs", "2"]):
        CliRunner().invoke(cli.cli, ["build", str(tmp_path / "corpus"), "-o", str(tmp_path / "out"), *extra])
    assert asked == [3, 1, 2]
    assert "default: one per core" in CliRunner().invoke(cli.cli, ["build", "--help"]).output


_FIRST_CHUNK = """
import sys
from pathlib import Path
from corpack import dispatch, executors

corpus = Path(sys.argv[1])
dispatch.warm_up()
loaded = set(sys.modules)
files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt"))
dispatch.process_chunk(corpus, files, {})
print(" ".join(sorted(set(sys.modules) - loaded)))
"""


def test_a_warmed_worker_imports_nothing_more_for_its_first_chunk_13(tmp_path):
    """A pool's workers fork after the build warms up (corpack.workers.worker_pool): whatever the first chunk
    would still import (pandas, which pyarrow loads on its first conversion of Python values) is paid in
    every worker instead of once (#13)."""
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    benchmark_corpus().generate(corpus, 40_000, seed=12)
    run = subprocess.run([sys.executable, "-c", _FIRST_CHUNK, str(corpus)], capture_output=True, text=True, check=True)
    assert run.stdout.split() == []


class _CountingTables(pickle.Pickler):
    """A pickler that counts the Arrow tables it meets (and pickles everything as usual)."""

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.tables = 0

    def persistent_id(self, obj: object) -> None:
        if isinstance(obj, pa.Table):
            self.tables += 1


def test_a_chunk_travels_as_one_table_per_resource_and_comes_back_as_its_documents_13(tmp_path):
    """Pickling a few large tables costs a fraction of pickling many small ones (a worker's 48 reports: 0.1-0.19 s
    against 0.003 s to pickle, 0.06-0.12 s against 0.003 s to load in the build): a chunk goes to the build with
    each resource's rows joined, and gives back each document's rows as they were (#13)."""
    corpus = tmp_path / "corpus"
    benchmark_corpus().generate(corpus, 60_000, seed=5)
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt"))
    (corpus / "empty.txt").write_text("")  # a bad file among them keeps its place
    files = [*files[:2], "empty.txt", *files[2:]]
    expected = [dispatch.process_document(corpus, rel, {}) for rel in files]
    assert len(files) > 4 and isinstance(expected[2], BadFile)
    buffer = io.BytesIO()
    pickler = _CountingTables(buffer)
    pickler.dump(dispatch.process_chunk(corpus, files, {}))
    assert 0 < pickler.tables <= len(RESOURCES)
    items = list(pickle.loads(buffer.getvalue()))
    assert [isinstance(item, BadFile) for item in items] == [isinstance(rows, BadFile) for rows in expected]
    assert items[2].file == "empty.txt"
    for item, rows in zip(items, expected):
        if isinstance(item, PackedRows):
            assert item.document == rows.document and item.skipped == rows.skipped
            assert all(item.rows(name) == rows.rows(name) for name in RESOURCES)
            assert all(isinstance(item.table(name), pa.Table) for name in ["paragraphs", *rows.facts] if rows.rows(name))
    [alone] = dispatch.process_chunk(corpus, files[:1], {})  # a chunk of one document (-j 1) has nothing to join
    assert alone.document == expected[0].document and alone.rows("paragraphs") == expected[0].rows("paragraphs")
