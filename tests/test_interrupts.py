"""A build stopped by a signal, a dead parent or a full, read-only or vanishing disk: one line, nothing stranded."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpack.errors import BuildError
from corpack.pipeline import build
from corpack.tables import TableWriter
from tests.helpers import write_corpus

PKG = [sys.executable, "-c", "import sys; from corpack.cli import main; sys.argv[0] = 'pkg'; main()"]


def _corpus(folder: Path, documents: int) -> Path:
    """A corpus slow enough to stop part-way: ``documents`` short reports."""
    files = {
        f"r{i:04d}.txt": f"新的社会阶层人士工作综述第{i}号\n\n全市成立联谊组织{i % 90 + 10}家，吸纳会员{i + 100}余人。\n".encode()
        for i in range(documents)
    }
    return write_corpus(folder, files)


def _children(pid: int) -> set[int]:
    """Process ids whose parent is ``pid`` (from /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _staging(parent: Path) -> list[Path]:
    return [p for p in parent.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


@pytest.fixture
def started(tmp_path):
    """Start ``pkg build`` on a 300-document corpus; yield (process, output) once it is writing its staging folder."""
    corpus = _corpus(tmp_path / "corpus", 300)
    out = tmp_path / "out"
    processes = []

    def start(*options: str) -> tuple[subprocess.Popen, Path]:
        process = subprocess.Popen([*PKG, "build", str(corpus), "-o", str(out), *options], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        processes.append(process)
        _wait_for(lambda: _staging(tmp_path) or process.poll() is not None)
        assert process.poll() is None, process.communicate()
        return process, out

    yield start
    for process in processes:
        if process.poll() is None:
            process.kill()
        process.communicate()


@pytest.mark.slow
@pytest.mark.parametrize(("signum", "code", "name"), [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGINT, 130, "Ctrl-C")])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_signal_stops_the_build_with_one_line_and_no_staging_folder(started, signum, code, name, jobs):
    process, out = started("-j", jobs)
    children = _children(process.pid)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == code
    assert stderr.strip().count("\n") == 0 and f"stopped by {name}" in stderr, stderr
    assert not _staging(out.parent) and not out.exists()
    _wait_for(lambda: not any(_alive(pid) for pid in children), timeout=30)


@pytest.mark.slow
def test_workers_die_with_a_killed_build_and_release_the_callers_pipes(started):
    process, out = started("-j", "2")
    _wait_for(lambda: len(_children(process.pid)) >= 2)
    workers = _children(process.pid)
    process.kill()
    process.communicate(timeout=30)  # returns only once no worker holds the pipes open
    _wait_for(lambda: not any(_alive(pid) for pid in workers), timeout=30)


GOOD = "新的社会阶层人士工作综述\n\n全市成立联谊组织12家，吸纳会员500余人。\n".encode()


def test_a_vanished_staging_folder_is_one_line_and_keeps_the_old_package(tmp_path):
    import shutil

    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    out = tmp_path / "out"
    build(corpus, out)
    before = (out / "datapackage.json").read_bytes()
    with pytest.raises(BuildError, match="cannot install the new package") as caught:
        build(corpus, out, before_install=shutil.rmtree)
    assert "\n" not in str(caught.value)
    assert (out / "datapackage.json").read_bytes() == before


def test_a_write_failure_closes_the_parquet_files_quietly(tmp_path, capfd, monkeypatch):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})

    def full(self, rows):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(TableWriter, "write", full)
    with pytest.raises(BuildError, match="No space left on device"):
        build(corpus, tmp_path / "out")
    import gc

    gc.collect()
    assert "Exception ignored" not in capfd.readouterr().err
    assert not _staging(tmp_path)


@pytest.fixture
def small_disk(tmp_path):
    """A 200 KB tmpfs (skipped where this process may not mount one)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)], capture_output=True)
    if made.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


@pytest.mark.slow
def test_full_disk_is_one_line_without_traceback_and_keeps_the_old_package(tmp_path, small_disk):
    corpus = _corpus(tmp_path / "corpus", 3)
    out = small_disk / "out"
    assert subprocess.run([*PKG, "build", str(corpus), "-o", str(out)], capture_output=True).returncode == 0
    before = (out / "datapackage.json").read_bytes()
    filler = small_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:  # fill the disk
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(fd)
    result = subprocess.run([*PKG, "build", str(corpus), "-o", str(out)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "No space left on device" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "datapackage.json").read_bytes() == before
    assert not _staging(small_disk)


@pytest.mark.slow
def test_read_only_disk_is_one_line(tmp_path, small_disk):
    corpus = _corpus(tmp_path / "corpus", 3)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    result = subprocess.run([*PKG, "build", str(corpus), "-o", str(small_disk / "out")], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "Read-only file system" in result.stderr, result.stderr
