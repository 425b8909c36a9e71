"""Build progress: a bar on a terminal, a log line every few seconds elsewhere, nothing when asked (#13)."""

from __future__ import annotations

import io
import threading

import pytest
from click.testing import CliRunner

from corpack import progress as progress_module
from corpack.cli import cli
from corpack.pipeline import build
from corpack.progress import Progress
from tests.helpers import digests, write_corpus



class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _corpus(folder, documents: int = 4):
    return write_corpus(folder, {f"r{i}.txt": f"某市召开座谈会第{i}次\n\n全市成立联谊组织{i + 10}家，吸纳会员{i + 100}余人。\n".encode() for i in range(documents)})


def test_log_lines_every_interval_when_not_a_terminal_13():
    stream, clock = io.StringIO(), Clock()
    with Progress(10, 10_000_000, stream=stream, interval=5, clock=clock) as bar:
        for _ in range(10):
            clock.now += 1
            bar.update(1, 1_000_000)
    lines = stream.getvalue().splitlines()
    assert lines == [
        "build: 5/10 documents, 5.0/10.0 MB, 1.0 MB/s, ETA 0:00:05",
        "build: 10/10 documents, 10.0/10.0 MB, 1.0 MB/s, 0:00:10 in all",
        "build: 10/10 documents, 10.0/10.0 MB, 1.0 MB/s, 0:00:10 in all",
    ]


def test_a_build_shorter_than_the_interval_prints_nothing_13():
    stream, clock = io.StringIO(), Clock()
    with Progress(3, 300, stream=stream, interval=5, clock=clock) as bar:
        for _ in range(3):
            clock.now += 1
            bar.update(1, 100)
    assert stream.getvalue() == ""


def test_no_last_line_when_the_build_fails_13():
    stream, clock = io.StringIO(), Clock()
    with pytest.raises(RuntimeError), Progress(3, 300, stream=stream, interval=1, clock=clock) as bar:
        clock.now += 1
        bar.update(1, 100)
        raise RuntimeError
    assert stream.getvalue().splitlines() == ["build: 1/3 documents, 0.0/0.0 MB, 0.0 MB/s, ETA 0:00:02"]


@pytest.mark.parametrize("show", [False, None])
def test_a_terminal_gets_the_bar_not_log_lines_unless_progress_is_off_13(show):
    stream, clock = Terminal(), Clock()
    with Progress(3, 300, stream=stream, interval=0, clock=clock, show=show) as bar:
        for _ in range(3):
            bar.update(1, 100)
    assert "documents," not in stream.getvalue()
    assert ("/3 [" in stream.getvalue()) is (show is None)  # the bar, drawn at least once


def test_forced_progress_draws_the_bar_anywhere_13():
    stream = io.StringIO()
    with Progress(3, 300, stream=stream, interval=0, show=True) as bar:
        bar.update(3, 300)
    assert "/3 [" in stream.getvalue() and "documents," not in stream.getvalue()


def test_pkg_build_logs_progress_when_stderr_is_not_a_terminal_13(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "c")
    monkeypatch.setattr(progress_module, "LOG_INTERVAL", 0.0)
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    logged = [line for line in result.stderr.splitlines() if line.startswith("build: ") and " documents, " in line]
    assert [line.split(" documents")[0] for line in logged] == ["build: 1/4", "build: 2/4", "build: 3/4", "build: 4/4", "build: 4/4"]
    assert logged[-1].endswith("in all")


@pytest.mark.parametrize(("option", "bar"), [("--no-progress", False), ("--progress", True)])
def test_pkg_build_progress_options_still_rule_13(tmp_path, monkeypatch, option, bar):
    corpus = _corpus(tmp_path / "c")
    monkeypatch.setattr(progress_module, "LOG_INTERVAL", 0.0)
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(tmp_path / "out"), option])
    assert result.exit_code == 0, result.output
    assert " documents, " not in result.stderr
    assert ("/4 [" in result.stderr) is bar


