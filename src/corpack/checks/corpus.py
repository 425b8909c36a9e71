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
one document's rows, not a column; offsets are checked against the texts by :mod:`corpack.checks.spans`.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from corpack.checks.spans import check_spans
from corpack.checks.windows import Found, batches, by_document
from dpcheck.plugins import Table, Tables, duplicates, show, values_at
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


def check_text_defects(table: Table, name: str, report: Report) -> None:
    """Report values of a text column holding U+FFFD, a control character other than newline, or a tag remnant.

    The column is read batch by batch; each defect's first rows are reported in row order, one defect after
    the other.
    """
    found = {defect: Found(report.limit) for defect in _DEFECTS}
    anything = "|".join(f"(?:{p})" for p in _DEFECTS.values())
    for batch in batches(table, [name]):
        col = batch.table.column(name)
        # One pass for all defects first: a clean batch (the usual case) is scanned once.
        if not pc.any(pc.match_substring_regex(col, anything)).as_py():
            continue
        for defect, pattern in _DEFECTS.items():
            hits = pc.indices_nonzero(pc.fill_null(pc.match_substring_regex(col, pattern), False))
            first = hits.slice(0, found[defect].room).to_pylist()
            found[defect].total += len(hits)
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
            found[defect].keep([batch.first_row + i for i in first], messages, offsets)
    for defect in _DEFECTS:
        found[defect].report(report, "text-defect", table, name)


def check_duplicates(paras: Table, report: Report) -> None:
    """Report paragraphs whose text repeats an earlier paragraph of the same document."""

    def check(window: pa.Table, found: list[Found]) -> None:
        table = window.filter(pc.and_(pc.is_valid(window.column("doc_id")), pc.is_valid(window.column("text"))))
        rows, first_rows = duplicates(table, ["doc_id", "text"])
        first_row = window.column("__row")[0].as_py() if window.num_rows else 0  # (a window's rows are consecutive)
        shown = rows[: found[0].room].tolist()
        texts = values_at(window.column("text"), [r - first_row for r in shown])
        found[0].total += len(rows)
        found[0].keep(shown, [f"paragraph text {show(v, 40)} repeats row {first}" for v, first in zip(texts, first_rows.tolist())])

    [found] = by_document(paras, ["doc_id", "text"], check, 1, report.limit)
    found.report(report, "duplicate-paragraph", paras, "text")


def check_order(paras: Table, report: Report) -> None:
    """Report paragraphs that start before the previous paragraph (by para_no) of their document ends."""
    keys = ["doc_id", "para_no", "char_start", "char_end"]

    def check(window: pa.Table, found: list[Found]) -> None:
        complete = pc.is_valid(window.column(keys[0]))
        for key in keys[1:]:
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

    [found] = by_document(paras, keys, check, 1, report.limit)
    found.report(report, "paragraph-order", paras, "char_start")


def check_offsets(docs: Table, paras: Table, report: Report) -> None:
    """Report paragraphs whose offsets do not fit their document, or whose text is not the slice they name."""
    check_spans(docs, paras, report, text_column="text", code="paragraph-offset")


def run(tables: Tables, report: Report) -> None:
    """Run the corpus checks that the package's ``documents`` and ``paragraphs`` tables allow.

    Raises:
        SourceError: when a column cannot be read.
    """
    docs, paras = tables.get("documents"), tables.get("paragraphs")
    for resource, name in _TEXT_COLUMNS:
        table = tables.get(resource)
        if table is not None and has_columns(table, **{name: "text"}):
            check_text_defects(table, name, report)
    if has_columns(paras, doc_id="text", text="text"):
        check_duplicates(paras, report)
    if has_columns(paras, doc_id="text", para_no="int", char_start="int", char_end="int"):
        check_order(paras, report)
    if has_columns(docs, doc_id="text", text="text") and has_columns(paras, doc_id="text", text="text", char_start="int", char_end="int"):
        check_offsets(docs, paras, report)
