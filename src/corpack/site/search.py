"""The search index of a resource of several pages: its rows' cells in scripts of :data:`INDEX_ROWS` rows.

Why scripts: a page opened from disk (``file://``) may not ``fetch`` the files beside it in Chromium, but it may
run a ``<script src>`` from its own site, which the pages' Content-Security-Policy (``script-src 'self'``) allows.
So each chunk is a small JavaScript file, ``search/<resource>-<n>.js``, that hands its rows to the page:

    corpackRows("statistics", 3, "r-<id> US <cell> US <cell> ... RS r-<id> US ... RS");

where US and RS are the control characters U+001F and U+001E.

``table.js`` adds a chunk only when a filter or a sort needs the rows beyond the page, scans the chunks in order
and shows the first matches as soon as they are found, so the first results come after one chunk whatever the
table's size. Cells are the text the pages show (cut at :data:`~corpack.site.tables.CELL_CHARS`), so a filter
finds what the pages show.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import escape

import pyarrow as pa
import pyarrow.compute as pc

from corpack.site import columns as col
from corpack.site.model import Resource
from corpack.site.tables import PAGE_ROWS

#: Rows per chunk of a search index (about 1 to 5 MB of script for the bundled tables' shapes).
INDEX_ROWS = 20_000


def chunk_count(resource: Resource, index_rows: int = INDEX_ROWS) -> int:
    """How many chunks the index of ``resource`` has."""
    return max(1, -(-resource.num_rows // index_rows))


def chunk_file(name: str, number: int) -> str:
    """A chunk's path from the site root (``number`` from 0)."""
    return f"search/{name}-{number}.js"


def table_attributes(resource: Resource, page_rows: int = PAGE_ROWS, index_rows: int = INDEX_ROWS) -> str:
    """The attributes of a resource page's ``<table>`` that tell ``table.js`` where the index is."""
    return (f' data-resource="{escape(resource.name)}" data-rows="{resource.num_rows}" data-page-rows="{page_rows}"'
            f' data-chunks="{chunk_count(resource, index_rows)}" data-chunk-rows="{index_rows}"')


#: Between rows and between cells of a chunk (control characters, which cells never hold: see :func:`_cell`).
ROW, CELL = "\x1e", "\x1f"


def _cell(strings: pa.Array) -> pa.Array:
    """Each string as it may stand inside a JavaScript string literal between the separators: backslash and
    double quote escaped, control characters (line breaks, the separators) as spaces; null as ``''``."""
    out = strings
    if col.holds_any(strings, b'\\"' + bytes(range(32))):
        out = pc.replace_substring(out, "\\", "\\\\")
        out = pc.replace_substring(out, '"', '\\"')
        out = pc.replace_substring_regex(out, r"[\x00-\x1f]", " ")
    return out


def index_chunks(resource: Resource, anchors: pa.Array, shown: dict[str, pa.Array], index_rows: int = INDEX_ROWS,
                 jobs: int = 1, first: int = 0) -> Iterator[tuple[str, bytes]]:
    """The chunks of ``resource``'s index: ``(path from the site root, bytes)``.

    A chunk is one string literal, its rows ended by :data:`ROW`, each row its id and cells separated by
    :data:`CELL` (a null cell is empty): the browser reads one string much faster than a literal of arrays, a
    filter tests each row's text as it stands, and only the rows listed are split into cells.

    Args:
        resource: the resource (its rows in page order).
        anchors: each row's ``id`` in its page.
        shown: each column's cell text (:func:`corpack.site.columns.shown`).
        index_rows: rows per chunk.
        jobs: threads computing columns side by side.
        first: the number of the first chunk (``resource`` may be a slice of the whole, starting at a chunk).
    """
    parts: list[pa.Array | str] = [anchors]
    for cells in col.parallel(lambda spec: _cell(shown[spec["name"]]), resource.fields, jobs):
        parts += [CELL, cells]
    parts.append(ROW)
    rows = col.Strings.of(col.join_rows(parts, jobs))
    name = json.dumps(resource.name)
    for number in range(chunk_count(resource, index_rows)):
        start, stop = number * index_rows, min((number + 1) * index_rows, resource.num_rows)
        body = rows.slice(start, stop) if stop > start else ""
        yield chunk_file(resource.name, first + number), f'corpackRows({name}, {first + number}, "{body}");\n'.encode("utf-8")
