"""Special files (#11): no read blocks or spins on a FIFO, socket, device or directory; each is a finding.

A test that would hang on a blocking read runs ``pkg validate`` in a child process under a timeout, so a
regression fails the test instead of stalling the suite.
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from corpack.errors import PackageError
from dpcheck import validate_package
from dpcheck.regularfile import NotRegularFile, check_regular, open_file, open_regular

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")

GUARD = 120  # seconds: far beyond a run (a few seconds); reached only when a read blocks


def run_guarded(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``pkg`` with ``args`` in a child process; fail (not hang) when it does not finish."""
    code = "import sys; from corpack.cli import main; sys.argv = ['pkg', *sys.argv[1:]]; main()"
    try:
        return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=GUARD)
    except subprocess.TimeoutExpired:
        pytest.fail(f"pkg {' '.join(args)} was still running after {GUARD} s: a read blocked on a special file")


def run_python_guarded(source: str) -> subprocess.CompletedProcess[str]:
    """Run Python ``source`` in a child process; fail (not hang) when it does not finish."""
    try:
        # once the source has run, end without the native libraries' teardown, as ``pkg`` does (corpack.ending.end_process)
        source = textwrap.dedent(source) + "\nimport os, sys\nsys.stdout.flush()\nsys.stderr.flush()\nos._exit(0)\n"
        return subprocess.run([sys.executable, "-c", source], capture_output=True, text=True, timeout=GUARD)
    except subprocess.TimeoutExpired:
        pytest.fail(f"still running after {GUARD} s: a read blocked on a special file")


@pytest.fixture
def short_dir() -> Iterator[Path]:
    """A folder with a short path (a Unix socket's path must fit in about 100 bytes)."""
    with tempfile.TemporaryDirectory(prefix="cp") as folder:
        yield Path(folder)


def make_fifo(path: Path) -> None:
    path.unlink()
    os.mkfifo(path)


def test_fifo_foreign_key_parent_does_not_hang_11(package: Path) -> None:
    # documents is the parent of paragraphs' foreign key: its keys were read by path, blocking on the FIFO.
    make_fifo(package / "data" / "documents.parquet")
    result = run_guarded("validate", str(package))
    assert result.returncode == 1, result.stderr
    assert "source-error" in result.stdout and "named pipe (FIFO)" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("given", ["descriptor", "folder"])
def test_fifo_given_as_the_descriptor_does_not_hang_11(package: Path, given: str) -> None:
    make_fifo(package / "datapackage.json")
    result = run_guarded("validate", str(package / "datapackage.json" if given == "descriptor" else package))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error[package-error]") and "datapackage.json" in line and "named pipe (FIFO)" in line


@pytest.mark.parametrize("kind", ["fifo", "socket", "device", "directory"])
def test_special_file_behind_a_resource_is_a_source_error_naming_it_11(make_package, monkeypatch: pytest.MonkeyPatch,
                                                                       kit, kind: str) -> None:
    folder = make_package()
    target = folder / "data" / "paragraphs.parquet"
    target.unlink()
    words = {"fifo": "named pipe (FIFO)", "socket": "socket", "device": "character device", "directory": "folder"}[kind]
    server = None
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "directory":
        target.mkdir()
    elif kind == "device":
        try:  # a /dev/zero inside the package: reading it never ends
            os.mknod(target, stat.S_IFCHR | 0o600, os.makedev(1, 5))
        except PermissionError:
            pytest.skip("creating a device node needs privileges")
    else:
        monkeypatch.chdir(target.parent)  # a socket's path must be short: bind it by its relative name
        server = socket.socket(socket.AF_UNIX)
        server.bind(target.name)
    try:
        report = validate_package(folder)
    finally:
        if server is not None:
            server.close()
    assert kit.codes(report) == {"source-error"}
    [finding] = report.findings
    assert finding.resource == "paragraphs" and finding.file == "data/paragraphs.parquet"
    assert words in finding.message and "not a regular file" in finding.message


def test_fifo_csv_resource_is_a_source_error_11(tmp_path: Path, kit) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    os.mkfifo(folder / "t.csv")
    schema = {"fields": [{"name": "id", "type": "integer"}]}
    resource = {"name": "t", "path": "t.csv", "schema": schema, "hash": "md5:" + "0" * 32}
    (folder / "datapackage.json").write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
    result = run_guarded("validate", "--json", str(folder))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert [(f["code"], f["file"]) for f in report["findings"]] == [("source-error", "t.csv")]


def test_file_swapped_for_a_fifo_after_the_existence_check_is_not_read_11(package: Path) -> None:
    # The existence check and the reads are separate steps: a file replaced by a FIFO in between (a race)
    # must be refused by the read itself. Simulated by skipping the existence check.
    make_fifo(package / "data" / "documents.parquet")
    result = run_python_guarded(f"""
        import json
        from dpcheck import integrity, validate_package
        integrity.files_exist = lambda spec, report: True
        report = validate_package({str(package)!r})
        print(json.dumps(report.to_dict()))
    """)
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert findings and {f["code"] for f in findings} == {"source-error"}
    assert all(f["resource"] == "documents" and "named pipe (FIFO)" in f["message"] for f in findings)


def test_fifo_schema_file_is_named_in_the_finding_11(tmp_path: Path, kit) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "t.csv").write_text("id\n1\n", encoding="utf-8")
    os.mkfifo(folder / "s.json")  # opened non-blocking and checked with fstat: no separate check to race
    resource = {"name": "t", "path": "t.csv", "schema": "s.json"}
    (folder / "datapackage.json").write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
    report = validate_package(folder)
    assert kit.codes(report) == {"schema-error"}
    assert "schema file 's.json' is a named pipe (FIFO), not a regular file" in report.findings[0].message


# open_regular, the helper every reader uses


def test_open_regular_gives_a_blocking_handle_on_a_regular_file_11(tmp_path: Path) -> None:
    path = tmp_path / "f.bin"
    path.write_bytes(b"abc")
    with open_regular(path) as stream, open_file(path) as same:
        assert stream.read() == same.read() == b"abc"
        assert not fcntl.fcntl(stream.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK
    check_regular(path)  # no exception


@pytest.mark.parametrize("kind, words", [
    ("fifo", "is a named pipe (FIFO), not a regular file"),
    ("socket", "is a socket, not a regular file"),
    ("device", "is a character device, not a regular file"),
    ("directory", "is a folder, not a regular file"),
])
def test_open_regular_refuses_special_files_without_blocking_11(short_dir: Path, kind: str, words: str) -> None:
    path = short_dir / "x"
    server = None
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
    elif kind == "device":
        path = Path("/dev/null")
    else:
        path.mkdir()
    try:
        for call in (open_file, check_regular):
            with pytest.raises(NotRegularFile) as caught:
                call(path)
            assert isinstance(caught.value, OSError) and caught.value.filename == str(path)
            assert caught.value.strerror == words
        with pytest.raises(PackageError) as failed:
            open_regular(path, what="resource file")
        assert str(failed.value).startswith(f"error[package-error] {path}: resource file {words}")
    finally:
        if server is not None:
            server.close()


def test_missing_file_is_an_os_error_or_a_package_error_11(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        open_file(tmp_path / "missing")
    with pytest.raises(PackageError, match="does not exist"):
        open_regular(tmp_path / "missing")
