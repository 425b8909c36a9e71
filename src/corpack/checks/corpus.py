"""The check ``corpack.corpus``: rules for a corpack corpus (resources ``documents`` and ``paragraphs``).

It runs only on a package that declares it (``"dpcheck:checks": ["corpack.corpus", ...]``, which ``pkg build``
writes), registered with the validator by :mod:`corpack.checking` (see :mod:`dpcheck.plugins`):

- ``paragraph-offset``: 0 <= char_start < char_end <= len(text) of the paragraph's document, and the
  paragraph's text equals ``documents.text[char_start:char_end]`` (offsets count Unicode code points).
- ``paragraph-order``: within a document, taken by para_no, each paragraph starts at or after the end of
  the one before it.
- ``text-defect``: U+FFFD, a control character other than ``\\n``, or an HTML tag remnant in
  documents.text, documents.title or paragraphs.text.
- ``duplicate-paragraph``: a paragraph's text repeats an earlier paragraph of the same document.

Each check runs only when the columns it needs exist with fitting types; otherwise the table checks have
already said what is wrong. Columns are read as their field's type and rows numbered as the table checks
number them, so a CSV package is judged as its Parquet twin is. Tables are read batch by batch, a few documents
at a time where a rule compares a document's rows (:mod:`corpack.checks.windows`), so memory holds a batch and
one document's rows, not a column; offsets are checked against the texts by :mod:`corpack.checks.spans`, and
the other checks ride on that check's reads, so ``documents`` and ``paragraphs`` are each read once (#13).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpack.checks.spans import SpanTable, check_spans, judge_span_tables
from corpack.checks.windows import Found, batches, by_document
from dpcheck.plugins import SourceError, Table, Tables, duplicates, show, values_at
from dpcheck.report import Report

#: The finding codes of ``corpack.corpus``, with what each means.
CODES: dict[str, str] = {
    "paragraph-offset": "a paragraph's offsets are out of range, or its text is not documents.text[start:end]",
    "paragraph-order": "a document's paragraphs, taken by para_no, overlap or run backwards",
    "text-defect": "text holds U+FFFD, a control character other than newline, or an HTML tag remnant",
    "duplicate-paragraph": "a paragraph's text repeats an earlier paragraph of the same document exactly",
}

_DEFECTS = {
    # what it is -> pattern, valid both in RE2 (pyarrow, over the whole column) and in Python's re
    "replacement character U+FFFD": "\ufffd",
    "control character": r"[\x00-\x09\x0b-\x1f\x7f-\x9f]",
    "HTML tag remnant": r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?/?>|/[a-zA-Z][a-zA-Z0-9]*>",
}
_TEXT_COLUMNS = (("documents", "text"), ("documents", "title"), ("paragraphs", "text"))
_ANYTHING = "|".join(f"(?:{p})" for p in _DEFECTS.values())  # any defect at all
# Bytes one of which every defect but a control character below U+0020 holds: '>' (each tag remnant ends with
# one), U+007F, 0xC2 (the first byte of U+0080..U+00BF, the C1 controls among them), U+FFFD.
_MARKS = (b">", b"\x7f", b"\xc2", "\ufffd".encode())


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def has_columns(table: Table | None, **columns: str) -> bool:
    """Whether ``table`` exists with each named column of the given kind ("text" or "int")."""
    if table is None:
        return False
    tests = {"text": _is_text, "int": pa.types.is_integer}
    for name, kind in columns.items():
        found = table.type_of(name)
        if found is None or not tests[kind](found):
            return False
    return True


def surely_clean(col: pa.ChunkedArray | pa.Array) -> bool:
    """Whether no value of a text column can hold a defect, told from its raw bytes (several times cheaper than
    the patterns): none is a control character below U+0020 other than newline, and none is one of
    :data:`_MARKS`. False says nothing: the patterns decide."""
    for chunk in col.chunks if isinstance(col, pa.ChunkedArray) else [col]:
        buffers = chunk.buffers()
        if len(chunk) == 0 or buffers[2] is None:
            continue
        offsets = np.frombuffer(buffers[1], np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
        lo, hi = int(offsets[chunk.offset]), int(offsets[chunk.offset + len(chunk)])
        raw = bytes(memoryview(buffers[2])[lo:hi])
        if any(mark in raw for mark in _MARKS) or np.count_nonzero(np.frombuffer(raw, np.uint8) < 0x20) != raw.count(b"\n"):
            return False
    return True


class TextDefects:
    """Values of a text column holding U+FFFD, a control character other than newline, or a tag remnant: fed
    consecutive rows in order (:meth:`feed`), or reading the column itself (:meth:`read`); each defect's first
    rows are reported in row order, one defect after the other."""

    def __init__(self, table: Table, name: str, limit: int) -> None:
        self.table, self.name, self.limit = table, name, limit
        self.found = {defect: Found(limit) for defect in _DEFECTS}

    def feed(self, col: pa.ChunkedArray | pa.Array, first_row: int) -> None:
        """Judge ``col``, the values of rows ``first_row``, ``first_row + 1``... (after the rows fed before)."""
        # A clean batch (the usual case) is told by its bytes, else by one pass for all defects.
        if surely_clean(col) or not pc.any(pc.match_substring_regex(col, _ANYTHING)).as_py():
            return
        for defect, pattern in _DEFECTS.items():
            hits = pc.indices_nonzero(pc.fill_null(pc.match_substring_regex(col, pattern), False))
            first = hits.slice(0, self.found[defect].room).to_pylist()
            self.found[defect].total += len(hits)
            messages: list[str] = []
            offsets: list[int | None] = []
            for value in values_at(col, first):
                match = re.search(pattern, value)  # the same pattern, to say where in the few rows shown
                if match is None:
                    messages.append(f"text holds a {defect}")
                    offsets.append(None)
                    continue
                shown = f"U+{ord(match.group()):04X}" if len(match.group()) == 1 else show(match.group())
                messages.append(f"{defect} {shown} at character {match.start()}")
                offsets.append(match.start())
            self.found[defect].keep([first_row + i for i in first], messages, offsets)

    def window(self, window: pa.Table) -> None:
        """Judge a doc window (:func:`corpack.checks.windows.doc_windows`) holding the column."""
        if window.num_rows:
            self.feed(window.column(self.name), window.column("__row")[0].as_py())

    def read(self) -> None:
        """Judge the whole column, read batch by batch (forgetting what was fed before)."""
        self.found = {defect: Found(self.limit) for defect in _DEFECTS}
        for batch in batches(self.table, [self.name]):
            self.feed(batch.table.column(self.name), batch.first_row)

    @property
    def total(self) -> int:
        """How many defects were found (a value with two kinds counts twice)."""
        return sum(found.total for found in self.found.values())

    def report(self, report: Report) -> None:
        """Add what was found to ``report``."""
        for defect in _DEFECTS:
            self.found[defect].report(report, "text-defect", self.table, self.name)


def check_text_defects(table: Table, name: str, report: Report) -> None:
    """Report values of a text column holding U+FFFD, a control character other than newline, or a tag remnant.

    The column is read batch by batch; each defect's first rows are reported in row order, one defect after
    the other.
    """
    defects = TextDefects(table, name, report.limit)
    defects.read()
    defects.report(report)


def _duplicates_in(window: pa.Table, found: list[Found]) -> None:
    """Find the paragraphs of a doc window whose text repeats an earlier one of their document."""
    table = window.filter(pc.and_(pc.is_valid(window.column("doc_id")), pc.is_valid(window.column("text"))))
    rows, first_rows = duplicates(table, ["doc_id", "text"])
    first_row = window.column("__row")[0].as_py() if window.num_rows else 0  # (a window's rows are consecutive)
    shown = rows[: found[0].room].tolist()
    texts = values_at(window.column("text"), [r - first_row for r in shown])
    found[0].total += len(rows)
    found[0].keep(shown, [f"paragraph text {show(v, 40)} repeats row {first}" for v, first in zip(texts, first_rows.tolist())])


_ORDER_KEYS = ["doc_id", "para_no", "char_start", "char_end"]


def _disorder_in(window: pa.Table, found: list[Found]) -> None:
    """Find the paragraphs of a doc window that start before the previous one (by para_no) of their document ends."""
    complete = pc.is_valid(window.column(_ORDER_KEYS[0]))
    for key in _ORDER_KEYS[1:]:
        complete = pc.and_(complete, pc.is_valid(window.column(key)))
    table = window.filter(complete).sort_by([("doc_id", "ascending"), ("para_no", "ascending"), ("__row", "ascending")])
    n = table.num_rows
    if n < 2:
        return
    doc, start, end = table.column("doc_id"), table.column("char_start"), table.column("char_end")
    same_doc = pc.equal(doc.slice(1), doc.slice(0, n - 1))
    bad = pc.fill_null(pc.and_(same_doc, pc.less(start.slice(1), end.slice(0, n - 1))), False)
    later, earlier = table.slice(1), table.slice(0, n - 1)

    def describe(positions: list[int]) -> list[str]:
        now, before = later.take(positions).to_pylist(), earlier.take(positions).to_pylist()
        return [
            f"paragraph {a['para_no']} starts at {a['char_start']}, before paragraph {b['para_no']} "
            f"(row {b['__row']}) ends at {b['char_end']}: paragraphs overlap or are out of order"
            for a, b in zip(now, before)
        ]

    found[0].add(pc.indices_nonzero(bad).to_numpy(), later.column("__row"), describe)


@dataclass
class _ByDocument:
    """A check of the paragraphs a few documents at a time (see :func:`corpack.checks.windows.by_document`): fed
    the doc windows of a pass made for another check (:meth:`window`), or reading them itself (:meth:`read`)."""

    table: Table
    names: list[str]
    check: Callable[[pa.Table, list[Found]], None]
    limit: int
    found: Found | None = None

    def window(self, window: pa.Table) -> None:
        self.found = self.found or Found(self.limit)
        self.check(window, [self.found])

    def read(self) -> None:
        [self.found] = by_document(self.table, self.names, self.check, 1, self.limit)

    def report(self, report: Report, code: str, field_name: str) -> None:
        (self.found or Found(self.limit)).report(report, code, self.table, field_name)


def check_duplicates(paras: Table, report: Report) -> None:
    """Report paragraphs whose text repeats an earlier paragraph of the same document."""
    check = _ByDocument(paras, ["doc_id", "text"], _duplicates_in, report.limit)
    check.read()
    check.report(report, "duplicate-paragraph", "text")


def check_order(paras: Table, report: Report) -> None:
    """Report paragraphs that start before the previous paragraph (by para_no) of their document ends."""
    check = _ByDocument(paras, _ORDER_KEYS, _disorder_in, report.limit)
    check.read()
    check.report(report, "paragraph-order", "char_start")


def check_offsets(docs: Table, paras: Table, report: Report) -> None:
    """Report paragraphs whose offsets do not fit their document, or whose text is not the slice they name."""
    check_spans(docs, paras, report, text_column="text", code="paragraph-offset")


def run(tables: Tables, report: Report) -> None:
    """Run the corpus checks that the package's ``documents`` and ``paragraphs`` tables allow.

    Where the offsets are checked, the other checks ride on its reads (:func:`_together`): documents and
    paragraphs are each read once, not once a check. Should a column fail to read, the checks run again one
    after the other, so that what was found before it is reported as when they always run so.

    Raises:
        SourceError: when a column cannot be read.
    """
    docs, paras = tables.get("documents"), tables.get("paragraphs")
    together = Report(report.package, report.limit)
    try:
        done = _together(docs, paras, tables, together)
    except SourceError:
        done = False
    if done:
        report.extend(together)
        return
    for table, name in _defect_columns(tables):
        check_text_defects(table, name, report)
    if has_columns(paras, doc_id="text", text="text"):
        check_duplicates(paras, report)
    if _orderable(paras):
        check_order(paras, report)
    if _spanned(docs, paras):
        check_offsets(docs, paras, report)


def _defect_columns(tables: Tables) -> list[tuple[Table, str]]:
    """The text columns (:data:`_TEXT_COLUMNS`) the package has, with their tables, to search for defects."""
    out = []
    for resource, name in _TEXT_COLUMNS:
        table = tables.get(resource)
        if table is not None and has_columns(table, **{name: "text"}):
            out.append((table, name))
    return out


def _orderable(paras: Table | None) -> bool:
    """Whether the paragraphs' order within their documents can be checked."""
    return has_columns(paras, doc_id="text", para_no="int", char_start="int", char_end="int")


