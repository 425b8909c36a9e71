"""Reading a corpus table a few documents at a time, for checks whose memory must not grow with the package.

corpack's rules compare rows of one document with each other (paragraph order, repeated paragraphs, list
counts) or with that document's text (offsets, quotes). ``pkg build`` writes every table in doc_id order, a
row group per batch of documents, so such a check can read a table batch by batch and judge each document once
all its rows are in (:func:`doc_windows`), holding one batch and one document's rows, never a whole column.

A package whose table is not in doc_id order (one written by hand, say) is judged on the whole table at once
(:func:`by_document`): the same findings, without the memory bound. Findings are gathered per check in a
:class:`Found` (the first ``limit`` rows and the count) and reported once the table is done, so a check that
falls back to the whole table mid-way reports nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dpcheck.batches import TypedBatch
from dpcheck.plugins import Table
from dpcheck.report import Report


class Unsorted(Exception):
    """A table's doc_id values are not in increasing order, so it cannot be read a document at a time."""


@dataclass
class Found:
    """One check's findings of one code on one field, gathered over batches: every bad row counted, the first
    ``limit`` kept with their messages (and character offsets, where a check gives them)."""

    limit: int
    total: int = 0
    rows: list[int] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    offsets: list[int | None] = field(default_factory=list)

    @property
    def room(self) -> int:
        """How many more bad rows are described (kept); later ones are only counted."""
        return max(self.limit - len(self.rows), 0)

    def add(self, hits: np.ndarray | Sequence[int], rows: pa.Array | pa.ChunkedArray | np.ndarray,
            describe: Callable[[list[int]], list[str]]) -> None:
        """Count the bad positions ``hits`` (in row order) and keep the first that fit: their row numbers,
        ``rows[position]``, and the messages ``describe(positions)`` gives for them."""
        self.total += len(hits)
        first = [int(i) for i in hits[: self.room]]
        if not first:
            return
        numbers = rows[first] if isinstance(rows, np.ndarray) else rows.take(pa.array(first, pa.int64())).to_pylist()
        self.keep([int(n) for n in numbers], describe(first))

    def keep(self, rows: list[int], messages: list[str], offsets: list[int | None] | None = None) -> None:
        """Keep already described rows (at most :attr:`room` of them; the caller counts them in :attr:`total`)."""
        self.rows += rows
        self.messages += messages
        self.offsets += offsets if offsets is not None else [None] * len(rows)

    def report(self, report: Report, code: str, table: Table, field_name: str | None) -> None:
        """Add what was found to ``report`` as findings of ``code`` on ``table``'s field ``field_name``."""
        if self.total:
            report.add_rows(code, self.messages, resource=table.name, file=table.file, field=field_name,
                            rows=self.rows, total=self.total, offsets=self.offsets)


def batches(table: Table, names: Sequence[str]) -> Iterator[TypedBatch]:
    """The named columns of ``table``, typed and numbered as :class:`~dpcheck.plugins.Table` gives them, a
    Parquet row group at a time (as ``pkg build`` writes them: a batch of documents each); CSV as its reader's
    batches (:meth:`dpcheck.plugins.Table.batches`).

    Raises:
        SourceError: when the file can no longer be read.
    """
    return table.batches(names)


def doc_windows(table: Table, names: Sequence[str]) -> Iterator[pa.Table]:
    """The named columns (``doc_id`` among them) plus ``__row`` (row numbers), a few whole documents at a time.

    Each window holds every row of the documents in it: the rows of the last doc_id of a batch wait for the
    next batch. Rows whose doc_id is null go with the window they are read in. Windows follow each other in
    row order and their rows are consecutive.

    Raises:
        Unsorted: when a doc_id is smaller than one before it (checked as the batches are read).
        SourceError: when the file can no longer be read.
    """
    carry: pa.Table | None = None
    last: str | None = None
    for batch in batches(table, names):
        window = batch.table.append_column("__row", batch.row_numbers())
        ids = window.column("doc_id")
        known = pc.drop_null(ids)
        n = len(known)
        if n:
            if (last is not None and known[0].as_py() < last) or (n > 1 and pc.any(pc.less(known.slice(1), known.slice(0, n - 1))).as_py()):
                raise Unsorted
            last = known[n - 1].as_py()
            if carry is not None:
                window = pa.concat_tables([carry, window])
            split = pc.index(window.column("doc_id"), last).as_py()  # the last document's rows: the tail from here
            window, carry = window.slice(0, split), window.slice(split)
        elif carry is not None:
            window = pa.concat_tables([carry, window])
            carry = None
        if window.num_rows:
            yield window
    if carry is not None and carry.num_rows:
        yield carry


def by_document(table: Table, names: Sequence[str], check: Callable[[pa.Table, list[Found]], None], found: int, limit: int) -> list[Found]:
    """Run ``check(window, founds)`` over :func:`doc_windows` of ``table``, or once over the whole table (the
    named columns plus ``__row``) when it is not in doc_id order; return the ``found`` :class:`Found` s it
    filled (each keeping ``limit`` rows).

    ``check`` must judge a window by the documents in it alone and add its findings in row order, so that
    the windows add up to what the whole table gives.

    Raises:
        SourceError: when the file can no longer be read.
    """
    founds = [Found(limit) for _ in range(found)]
    try:
        for window in doc_windows(table, names):
            check(window, founds)
    except Unsorted:
        founds = [Found(limit) for _ in range(found)]
        check(table.table(names), founds)
        table.release()
    return founds
