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
number them, so a CSV package is judged as its Parquet twin is. Slicing texts by code point offsets is done on the raw UTF-8 buffers: the byte
position of every code point of a batch of documents is found with numpy, and the paragraph slices are cut
out with one Arrow list-view, so no Python loop runs over rows and memory stays bounded by the batch.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dpcheck.plugins import SourceError, Table, Tables, duplicates, flag, report_duplicates, show, values_at
from dpcheck.report import Report

#: The finding codes of ``corpack.corpus``, with what each means.
CODES: dict[str, str] = {
    "paragraph-offset": "a paragraph's offsets are out of range, or its text is not documents.text[start:end]",
    "paragraph-order": "a document's paragraphs, taken by para_no, overlap or run backwards",
    "text-defect": "text holds U+FFFD, a control character other than newline, or an HTML tag remnant",
    "duplicate-paragraph": "a paragraph's text repeats an earlier paragraph of the same document exactly",
}

_BATCH_BYTES = 8 << 20  # document text sliced per batch; bounds the per-code-point index arrays
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
    """Report values of a text column holding U+FFFD, a control character other than newline, or a tag remnant."""
    col = table.column(name)
    # One pass for all defects first: a clean column (the usual case) is scanned once.
    if not pc.any(pc.match_substring_regex(col, "|".join(f"(?:{p})" for p in _DEFECTS.values()))).as_py():
        return
    for defect, pattern in _DEFECTS.items():
        hits = pc.indices_nonzero(pc.fill_null(pc.match_substring_regex(col, pattern), False))
        if len(hits) == 0:
            continue
        first = hits.slice(0, report.limit).to_pylist()
        messages: list[str] = []
        offsets: list[int | None] = []
        for value in values_at(col, first):
            match = re.search(pattern, value)  # the same pattern, to say where in the few rows shown
            if match is None:
                messages.append(f"text holds a {defect}")
                offsets.append(None)
                continue
            found = f"U+{ord(match.group()):04X}" if len(match.group()) == 1 else show(match.group())
            messages.append(f"{defect} {found} at character {match.start()}")
            offsets.append(match.start())
        report.add_rows("text-defect", messages, resource=table.name, file=table.file, field=name,
                        rows=[table.row_of(i) for i in first], total=len(hits), offsets=offsets)


def check_duplicates(paras: Table, report: Report) -> None:
    """Report paragraphs whose text repeats an earlier paragraph of the same document."""
    table = paras.table(["doc_id", "text"])
    table = table.filter(pc.and_(pc.is_valid(table.column("doc_id")), pc.is_valid(table.column("text"))))
    rows, first_rows = duplicates(table, ["doc_id", "text"])
    text = paras.column("text")

    def what(shown: list[int]) -> list[str]:
        return [f"paragraph text {show(v, 40)}" for v in values_at(text, [r - paras.first_row for r in shown])]

    report_duplicates(report, "duplicate-paragraph", paras, "text", rows, first_rows, what)


def check_order(paras: Table, report: Report) -> None:
    """Report paragraphs that start before the previous paragraph (by para_no) of their document ends."""
    keys = ["doc_id", "para_no", "char_start", "char_end"]
    table = paras.table(keys)
    complete = pc.is_valid(table.column(keys[0]))
    for key in keys[1:]:
        complete = pc.and_(complete, pc.is_valid(table.column(key)))
    table = table.filter(complete).sort_by([("doc_id", "ascending"), ("para_no", "ascending"), ("__row", "ascending")])
    n = table.num_rows
    if n < 2:
        return
    doc, start, end = table.column("doc_id"), table.column("char_start"), table.column("char_end")
    same_doc = pc.equal(doc.slice(1), doc.slice(0, n - 1))
    bad = pc.and_(same_doc, pc.less(start.slice(1), end.slice(0, n - 1)))
    later = table.slice(1)
    earlier = table.slice(0, n - 1)

    def describe(positions: list[int]) -> list[str]:
        now, before = later.take(positions).to_pylist(), earlier.take(positions).to_pylist()
        return [
            f"paragraph {a['para_no']} starts at {a['char_start']}, before paragraph {b['para_no']} "
            f"(row {b['__row']}) ends at {b['char_end']}: paragraphs overlap or are out of order"
            for a, b in zip(now, before)
        ]

    flag(report, "paragraph-order", bad, paras, "char_start", describe, rows=later.column("__row"))


