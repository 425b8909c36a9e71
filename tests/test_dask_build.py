"""Builds on Dask: a LocalCluster on 127.0.0.1 writes the bytes of a serial build; failures are one line (#13)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import sys
import time

import pytest
from click.testing import CliRunner

distributed = pytest.importorskip("distributed")

from corpack import dispatch, executors  # noqa: E402
from corpack import progress as progress_module  # noqa: E402
from corpack.cli import cli  # noqa: E402
from corpack.dask_executor import DaskExecutor, local_cluster_options  # noqa: E402
from corpack.executors import ChunkLost, ExecutorError, check_workers  # noqa: E402
from corpack.pipeline import build  # noqa: E402
from corpack.progress import Progress  # noqa: E402
from tests.helpers import benchmark_corpus, digests  # noqa: E402





@pytest.fixture(scope="module")
def cluster():
    """Two worker processes with one thread each, on 127.0.0.1 only, no dashboard (as pkg build starts one)."""
    with distributed.LocalCluster(**local_cluster_options(2)) as local:
        yield local


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dask") / "corpus"
    benchmark_corpus().generate(folder, 200_000, seed=5)
    return folder


@pytest.fixture(scope="module")
def serial(corpus, tmp_path_factory):
    """The package of a clean -j1 build of ``corpus``."""
    out = tmp_path_factory.mktemp("serial") / "pkg"
    build(corpus, out, jobs=1, skip_bad=True)
    return out


def test_a_dask_build_writes_the_bytes_of_a_serial_build_13(cluster, corpus, serial, tmp_path, monkeypatch):
    monkeypatch.setattr(dispatch, "MIN_CHUNK_BYTES", 8_000)  # many chunks, so order across workers matters
    out = tmp_path / "pkg"
    result = build(corpus, out, executor="dask", scheduler=cluster.scheduler_address, skip_bad=True)
    assert result.documents > 10
    assert digests(out) == digests(serial)


def test_pkg_build_executor_dask_starts_a_local_cluster_and_writes_the_same_bytes_13(corpus, serial, tmp_path):
    out = tmp_path / "pkg"
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(out), "--executor", "dask", "-j", "2", "--skip-bad", "--no-cache", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert digests(out) == digests(serial)


def test_relative_corpus_paths_reach_the_workers_absolute_and_errors_name_them_as_given_13(cluster, tmp_path, monkeypatch):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "good.txt").write_bytes("某市召开座谈会\n\n全市成立联谊组织12家，吸纳会员500余人。\n".encode())
    (tmp_path / "c" / "bad.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "c", "-o", "out", "--executor", "dask", "--scheduler", cluster.scheduler_address, "--no-progress"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error[decode-error] c/bad.txt byte 0: "), result.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_an_unreachable_scheduler_is_one_line_naming_it_13(corpus, tmp_path, monkeypatch):
    monkeypatch.setattr(executors, "CONNECT_TIMEOUT", 1.0)
    address = f"tcp://127.0.0.1:{_free_port()}"
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "out"), "--executor", "dask", "--scheduler", address])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error[executor-error] cannot reach the Dask scheduler at {address} within 1 s"), lines
    assert "dask scheduler" in lines[0]
    assert not (tmp_path / "out").exists()


def test_without_dask_installed_the_error_says_what_to_install_13(corpus, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "out"), "--executor", "dask"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error[executor-error] the dask executor needs dask.distributed"), lines
    assert "pip install 'corpack[dask]'" in lines[0]


def test_scheduler_without_the_dask_executor_is_refused_13(corpus, tmp_path):
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "out"), "--scheduler", "tcp://127.0.0.1:8786"])
    assert result.exit_code == 2 and "--scheduler is for --executor dask" in result.stderr


def test_a_worker_that_cannot_see_the_corpus_is_named_before_work_is_sent_13(cluster, corpus):
    with DaskExecutor(scheduler=cluster.scheduler_address) as executor:
        check_workers(executor, corpus.absolute(), [("0000/r0000000.txt", (corpus / "0000" / "r0000000.txt").stat().st_size)])
        with pytest.raises(ExecutorError) as missing:
            check_workers(executor, corpus.parent / "elsewhere", [("0000/r0000000.txt", 10)])
        with pytest.raises(ExecutorError) as other:
            check_workers(executor, corpus.absolute(), [("0000/r0000000.txt", 10)])
    assert str(missing.value).startswith(f"error[executor-error] {corpus.parent / 'elsewhere'}: worker tcp://127.0.0.1:")
    assert "cannot see the corpus at this path: no such folder there" in str(missing.value)
    assert "the same path" in str(missing.value)
    assert "0000/r0000000.txt there holds" in str(other.value) and "not 10" in str(other.value)


def test_a_worker_that_dies_is_one_error_naming_the_chunk_13(tmp_path):
    with distributed.LocalCluster(**local_cluster_options(1)) as local:
        local.scheduler.allowed_failures = 0  # give up at the first death instead of retrying on new workers
        with DaskExecutor(scheduler=local.scheduler_address) as executor, pytest.raises(ChunkLost) as lost:
            list(executor.map(os._exit, [(3,)], [1]))
    assert lost.value.chunk == 0
    assert str(lost.value).startswith("error[executor-error] a Dask worker died while running chunk 1 of 1")


class _Dying:
    """An executor whose second chunk's worker dies."""

    workers, remote = 2, False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return None

    def each_worker(self, function, *args):
        return {"w": function(*args)}

    def map(self, function, chunks, sizes):
        yield from function(*chunks[0])
        raise ChunkLost(1, "a Dask worker died while running chunk 2 of 2")


