"""A large built package is validated in a process of its own, with the verdict it gets in the build's (#13)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from corpack import apart
from corpack.errors import BuildError, PackageError
from corpack.pipeline import build
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow


def _not_here(staged: Path) -> tuple[bool, str]:
    raise AssertionError("validated in the build's process, not apart")


@pytest.fixture
def apart_always(monkeypatch):
    """Every package counts as large, and validating one in this process fails the test."""
    monkeypatch.setattr(apart, "APART_BYTES", 0)
    monkeypatch.setattr(apart, "verdict", _not_here)


def test_a_package_validated_apart_gets_the_verdict_it_gets_here_13(built, tmp_path, monkeypatch):
    here = apart.verdict(built)
    monkeypatch.setattr(apart, "APART_BYTES", 0)
    monkeypatch.setattr(apart, "verdict", _not_here)
    assert here == (True, "")
    assert apart.check_package(built) == here


def test_an_invalid_package_validated_apart_is_reported_as_here_13(built, tmp_path, monkeypatch):
    package = tmp_path / "package"
    shutil.copytree(built, package)
    data = package / "data" / "documents.parquet"
    raw = bytearray(data.read_bytes())
    raw[len(raw) // 2] ^= 0xFF  # (the declared hash no longer holds)
    data.write_bytes(bytes(raw))
    here = apart.verdict(package)
    monkeypatch.setattr(apart, "APART_BYTES", 0)
    monkeypatch.setattr(apart, "verdict", _not_here)
    valid, text = apart.check_package(package)
    assert not here[0] and "documents.parquet" in here[1]
    assert (valid, text) == here


def test_what_validating_apart_raises_is_raised_here_13(tmp_path, apart_always):
    with pytest.raises(PackageError, match="no such file or folder"):
        apart.check_package(tmp_path / "missing")


def test_a_check_ending_without_a_verdict_is_a_one_line_build_error_13(built, monkeypatch, apart_always):
    monkeypatch.setattr(sys, "executable", shutil.which("false"))
    with pytest.raises(BuildError, match="exit code 1 before its verdict") as caught:
        apart.check_package(built)
    assert "\n" not in str(caught.value)


def test_a_build_validating_apart_writes_the_bytes_of_one_validating_here_13(built, tmp_path, apart_always):
    out = tmp_path / "datapackage"
    build(CORPUS, out)
    files = sorted(p.relative_to(built) for p in built.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file())
    assert all((built / f).read_bytes() == (out / f).read_bytes() for f in files)


def test_a_checker_started_ahead_validates_apart_even_a_small_package_13(built, monkeypatch):
    monkeypatch.setattr(apart, "verdict", _not_here)
    with apart.Checker() as checker:
        checker.start()
        assert checker.check(built) == (True, "")


def test_a_checker_started_ahead_and_never_used_leaves_no_process_13():
    checker = apart.Checker()
    checker.start()
    process = checker._process
    assert process.poll() is None
    checker.close()
    assert process.poll() is not None


def test_output_printed_while_validating_apart_does_not_spoil_the_verdict_13(built, tmp_path, monkeypatch, apart_always):
    # A folder whose name holds a newline, and a checking process that prints to stdout as it starts and as it
    # ends (a sitecustomize module on its path).
    package = tmp_path / "a\npackage"
    shutil.copytree(built, package)
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text("import atexit, os\nprint('noise')\nos.write(1, b'more noise')\n"
                                            "atexit.register(print, 'bye')\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")])))
    assert apart.check_package(package) == (True, "")
