"""The search index of a resource of several pages: its rows' cells in scripts of :data:`INDEX_ROWS` rows.

Why scripts: a page opened from disk (``file://``) may not ``fetch`` the files beside it in Chromium, but it may
run a ``<script src>`` from its own site, which the pages' Content-Security-Policy (``script-src 'self'``) allows.
So each chunk is a small JavaScript file, ``search/<resource>-<n>.js``, that hands its rows to the page:

    corpackRows("statistics", 3, [["r-<anchor>", "cell", null, ...], ...]);

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


def _json_pieces(strings: pa.Array) -> list[pa.Array | str]:
    """The pieces that write each string as a JSON string literal, null as ``null``."""
    out = strings
    if col.holds_any(strings, b'\\"' + bytes(range(32))):
        out = pc.replace_substring(out, "\\", "\\\\")
        out = pc.replace_substring(out, '"', '\\"')
        out = pc.replace_substring(out, "\n", "\\n")
        out = pc.replace_substring(out, "\r", "\\r")
        out = pc.replace_substring(out, "\t", "\\t")
        out = pc.replace_substring_regex(out, r"[\x00-\x1f]", " ")
    return [col.when_null(strings, "null", '"'), out, col.when_null(strings, "", '"')]


def index_chunks(resource: Resource, anchors: pa.Array, shown: dict[str, pa.Array], index_rows: int = INDEX_ROWS,
                 jobs: int = 1) -> Iterator[tuple[str, bytes]]:
    """The chunks of ``resource``'s index: ``(path from the site root, bytes)``.

    Args:
        resource: the resource (its rows in page order).
        anchors: each row's ``id`` in its page.
        shown: each column's cell text (:func:`corpack.site.columns.shown`).
        index_rows: rows per chunk.
        jobs: threads computing columns side by side.
    """
    parts: list[pa.Array | str] = ['["', anchors, '"']
    for pieces in col.parallel(lambda spec: _json_pieces(shown[spec["name"]]), resource.fields, jobs):
        parts += [",", *pieces]
    parts.append("],\n")
    rows = col.Strings.of(col.join_rows(parts, jobs))
    name = json.dumps(resource.name)
    for number in range(chunk_count(resource, index_rows)):
        start, stop = number * index_rows, min((number + 1) * index_rows, resource.num_rows)
        body = rows.slice(start, stop) if stop > start else ""
        yield chunk_file(resource.name, number), f"corpackRows({name}, {number}, [\n{body}]);\n".encode("utf-8")
