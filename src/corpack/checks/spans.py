"""Rows that point into a document's text by code point offsets (paragraphs, facts' quotes), checked against it.

:func:`check_span_tables` reads ``documents`` once, a few documents at a time (see
:mod:`corpack.checks.windows`), and every span table beside it in step, so it holds the texts of a few
documents in hand, not the whole column, and finds the byte position of each code point of those texts once
for all the span tables (:class:`corpack.checks.codepoints.CodePoints`), not once a table. No Python loop runs
over rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpack.checks.codepoints import CodePoints
from corpack.checks.windows import Found, Unsorted, doc_windows
from dpcheck.plugins import Table, show, values_at
from dpcheck.report import Report

_BATCH_BYTES = 8 << 20  # document text sliced per batch; bounds the per-code-point index arrays


@dataclass(frozen=True)
class SpanTable:
    """A table whose rows name slices of ``documents.text`` (``doc_id``, ``char_start``, ``char_end``) and
    state them in ``text_column``; its findings get ``code``."""

    table: Table
    text_column: str
    code: str
    also: tuple[str, ...] = ()  # further columns to read with its rows, for ``seen``
    seen: Callable[[pa.Table], None] | None = None  # given each doc window of the table as it is read, in order


@dataclass
class Spans:
    """What :func:`judge_span_tables` found, to be reported with :meth:`report`.

    Attributes:
        docs_seen: whether ``seen_docs`` was given every doc window of ``documents`` (False when it is not in
            doc_id order: a caller's check fed by it must then read the table itself).
        seen: for each span table, whether its ``seen`` was given every window of it (likewise).
    """

    cursors: list[_Cursor]
    docs_seen: bool
    seen: list[bool]

    @property
    def matched(self) -> list[int]:
        """For each span table, how many of its rows were found equal to the slice of documents.text they name."""
        return [cursor.matched for cursor in self.cursors]

    def report(self, report: Report) -> None:
        """Add the findings to ``report``, table after table (out of range, then mismatched)."""
        for cursor in self.cursors:
            cursor.found[0].report(report, cursor.spec.code, cursor.spec.table, "char_start")
            cursor.found[1].report(report, cursor.spec.code, cursor.spec.table, cursor.spec.text_column)


def check_spans(docs: Table, spans: Table, report: Report, *, text_column: str, code: str) -> None:
    """Report rows of ``spans`` whose ``char_start``/``char_end`` do not fit their document's text (code
    points, ``0 <= start < end <= len``) or whose ``text_column`` is not ``documents.text[start:end]``: the
    same as :func:`check_span_tables` of one table.

    Raises:
        SourceError: when a column cannot be read, or documents.text is not valid UTF-8.
    """
    check_span_tables(docs, [SpanTable(spans, text_column, code)], report)


def check_span_tables(docs: Table, tables: Sequence[SpanTable], report: Report) -> None:
    """Report, for each of ``tables`` in turn, its rows whose offsets do not fit their document's text (code
    points, ``0 <= start < end <= len``) or whose stated text is not ``documents.text[start:end]``.

    Rows whose doc_id is not in ``docs`` are skipped (a foreign key reports them); a doc_id that ``docs``
    holds twice points at its first row. Both kinds of finding get the table's code: out-of-range ones on
    field ``char_start``, mismatches on its text column. ``documents`` is read once, a few documents at a
    time, with every table read beside it in step, when they are in doc_id order (as ``pkg build`` writes
    them); a table that is not is judged whole afterwards (all of them when ``documents`` is not).

    Raises:
        SourceError: when a column cannot be read, or documents.text is not valid UTF-8.
    """
    judge_span_tables(docs, tables, report.limit).report(report)


def judge_span_tables(docs: Table, tables: Sequence[SpanTable], limit: int, *, doc_columns: Sequence[str] = (),
                      seen_docs: Callable[[pa.Table], None] | None = None) -> Spans:
    """What :func:`check_span_tables` finds (``limit`` rows kept per kind and table), not reported yet.

    Other checks of the same tables may ride on the reads: ``seen_docs`` is given each doc window of
    ``documents`` (with ``doc_columns`` read too), each table's ``seen`` each window of it (with its ``also``
    columns), in row order. :class:`Spans` says whether they saw every window; a table out of doc_id order is
    not seen in full, and a check fed by it must read it itself.

    Raises:
        SourceError: when a column cannot be read, or documents.text is not valid UTF-8.
    """
    cursors = [_Cursor(spec, limit) for spec in tables]
    docs_seen = False
    if not cursors:
        return Spans(cursors, docs_seen, [])
    try:
        for window in doc_windows(docs, list(dict.fromkeys(["doc_id", "text", *doc_columns]))):
            if seen_docs is not None:
                seen_docs(window)
            known = pc.drop_null(window.column("doc_id"))
            if len(known) == 0:
                continue  # (rows without a doc_id are no one's text)
            last = known[len(known) - 1].as_py()
            parts = [(cursor, cursor.upto(last)) for cursor in cursors]
            _check(window, [(cursor, part) for cursor, part in parts if part is not None and part.num_rows])
        for cursor in cursors:
            cursor.drain()  # rows after the last document match none, but must be in order too
        docs_seen = True
    except Unsorted:
        for cursor in cursors:
            cursor.whole = True
    judged_whole = [cursor for cursor in cursors if cursor.whole]
    if judged_whole:
        texts = docs.table(["doc_id", "text"])
        for cursor in judged_whole:
            cursor.found = [Found(limit), Found(limit)]
            cursor.matched = 0
            _check(texts, [(cursor, cursor.spec.table.table(cursor.names))])
            cursor.spec.table.release()
        docs.release()
    return Spans(cursors, docs_seen, [not cursor.whole for cursor in cursors])


class _Cursor:
    """One span table read in step with ``documents``: its rows handed out up to a doc_id at a time, and its
    findings (out of range, mismatched)."""

    def __init__(self, spec: SpanTable, limit: int) -> None:
        self.spec = spec
        self.names = list(dict.fromkeys(["doc_id", "char_start", "char_end", spec.text_column, *spec.also]))
        self.found = [Found(limit), Found(limit)]
        self.whole = False  # not in doc_id order: judged on the whole table instead
        self.matched = 0  # rows found equal to their document's slice
        self._windows = self._read()
        self._pending: pa.Table | None = None

    def _read(self) -> Iterator[pa.Table]:
        for window in doc_windows(self.spec.table, self.names):  # (raises Unsorted as the rows are read, in upto)
            if self.spec.seen is not None:
                self.spec.seen(window)
            yield window

    def upto(self, last: str) -> pa.Table | None:
        """The rows not handed out yet whose doc_id is at most ``last`` (and the rows without a doc_id among
        them), in row order; None once the table is found out of doc_id order."""
        parts = []
        try:
            while not self.whole:
                window = self._pending if self._pending is not None else next(self._windows, None)
                self._pending = None
                if window is None:
                    break
                after = pc.index(pc.fill_null(pc.greater(window.column("doc_id"), last), False), True).as_py()
                if after < 0:
                    parts.append(window)
                    continue
                parts.append(window.slice(0, after))
                self._pending = window.slice(after)
                break
        except Unsorted:
            self.whole = True
        if self.whole or not parts:
            return None
        return pa.concat_tables(parts) if len(parts) > 1 else parts[0]

    def drain(self) -> None:
        """Read the rest of the table (rows past the last document), to learn whether it is in doc_id order."""
        try:
            for _ in self._windows:
                pass
        except Unsorted:
            self.whole = True


@dataclass
class _Judged:
    """The rows of one span table whose offsets fit their document, to be compared with its text."""

    cursor: _Cursor
    rows: pa.ChunkedArray  # row numbers, by position
    doc: np.ndarray  # each position's document (row of the documents window)
    start: pa.ChunkedArray
    end: pa.ChunkedArray
    text: pa.ChunkedArray
    good: np.ndarray  # positions whose offsets fit, to slice


def _check(docs: pa.Table, parts: list[tuple[_Cursor, pa.Table]]) -> None:
    """Judge each span table's rows (with ``__row``) against the documents in ``docs`` (doc_id, text; the first
    row of a doc_id counts); add to each cursor's findings (out of range, mismatched) in row order."""
    if not parts:
        return
    ids = docs.column("doc_id").combine_chunks()
    doc_text = docs.column("text")
    if not pa.types.is_large_string(doc_text.type) and not pa.types.is_string(doc_text.type):
        doc_text = doc_text.cast(pa.large_string())
    doc_len = pc.utf8_length(doc_text)
    judged = [_judge(ids, doc_len, spans, cursor) for cursor, spans in parts]
    for one, bad in zip(judged, _mismatches(doc_text, judged)):
        one.cursor.found[1].add(bad, one.rows, _describe_mismatches(one, doc_text))


