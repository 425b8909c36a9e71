"""The pkg command line: thin wrappers whose exit codes and messages users script against."""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from corpack.cli import cli
from corpack.checking import validate_package  # corpack packages declare corpack's checks (#14)
from tests.helpers import write_corpus

GOOD = "新的社会阶层人士工作综述\n\n全市成立联谊组织12家，吸纳会员500余人。\n".encode()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_build_then_validate(runner, tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    out = tmp_path / "pkg"
    result = runner.invoke(cli, ["build", str(corpus), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 document, 2 paragraphs" in result.stdout
    assert validate_package(out).valid
    result = runner.invoke(cli, ["validate", str(out)])
    assert result.exit_code == 0, result.output


def test_validate_json_matches_the_library_report(runner, tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    out = tmp_path / "pkg"
    runner.invoke(cli, ["build", str(corpus), "-o", str(out)])
    result = runner.invoke(cli, ["validate", str(out), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json.loads(json.dumps(validate_package(out).to_dict()))


def test_validate_invalid_package_exits_1(runner, tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    out = tmp_path / "pkg"
    runner.invoke(cli, ["build", str(corpus), "-o", str(out)])
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0]["path"] = "../outside.parquet"
    (out / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(out)])
    assert result.exit_code == 1
    assert "unsafe-path" in result.stdout


def test_validate_missing_package_exits_2_with_one_error_line(runner, tmp_path):
    result = runner.invoke(cli, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert result.stderr.startswith("error[package-error]")
    assert "Traceback" not in result.output


def test_build_bad_file_exits_2_naming_file_and_offset(runner, tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "b.txt": b"ab\x00cd"})
    result = runner.invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "pkg")])
    assert result.exit_code == 2
    line = result.stderr.strip()
    assert line.startswith("error[decode-error]") and "b.txt byte 2" in line and "--skip-bad" in line
    assert not (tmp_path / "pkg").exists()


def test_build_skip_bad_reports_skipped_files(runner, tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "b.txt": b""})
    result = runner.invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "pkg"), "--skip-bad"])
    assert result.exit_code == 0
    assert "skipped b.txt: [empty-document]" in result.stderr
    assert "1 file skipped" in result.stdout


def test_unexpected_bug_exits_2_without_traceback_unless_debug(runner, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr("corpack.cli.write_manifest", boom)
    result = runner.invoke(cli, ["manifest", str(tmp_path)])
    assert result.exit_code == 2
    assert "rerun with --debug" in result.stderr and "Traceback" not in result.output
    result = runner.invoke(cli, ["--debug", "manifest", str(tmp_path)])
    assert isinstance(result.exception, ZeroDivisionError)


def test_usage_error_exits_2(runner):
    assert runner.invoke(cli, ["build", "--jobs", "0"]).exit_code == 2
    assert runner.invoke(cli, ["nonsense"]).exit_code == 2


def test_manifest_command_writes_manifest(runner, tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    result = runner.invoke(cli, ["manifest", str(corpus)])
    assert result.exit_code == 0
    assert (corpus / "manifest.csv").read_text(encoding="utf-8").startswith("file,sha256,bytes,encoding,")


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_with_an_example(runner, name):
    command: click.Command = cli.commands[name]
    assert command.help and "Example: pkg " in command.help
    assert runner.invoke(cli, [name, "--help"]).exit_code == 0


# --- the console entry point ends the process itself ----------------------------------------------------------

_CHILD = """
import atexit, sys, threading, time
from corpack.cli import main

class Global:
    def __del__(self):
        print("torn down", flush=True)

KEPT = Global()  # the interpreter's teardown would delete it and print
atexit.register(lambda: print("atexit ran", flush=True))
threading.Thread(target=lambda: (time.sleep(0.2), print("thread finished", flush=True))).start()
sys.argv = ["pkg", "validate", sys.argv[1]]
main()
"""


def _tiny_package(folder, cell: str):
    folder.mkdir()
    (folder / "data.csv").write_text(f"id,n\n1,{cell}\n", encoding="utf-8")
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}]}
    descriptor = {"name": "tiny", "resources": [{"name": "data", "path": "data.csv", "schema": schema}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("cell", "code", "said"), [("7", 0, "valid"), ("x", 1, "type-error")])
def test_pkg_ends_with_its_exit_code_after_threads_and_atexit_without_native_teardown(tmp_path, cell, code, said):
    """A command that succeeded must not end in a native library's abort at interpreter teardown (exit 134,
    apache/arrow#34314): ``main`` ends the process itself once Python's own exit work is done."""
    package = _tiny_package(tmp_path / "p", cell)
    done = subprocess.run([sys.executable, "-c", _CHILD, str(package)], capture_output=True, text=True, timeout=120)
    assert done.returncode == code, done.stderr
    assert said in done.stdout.lower()
    assert "thread finished" in done.stdout and "atexit ran" in done.stdout  # what Python's exit runs, ran
    assert done.stdout.index("thread finished") < done.stdout.index("atexit ran")
    assert "torn down" not in done.stdout  # the interpreter's teardown, where the abort happens, did not


def test_pkg_as_a_python_call_keeps_the_callers_process(runner, tmp_path):
    """Only the console entry point ends the process; ``cli`` called from Python returns to its caller."""
    package = _tiny_package(tmp_path / "p", "7")
    result = runner.invoke(cli, ["validate", str(package)])
    assert result.exit_code == 0, result.output
