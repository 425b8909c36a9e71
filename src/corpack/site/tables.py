"""Resource pages: each resource in pages of at most ``page_rows`` rows, linked by a pager.

Why pre-rendered pages and not one page reading Parquet in the browser: the site must open from disk
(``file://``), where a page may not ``fetch`` its neighbours, so a browser-side reader would need the whole
table inlined into the page. A page costs the browser one page of rows whatever the table's size. Its rows are
held once, as text (:func:`corpack.site.search.page_text`: a line a row, cells tab-separated, readable with
scripts off); ``rows.js``, run while the page loads, builds the ``<table>`` from them (languages, links to
documents and marks, empty cells), and ``table.js`` filters and sorts it. A row's page and place are known at
build time, so a document's facts link straight to their rows (``#r<place>``).
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpack.site import columns as col
from corpack.site.model import Resource, page_name
from corpack.site.search import page_text

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


def document_pages(doc_ids: pa.Array | pa.ChunkedArray) -> pa.Array:
    """:func:`corpack.site.model.page_name` of every doc_id, computed once per distinct value."""
    values = col.flat(col.text(doc_ids))
    unique = pc.unique(values)
    names = pa.array([page_name(v or "") for v in unique.to_pylist()], pa.large_string())
    return pc.take(names, pc.index_in(values, unique))


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
                   numbers: range | None = None, offset: int = 0, links: bool = False) -> Iterator[tuple[str, str, str, bytes, str]]:
    """The pages of ``resource``: ``(path from the site root, page title, body HTML before the rows, the rows, body
    HTML after them)`` for each; the rows are bytes, as :func:`corpack.site.search.page_text` writes them.

    Args:
        resource: the resource.
        rows: its rows' data (:func:`corpack.site.search.row_data`), from row ``offset`` on.
        page_rows: rows per page.
        search: the attributes that point the filter at the resource's search index (a resource of more than one
            page, see :mod:`corpack.site.search`), or ``''``.
        numbers: which pages (from 1; default all), whose rows ``rows`` must hold.
        offset: the resource's row that is the first of ``rows``.
        links: whether each row ends with its document page (a resource with a ``doc_id``).
    """
    pages = page_count(resource, page_rows)
    heads = "".join(_th(spec) for spec in resource.fields)
    names = "\t".join([*(spec["name"] for spec in resource.fields), *(["document page"] if links else [])])
    total = resource.num_rows
    for number in numbers if numbers is not None else range(1, pages + 1):
        first, stop = (number - 1) * page_rows, min(number * page_rows, total)
        count = stop - first
        span = f"rows {first + 1}–{stop} of {total}" if total else "no rows"
        title = resource.name if pages == 1 else f"{resource.name} (page {number} of {pages})"
        pager = _pager(resource.name, number, pages)
        scope = f"all {total} rows" if pages > 1 else "all rows"
        before = (
            f"<h1>{escape(title)}</h1><p>{escape(resource.description)}</p>"
            f'<p class="muted">{span}; primary key {escape(", ".join(resource.primary_key) or "none")}. '
            "Hover a column name for its description; the buttons sort.</p>"
            f'{pager}<div class="controls"><label for="filter">Filter {scope}</label>'
            '<input id="filter" type="search" aria-controls="rows" autocomplete="off" placeholder="words, all must match">'
            f'<span id="shown" role="status" aria-live="polite">{count} of {count} rows shown</span></div>'
            f'<div class="scroll"><table id="rows" hidden data-first="{first}"{" data-links" if links else ""}{search}>'
            f'<caption class="muted">{escape(resource.name)}: {span}</caption>'
            f"<thead><tr>{heads}</tr></thead><tbody></tbody></table></div>"
            f'<pre class="rows" id="data">{escape(names)}\n'
        )
        after = f'</pre><script src="../assets/rows.js"></script>{pager}'
        yield page_file(resource.name, number), title, before, page_text(rows, first - offset, stop - offset) if count else b"", after


def _th(spec: dict[str, Any]) -> str:
    kind = ' data-type="number"' if spec.get("type") in _NUMERIC else ""
    described = f' title="{escape(str(spec["description"]))}"' if spec.get("description") else ""
    return f'<th scope="col"{kind}{described}><button type="button">{escape(spec["name"])}</button></th>'
