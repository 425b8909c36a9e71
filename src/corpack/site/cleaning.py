"""The cleaning view: per document, what the cleaning removed and repaired, beside the raw file when given.

The counters are the documents columns the build totals in ``datapackage.json`` (``corpack:build.cleaning``);
their meaning is each column's description in the schema. The raw text is not in the package: with
``--corpus`` the raw file is read, checked against ``documents.raw_sha256`` and shown beside the cleaned text.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from html import escape
from pathlib import Path, PurePosixPath
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpack.errors import CorpackError
from corpack.site.model import Resource, SitePackage, cell, page_name
from corpack.sources import decode_text, read_bytes

_PARA_SKIP = ("doc_id", "para_no", "char_start", "char_end")


def counter_fields(site: SitePackage) -> list[dict[str, Any]]:
    """The documents fields that count cleaning actions, as named by the build's totals, in schema order."""
    documents = site.get("documents")
    build = site.descriptor.get("corpack:build")
    totals = build.get("cleaning") if isinstance(build, dict) else None
    if documents is None or not isinstance(totals, dict):
        return []
    return [spec for spec in documents.fields if spec["name"] in totals]


def cleaning_index_body(site: SitePackage) -> str:
    """The cleaning overview: one row per document with its counters, then what extraction skipped."""
    documents = site.get("documents")
    counters = counter_fields(site)
    out = ["<h1>Cleaning</h1>",
           "<p>What the cleaning did to each report before it was packaged: lines of page furniture and repeated "
           "paragraphs removed, characters repaired. Open a document for its paragraphs and its raw file.</p>"]
    if documents is None or not counters:
        out.append("<p>This package records no cleaning counters.</p>")
        return "\n".join(out)
    out.append('<dl class="meta">' + "".join(
        f"<dt>{escape(spec['name'])}</dt><dd>{escape(str(spec.get('description', '')))}</dd>" for spec in counters) + "</dl>")
    heads = "".join(f'<th scope="col" class="n">{escape(spec["name"])}</th>' for spec in counters)
    rows = []
    wanted = ["doc_id", *(spec["name"] for spec in counters)]
    counted = documents.table.select([n for n in wanted if n in documents.table.column_names]).to_pylist()  # not the texts
    for doc in counted:
        doc_id = cell(doc.get("doc_id"))
        cells = "".join(f'<td class="n">{escape(cell(doc.get(spec["name"])))}</td>' for spec in counters)
        rows.append(f'<tr><th scope="row"><a href="cleaning/{escape(page_name(doc_id))}">{escape(doc_id)}</a></th>{cells}</tr>')
    totals = "".join(f'<td class="n">{sum(int(doc.get(spec["name"]) or 0) for doc in counted)}</td>' for spec in counters)
    out.append(f'<div class="scroll"><table><thead><tr><th scope="col">document</th>{heads}</tr></thead><tbody>{"".join(rows)}'
               f'</tbody><tfoot><tr><th scope="row">all</th>{totals}</tr></tfoot></table></div>')
    build = site.descriptor.get("corpack:build")
    skipped = build.get("extraction_skipped") if isinstance(build, dict) else None
    if isinstance(skipped, dict) and skipped:
        out.append('<h2>Left out by the extractors</h2><table><thead><tr><th scope="col">reason</th><th scope="col" class="n">times</th>'
                   "</tr></thead><tbody>" + "".join(
                       f'<tr><th scope="row">{escape(str(reason))}</th><td class="n">{escape(cell(n))}</td></tr>'
                       for reason, n in sorted(skipped.items())) + "</tbody></table>")
    return "\n".join(out)


def usual_values(paragraphs: Resource | None) -> dict[str, Any]:
    """The most common value of each counting column of ``paragraphs`` (integers other than keys and offsets)."""
    if paragraphs is None or not paragraphs.num_rows:
        return {}
    counted = [spec["name"] for spec in paragraphs.fields if spec.get("type") == "integer" and spec["name"] not in _PARA_SKIP]
    usual = {}
    for name in counted:
        counts = pc.value_counts(paragraphs.table.column(name)).to_pylist()
        usual[name] = min(((c["values"], c["counts"]) for c in counts), key=lambda item: (-item[1], cell(item[0])))[0]
    return usual


