"""Resource pages: each resource as static HTML tables of at most ``page_rows`` rows, linked by a pager.

Why pre-rendered pages and not one page reading Parquet in the browser: the site must open from disk
(``file://``), where a page may not ``fetch`` its neighbours, so a browser-side reader would need the whole
table inlined into the page. Pre-rendered pages cost the browser one page of rows whatever the table's size,
need no script to show data (the filter and sort in ``table.js`` are an extra and work within the page), and
are built in one pass. A row's page is known at build time, so a document's facts link straight to their rows.
"""

from __future__ import annotations

from html import escape
from typing import Any

from corpack.site.model import Resource, cell, fact_anchor, has_cjk, page_name, row_anchor

#: Rows per page of a resource's table.
PAGE_ROWS = 1000
#: Longer strings are cut in table cells (the document page shows the whole text).
CELL_CHARS = 160
_NUMERIC = {"integer", "number", "year"}


def page_count(resource: Resource, page_rows: int = PAGE_ROWS) -> int:
    """How many table pages ``resource`` takes (at least one)."""
    return max(1, -(-len(resource.rows) // page_rows))


def page_file(name: str, number: int) -> str:
    """A resource page's path from the site root: ``resources/<name>.html``, then ``<name>-2.html``, ..."""
    return f"resources/{name}.html" if number == 1 else f"resources/{name}-{number}.html"


def row_links(resource: Resource, page_rows: int = PAGE_ROWS) -> dict[str, str]:
    """Each row's link from the site root (``resources/<name>-<n>.html#r-<key>``), by row key."""
    return {key: f"{page_file(resource.name, i // page_rows + 1)}#{row_anchor(key)}" for i, key in enumerate(resource.keys)}


def _td(resource: Resource, spec: dict[str, Any], row: dict[str, Any], key: str) -> str:
    name, value = spec["name"], row.get(spec["name"])
    text = cell(value)
    if value is None:
        return '<td class="null"></td>'
    if spec.get("type") in _NUMERIC and not isinstance(value, bool):
        return f'<td class="n" data-v="{escape(text)}">{escape(text)}</td>'
    shown = text if len(text) <= CELL_CHARS else text[:CELL_CHARS] + "…"
    lang = ' lang="zh"' if has_cjk(shown) else ""
    if name == "doc_id":
        return f'<td><a href="../documents/{escape(page_name(text))}">{escape(shown)}</a></td>'
    if name == "quote" and resource.is_fact:
        doc = page_name(cell(row.get("doc_id")))
        href = f"../documents/{doc}#{fact_anchor(resource.name, key)}"
        return f'<td{lang}><a href="{escape(href)}">{escape(shown)}</a></td>'
    return f"<td{lang}>{escape(shown)}</td>"


def _pager(name: str, number: int, pages: int) -> str:
    if pages == 1:
        return ""
    links = []
    for n in range(1, pages + 1):
        if n == number:
            links.append(f'<li><a href="{escape(page_file(name, n)[len("resources/"):])}" aria-current="page">{n}</a></li>')
        elif n in (1, pages) or abs(n - number) <= 3 or n % 50 == 0:
            links.append(f'<li><a href="{escape(page_file(name, n)[len("resources/"):])}">{n}</a></li>')
    return f'<nav aria-label="Pages of {escape(name)}"><ul class="pager">{"".join(links)}</ul></nav>'


def resource_pages(resource: Resource, page_rows: int = PAGE_ROWS) -> list[tuple[str, str, str]]:
    """The pages of ``resource``: ``(path from the site root, page title, body HTML)`` for each."""
    pages = page_count(resource, page_rows)
    heads = "".join(_th(spec) for spec in resource.fields)
    out = []
    for number in range(1, pages + 1):
        chunk = resource.rows[(number - 1) * page_rows: number * page_rows]
        first = (number - 1) * page_rows
        body_rows = []
        for i, row in enumerate(chunk, start=first):
            key = resource.keys[i]
            cells = "".join(_td(resource, spec, row, key) for spec in resource.fields)
            body_rows.append(f'<tr id="{row_anchor(key)}">{cells}</tr>')
        span = f"rows {first + 1}–{first + len(chunk)} of {len(resource.rows)}" if resource.rows else "no rows"
        title = resource.name if pages == 1 else f"{resource.name} (page {number} of {pages})"
        pager = _pager(resource.name, number, pages)
        scope = "this page's rows" if pages > 1 else "all rows"
        body = (
            f"<h1>{escape(title)}</h1><p>{escape(resource.description)}</p>"
            f'<p class="muted">{span}; primary key {escape(", ".join(resource.primary_key) or "none")}. '
            "Hover a column name for its description; the buttons sort.</p>"
            f'{pager}<div class="controls"><label for="filter">Filter {scope}</label>'
            '<input id="filter" type="search" aria-controls="rows" autocomplete="off" placeholder="words, all must match">'
            f'<span id="shown" role="status" aria-live="polite">{len(chunk)} of {len(chunk)} rows shown</span></div>'
            f'<div class="scroll"><table id="rows"><caption class="muted">{escape(resource.name)}: {span}</caption>'
            f"<thead><tr>{heads}</tr></thead><tbody>{''.join(body_rows)}</tbody></table></div>{pager}"
        )
        out.append((page_file(resource.name, number), title, body))
    return out


def _th(spec: dict[str, Any]) -> str:
    kind = ' data-type="number"' if spec.get("type") in _NUMERIC else ""
    described = f' title="{escape(str(spec["description"]))}"' if spec.get("description") else ""
    return f'<th scope="col"{kind}{described}><button type="button">{escape(spec["name"])}</button></th>'
