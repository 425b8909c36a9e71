"""The facts of every document, prepared once for all document pages.

Each fact resource is rendered column by column (:mod:`corpack.site.columns`): every row's mark attributes,
anchor and row of the "facts in this document" table. The rows are then put in document order once, so a
document's facts of one table are a run of consecutive rows: no page scans a whole table.

A long document is shown in parts of about :data:`PART_CHARS` characters, cut after a line break
(``documents/<doc>.html``, ``<doc>~2.html``, ...): a page of a 5 MB report with tens of thousands of marks would
take the browser minutes. A fact belongs to the part where it starts.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpack.site import columns as col
from corpack.site.model import Resource, page_name

#: A document longer than this many characters is shown in parts.
PART_CHARS = 60_000


def part_starts(text: str, limit: int = PART_CHARS) -> list[int]:
    """Where each part of ``text`` starts: 0, then the first position after a line break at least ``limit``
    characters after the previous start (text with no line break after that stays in the part)."""
    starts = [0]
    while len(text) - starts[-1] > limit:
        at = text.find("\n", starts[-1] + limit)
        if at == -1 or at + 1 >= len(text):
            break
        starts.append(at + 1)
    return starts


def part_file(name: str, part: int) -> str:
    """The file of part ``part`` (0-based) of the document whose pages are called ``name`` (``<doc>.html``)."""
    return name if part == 0 else f"{name[:-len('.html')]}~{part + 1}.html"


@dataclass(frozen=True)
class Parts:
    """Every document's parts: ``starts[d]`` the part starts of document ``d`` (in documents order)."""

    doc_ids: pa.Array
    names: list[str]
    starts: list[list[int]]
    lengths: list[int]

    @classmethod
    def of(cls, documents: Resource, limit: int | None = None) -> Parts:
        """The parts of every document of ``documents`` (``limit``: :data:`PART_CHARS`)."""
        limit = limit or PART_CHARS
        ids = col.flat(col.text(documents.table.column("doc_id")))
        names = [page_name(v or "") for v in ids.to_pylist()]
        starts: list[list[int]] = []
        lengths: list[int] = []
        for first in range(0, documents.num_rows, 1000):  # a thousand texts at a time as Python strings
            texts = documents.table.column("text").slice(first, 1000).to_pylist() if "text" in documents.names else \
                [""] * min(1000, documents.num_rows - first)
            starts += [part_starts(t or "", limit) for t in texts]
            lengths += [len(t or "") for t in texts]
        return cls(ids, names, starts, lengths)

    def locate(self, doc_ids: pa.Array, starts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For facts given by doc_id and start: each one's document number (-1: not a document) and part."""
        doc = pc.fill_null(pc.index_in(col.text(doc_ids), self.doc_ids), -1).to_numpy(zero_copy_only=False).astype(np.int64)
        lengths = np.asarray(self.lengths, dtype=np.int64) + 1
        base = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
        cuts = np.concatenate([base[d] + np.asarray(s, dtype=np.int64) for d, s in enumerate(self.starts)]) \
            if self.starts else np.zeros(0, np.int64)
        first = np.concatenate([[0], np.cumsum([len(s) for s in self.starts])[:-1]]).astype(np.int64)
        known = doc >= 0
        safe = np.where(known, doc, 0)
        offset = base[safe] + np.clip(starts, 0, lengths[safe] - 1) if len(base) else np.zeros(len(doc), np.int64)
        part = np.searchsorted(cuts, offset, side="right") - 1 - first[safe] if len(base) else offset
        return doc, np.where(known, part, 0)

    def files(self, doc: np.ndarray, part: np.ndarray) -> pa.Array:
        """The page file of each (document number, part) pair, from ``documents/``."""
        stems = pa.array([n[:-len(".html")] for n in self.names] + [""], pa.large_string())
        stem = pc.take(stems, pa.array(np.where(doc >= 0, doc, len(self.names))))
        tail = pc.if_else(pa.array(part == 0), ".html",
                          col.join("~", pa.array(part + 1).cast(pa.large_string()), ".html"))
        return col.join(stem, tail)


@dataclass(frozen=True)
class FactRows:
    """The facts of one resource in some documents, in document order, as plain buffers (no Arrow needed to read
    them, picklable for a worker process).

    ``runs[(doc, part)]`` is the range of rows of that document part; ``starts``/``ends`` the offsets, ``table``
    each fact's line of the "facts in this document" text (:func:`fact_lines`), ``names`` that text's column names,
    ``number`` the resource's place among the fact resources: the fact at row ``a + k`` of a run starting at ``a``
    has the key ``<number>-<k>`` in its page (:class:`corpack.site.highlight.Span`).
    """

    name: str
    number: int
    css: str
    names: list[str]
    page_rows: int
    starts: np.ndarray
    ends: np.ndarray
    table: col.Strings
    runs: dict[tuple[int, int], tuple[int, int]]


@dataclass(frozen=True)
class FactIndex:
    """One fact resource's rows put in document order once (positions only); :meth:`rows` renders the facts of
    any range of documents, so the document pages never need every fact's text at once."""

    resource: Resource
    number: int
    css: str
    keys: pa.Array
    order: np.ndarray  # row numbers in (document, part, row) order
    doc: np.ndarray  # each of them's document number, part, char_start and char_end
    part: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    doc_first: np.ndarray  # position in ``order`` of the first fact of each document number (and one past the last)
    page_rows: int

    def rows(self, first: int, stop: int, jobs: int = 1) -> FactRows:
        """The facts of documents ``first`` to ``stop`` (exclusive), rendered (Arrow, column by column)."""
        a, b = int(self.doc_first[first]), int(self.doc_first[stop])
        take = self.order[a:b]
        d, p = self.doc[a:b], self.part[a:b]
        runs: dict[tuple[int, int], tuple[int, int]] = {}
        if len(take):
            change = np.flatnonzero((d[1:] != d[:-1]) | (p[1:] != p[:-1])) + 1
            bounds = [0, *change.tolist(), len(take)]
            for x, y in zip(bounds, bounds[1:]):
                runs[(int(d[x]), int(p[x]))] = (x, y)
        table, keys = _rows_at(take, self.resource.table, self.keys)
        names, lines = fact_lines(dataclasses.replace(self.resource, table=table), keys, take, jobs)
        return FactRows(self.resource.name, self.number, self.css, names, self.page_rows, self.starts[a:b],
                        self.ends[a:b], col.Strings.of(lines), runs)


def _rows_at(rows: np.ndarray, *tables):
    """The given rows of each of ``tables`` (tables or arrays of one length). A batch's facts lie close together
    (a fact's key starts with its doc_id), so the span they cover is sliced first; a take from a whole chunked
    table would cost far more."""
    if not len(rows):
        return [t.slice(0, 0) for t in tables]
    low, high = int(rows.min()), int(rows.max()) + 1
    if high - low == len(rows) and (len(rows) == 1 or bool(np.all(np.diff(rows) == 1))):
        return [t.slice(low, high - low) for t in tables]
    index = pa.array(rows - low, pa.int64())
    return [t.slice(low, high - low).take(index) for t in tables]


def _offsets(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return pc.fill_null(column.cast(pa.int64()), -1).to_numpy()


def fact_lines(resource: Resource, keys: pa.Array, places: np.ndarray, jobs: int = 1) -> tuple[list[str], pa.Array]:
    """The "facts in this document" of a document page as text, as its ``<pre>`` holds them: the column names, and
    a line per fact: its row's place in the resource (``r<place>`` in its page), its key, then its cells but the
    document and offsets, tab-separated, HTML-escaped, control characters as spaces. ``rows.js`` builds the table
    from them (each row ``<tr id="f<key in the page>">``, linked to its row and to its mark)."""
    shown = [spec["name"] for spec in resource.fields
             if spec["name"] not in ("doc_id", "char_start", "char_end", *resource.primary_key)]

    def text(values: pa.Array) -> pa.Array:
        values = pc.fill_null(values, "")
        if col.holds_any(values, bytes(range(32))):
            values = pc.replace_substring_regex(values, r"[\x00-\x1f]", " ")
        return col.escape(values, quote=False)

    parts: list[pa.Array | str] = [pa.array(places, pa.int64()).cast(pa.large_string()), "\t", text(keys)]
    for cells in col.parallel(lambda name: text(col.text(resource.table.column(name))), shown, jobs):
        parts += ["\t", cells]
    parts.append("\n")
    return ["place", "row", *shown], col.join_rows(parts, jobs)


def prepare_facts(resource: Resource, number: int, parts: Parts, keys: pa.Array, css: str,
                  page_rows: int) -> tuple[FactIndex, pa.Array]:
    """Put the rows of ``resource`` in document order (:class:`FactIndex`) and link each to its mark.

    Args:
        resource: a fact resource.
        number: its place among the fact resources (the first part of its facts' keys in a page).
        parts: the documents' parts.
        keys: each row's key (:func:`corpack.site.columns.row_keys`), in table order.
        css: the class of its marks' colour.
        page_rows: rows per resource page.

    Returns:
        The index, and each row's link from ``documents/`` to its first mark (``<file>#m<key>``, in table order).
    """
    table = resource.table
    starts, ends = _offsets(table.column("char_start")), _offsets(table.column("char_end"))
    doc, part = parts.locate(table.column("doc_id"), starts)
    usable = (doc >= 0) & (starts >= 0) & (ends >= 0)
    order = np.lexsort((np.arange(len(doc)), part, doc))
    order = order[usable[order]]
    d, p = doc[order], part[order]
    rank = np.zeros(len(doc), np.int64)  # rows left out keep 0
    if len(order):
        change = np.flatnonzero((d[1:] != d[:-1]) | (p[1:] != p[:-1])) + 1
        bounds = np.asarray([0, *change.tolist(), len(order)], np.int64)
        rank[order] = np.arange(len(order), dtype=np.int64) - np.repeat(bounds[:-1], np.diff(bounds))
    facts = col.join(f"{number}-", pa.array(rank).cast(pa.large_string()))
    quote_links = col.join(parts.files(doc, part), "#m", facts)
    doc_first = np.searchsorted(d, np.arange(len(parts.names) + 1), side="left")
    index = FactIndex(resource, number, css, keys, order, d, p, starts[order], ends[order], doc_first, page_rows)
    return index, quote_links
