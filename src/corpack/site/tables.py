"""Resource pages: each resource as static HTML tables of at most ``page_rows`` rows, linked by a pager.

Why pre-rendered pages and not one page reading Parquet in the browser: the site must open from disk
(``file://``), where a page may not ``fetch`` its neighbours, so a browser-side reader would need the whole
table inlined into the page. Pre-rendered pages cost the browser one page of rows whatever the table's size,
need no script to show data (the filter and sort in ``table.js`` are an extra and work within the page), and
are built in one pass. A row's page is known at build time, so a document's facts link straight to their rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpack.site import columns as col
from corpack.site.model import Resource, page_name

#: Rows per page of a resource's table.
PAGE_ROWS = 1000
#: Longer strings are cut in table cells (the document page shows the whole text).
CELL_CHARS = 160
_NUMERIC = {"integer", "number", "year"}


def page_count(resource: Resource, page_rows: int = PAGE_ROWS) -> int:
    """How many table pages ``resource`` takes (at least one)."""
    return max(1, -(-resource.num_rows // page_rows))


def page_file(name: str, number: int) -> str:
    """A resource page's path from the site root: ``resources/<name>.html``, then ``<name>-2.html``, ..."""
    return f"resources/{name}.html" if number == 1 else f"resources/{name}-{number}.html"


def page_files(name: str, rows: np.ndarray, page_rows: int = PAGE_ROWS) -> pa.Array:
    """The page file (``<name>.html``, ``<name>-2.html``, ...) of each of the given row numbers (from 0)."""
    number = np.asarray(rows, dtype=np.int64) // page_rows + 1
    files = col.join(f"{name}-", pa.array(number).cast(pa.large_string()), ".html")
    return pc.if_else(pa.array(number == 1), f"{name}.html", files).cast(pa.large_string())


def document_pages(doc_ids: pa.Array | pa.ChunkedArray) -> pa.Array:
    """:func:`corpack.site.model.page_name` of every doc_id, computed once per distinct value."""
    values = col.flat(col.text(doc_ids))
    unique = pc.unique(values)
    names = pa.array([page_name(v or "") for v in unique.to_pylist()], pa.large_string())
    return pc.take(names, pc.index_in(values, unique))


def _cells(resource: Resource, spec: dict[str, Any], shown: pa.Array, quote_links: pa.Array | None) -> list[pa.Array | str]:
    """The pieces that make the ``<td>`` of every row for the field ``spec`` (joined with every other column's
    in one pass by :func:`row_html`)."""
    name = spec["name"]
    if spec.get("type") in _NUMERIC and not pa.types.is_boolean(resource.table.schema.field(name).type):
        kind = resource.table.schema.field(name).type
        number = shown if pa.types.is_integer(kind) or pa.types.is_floating(kind) else col.escape(shown)
        return [col.when_null(shown, '<td class="null"', '<td class="n"'), ">", number, "</td>"]
    html = col.escape(shown)
    lang = col.lang_attr(shown)
    if name == "doc_id" or (name == "quote" and quote_links is not None):
        if name == "doc_id":
            href = col.escape(document_pages(resource.table.column(name)))
            linked = col.join('<td><a href="../documents/', href, '">', html, "</a></td>")
        else:
            linked = col.join("<td", lang, '><a href="', col.escape(quote_links), '">', html, "</a></td>")
        return [pc.if_else(pc.is_null(shown), '<td class="null"></td>', linked)] if shown.null_count else [linked]
    return [col.when_null(shown, '<td class="null"', "<td"), lang, ">", html, "</td>"]


def row_html(resource: Resource, anchors: pa.Array, shown: dict[str, pa.Array], quote_links: pa.Array | None = None,
             jobs: int = 1) -> col.Strings:
    """Every row of ``resource`` as ``<tr id="r-<key>">...</tr>``, in row order.

    Args:
        resource: the resource.
        anchors: each row's ``id``: ``r<n>``, ``n`` its place in the resource from 0 (the page is known from it too).
        shown: each column's cell text (:func:`corpack.site.columns.shown`).
        quote_links: for a fact resource, each row's link from ``resources/`` to its mark in its document page.
        jobs: threads computing columns side by side.
    """
    parts: list[pa.Array | str] = ['<tr id="', anchors, '">']
    for pieces in col.parallel(lambda spec: _cells(resource, spec, shown[spec["name"]], quote_links), resource.fields, jobs):
        parts += pieces
    parts.append("</tr>")
    return col.Strings.of(col.join_rows(parts, jobs))


def _pager(name: str, number: int, pages: int) -> str:
    if pages == 1:
        return ""
    shown = {1, pages, *range(max(1, number - 3), min(pages, number + 3) + 1), *range(50, pages + 1, 50)}
    links = []
    for n in sorted(shown):
        current = ' aria-current="page"' if n == number else ""
        links.append(f'<li><a href="{escape(page_file(name, n)[len("resources/"):])}"{current}>{n}</a></li>')
    return f'<nav aria-label="Pages of {escape(name)}"><ul class="pager">{"".join(links)}</ul></nav>'


def resource_pages(resource: Resource, rows: col.Strings, page_rows: int = PAGE_ROWS, search: str = "",
                   numbers: range | None = None, offset: int = 0) -> Iterator[tuple[str, str, str]]:
    """The pages of ``resource``: ``(path from the site root, page title, body HTML)`` for each.

    Args:
        resource: the resource.
        rows: its rows' HTML (:func:`row_html`), from row ``offset`` on.
        page_rows: rows per page.
        search: the attributes that point the filter at the resource's search index (a resource of more than one
            page, see :mod:`corpack.site.search`), or ``''``.
        numbers: which pages (from 1; default all), whose rows ``rows`` must hold.
        offset: the resource's row that is the first of ``rows``.
    """
    pages = page_count(resource, page_rows)
    heads = "".join(_th(spec) for spec in resource.fields)
    total = resource.num_rows
    for number in numbers if numbers is not None else range(1, pages + 1):
        first, stop = (number - 1) * page_rows, min(number * page_rows, total)
        count = stop - first
        span = f"rows {first + 1}–{stop} of {total}" if total else "no rows"
        title = resource.name if pages == 1 else f"{resource.name} (page {number} of {pages})"
        pager = _pager(resource.name, number, pages)
        scope = f"all {total} rows" if pages > 1 else "all rows"
        body = (
            f"<h1>{escape(title)}</h1><p>{escape(resource.description)}</p>"
            f'<p class="muted">{span}; primary key {escape(", ".join(resource.primary_key) or "none")}. '
            "Hover a column name for its description; the buttons sort.</p>"
            f'{pager}<div class="controls"><label for="filter">Filter {scope}</label>'
            '<input id="filter" type="search" aria-controls="rows" autocomplete="off" placeholder="words, all must match">'
            f'<span id="shown" role="status" aria-live="polite">{count} of {count} rows shown</span></div>'
            f'<div class="scroll"><table id="rows"{search}><caption class="muted">{escape(resource.name)}: {span}</caption>'
            f"<thead><tr>{heads}</tr></thead><tbody>{rows.slice(first - offset, stop - offset) if count else ''}</tbody></table></div>{pager}"
        )
        yield page_file(resource.name, number), title, body


def _th(spec: dict[str, Any]) -> str:
    kind = ' data-type="number"' if spec.get("type") in _NUMERIC else ""
    described = f' title="{escape(str(spec["description"]))}"' if spec.get("description") else ""
    return f'<th scope="col"{kind}{described}><button type="button">{escape(spec["name"])}</button></th>'