def _judge(ids: pa.Array, doc_len: pa.ChunkedArray, spans: pa.Table, cursor: _Cursor) -> _Judged:
    """Find each row's document, report the rows whose offsets do not fit it, and return the rest."""
    child = spans.column("doc_id")
    if child.type != ids.type:
        child = pc.cast(child, ids.type)
    found_at = pc.index_in(child, value_set=ids, skip_nulls=True)  # the first row of each doc_id
    positions = pc.indices_nonzero(pc.is_valid(found_at))
    rows = spans.column("__row").take(positions)
    doc = pc.take(found_at, positions).to_numpy().astype(np.int64)
    lengths = doc_len.take(pa.array(doc))
    start, end = spans.column("char_start").take(positions), spans.column("char_end").take(positions)
    text = spans.column(cursor.spec.text_column).take(positions)
    usable = pc.and_(pc.and_(pc.is_valid(start), pc.is_valid(end)), pc.and_(pc.is_valid(lengths), pc.is_valid(text)))
    fits = pc.and_(pc.and_(pc.greater_equal(start, 0), pc.less(start, end)), pc.less_equal(end, lengths))

    def out_of_range(shown: list[int]) -> list[str]:
        triples = zip(values_at(start, shown), values_at(end, shown), values_at(lengths, shown))
        return [f"offsets [{s}, {e}) do not fit its document's text of {n} characters" for s, e, n in triples]

    bad = pc.and_(usable, pc.invert(fits))
    cursor.found[0].add(pc.indices_nonzero(bad).to_numpy(), rows, out_of_range)
    good = np.flatnonzero(pc.fill_null(pc.and_(usable, fits), False).to_numpy(zero_copy_only=False))
    return _Judged(cursor, rows, doc, start, end, text, good)