def _spanned(docs: Table | None, paras: Table | None) -> bool:
    """Whether the paragraphs' offsets can be checked against the document texts."""
    return has_columns(docs, doc_id="text", text="text") and has_columns(paras, doc_id="text", text="text", char_start="int", char_end="int")


class _Texts:
    """Counts the paragraphs whose text is not null, fed the doc windows of paragraphs."""

    def __init__(self) -> None:
        self.rows = 0

    def window(self, window: pa.Table) -> None:
        texts = window.column("text")
        self.rows += len(texts) - texts.null_count


def _feeding(checks: Sequence[TextDefects | _ByDocument | _Texts]) -> Callable[[pa.Table], None]:
    """A function giving each doc window to every one of ``checks``."""
    def feed(window: pa.Table) -> None:
        for check in checks:
            check.window(window)
    return feed


def _together(docs: Table | None, paras: Table | None, tables: Tables, report: Report) -> bool:
    """Run every check of :func:`run` into ``report``, the others fed by the reads of the offsets check; return
    False (having added nothing) when the offsets are not checked.

    A table out of doc_id order is read again by each check fed by it (they then judge it as :func:`run`
    does alone).
    """
    if not _spanned(docs, paras):
        return False
    assert docs is not None and paras is not None
    limit = report.limit
    defects = [TextDefects(table, name, limit) for table, name in _defect_columns(tables)]
    repeats = _ByDocument(paras, ["doc_id", "text"], _duplicates_in, limit)
    order = _ByDocument(paras, _ORDER_KEYS, _disorder_in, limit) if _orderable(paras) else None
    on_docs = [d for d in defects if d.table is docs]
    texts = _Texts()
    on_paras: list[TextDefects | _ByDocument | _Texts] = [texts, repeats] + ([order] if order is not None else [])
    span = SpanTable(paras, "text", "paragraph-offset", also=("para_no",) if order is not None else (), seen=_feeding(on_paras))
    spans = judge_span_tables(docs, [span], limit, doc_columns=[d.name for d in on_docs], seen_docs=_feeding(on_docs))
    for checks, seen in ((on_docs, spans.docs_seen), (on_paras[1:], spans.seen[0])):
        if not seen:
            for check in checks:
                check.read()
    # A paragraph equal to its slice of a document text without defects has none either (the defects are
    # found by unanchored patterns): when every paragraph text is such a slice, they are not searched again.
    clean_docs = spans.docs_seen and all(d.total == 0 for d in on_docs if d.name == "text")
    if not (clean_docs and spans.seen[0] and spans.matched[0] == texts.rows):
        for d in defects:
            if d.table is paras:
                d.read()
    for d in defects:
        d.report(report)
    repeats.report(report, "duplicate-paragraph", "text")
    if order is not None:
        order.report(report, "paragraph-order", "char_start")
    spans.report(report)
    return True
