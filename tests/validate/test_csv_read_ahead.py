"""dpcheck.csvfile reads Arrow's batches one ahead in a thread (#14): the same batches in the same order, the
reader's exceptions raised in the caller's thread, and no thread left behind when the caller stops early."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dpcheck import csvarrow, csvfile, model
from dpcheck.report import Report


def _reading() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "dpcheck-csv-read-ahead"]


def test_read_ahead_gives_every_batch_in_order_then_stops_14() -> None:
    closed = []

    def numbers() -> Iterator[int]:
        try:
            yield from range(100)
        finally:
            closed.append(True)

    assert list(csvarrow.read_ahead(numbers())) == list(range(100))  # type: ignore[arg-type]
    assert closed == [True]
    assert _reading() == []


def test_an_exception_of_the_reader_is_raised_to_the_caller_after_the_batches_before_it_14() -> None:
    def ragged() -> Iterator[int]:
        yield 1
        yield 2
        raise csvfile.Restart()

    got = []
    with pytest.raises(csvfile.Restart):
        for batch in csvarrow.read_ahead(ragged()):  # type: ignore[arg-type]
            got.append(batch)
    assert got == [1, 2]
    assert _reading() == []


def test_stopping_early_stops_the_thread_and_closes_the_reader_14() -> None:
    closed = []

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.append(True)

    ahead = csvarrow.read_ahead(endless())  # type: ignore[arg-type]
    assert [next(ahead) for _ in range(3)] == [0, 1, 2]
    ahead.close()
    assert closed == [True]
    assert _reading() == []


def test_a_csv_file_read_ahead_gives_the_rows_of_the_file_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvfile, "BATCH_ROWS", 3)
    monkeypatch.setattr(csvfile, "ARROW_BATCH_ROWS", 3)
    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 32)
    rows = [f"r{i},{i}" for i in range(50)]
    (tmp_path / "t.csv").write_text("a,b\n" + "\n".join(rows) + "\n", encoding="utf-8")
    source = csvfile.Source([tmp_path / "t.csv"], model.Dialect())
    opened = source.open(False, Report(package=""), "t", "t.csv")
    assert opened is not None
    labels, batches = opened
    got = [f"{a},{b}" for batch in batches for a, b in zip(batch.cells[0].to_pylist(), batch.cells[1].to_pylist())]
    assert (labels, got) == (["a", "b"], rows)
    assert _reading() == []