def test_a_large_document_in_progress_is_named_in_the_line_with_its_stage_and_time_13():
    stream, clock = io.StringIO(), Clock()
    with Progress(2, 5_000_000, stream=stream, interval=5, clock=clock, timer=False) as bar:
        bar.inside({"file": "big.txt", "bytes": 4_400_000, "stage": "cleaning"})
        clock.now += 30
        bar.inside({"file": "big.txt", "bytes": 4_400_000, "stage": "extracting statistics (table 1 of 6) from 21,782 paragraphs"})
        clock.now += 15
        bar.tick()
        bar.inside({"file": "big.txt", "bytes": 4_400_000, "stage": None})
        clock.now += 5
        bar.tick()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "build: 0/2 documents, 0.0/5.0 MB, 0.0 MB/s; in big.txt (4.4 MB): extracting statistics (table 1 of 6) from 21,782 paragraphs, 0:00:45"
    assert lines[1] == "build: 0/2 documents, 0.0/5.0 MB, 0.0 MB/s"


def test_the_timer_writes_lines_while_no_document_finishes_13():
    stream = io.StringIO()
    with Progress(1, 100, stream=stream, interval=0.01) as bar:
        bar.inside({"file": "big.txt", "bytes": 300_000, "stage": "cleaning"})
        for _ in range(1000):  # no update at all: only the timer writes (waits up to 10 s, ends at the first line)
            if "in big.txt (0.3 MB): cleaning" in stream.getvalue():
                break
            threading.Event().wait(0.01)
    assert "in big.txt (0.3 MB): cleaning" in stream.getvalue()


def test_the_bar_shows_the_large_document_in_progress_13():
    stream, clock = Terminal(), Clock()
    with Progress(1, 100, stream=stream, clock=clock, timer=False) as bar:
        bar.inside({"file": "big.txt", "bytes": 4_400_000, "stage": "cleaning"})
    assert "in big.txt (4.4 MB): cleaning, 0:00:00" in stream.getvalue()


def test_only_large_documents_send_messages_and_only_to_a_sink_13(monkeypatch):
    sent: list[dict] = []
    monkeypatch.setattr(progress_module, "WATCH_BYTES", 1000)
    progress_module.begin("small.txt", 999)
    progress_module.stage("cleaning")
    progress_module.end()
    previous = progress_module.set_sink(sent.append)
    try:
        progress_module.begin("small.txt", 999)
        progress_module.stage("cleaning")
        progress_module.end()
        progress_module.begin("big.txt", 1000)
        progress_module.stage("cleaning")
        progress_module.end()
    finally:
        progress_module.set_sink(previous)
    assert sent == [
        {"file": "big.txt", "bytes": 1000, "stage": "decoded"},
        {"file": "big.txt", "bytes": 1000, "stage": "cleaning"},
        {"file": "big.txt", "bytes": 1000, "stage": None},
    ]


def _with_a_large_document(folder):
    files = {f"r{i}.txt": f"某市召开座谈会第{i}次\n\n全市成立联谊组织{i + 10}家，吸纳会员{i + 100}余人。\n".encode() for i in range(4)}
    files["big.txt"] = "".join(f"第{i}段：2021年3月5日，某省温州市委统战部召开座谈会，全市共有企业{i}家。\n\n" for i in range(300)).encode()
    return write_corpus(folder, files)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_large_document_reports_its_stages_locally_and_the_bytes_stay_the_same_13(tmp_path, monkeypatch, jobs):
    corpus = _with_a_large_document(tmp_path / "c")
    quiet = tmp_path / "quiet"
    build(corpus, quiet, jobs=jobs, progress=False)
    monkeypatch.setattr(progress_module, "WATCH_BYTES", 10_000)
    seen: list[dict] = []
    monkeypatch.setattr(Progress, "inside", lambda self, event: seen.append(event))
    watched = tmp_path / "watched"
    build(corpus, watched, jobs=jobs, progress=None)
    tables = ("statistics", "events", "places", "designations", "programmes", "people")
    assert [(event["file"], event["stage"]) for event in seen] == [
        ("big.txt", "decoded"), ("big.txt", "cleaning"),
        *(("big.txt", f"extracting {name} (table {n} of 6) from 300 paragraphs") for n, name in enumerate(tables, 1)),
        ("big.txt", None),
    ]
    assert digests(watched) == digests(quiet)


def test_a_slow_rate_keeps_its_digits_13():
    stream, clock = io.StringIO(), Clock()
    with Progress(1, 4_400_000, stream=stream, interval=5, clock=clock, timer=False) as bar:
        clock.now += 283
        bar.update(1, 4_400_000)
    assert stream.getvalue().splitlines()[0] == "build: 1/1 documents, 4.4/4.4 MB, 0.016 MB/s, 0:04:43 in all"
