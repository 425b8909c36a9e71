"""Where a build may write: refused targets leave every file in place; locks order builds, releases and readers."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from corpack.errors import BuildError
from corpack.install import build_lock, check_target, lock_path, reading
from corpack.pipeline import build
from tests.helpers import write_corpus

GOOD = "新的社会阶层人士工作综述\n\n全市成立联谊组织12家，吸纳会员500余人。\n".encode()


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (lock files aside) with its digest."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


@pytest.fixture
def project(tmp_path) -> Path:
    """A user's folder: a corpus and a file of theirs beside it."""
    write_corpus(tmp_path / "p" / "corpus", {"a.txt": GOOD})
    (tmp_path / "p" / "notes.txt").write_text("mine", encoding="utf-8")
    return tmp_path / "p"


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        ("corpus", "refusing to replace the corpus folder"),
        (".", "refusing to replace a folder holding the corpus"),
        ("corpus/out", "inside the corpus"),
        ("notes.txt", "not a folder"),
    ],
)
def test_build_refuses_the_corpus_its_parent_and_what_lies_in_it(project, output, reason):
    before = _snapshot(project)
    with pytest.raises(BuildError, match=reason):
        build(project / "corpus", project / output)
    assert _snapshot(project) == before
    assert not [p for p in project.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


def test_cli_refuses_the_current_folder_and_its_parents(project, monkeypatch):
    from click.testing import CliRunner

    from corpack.cli import cli

    inner = project / "work" / "deep"
    inner.mkdir(parents=True)
    monkeypatch.chdir(inner)
    before = _snapshot(project)
    for output in (".", "..", str(project)):
        result = CliRunner().invoke(cli, ["build", str(project / "corpus"), "-o", output])
        assert result.exit_code == 2
        assert result.output.count("\n") == 1 and "refusing to replace" in result.output
    assert _snapshot(project) == before


@pytest.mark.parametrize(
    ("name", "content"),
    [("thesis.tex", "draft"), ("datapackage.json", '{"name": "theirs", "resources": []}')],  # a package not built by corpack
)
def test_build_refuses_a_folder_of_other_files(project, name, content):
    other = project / "other"
    other.mkdir()
    (other / name).write_text(content, encoding="utf-8")
    with pytest.raises(BuildError, match="holds no package corpack built"):
        build(project / "corpus", other)
    assert (other / name).read_text(encoding="utf-8") == content


def test_build_refuses_a_package_folder_holding_foreign_files(project):
    out = project / "out"
    build(project / "corpus", out)
    (out / "data" / "my-analysis.csv").write_text("x\n1\n", encoding="utf-8")
    before = _snapshot(out)
    with pytest.raises(BuildError, match="my-analysis.csv"):
        build(project / "corpus", out)
    assert _snapshot(out) == before


def test_build_refuses_a_symlink_and_replaces_empty_folders_and_its_own_packages(project):
    target = project / "real"
    target.mkdir()
    (project / "link").symlink_to(target)
    with pytest.raises(BuildError, match="symbolic link"):
        build(project / "corpus", project / "link")
    build(project / "corpus", target)  # empty: allowed
    build(project / "corpus", target)  # a package corpack built: replaced
    assert (target / "datapackage.json").is_file()


def test_check_target_accepts_a_new_path(tmp_path):
    check_target(tmp_path / "new" / "pkg", tmp_path / "corpus")


# A process that holds a lock until its stdin closes; prints "held" once it has it.
HOLD = """
import sys
from pathlib import Path
from corpack.install import build_lock, reading
kind, target = sys.argv[1], Path(sys.argv[2])
with (build_lock(target) if kind == "build" else reading(target)):
    print("held", flush=True)
    sys.stdin.read()
"""


def _hold(kind: str, target: Path) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLD, kind, str(target)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    return holder


def _release(holder: subprocess.Popen) -> None:
    holder.stdin.close()
    assert holder.wait(timeout=30) == 0
    holder.stdout.close()


def test_a_second_build_waits_and_leaves_the_running_builds_staging_folder(project):
    out = project / "out"
    holder = _hold("build", out)  # a running build: it owns its staging folder
    live = project / ".out.tmp-live"
    live.mkdir()
    waits: list[str] = []
    worker = threading.Thread(target=lambda: build(project / "corpus", out, on_wait=waits.append))
    worker.start()
    deadline = time.monotonic() + 30
    while not waits and time.monotonic() < deadline:
        time.sleep(0.02)
    assert waits and "waiting for another build" in waits[0]
    assert live.is_dir() and not out.exists()  # nothing touched while the other build runs
    _release(holder)
    worker.join(timeout=60)
    assert (out / "datapackage.json").is_file()
    assert not live.exists()  # its owner is gone: cleared by the next build


def test_leftovers_of_dead_runs_are_cleared(project):
    out = project / "out"
    for name in (".out.tmp-dead", ".out.old-dead"):
        (project / name / "data").mkdir(parents=True)
    build(project / "corpus", out)
    assert sorted(p.name for p in project.iterdir() if not p.name.endswith(".lock")) == ["corpus", "notes.txt", "out"]


def test_the_swap_waits_for_readers(project):
    out = project / "out"
    build(project / "corpus", out)
    before = _snapshot(out)
    reader = _hold("read", out)
    (project / "corpus" / "b.txt").write_bytes(GOOD.replace(b"12", b"13"))
    ready = threading.Event()
    worker = threading.Thread(target=lambda: build(project / "corpus", out, before_install=lambda _staged: ready.set()))
    worker.start()
    assert ready.wait(timeout=60)  # the new package is complete; the swap comes next
    time.sleep(0.5)
    assert _snapshot(out) == before  # the reader still sees the old package: the swap waits for it
    _release(reader)
    worker.join(timeout=60)
    assert _snapshot(out) != before


def test_locks_are_reentrant_within_a_process(tmp_path):
    target = tmp_path / "out"
    with build_lock(target), build_lock(target):
        assert lock_path(target, "build").is_file()
    with reading(target):  # no swap lock file yet: reading goes ahead
        pass