def test_the_build_names_the_first_file_of_a_lost_chunk_13(corpus, monkeypatch):
    monkeypatch.setattr(dispatch, "MIN_CHUNK_BYTES", 1)
    monkeypatch.setattr(dispatch, "CHUNK_BYTES", 1)  # a file a chunk
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt"))[:2]
    sizes = [(corpus / rel).stat().st_size for rel in files]
    with pytest.raises(ExecutorError) as lost:
        list(dispatch._computed(corpus, files, {}, _Dying, sizes))
    assert str(lost.value).startswith(f"error[executor-error] {corpus / files[1]}: a Dask worker died while running chunk 2 of 2; it held 1 file from here on")


def test_a_large_document_reports_its_stages_from_a_dask_worker_13(cluster, tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    benchmark_corpus().generate(corpus, 30_000, seed=6)
    big = max(corpus.rglob("*.txt"), key=lambda p: p.stat().st_size)
    monkeypatch.setattr(progress_module, "WATCH_BYTES", big.stat().st_size)  # the largest file only
    seen: list[dict] = []
    monkeypatch.setattr(Progress, "inside", lambda self, event: seen.append(event))
    build(corpus, tmp_path / "pkg", executor="dask", scheduler=cluster.scheduler_address, skip_bad=True, progress=None)
    rel = big.relative_to(corpus).as_posix()
    assert {event["file"] for event in seen} == {rel}
    assert [event["stage"] for event in seen][:2] == ["decoded", "cleaning"]
    assert seen[-1]["stage"] is None


def test_a_cached_dask_rebuild_sends_only_the_changed_file_and_writes_a_clean_build_13(cluster, corpus, tmp_path):
    copy = tmp_path / "corpus"
    shutil.copytree(corpus, copy)
    out = tmp_path / "pkg"
    first = build(copy, out, executor="dask", scheduler=cluster.scheduler_address, cache=True, skip_bad=True)
    changed = next(p for p in sorted(copy.rglob("*.txt")) if _utf8(p.read_bytes()))
    changed.write_bytes(changed.read_bytes() + "\n另据统计，全市新增会员120人。\n".encode())
    again = build(copy, out, executor="dask", scheduler=cluster.scheduler_address, cache=True, skip_bad=True)
    assert again.reused == first.documents - 1
    clean = tmp_path / "clean"
    build(copy, clean, jobs=1, skip_bad=True)
    assert digests(out) == digests(clean)


def _utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_a_scheduler_without_workers_is_one_line_saying_how_to_start_them_13(monkeypatch):
    with distributed.LocalCluster(**{**local_cluster_options(0)}) as empty:
        with pytest.raises(ExecutorError) as none:
            DaskExecutor(scheduler=empty.scheduler_address, timeout=1.0).__enter__()
    assert str(none.value).startswith(f"error[executor-error] no Dask worker joined the scheduler at {empty.scheduler_address} within 1 s")
    assert f"dask worker {empty.scheduler_address}" in str(none.value)


def test_a_stopped_build_closes_its_local_cluster_without_dask_warnings_13(capfd):
    with pytest.raises(KeyboardInterrupt), DaskExecutor(1) as executor:
        future = executor.client.submit(time.sleep, 60, pure=False)
        with contextlib.suppress(TimeoutError):
            distributed.wait(future, timeout=1)  # running when the build is stopped
        raise KeyboardInterrupt
    assert "distributed" not in capfd.readouterr().err