def _slice(texts: pa.Array, doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> pa.Array:
    """Return ``texts[doc[i]][start[i]:end[i]]`` (code points) for every i, as a large_string array.

    ``texts`` is one string or large_string array; every slice must lie inside its text.

    Raises:
        SourceError: when the texts are not valid UTF-8, so code points cannot be counted.
    """
    offset_type = np.int64 if pa.types.is_large_string(texts.type) else np.int32
    buffers = texts.buffers()
    offsets = np.frombuffer(buffers[1], dtype=offset_type)[texts.offset : texts.offset + len(texts) + 1].astype(np.int64)
    data = np.frombuffer(buffers[2], dtype=np.uint8) if buffers[2] is not None else np.empty(0, np.uint8)
    lo, hi = int(offsets[0]), int(offsets[-1])
    # Byte position of every code point of the batch (UTF-8 continuation bytes are 10xxxxxx), then the end.
    lead = np.append(np.flatnonzero((data[lo:hi] & 0xC0) != 0x80) + lo, hi)
    n_chars = pc.fill_null(pc.utf8_length(texts), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    if len(lead) - 1 != n_chars.sum():
        raise SourceError("documents.text is not valid UTF-8")
    base = np.concatenate([[0], np.cumsum(n_chars)[:-1]])
    byte_start = lead[base[doc] + start]
    byte_end = lead[base[doc] + end]
    values = pa.Array.from_buffers(pa.uint8(), len(data), [None, buffers[2]])
    views = pa.LargeListViewArray.from_arrays(pa.array(byte_start), pa.array(byte_end - byte_start), values)
    flat = pc.list_flatten(views)
    out_offsets = np.concatenate([[0], np.cumsum(byte_end - byte_start)]).astype(np.int64)
    data_buffer = flat.buffers()[1].slice(flat.offset) if len(flat) else pa.py_buffer(b"")
    return pa.Array.from_buffers(pa.large_string(), len(doc), [None, pa.py_buffer(out_offsets), data_buffer])


def check_offsets(docs: Table, paras: Table, report: Report) -> None:
    """Report paragraphs whose offsets do not fit their document, or whose text is not the slice they name."""
    check_spans(docs, paras, report, text_column="text", code="paragraph-offset")


def check_spans(docs: Table, spans: Table, report: Report, *, text_column: str, code: str) -> None:
    """Report rows of ``spans`` whose ``char_start``/``char_end`` do not fit their document's text (code
    points, ``0 <= start < end <= len``) or whose ``text_column`` is not ``documents.text[start:end]``.

    Rows whose doc_id is not in ``docs`` are skipped (a foreign key reports them). Both kinds of finding
    get ``code``: out-of-range ones on field ``char_start``, mismatches on ``text_column``.
    """
    spans.prefetch(["doc_id", "char_start", "char_end", text_column])  # one pass over a CSV file
    doc_table = docs.table(["doc_id", "text"]).drop_columns(["text"])
    # One row per document id (the first), numbered 0..n-1 for looking texts up.
    firsts = doc_table.group_by("doc_id").aggregate([("__row", "min")]).sort_by("__row_min")
    doc_rows = pc.subtract(firsts.column("__row_min"), docs.first_row)
    lookup = pa.table({"doc_id": firsts.column("doc_id"), "__doc": pa.array(np.arange(firsts.num_rows, dtype=np.int64))})
    child = spans.table(["doc_id"])
    if child.column("doc_id").type != lookup.column("doc_id").type:
        child = child.set_column(0, "doc_id", pc.cast(child.column("doc_id"), lookup.column("doc_id").type))
    joined = child.join(lookup, keys="doc_id", join_type="inner").sort_by("__row")
    rows = joined.column("__row")
    positions = pc.subtract(rows, spans.first_row)
    doc = joined.column("__doc").to_numpy()
    doc_text = docs.column("text").take(doc_rows)
    doc_len = pc.utf8_length(doc_text).take(pa.array(doc))
    start, end = spans.column("char_start").take(positions), spans.column("char_end").take(positions)
    text = spans.column(text_column).take(positions)
    usable = pc.and_(pc.and_(pc.is_valid(start), pc.is_valid(end)), pc.and_(pc.is_valid(doc_len), pc.is_valid(text)))
    fits = pc.and_(pc.and_(pc.greater_equal(start, 0), pc.less(start, end)), pc.less_equal(end, doc_len))

    def out_of_range(shown: list[int]) -> list[str]:
        triples = zip(values_at(start, shown), values_at(end, shown), values_at(doc_len, shown))
        return [f"offsets [{s}, {e}) do not fit its document's text of {n} characters" for s, e, n in triples]

    flag(report, code, pc.and_(usable, pc.invert(fits)), spans, "char_start", out_of_range, rows=rows)
    good = np.flatnonzero(pc.fill_null(pc.and_(usable, fits), False).to_numpy(zero_copy_only=False))
    mismatched = _mismatches(doc_text, doc[good], start, end, text, good)
    if len(mismatched) == 0:
        return
    shown = mismatched[: report.limit].tolist()
    messages = []
    for i in shown:
        s, e = start[i].as_py(), end[i].as_py()
        actual = doc_text[int(doc[i])].as_py()[s:e]
        messages.append(f"{text_column} is not documents.text[{s}:{e}]: {difference(text[i].as_py(), actual)}")
    report.add_rows(code, messages, resource=spans.name, file=spans.file, field=text_column,
                    rows=rows.take(shown).to_pylist(), total=len(mismatched))


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


def _mismatches(doc_text: pa.ChunkedArray, doc: np.ndarray, start: pa.ChunkedArray, end: pa.ChunkedArray,
                text: pa.ChunkedArray, positions: np.ndarray) -> np.ndarray:
    """Return (sorted) the positions whose text differs from its document slice, in document batches."""
    if len(positions) == 0:
        return positions
    if not pa.types.is_large_string(doc_text.type):
        doc_text = doc_text.cast(pa.large_string()) if not pa.types.is_string(doc_text.type) else doc_text
    order = np.argsort(doc, kind="stable")
    doc, positions = doc[order], positions[order]
    sizes = pc.fill_null(pc.binary_length(doc_text), 0).to_numpy(zero_copy_only=False).astype(np.int64)
    ends = np.cumsum(sizes)
    bad: list[np.ndarray] = []
    lo = 0
    while lo < len(doc_text):
        hi = max(int(np.searchsorted(ends, ends[lo] - sizes[lo] + _BATCH_BYTES, side="right")), lo + 1)
        a, b = np.searchsorted(doc, lo), np.searchsorted(doc, hi)
        if b > a:
            pos = pa.array(positions[a:b])
            batch = doc_text.slice(lo, hi - lo).combine_chunks()
            s = start.take(pos).to_numpy().astype(np.int64)
            e = end.take(pos).to_numpy().astype(np.int64)
            sliced = _slice(batch, doc[a:b] - lo, s, e)
            same = pc.equal(sliced, pc.cast(text.take(pos), pa.large_string()))
            bad.append(positions[a:b][~pc.fill_null(same, False).to_numpy(zero_copy_only=False)])
        lo = hi
    return np.sort(np.concatenate(bad)) if bad else np.empty(0, np.int64)


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