def _describe_mismatches(one: _Judged, doc_text: pa.ChunkedArray) -> Callable[[list[int]], list[str]]:
    def mismatch(shown: list[int]) -> list[str]:
        messages = []
        for i in shown:
            s, e = one.start[i].as_py(), one.end[i].as_py()
            actual = doc_text[int(one.doc[i])].as_py()[s:e]
            messages.append(f"{one.cursor.spec.text_column} is not documents.text[{s}:{e}]: "
                            f"{difference(one.text[i].as_py(), actual)}")
        return messages

    return mismatch


def _mismatches(doc_text: pa.ChunkedArray, judged: list[_Judged]) -> list[np.ndarray]:
    """For each table, return (sorted) the good positions whose text differs from its document slice; the
    documents are sliced in batches of about :data:`_BATCH_BYTES`, each indexed once for all the tables."""
    orders = []
    for one in judged:
        doc = one.doc[one.good]
        order = np.argsort(doc, kind="stable")
        orders.append((doc[order], one.good[order]))
    bad: list[list[np.ndarray]] = [[] for _ in judged]
    if any(len(positions) for _, positions in orders):
        sizes = pc.fill_null(pc.binary_length(doc_text), 0).to_numpy(zero_copy_only=False).astype(np.int64)
        ends = np.cumsum(sizes)
        lo = 0
        while lo < len(doc_text):
            hi = max(int(np.searchsorted(ends, ends[lo] - sizes[lo] + _BATCH_BYTES, side="right")), lo + 1)
            index: CodePoints | None = None
            for one, (doc, positions), out in zip(judged, orders, bad):
                a, b = np.searchsorted(doc, lo), np.searchsorted(doc, hi)
                if b > a:
                    index = index or CodePoints(doc_text.slice(lo, hi - lo).combine_chunks())
                    pos = pa.array(positions[a:b])
                    s = one.start.take(pos).to_numpy().astype(np.int64)
                    e = one.end.take(pos).to_numpy().astype(np.int64)
                    same = pc.equal(index.slice(doc[a:b] - lo, s, e), pc.cast(one.text.take(pos), pa.large_string()))
                    equal = pc.fill_null(same, False).to_numpy(zero_copy_only=False)
                    one.cursor.matched += int(np.count_nonzero(equal))
                    out.append(positions[a:b][~equal])
            lo = hi
    return [np.sort(np.concatenate(parts)) if parts else np.empty(0, np.int64) for parts in bad]


def difference(stated: str, actual: str, width: int = 24) -> str:
    """Say where two strings part: the first differing character and a window of each from just before it.

    Two long strings that share a prefix would otherwise be shown as the same 30 characters twice.
    """
    at = next((i for i, (a, b) in enumerate(zip(stated, actual)) if a != b), min(len(stated), len(actual)))
    lo = max(0, at - 6)
    lead = "…" if lo else ""
    return (
        f"they differ from character {at} (of {len(stated)} and {len(actual)}): "
        f"{lead}{show(stated[lo:lo + width], width + 4)} against {lead}{show(actual[lo:lo + width], width + 4)}"
    )
