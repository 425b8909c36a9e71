"""Rows that point into a document's text by code point offsets (paragraphs, facts' quotes), checked against it.

:func:`check_spans` reads the span table and ``documents`` side by side, a few documents at a time (see
:mod:`corpack.checks.windows`), so it holds the texts of the documents in hand, not the whole column. Slicing
texts by code point offsets is done on the raw UTF-8 buffers: the byte position of every code point of a batch
of documents is found with numpy, and the slices are cut out with one Arrow list-view, so no Python loop runs
over rows.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpack.checks.windows import Found, Unsorted, doc_windows
from dpcheck.plugins import SourceError, Table, show, values_at
from dpcheck.report import Report

_BATCH_BYTES = 8 << 20  # document text sliced per batch; bounds the per-code-point index arrays


def check_spans(docs: Table, spans: Table, report: Report, *, text_column: str, code: str) -> None:
    """Report rows of ``spans`` whose ``char_start``/``char_end`` do not fit their document's text (code
    points, ``0 <= start < end <= len``) or whose ``text_column`` is not ``documents.text[start:end]``.

    Rows whose doc_id is not in ``docs`` are skipped (a foreign key reports them); a doc_id that ``docs``
    holds twice points at its first row. Both kinds of finding get ``code``: out-of-range ones on field
    ``char_start``, mismatches on ``text_column``. Both tables are read a few documents at a time when they
    are in doc_id order (as ``pkg build`` writes them), else whole.

    Raises:
        SourceError: when a column cannot be read, or documents.text is not valid UTF-8.
    """
    names = ["doc_id", "char_start", "char_end", text_column]
    found = [Found(report.limit), Found(report.limit)]  # out of range, mismatched
    try:
        texts = _Texts(doc_windows(docs, ["doc_id", "text"]))
        for window in doc_windows(spans, names):
            held = texts.covering(window.column("doc_id"))
            if held.num_rows:
                _check(held, window, text_column, found)
    except Unsorted:
        found = [Found(report.limit), Found(report.limit)]
        _check(docs.table(["doc_id", "text"]), spans.table(names), text_column, found)
        docs.release()
        spans.release()
    found[0].report(report, code, spans, "char_start")
    found[1].report(report, code, spans, text_column)


class _Texts:
    """The documents (doc_id, text) read so far, from :func:`doc_windows` of ``documents``, let go of once
    the spans have passed them."""

    def __init__(self, windows: Iterator[pa.Table]) -> None:
        self._windows = windows
        self._held: list[pa.Table] = []
        self._done = False

    def covering(self, ids: pa.ChunkedArray) -> pa.Table:
        """The documents whose doc_id lies between the smallest and largest of ``ids`` (in doc_id order),
        reading on until a later one is seen; those before the smallest are dropped."""
        known = pc.drop_null(ids)
        if len(known) == 0:
            return pa.table({"doc_id": pa.array([], pa.string()), "text": pa.array([], pa.string())})
        low, high = known[0].as_py(), known[len(known) - 1].as_py()
        while not self._done and (not self._held or self._last(self._held[-1]) < high):  # type: ignore[operator]
            window = next(self._windows, None)
            if window is None:
                self._done = True
            elif self._last(window) is not None:  # (rows without a doc_id are no one's text)
                self._held.append(window.select(["doc_id", "text"]))
        self._held = [w for w in self._held if self._last(w) >= low]  # type: ignore[operator]
        if not self._held:
            return pa.table({"doc_id": pa.array([], pa.string()), "text": pa.array([], pa.string())})
        held = pa.concat_tables(self._held)
        ids_held = held.column("doc_id")
        inside = pc.and_(pc.greater_equal(ids_held, low), pc.less_equal(ids_held, high))
        return held.filter(inside)

    @staticmethod
    def _last(window: pa.Table) -> str | None:
        known = pc.drop_null(window.column("doc_id"))
        return known[len(known) - 1].as_py() if len(known) else None


def _check(docs: pa.Table, spans: pa.Table, text_column: str, found: list[Found]) -> None:
    """Judge the rows of ``spans`` (with ``__row``) against the documents in ``docs`` (doc_id, text; the first
    row of a doc_id counts); add to ``found`` (out of range, mismatched) in row order."""
    # One row per document id (the first), numbered 0..n-1 for looking texts up.
    numbered = pa.table({"doc_id": docs.column("doc_id"), "__i": pa.array(np.arange(docs.num_rows, dtype=np.int64))})
    firsts = numbered.group_by("doc_id").aggregate([("__i", "min")]).sort_by("__i_min")
    lookup = pa.table({"doc_id": firsts.column("doc_id"), "__doc": pa.array(np.arange(firsts.num_rows, dtype=np.int64))})
    child = pa.table({"doc_id": spans.column("doc_id"), "__pos": pa.array(np.arange(spans.num_rows, dtype=np.int64))})
    if child.column("doc_id").type != lookup.column("doc_id").type:
        child = child.set_column(0, "doc_id", pc.cast(child.column("doc_id"), lookup.column("doc_id").type))
    joined = child.join(lookup, keys="doc_id", join_type="inner").sort_by("__pos")
    positions = joined.column("__pos")
    rows = spans.column("__row").take(positions)
    doc = joined.column("__doc").to_numpy()
    doc_text = docs.column("text").take(firsts.column("__i_min"))
    doc_len = pc.utf8_length(doc_text).take(pa.array(doc))
    start, end = spans.column("char_start").take(positions), spans.column("char_end").take(positions)
    text = spans.column(text_column).take(positions)
    usable = pc.and_(pc.and_(pc.is_valid(start), pc.is_valid(end)), pc.and_(pc.is_valid(doc_len), pc.is_valid(text)))
    fits = pc.and_(pc.and_(pc.greater_equal(start, 0), pc.less(start, end)), pc.less_equal(end, doc_len))

    def out_of_range(shown: list[int]) -> list[str]:
        triples = zip(values_at(start, shown), values_at(end, shown), values_at(doc_len, shown))
        return [f"offsets [{s}, {e}) do not fit its document's text of {n} characters" for s, e, n in triples]

    bad = pc.and_(usable, pc.invert(fits))
    found[0].add(pc.indices_nonzero(bad).to_numpy(), rows, out_of_range)
    good = np.flatnonzero(pc.fill_null(pc.and_(usable, fits), False).to_numpy(zero_copy_only=False))

    def mismatch(shown: list[int]) -> list[str]:
        messages = []
        for i in shown:
            s, e = start[i].as_py(), end[i].as_py()
            actual = doc_text[int(doc[i])].as_py()[s:e]
            messages.append(f"{text_column} is not documents.text[{s}:{e}]: {difference(text[i].as_py(), actual)}")
        return messages

    found[1].add(_mismatches(doc_text, doc[good], start, end, text, good), rows, mismatch)


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
