"""Document pages: the cleaned text with every fact marked where it stands, the metadata, the facts listed."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from itertools import repeat
from typing import Any

import numpy as np

from corpack.site.cleaning import counter_fields
from corpack.site.facts import FactRows, part_file
from corpack.site.highlight import mark_items
from corpack.site.model import Resource, SitePackage, cell, has_cjk, page_name

#: Metadata shown first when the documents schema has them; every other column follows in schema order.
_FIRST = ("title", "published", "publisher", "region")
_HIDDEN = ("text",)


def _lang(text: str) -> str:
    return ' lang="zh"' if has_cjk(text) else ""


def colours(site: SitePackage) -> dict[str, str]:
    """The CSS class giving each fact resource's marks their colour (one of eight, by order among fact resources)."""
    return {r.name: f"f{i % 8}" for i, r in enumerate(site.facts)}


def _metadata(documents: Resource, doc: dict[str, Any], hidden: set[str]) -> str:
    specs = {spec["name"]: spec for spec in documents.fields if spec["name"] not in _HIDDEN and spec["name"] not in hidden}
    first = [n for n in _FIRST if n in specs]
    first += [f"{n}_source" for n in list(first) if f"{n}_source" in specs]
    first += sorted(n for n in specs if n.endswith("_source") and n not in first)
    rest = [n for n in specs if n not in first]

    def items(names: list[str]) -> str:
        out = []
        for name in names:
            spec, value = specs[name], cell(doc.get(name))
            about = f' title="{escape(str(spec["description"]))}"' if spec.get("description") else ""
            shown = f"<dd{_lang(value)}>{escape(value)}</dd>" if value else '<dd class="muted">not stated</dd>'
            out.append(f"<dt{about}>{escape(name)}</dt>{shown}")
        return "".join(out)

    more = f'<details><summary>All other columns ({len(rest)})</summary><dl class="meta">{items(rest)}</dl></details>' if rest else ""
    return f'<dl class="meta">{items(first)}</dl>{more}'


def _parts_nav(name: str, number: int, count: int, starts: list[int], length: int) -> str:
    if count == 1:
        return ""
    links = []
    for k in range(count):
        stop = starts[k + 1] if k + 1 < count else length
        label = f"part {k + 1} (characters {starts[k] + 1}–{stop})"
        current = ' aria-current="page"' if k == number else ""
        links.append(f'<li><a href="{escape(part_file(name, k))}"{current}>{label}</a></li>')
    return (f'<nav aria-label="Parts of this document"><p>This document is long ({length} characters), so it is '
            f"shown in {count} parts, each with the facts that start in it.</p>"
            f'<ul class="pager">{"".join(links)}</ul></nav>')


@lru_cache(maxsize=64)
def _facts_table(name: str, number: int, page_rows: int, names: tuple[str, ...]) -> tuple[str, str]:
    """The (empty) "facts in this document" table of a fact resource, and the column names line of its text."""
    head = "".join(f'<th scope="col">{escape(n)}</th>' for n in names[1:])
    return (f'<div class="scroll"><table class="facts" data-name="{escape(name)}" data-number="{number}" '
            f'data-page-rows="{page_rows}" hidden><thead><tr>{head}</tr></thead><tbody></tbody></table></div>',
            escape("\t".join(names)))


def document_body(site: SitePackage, doc: dict[str, Any], number: int, part: int, facts: list[FactRows],
                  name: str, starts: list[int]) -> str:
    """The ``<main>`` content of part ``part`` (0-based) of a document page.

    Args:
        site: the package.
        doc: the document's row.
        number: the document's position in the documents resource (its key in ``FactRows.runs``).
        part: which part of the document (see :mod:`corpack.site.facts`).
        facts: every fact resource's rows of this document (:meth:`corpack.site.facts.FactIndex.rows`).
        name: the file of the document's (first) page.
        starts: where each part of the document starts.
    """
    documents = site.get("documents")
    assert documents is not None
    doc_id = cell(doc.get("doc_id"))
    full = doc.get("text") or ""
    begin, stop = starts[part], starts[part + 1] if part + 1 < len(starts) else len(full)
    text = full[begin:stop]
    title = cell(doc.get("title")) or doc_id
    spans: list[tuple[int, int, int, str, str]] = []  # (start, -end, order, css, key): see highlight.mark_items
    listed = []
    for rows in facts:
        run = rows.runs.get((number, part))
        if run is None:
            continue
        a, b = run
        css, prefix, order = rows.css, f"{rows.number}-", len(spans)
        minus_ends = (begin - np.minimum(rows.ends[a:b], stop)).tolist()
        spans += zip((rows.starts[a:b] - begin).tolist(), minus_ends, range(order, order + b - a), repeat(css, b - a),
                     [f"{prefix}{k}" for k in range(b - a)])
        listed.append((rows, a, b))
    legend = "".join(f'<li><mark class="{rows.css}">{escape(rows.name)}</mark> {b - a}</li>' for rows, a, b in listed)
    nav = _parts_nav(name, part, len(starts), starts, len(full))
    out = [
        f"<h1{_lang(title)}>{escape(title)}</h1>",
        f'<p class="muted">Document <code>{escape(doc_id)}</code> · <a href="../cleaning/{escape(page_name(doc_id))}">what cleaning did</a></p>',
        '<h2 id="metadata">Metadata</h2>', _metadata(documents, doc, {spec["name"] for spec in counter_fields(site)}),
        '<h2 id="text-heading">Text</h2>', nav,
        '<p>Each extracted fact is marked in the colour of its table; hover or focus it for its row (listed under '
        '<a href="#facts">Facts</a>), click or press Enter to open the row in its table.</p>',
        f'<ul class="legend" aria-label="Tables">{legend}</ul>' if legend else "<p>No facts were extracted from this document.</p>",
        f'<div class="text" id="text" lang="zh">{mark_items(text, spans)}</div>', nav,
        '<h2 id="facts">Facts in this document</h2>' if part == 0 and len(starts) == 1 else
        f'<h2 id="facts">Facts in part {part + 1} of this document</h2>',
    ]
    for rows, a, b in listed:  # each table's rows as text, built into the table by rows.js (readable without it)
        table, names = _facts_table(rows.name, rows.number, rows.page_rows, tuple(rows.names))
        out.append(f'<h3>{escape(rows.name)} ({b - a})</h3>{table}<pre class="rows">{names}\n{rows.table.slice(a, b)}</pre>')
    if listed:
        out.append('<script src="../assets/rows.js"></script>')
    return "\n".join(piece for piece in out if piece)
