"""``pkg site``: a static site of a package that opens from disk, with every fact shown in its words.

Pages (paths from the site root):

- ``index.html``: the overview, counts per resource and charts of documents and statistics;
- ``resources/<name>.html`` (and ``<name>-2.html``, ...): each resource as tables of at most
  :data:`~corpack.site.tables.PAGE_ROWS` rows, filterable and sortable;
- ``documents/<doc>.html``: a document's text with every fact marked, coloured by table, linked to its row;
- ``cleaning.html`` and ``cleaning/<doc>.html``: what cleaning removed and repaired, beside the raw file when
  ``corpus`` is given;
- ``validation.html`` and ``validation-report.html``: the ``pkg validate`` report.

The same package gives the same bytes: rows are sorted by primary key, nothing records a time or a path, and
every value is escaped with :func:`html.escape`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from corpack.site.cleaning import cleaning_body, cleaning_index_body, usual_values
from corpack.site.documents import document_body, facts_by_document
from corpack.site.layout import page, static_files
from corpack.site.model import SitePackage, cell, page_name, read_package
from corpack.site.output import SiteError, check_target, install
from corpack.site.overview import overview_body
from corpack.site.tables import PAGE_ROWS, page_count, resource_pages, row_links
from corpack.site.validation import validation_pages

__all__ = ["PAGE_ROWS", "SiteError", "SiteResult", "build_site", "render_site"]


@dataclass(frozen=True)
class SiteResult:
    """What :func:`build_site` wrote: the folder, how many pages, files and bytes."""

    output: Path
    pages: int
    files: int
    bytes: int


def render_site(site: SitePackage, validation: tuple[str, str], *, corpus: Path | None = None,
                page_rows: int = PAGE_ROWS) -> Iterator[tuple[str, bytes]]:
    """Every file of the site, as ``(path from the site root, bytes)``, one at a time (the pure part of
    :func:`build_site`; a large package's pages never all sit in memory).

    Args:
        site: the package, from :func:`corpack.site.model.read_package`.
        validation: the validation page's body and the standalone report (:func:`validation_pages`).
        corpus: the corpus folder, to show raw files in the cleaning view; None to leave them out.
        page_rows: rows per resource page.
    """
    d = site.descriptor
    label = str(d.get("title") or d.get("name") or "Data package")
    names = [r.name for r in site.resources]
    for name, data in static_files().items():
        yield f"assets/{name}", data

    def put(path: str, title: str, body: str, current: str, scripts: tuple[str, ...] = ()) -> tuple[str, bytes]:
        depth = path.count("/")
        return path, page(title=title, body=body, depth=depth, package_title=label, current=current, scripts=scripts,
                          resources=names).encode("utf-8")

    pages = {r.name: page_count(r, page_rows) for r in site.resources}
    yield put("index.html", "Overview", overview_body(site, pages), "overview")
    links = {r.name: row_links(r, page_rows) for r in site.resources}
    for resource in site.resources:
        for path, title, body in resource_pages(resource, page_rows):
            yield put(path, title, body, resource.name, ("table.js",))
    documents = site.get("documents")
    if documents is not None:
        facts = facts_by_document(site)
        paragraphs = site.get("paragraphs")
        by_doc: dict[str, list] = {}
        for row in paragraphs.rows if paragraphs is not None else []:
            by_doc.setdefault(cell(row.get("doc_id")), []).append(row)
        usual = usual_values(paragraphs)
        for doc in documents.rows:
            doc_id = cell(doc.get("doc_id"))
            name = page_name(doc_id)
            title = cell(doc.get("title")) or doc_id
            yield put(f"documents/{name}", title, document_body(site, doc, facts.get(doc_id, []), links), "documents", ("document.js",))
            yield put(f"cleaning/{name}", f"Cleaning of {doc_id}", cleaning_body(site, doc, by_doc.get(doc_id, []), usual, corpus), "cleaning")
    yield put("cleaning.html", "Cleaning", cleaning_index_body(site), "cleaning")
    body, report = validation
    yield put("validation.html", "Validation", body, "validation")
    yield "validation-report.html", report.encode("utf-8")


def build_site(package: Path | str, output: Path | str = "site", *, corpus: Path | str | None = None,
               page_rows: int = PAGE_ROWS) -> SiteResult:
    """Build the static site of ``package`` (a folder or release archive) into ``output``.

    The site is written beside ``output`` and swapped in whole; ``output`` must be new, empty or a site this
    function wrote, and must not lie in or around the package.

    Raises:
        SiteError: the target is refused or cannot be written.
        PackageError, IntegrityError: the package cannot be read (as :func:`corpack.load`).
    """
    package, output = Path(package), Path(output)
    check_target(output, package)
    if corpus is not None and not Path(corpus).is_dir():
        raise SiteError("the corpus folder does not exist", file=corpus, hint="give the folder the package was built from")
    site = read_package(package)
    label = str(site.descriptor.get("name") or "package")
    files = render_site(site, validation_pages(package, label), corpus=Path(corpus) if corpus else None, page_rows=page_rows)
    written = install(files, output)
    return SiteResult(output, sum(1 for path in written if path.endswith(".html")), len(written) + 1, sum(written.values()))
