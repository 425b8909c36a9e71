"""Parallel builds: chunks by bytes, in order, bounded; -j2 writes the same bytes as -j1 on a generated corpus (#13)."""

from __future__ import annotations

import io
import pickle

import pyarrow as pa
import pytest

from corpack import dispatch
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
        assert list(ordered_chunks(pool, _square_all, chunks, in_flight=2)) == [n * n for n in range(30)]


def test_j2_writes_the_bytes_of_j1_on_a_generated_corpus_13(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    benchmark_corpus().generate(corpus, 300_000, seed=3)
    monkeypatch.setattr(dispatch, "MIN_CHUNK_BYTES", 8_000)  # many chunks, so order across workers matters
    one, two = tmp_path / "one", tmp_path / "two"
    build(corpus, one, jobs=1, skip_bad=True)
    build(corpus, two, jobs=2, skip_bad=True)
    assert digests(two) == digests(one)


def test_warm_up_changes_no_output_13(tmp_path):
    corpus = tmp_path / "corpus"
    benchmark_corpus().generate(corpus, 100_000, seed=4)
    cold = tmp_path / "cold"
    build(corpus, cold, validate=False)
    dispatch.warm_up()
    warm = tmp_path / "warm"
    build(corpus, warm, validate=False)
    assert digests(warm) == digests(cold)


def test_ordered_futures_keeps_chunk_order_and_at_most_in_flight_submitted_ahead_13():
    submitted: list[int] = []
    waited: list[tuple[int, int]] = []  # (chunk waited for, chunks submitted by then)

    def submit(chunk):
        submitted.append(chunk[0])
        return chunk[0]

    def result(future, index):
        assert future == index
        waited.append((index, len(submitted)))
        return [index * 10, index * 10 + 1]

    items = list(ordered_futures(submit, result, [(n,) for n in range(6)], in_flight=2))
    assert items == [n * 10 + k for n in range(6) for k in (0, 1)]
    assert submitted == list(range(6))
    assert all(count - index <= 2 for index, count in waited)  # never more than 2 chunks ahead of the one awaited


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
from corpack import dispatch

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