def unusual_paragraphs(paragraphs: Resource | None, usual: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The paragraphs where a counting column differs from its :func:`usual_values`, by doc_id, in key order."""
    if paragraphs is None or not usual:
        return {}
    mask = None
    for name, value in usual.items():
        column = paragraphs.table.column(name)
        differs = pc.is_valid(column) if value is None else pc.fill_null(pc.not_equal(column, pa.scalar(value, column.type)), True)
        mask = differs if mask is None else pc.or_(mask, differs)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in paragraphs.table.filter(mask).to_pylist():
        grouped.setdefault(cell(row.get("doc_id")), []).append(row)
    return grouped


def _unusual_paragraphs(usual: dict[str, Any], odd: list[dict[str, Any]]) -> str:
    if not usual:
        return ""
    counted = list(usual)
    if not odd:
        return "<p>No paragraph was repeated or repaired.</p>"
    heads = "".join(f'<th scope="col" class="n">{escape(n)}</th>' for n in ["para_no", *counted])
    body = "".join(
        "<tr>" + "".join(f'<td class="n">{escape(cell(row.get(n)))}</td>' for n in ["para_no", *counted])
        + f'<td lang="zh">{escape(cell(row.get("text")))}</td></tr>' for row in odd)
    usual_text = ", ".join(f"{name} {cell(value)}" for name, value in usual.items())
    return (f"<p>Paragraphs that differ from the usual ({escape(usual_text)}):</p>"
            f'<div class="scroll"><table><thead><tr>{heads}<th scope="col">text</th></tr></thead><tbody>{body}</tbody></table></div>')


def read_raw(corpus: Path, doc: dict[str, Any]) -> tuple[str | None, str]:
    """The raw file of ``doc`` from ``corpus``, decoded, and a note; ``(None, why)`` when it cannot be shown.

    The path comes from ``documents.file`` and must stay inside ``corpus``; a file whose sha256 differs from
    ``documents.raw_sha256`` is still shown, with a note saying so.
    """
    rel = cell(doc.get("file"))
    parts = PurePosixPath(rel).parts
    if not rel or PurePosixPath(rel).is_absolute() or ".." in parts or "\\" in rel:
        return None, f"documents.file {rel!r} is not a path inside the corpus folder"
    path = corpus.joinpath(*parts)
    try:
        data = read_bytes(path)
        decoded = decode_text(data, path)
    except CorpackError as exc:
        return None, f"{rel}: {exc}"
    stated = cell(doc.get("raw_sha256"))
    if stated and hashlib.sha256(data).hexdigest() != stated:
        return decoded.text, f"{rel} has changed since the package was built (its sha256 differs from documents.raw_sha256)"
    return decoded.text, f"{rel}, {len(data)} bytes, read as {decoded.encoding}"


@lru_cache(maxsize=256)
def _counter_head(name: str, description: str) -> str:
    return f'<th scope="row" title="{escape(description)}">{escape(name)}</th>'


def cleaning_body(site: SitePackage, doc: dict[str, Any], paragraphs: list[dict[str, Any]], usual: dict[str, Any],
                  corpus: Path | None) -> str:
    """A document's cleaning page: its counters, its unusual paragraphs, and raw beside cleaned text.

    Args:
        site: the package.
        doc: the document's row.
        paragraphs: its unusual paragraph rows (:func:`unusual_paragraphs`).
        usual: :func:`usual_values` of the paragraphs resource.
        corpus: the corpus folder holding the raw files, or None.
    """
    doc_id = cell(doc.get("doc_id"))
    out = [f"<h1>Cleaning of <code>{escape(doc_id)}</code></h1>",
           f'<p><a href="../documents/{escape(page_name(doc_id))}">The document with its facts</a></p>']
    counters = counter_fields(site)
    if counters:
        out.append('<h2>Counters</h2><table><tbody>' + "".join(
            f'<tr>{_counter_head(spec["name"], str(spec.get("description", "")))}'
            f'<td class="n">{escape(cell(doc.get(spec["name"])))}</td></tr>' for spec in counters) + "</tbody></table>")
    out.append("<h2>Paragraphs</h2>" + _unusual_paragraphs(usual, paragraphs))
    if corpus is None:  # the cleaned text is on the document's page; it is repeated here only beside the raw file
        out.append(f'<h2>Cleaned text</h2><p>The cleaned text is on <a href="../documents/{escape(page_name(doc_id))}">the '
                   "document's page</a>. The raw file is not in the package; build the site with <code>--corpus DIR</code> "
                   "to show it here beside the cleaned text.</p>")
        return "\n".join(out)
    cleaned = f'<pre lang="zh">{escape(cell(doc.get("text")))}</pre>'
    raw, note = read_raw(corpus, doc)
    raw_html = f'<pre lang="zh">{escape(raw)}</pre>' if raw is not None else "<p>Not available.</p>"
    out.append(f'<h2>Raw and cleaned</h2><p class="muted">{escape(note)}</p><div class="side">'
               f'<section aria-label="Raw file"><h3>Raw</h3>{raw_html}</section>'
               f'<section aria-label="Cleaned text"><h3>Cleaned</h3>{cleaned}</section></div>')
    return "\n".join(out)
