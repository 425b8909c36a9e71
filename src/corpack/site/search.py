"""A resource's rows as data: one line of text per row, held once in its page and in its search index.

A row is its cells as the pages show them (cut at :data:`~corpack.site.tables.CELL_CHARS`, control characters as
spaces, null as ``''``) separated by tabs (:data:`CELL`), then, for a resource with a ``doc_id``, the file of the
row's document page from ``documents/`` (a fact's with ``#m<key>``, its mark), and ended by a line break
(:data:`ROW`). The row text is
built once per block of rows (:func:`row_data`, Arrow), then each page and search chunk is a slice of its bytes:

- a resource page holds its rows in ``<pre id="data">``, HTML-escaped: a table a person can read with scripts
  off, which ``rows.js`` turns into the page's ``<table>`` while it loads;
- a resource of several pages also has a **search index**, scripts of :data:`INDEX_ROWS` rows,
  ``search/<resource>-<n>.js``, each a call ``corpackRows("statistics", 3, `<row><row>...`)`` with the same rows
  in a template literal (which may hold line breaks; backslash, backquote and ``${`` escaped).

Why scripts: a page opened from disk (``file://``) may not ``fetch`` the files beside it in Chromium, but it may
run a ``<script src>`` from its own site, which the pages' Content-Security-Policy (``script-src 'self'``) allows.
``table.js`` adds a chunk only when a filter or a sort needs the rows beyond the page, scans the chunks in order
and shows the first matches as soon as they are found, so the first results come after one chunk whatever the
table's size. Before, every row was a ``<tr>`` of ``<td>`` cells with their languages and links, and the index a
second rendering of it: three times the bytes, twice the work.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html import escape

import pyarrow as pa
import pyarrow.compute as pc

from corpack.site import columns as col
from corpack.site.model import Resource

#: Rows per chunk of a search index (about 1 to 3 MB of script for the bundled tables' shapes).
INDEX_ROWS = 20_000
#: After each row and between the cells of a row (control characters, which cells never hold: see :func:`_cell`).
ROW, CELL = "\n", "\t"


def chunk_count(resource: Resource, index_rows: int = INDEX_ROWS) -> int:
    """How many chunks the index of ``resource`` has."""
    return max(1, -(-resource.num_rows // index_rows))


def chunk_file(name: str, number: int) -> str:
    """A chunk's path from the site root (``number`` from 0)."""
    return f"search/{name}-{number}.js"


def table_attributes(resource: Resource, page_rows: int, index_rows: int = INDEX_ROWS) -> str:
    """The attributes of a resource page's ``<table>`` that tell ``table.js`` where the index is."""
    return (f' data-resource="{escape(resource.name)}" data-rows="{resource.num_rows}" data-page-rows="{page_rows}"'
            f' data-chunks="{chunk_count(resource, index_rows)}" data-chunk-rows="{index_rows}"')


def _cell(strings: pa.Array) -> pa.Array:
    """Each string with its control characters (line breaks, the separators) as spaces."""
    if col.holds_any(strings, bytes(range(32))):
        return pc.replace_substring_regex(strings, r"[\x00-\x1f]", " ")
    return strings


def row_data(resource: Resource, shown: dict[str, pa.Array], links: pa.Array | None, jobs: int = 1) -> col.Strings:
    """Every row of ``resource`` as one line of data (see the module's description), in row order.

    Args:
        resource: the resource (or a block of its rows).
        shown: each column's cell text (:func:`corpack.site.columns.shown`).
        links: each row's document page from ``documents/`` (with the fact's mark), for a resource with a
            ``doc_id``; None for one without.
        jobs: threads computing columns side by side.
    """
    parts: list[pa.Array | str] = []
    for cells in col.parallel(lambda spec: _cell(shown[spec["name"]]), resource.fields, jobs):
        parts += [cells, CELL]
    if links is not None:
        parts.append(_cell(links))
    elif parts:
        parts.pop()
    parts.append(ROW)
    if len(parts) == 1:  # no field at all: an empty line per row
        parts.insert(0, pa.array([""] * resource.num_rows, pa.large_string()))
    return col.Strings.of(col.join_rows(parts, jobs))


# Escapes, in the order they are made: HTML text (a page's <pre>), and a JavaScript template literal (an index chunk).
_HTML = ((b"&", b"&amp;"), (b"<", b"&lt;"), (b">", b"&gt;"))
_TEMPLATE = ((b"\\", b"\\\\"), (b"`", b"\\`"), (b"${", b"\\${"))


def _escaped(data: bytes, escapes: tuple[tuple[bytes, bytes], ...]) -> bytes:
    """``data`` with each ``(old, new)`` of ``escapes`` replaced in turn (no copy where ``old`` is absent)."""
    for old, new in escapes:
        if old in data:
            data = data.replace(old, new)
    return data


def page_text(rows: col.Strings, start: int, stop: int) -> bytes:
    """Rows ``start`` to ``stop`` as a page's ``<pre>`` holds them: HTML-escaped, a line each, cells tab-separated."""
    return _escaped(rows.raw(start, stop), _HTML)


def index_chunks(name: str, rows: col.Strings, total: int, index_rows: int = INDEX_ROWS,
                 first: int = 0) -> Iterator[tuple[str, bytes]]:
    """The chunks of a resource's search index that ``rows`` holds: ``(path from the site root, bytes)``.

    Args:
        name: the resource's name.
        rows: its rows from row ``first * index_rows`` on (:func:`row_data`).
        total: how many of ``rows`` to index.
        index_rows: rows per chunk.
        first: the number of the first chunk (``rows`` may be a block of the whole, starting at a chunk).
    """
    literal = json.dumps(name)
    for number in range(max(1, -(-total // index_rows))):
        start, stop = number * index_rows, min((number + 1) * index_rows, total)
        body = _escaped(rows.raw(start, stop), _TEMPLATE) if stop > start else b""
        yield chunk_file(name, first + number), f"corpackRows({literal}, {first + number}, `".encode() + body + b"`);\n"
