"""The one loop: format-neutral Arrow batches fed to every table check, each with a start / batch / end life cycle.

A reader (:mod:`~dpcheck.stream` for Parquet, :mod:`~dpcheck.csvcheck` for CSV and inline rows) gives a
resource's rows as :class:`Batch` es, each with the number findings give its first row (2 below a one-line
header, 1 in a headerless CSV), and :func:`run` drives every check over them:

- **start**: the caller makes the checks (a field's cells, the row shape, a key's hashes, a foreign key's
  lookups, the columns kept for later), each naming the fields it reads (``reads``);
- **batch**: ``check.batch(batch, recorder)`` checks one batch into the batch's own
  :class:`~dpcheck.recorder.Recorder` (rows shifted to the batch's place) and returns what it learnt (hashes,
  a key's order, typed values); it keeps no state another check reads;
- **end**: ``check.end(done, report)`` gets the check's events merged over the batches by their key
  (:func:`dpcheck.recorder.merge`, never by position) and its batch results in row order, and reports.

Batches may be checked on threads (:data:`WORKERS`, in an in-order window of :data:`WINDOW` batches, so
memory holds a few batches and what a batch knows of the batches before it does not depend on scheduling; a
CSV's rows are split in one pass in the caller's thread, its batches checked on the threads) or one after the
other in the caller's thread. Within a batch the checks run in order, and a column no later check reads is
dropped as soon as its last reader is done.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import numpy as np
import pyarrow as pa

from dpcheck import cells
from dpcheck.reading import FIRST_ROW
from dpcheck.recorder import Key, Recorder, Rows, merge, totals
from dpcheck.report import Finding, Report
from dpcheck.tableschema import Field

WORKERS = min(os.cpu_count() or 1, 8)  # threads checking batches, for a reader that allows it
WINDOW = 2 * WORKERS  # batches started ahead of the first unfinished one, at most (see in_order)

T = TypeVar("T")


@dataclass(frozen=True)
class Shape:
    """How many cells each row of a batch has, for the row-shape check (a CSV's; Parquet rows have no shape).

    Attributes:
        row_len: the cells of each row (one number when every row has as many).
        names: the field each cell position should hold (see :func:`dpcheck.csvlabels.structure`).
        blank: the rows whose every cell is missing.
    """

    row_len: np.ndarray | int
    names: tuple[str, ...]
    blank: np.ndarray


@dataclass
class Batch:
    """Consecutive rows of one resource, whatever its format.

    Columns are asked for by the field's index in the schema (names may repeat in v2) and read when first
    asked for (see :meth:`stored`); a field in ``texts`` is held as text cells and read as its field's type
    (:meth:`parsed`) once per batch, however many checks ask.

    Attributes:
        offset: how many rows of the resource come before the batch.
        first_row: the number findings give the batch's first row.
        num_rows: how many rows it holds.
        fields: the schema's fields; ``missing`` the missing values of each.
        load: a field's column as stored (None where the file has no column for it).
        texts: the indices of fields held as text.
        skip: rows whose cells are not checked (blank CSV rows), or None.
        shape: the cells of each row, or None where rows have no shape of their own.
        blanks: for rows without a shape (Parquet), what works out the blank rows from the batch's columns
            (:meth:`blank`); None when ``skip`` says it.
        close: releases what the batch was read from.
    """

    offset: int
    first_row: int
    num_rows: int
    fields: Sequence[Field]
    missing: Sequence[Sequence[str]]
    load: Callable[[int], pa.ChunkedArray | None]
    texts: frozenset[int] = frozenset()
    skip: np.ndarray | None = None
    shape: Shape | None = None
    blanks: Callable[[Batch], np.ndarray] | None = None
    close: Callable[[], None] = lambda: None
    _held: dict[int, Any] = field(default_factory=dict)
    _parsed: dict[int, Any] = field(default_factory=dict)

    def stored(self, index: int) -> pa.ChunkedArray | None:
        """Field ``index``'s column as stored (a Parquet dictionary stays one; CSV cells are text)."""
        if index not in self._held:
            self._held[index] = self.load(index)
        return self._held[index]

    def parsed(self, index: int) -> cells.Parsed | cells.FieldError | None:
        """A text field's cells read as its type, or why they cannot be; None for a typed or absent column."""
        if index not in self.texts or self.stored(index) is None:
            return None
        if index not in self._parsed:
            try:
                self._parsed[index] = cells.parse(self.stored(index), self.fields[index], self.missing[index])
            except cells.FieldError as exc:
                self._parsed[index] = exc
        return self._parsed[index]

    def values(self, index: int) -> pa.ChunkedArray | None:
        """Field ``index``'s values as its type: a typed column as stored, text as read; None when unreadable."""
        if index not in self.texts:
            return self.stored(index)
        parsed = self.parsed(index)
        return parsed.values if isinstance(parsed, cells.Parsed) else None

    def blank(self) -> np.ndarray | None:
        """The rows whose every cell is missing, whose cells are not checked: ``skip``, or what ``blanks``
        works out (once a batch); None when no row is blank or the reader cannot tell."""
        if self.blanks is not None and self.skip is None:
            self.skip = self.blanks(self)
        return self.skip if self.skip is not None and self.skip.any() else None

    def release(self, index: int) -> None:
        """Drop a column no later check of this batch reads."""
        self._held.pop(index, None)
        self._parsed.pop(index, None)


class Check(Protocol):
    """A table check driven by :func:`run` (see the module docstring)."""

    reads: tuple[int, ...]  # the fields it reads from a batch, by index

    def batch(self, batch: Batch, recorder: Recorder) -> Any: ...

    def end(self, done: Done, report: Report) -> Any: ...


@dataclass
class Done:
    """What a check said over every batch: its events merged by key, and its batch results in row order."""

    events: list[Rows | Finding]
    results: list[Any]


@dataclass
class Read:
    """A reader's batches: callables giving each batch in row order, and how many threads may check them."""

    batches: Iterable[Callable[[], Batch]]
    workers: int = 1


def in_order(run: Callable[[int, T], Any], items: Iterable[T], workers: int) -> list[Any]:
    """``[run(0, items[0]), run(1, items[1]), ...]``: on ``workers`` threads, never more than :data:`WINDOW`
    items ahead of the first unfinished one; in this thread, one after the other, when ``workers`` is 1.

    The window bounds memory and makes what an item knows of the items before it independent of scheduling:
    item ``i`` starts only once items ``0 .. i - WINDOW`` are done. The first exception raised by an item, in
    item order, is raised here (the items in flight still finish).
    """
    if workers <= 1:
        return [run(number, item) for number, item in enumerate(items)]
    results: list[Any] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: dict[int, Future[Any]] = {}
        for number, item in enumerate(items):
            while len(results) + WINDOW <= number:
                results.append(pending.pop(len(results)).result())
            pending[number] = pool.submit(run, number, item)
        while pending:
            results.append(pending.pop(len(results)).result())
    return results


def run(read: Read, checks: Sequence[Check], limit: int) -> tuple[list[Done], int]:
    """Drive every check over the reader's batches; return each check's :class:`Done` and the row count.

    A check's recorder in batch ``i`` knows how many rows the check flagged in the batches before it that have
    finished in a row from the first (:meth:`Recorder.room`), so a table whose every row is bad describes
    ``limit`` rows for the batches in flight, not ``limit`` per batch.
    """
    done: dict[int, list[dict[Key, int]]] = {}  # batch number -> rows each check flagged, by key
    running: dict[tuple[int, Key], list[int]] = {}  # (check, key) -> rows flagged in batches 0..i, for each i
    lock = threading.Lock()
    last_reader = {index: position for position, check in enumerate(checks) for index in check.reads}

    def flagged_before(number: int, position: int) -> Callable[[Key], int]:
        def before(key: Key) -> int:
            if number == 0:
                return 0
            with lock:
                sums = running.setdefault((position, key), [])
                while len(sums) < number and len(sums) in done:
                    sums.append((sums[-1] if sums else 0) + done[len(sums)][position].get(key, 0))
                known = min(number, len(sums))
                return sums[known - 1] if known else 0
        return before

    def check_batch(number: int, load: Callable[[], Batch]) -> tuple[list[tuple[list[Rows | Finding], Any]], int]:
        batch = load()
        try:
            out = []
            for position, check in enumerate(checks):
                recorder = Recorder(limit, batch.first_row - FIRST_ROW, flagged_before(number, position))
                out.append((recorder.events, check.batch(batch, recorder)))
                for index in check.reads:
                    if last_reader[index] == position:
                        batch.release(index)
            with lock:
                done[number] = [totals(events) for events, _ in out]
            return out, batch.num_rows
        finally:
            batch.close()

    results = in_order(check_batch, read.batches, read.workers)
    dones = [Done(merge([r[0][position][0] for r in results], limit), [r[0][position][1] for r in results])
             for position in range(len(checks))]
    return dones, sum(rows for _, rows in results)
