"""Document pages: the cleaned text with every fact marked where it stands, the metadata, the facts listed."""

from __future__ import annotations

from html import escape
from typing import Any

from corpack.site.cleaning import counter_fields
from corpack.site.highlight import Span, mark_spans
from corpack.site.model import Resource, SitePackage, cell, fact_anchor, has_cjk, page_name

#: Metadata shown first when the documents schema has them; every other column follows in schema order.
_FIRST = ("title", "published", "publisher", "region")
_HIDDEN = ("text",)


def _lang(text: str) -> str:
    return ' lang="zh"' if has_cjk(text) else ""


def colours(site: SitePackage) -> dict[str, str]:
    """The CSS class giving each fact resource's marks their colour (one of eight, by order among fact resources)."""
    return {r.name: f"f{i % 8}" for i, r in enumerate(site.facts)}


def facts_by_document(site: SitePackage) -> dict[str, list[tuple[Resource, int, dict[str, Any]]]]:
    """Every fact row, grouped by its ``doc_id``: ``(resource, row number, row)`` in resource then key order."""
    grouped: dict[str, list[tuple[Resource, int, dict[str, Any]]]] = {}
    for resource in site.facts:
        for i, row in enumerate(resource.rows):
            grouped.setdefault(cell(row.get("doc_id")), []).append((resource, i, row))
    return grouped


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


def _tooltip(resource: Resource, key: str, row: dict[str, Any]) -> str:
    lines = [f"{resource.name} {key}"]
    lines += [f"{spec['name']}: {cell(row.get(spec['name']))}" for spec in resource.fields
              if spec["name"] != "doc_id" and row.get(spec["name"]) is not None]
    return "\n".join(lines)


def document_body(site: SitePackage, doc: dict[str, Any], facts: list[tuple[Resource, int, dict[str, Any]]],
                  links: dict[str, dict[str, str]]) -> str:
    """A document page's ``<main>`` content.

    Args:
        site: the package.
        doc: the document's row.
        facts: its fact rows, from :func:`facts_by_document`.
        links: per resource, each row key's link from the site root (:func:`corpack.site.tables.row_links`).
    """
    documents = site.get("documents")
    assert documents is not None
    doc_id = cell(doc.get("doc_id"))
    text = doc.get("text") or ""
    title = cell(doc.get("title")) or doc_id
    spans, listed = [], {}
    colour = colours(site)
    for resource, i, row in facts:
        key = resource.keys[i]
        start, end = row.get("char_start"), row.get("char_end")
        if not isinstance(start, int) or not isinstance(end, int):
            continue
        anchor = fact_anchor(resource.name, key)
        href = "../" + links[resource.name][key]
        spans.append(Span(start, end, f"{resource.name}:{key}", f"f {colour[resource.name]}", _tooltip(resource, key, row), href, anchor))
        listed.setdefault(resource.name, []).append((resource, key, row, anchor, href))
    legend = "".join(
        f'<li><mark class="{colour[name]}">{escape(name)}</mark> {len(rows)}</li>' for name, rows in listed.items()
    )
    out = [
        f"<h1{_lang(title)}>{escape(title)}</h1>",
        f'<p class="muted">Document <code>{escape(doc_id)}</code> · <a href="../cleaning/{escape(page_name(doc_id))}">what cleaning did</a></p>',
        '<h2 id="metadata">Metadata</h2>', _metadata(documents, doc, {spec["name"] for spec in counter_fields(site)}),
        '<h2 id="text-heading">Text</h2>',
        '<p>Each extracted fact is marked in the colour of its table; hover or focus it for the row, click or press '
        "Enter to open the row.</p>",
        f'<ul class="legend" aria-label="Tables">{legend}</ul>' if legend else "<p>No facts were extracted from this document.</p>",
        f'<div class="text" id="text" lang="zh">{mark_spans(text, spans)}</div>',
        '<h2 id="facts">Facts in this document</h2>',
    ]
    for name, rows in listed.items():
        resource = rows[0][0]
        shown = [spec["name"] for spec in resource.fields
                 if spec["name"] not in ("doc_id", "char_start", "char_end", *resource.primary_key)]
        heads = '<th scope="col">row</th>' + "".join(f'<th scope="col">{escape(n)}</th>' for n in shown)
        body = []
        for _, key, row, anchor, href in rows:
            cells = [f'<td><a href="{escape(href)}">{escape(key)}</a></td>']
            for n in shown:
                value = cell(row.get(n))
                if n == "quote":
                    cells.append(f'<td{_lang(value)}><a href="#{anchor}">{escape(value)}</a></td>')
                else:
                    cells.append(f"<td{_lang(value)}>{escape(value)}</td>")
            body.append(f"<tr>{''.join(cells)}</tr>")
        out.append(f'<h3>{escape(name)} ({len(rows)})</h3><div class="scroll"><table><thead><tr>{heads}</tr></thead>'
                   f"<tbody>{''.join(body)}</tbody></table></div>")
    return "\n".join(out)
