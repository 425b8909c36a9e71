"""``pkg site``: a static site of a package that opens from disk, with every fact shown in its words.

Pages (paths from the site root):

- ``index.html``: the overview, counts per resource and charts of documents and statistics;
- ``resources/<name>.html`` (and ``<name>-2.html``, ...): each resource as tables of at most
  :data:`~corpack.site.tables.PAGE_ROWS` rows, held as text that ``rows.js`` builds into a filterable and
  sortable table; a resource of several pages also has a search index, ``search/<name>-<n>.js``, the same rows,
  so the filter and sort reach every row (:mod:`corpack.site.search`);
- ``documents/<doc>.html``: a document's text with every fact marked, coloured by table, linked to its row (a long
  document in parts, ``<doc>~2.html``, ...: :mod:`corpack.site.facts`);
- ``cleaning.html`` and ``cleaning/<doc>.html``: what cleaning removed and repaired, beside the raw file when
  ``corpus`` is given;
- ``validation.html`` and ``validation-report.html``: the ``pkg validate`` report.

The same package gives the same bytes, whatever ``jobs``: rows are sorted by primary key, nothing records a time
or a path, and every value is HTML-escaped (a search chunk's, escaped for its JavaScript literal).
"""

from __future__ import annotations

import dataclasses
import math
import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa

from corpack.site import columns as col
from corpack.site.cleaning import cleaning_body, cleaning_index_body, unusual_paragraphs, usual_values
from corpack.site.documents import colours, document_body
from corpack.site.facts import FactIndex, FactRows, Parts, part_file, prepare_facts
from corpack.site.layout import page, page_parts, static_files
from corpack.site.model import SitePackage, cell, read_package
from corpack.site.output import SiteError, check_target, install
from corpack.site.overview import overview_body
from corpack.site.search import INDEX_ROWS, index_chunks, row_data, table_attributes
from corpack.site.tables import CELL_CHARS, PAGE_ROWS, document_pages, page_count, resource_pages
from corpack.site.validation import validation_pages
from corpack.workers import usable_cores

__all__ = ["INDEX_ROWS", "PAGE_ROWS", "SiteError", "SiteResult", "build_site", "render_site"]

#: Fewer documents than this are rendered in the calling process (starting workers would cost more).
POOL_MIN_DOCUMENTS = 200
#: Documents prepared at a time for their pages (the Arrow work of a batch costs about the same for 50 or 250).
DOCUMENT_BATCH = 250
#: A resource's pages and search index are rendered about this many rows at a time (see :func:`block_rows`).
BLOCK_ROWS = 100_000
#: A package of at least this many rows is validated in a process of its own while the pages are rendered (a
#: fresh interpreter costs about two CPU seconds; a 3 million row package's validation, twenty).
VALIDATE_APART_ROWS = 500_000


@dataclass(frozen=True)
class SiteResult:
    """What :func:`build_site` wrote: the folder, how many pages, files and bytes."""

    output: Path
    pages: int
    files: int
    bytes: int


@dataclass(frozen=True)
class _Frame:
    """What every page's frame needs: the package's title and the resources for the navigation."""

    label: str
    names: list[str]

    def put(self, path: str, title: str, body: str, current: str, scripts: tuple[str, ...] = ()) -> tuple[str, bytes]:
        return path, page(title=title, body=body, depth=path.count("/"), package_title=self.label, current=current,
                          scripts=scripts, resources=self.names).encode("utf-8")

    def put_parts(self, path: str, title: str, before: str, data: bytes, after: str, current: str,
                  scripts: tuple[str, ...] = ()) -> tuple[str, bytes]:
        """A page whose body is ``before``, ``data`` (bytes, written as they are) and ``after``."""
        head, tail = page_parts(title=title, depth=path.count("/"), package_title=self.label, current=current,
                                scripts=scripts, resources=self.names)
        return path, (head + before).encode("utf-8") + data + (after + tail).encode("utf-8")


@dataclass(frozen=True)
class _Batch:
    """Documents ``first`` to ``first + len(docs)``, with everything their pages need that is not shared by all
    (picklable: sent to a worker process)."""

    first: int
    docs: list[dict[str, Any]]
    names: list[str]
    starts: list[list[int]]
    facts: list[FactRows]
    odd: dict[str, list[dict[str, Any]]]


@dataclass(frozen=True)
class _Documents:
    """Everything the document and cleaning pages read, prepared before the pages are rendered (by workers)."""

    site: SitePackage
    frame: _Frame
    parts: Parts
    facts: list[FactIndex]
    odd: dict[str, list[dict[str, Any]]]
    usual: dict[str, Any]
    corpus: Path | None

    def batch(self, first: int, stop: int) -> _Batch:
        """Read and render (Arrow, in this process) what the pages of documents ``first`` to ``stop`` need."""
        documents = self.site.get("documents")
        assert documents is not None
        docs = documents.table.slice(first, stop - first).to_pylist()
        odd = {doc_id: self.odd[doc_id] for doc_id in (cell(doc.get("doc_id")) for doc in docs) if doc_id in self.odd}
        return _Batch(first, docs, self.parts.names[first:stop], self.parts.starts[first:stop],
                      [index.rows(first, stop) for index in self.facts], odd)

    def render(self, batch: _Batch) -> list[tuple[str, bytes]]:
        """The document pages (every part) and cleaning pages of the documents of ``batch``."""
        out = []
        for i, doc in enumerate(batch.docs):
            doc_id = cell(doc.get("doc_id"))
            name, starts, title = batch.names[i], batch.starts[i], cell(doc.get("title")) or doc_id
            for part in range(len(starts)):
                label = title if part == 0 else f"{title} (part {part + 1})"
                out.append(self.frame.put(f"documents/{part_file(name, part)}", label,
                                          document_body(self.site, doc, batch.first + i, part, batch.facts, name, starts),
                                          "documents", ("document.js",)))
            out.append(self.frame.put(f"cleaning/{name}", f"Cleaning of {doc_id}",
                                      cleaning_body(self.site, doc, batch.odd.get(doc_id, []), self.usual, self.corpus), "cleaning"))
        return out


_WORK: _Documents | None = None  # the prepared documents, inherited by forked workers


def _worker_signals() -> None:
    """A worker ends quietly when the pool ends it: it must not run the handlers it inherited from the CLI."""
    for name in ("SIGTERM", "SIGHUP", "SIGINT"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN if name == "SIGINT" else signal.SIG_DFL)


def _render_batch(batch: _Batch, root: str) -> list[tuple[str, int]]:
    """Render the pages of ``batch`` and write them into the staging folder ``root``."""
    assert _WORK is not None
    sizes = []
    for rel, data in _WORK.render(batch):
        path = Path(root, rel)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        sizes.append((rel, len(data)))
    return sizes


def _batches(total: int, jobs: int) -> list[tuple[int, int]]:
    """The documents of each batch, ``(first, stop)``: :data:`DOCUMENT_BATCH` at most, at least eight per worker."""
    step = max(1, min(DOCUMENT_BATCH, total // (jobs * 8)))
    return [(a, min(a + step, total)) for a in range(0, total, step)]


class _Feed:
    """The document pages rendered by forked workers while this process renders the other pages.

    Each batch of documents is prepared here (the Arrow work) and sent to a worker, which never calls into Arrow,
    writes the pages into the staging folder and says only their sizes. At most a few batches are in flight (memory
    holds a few batches' facts, not every fact's text); :meth:`ready` hands over the batches done so far, in
    document order, without waiting."""

    def __init__(self, work: _Documents, jobs: int, staging: Path) -> None:
        global _WORK
        self.work, self.staging, self.limit = work, str(staging), 2 * jobs
        self.todo = deque(_batches(len(work.parts.names), jobs))
        self.pending: deque = deque()
        _WORK = work
        self.pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_signals)

    def _top_up(self) -> None:
        while self.todo and len(self.pending) < self.limit:
            batch = self.work.batch(*self.todo.popleft())
            self.pending.append(self.pool.apply_async(_render_batch, (batch, self.staging)))

    def ready(self) -> Iterator[tuple[str, int]]:
        """The pages of the batches done so far (then more batches are sent)."""
        while self.pending and self.pending[0].ready():
            yield from self.pending.popleft().get()
        self._top_up()

    def rest(self) -> Iterator[tuple[str, int]]:
        """The pages of every batch left, waiting for them."""
        self._top_up()
        while self.pending:
            yield from self.pending.popleft().get()
            self._top_up()
        self.pool.close()
        self.pool.join()

    def stop(self) -> None:
        """End the workers (at once, if the site was not finished) and forget the documents."""
        global _WORK
        self.pool.terminate()
        _WORK = None


def block_rows(page_rows: int, index_rows: int) -> int:
    """How many rows of a resource are rendered at a time: a multiple of the rows of a page and of a search chunk,
    at least :data:`BLOCK_ROWS`."""
    unit = math.lcm(page_rows, index_rows)
    return unit * max(1, -(-BLOCK_ROWS // unit))


def render_site(site: SitePackage, validation: tuple[str, str] | Callable[[], tuple[str, str]], *, corpus: Path | None = None,
                page_rows: int = PAGE_ROWS, index_rows: int = INDEX_ROWS, jobs: int = 1,
                staging: Path | None = None) -> Iterator[tuple[str, bytes | int]]:
    """Every file of the site, as ``(path from the site root, bytes)``, one at a time (the pure part of
    :func:`build_site`; a large package's pages never all sit in memory).

    Args:
        site: the package, from :func:`corpack.site.model.read_package`.
        validation: the validation page's body and the standalone report (:func:`validation_pages`), or a function
            giving them, called when every other page is written (the validation may run meanwhile elsewhere).
        corpus: the corpus folder, to show raw files in the cleaning view; None to leave them out.
        page_rows: rows per resource page.
        index_rows: rows per chunk of a resource's search index (:mod:`corpack.site.search`).
        jobs: processes rendering the document pages (the bytes do not depend on it).
        staging: the folder the site is being written into; workers write their pages there themselves, and
            the items for those pages carry their size instead of their bytes. None: every item has its bytes.
    """
    d = site.descriptor
    frame = _Frame(str(d.get("title") or d.get("name") or "Data package"), [r.name for r in site.resources])
    for name, data in static_files().items():
        yield f"assets/{name}", data
    yield frame.put("index.html", "Overview", overview_body(site, {r.name: page_count(r, page_rows) for r in site.resources}),
                    "overview")
    documents = site.get("documents")
    parts = Parts.of(documents) if documents is not None else None
    colour = colours(site)
    facts: list[FactIndex] = []
    links: dict[str, pa.Array] = {}  # each row's document page (and mark), for a resource with a doc_id
    for resource in site.resources:
        if resource.is_fact and parts is not None:
            keys = col.row_keys(resource.table, resource.primary_key)
            index, links[resource.name] = prepare_facts(resource, len(facts), parts, keys, colour[resource.name], page_rows)
            facts.append(index)
        elif "doc_id" in resource.names:
            links[resource.name] = document_pages(resource.table.column("doc_id"))
    work = None
    if documents is not None and parts is not None:
        paragraphs = site.get("paragraphs")
        usual = usual_values(paragraphs)
        work = _Documents(site, frame, parts, facts, unusual_paragraphs(paragraphs, usual), usual, corpus)
    pooled = work is not None and jobs > 1 and staging is not None and len(parts.names) >= POOL_MIN_DOCUMENTS \
        and "fork" in multiprocessing.get_all_start_methods()
    feed = _Feed(work, jobs, staging) if pooled else None  # workers render documents from now on
    try:
        for resource in site.resources:
            pages = page_count(resource, page_rows)
            search = table_attributes(resource, page_rows, index_rows) if pages > 1 else ""
            block = block_rows(page_rows, index_rows)
            linked = links.pop(resource.name, None)
            for first in range(0, max(resource.num_rows, 1), block):  # a block of rows at a time: bounded memory
                count = min(block, resource.num_rows - first)
                part = dataclasses.replace(resource, table=resource.table.slice(first, count))
                shown = col.shown(part.table, part.names, CELL_CHARS, jobs)
                rows = row_data(part, shown, linked.slice(first, count) if linked is not None else None, jobs)
                del shown
                numbers = range(first // page_rows + 1, min(pages, (first + block) // page_rows) + 1)
                for path, title, before, data, after in resource_pages(resource, rows, page_rows, search, numbers, first,
                                                                       linked is not None):
                    yield frame.put_parts(path, title, before, data, after, resource.name, ("table.js",))
                if pages > 1:
                    yield from index_chunks(resource.name, rows, count, index_rows, first // index_rows)
                del rows
                if feed is not None:
                    yield from feed.ready()
        if feed is not None:
            yield from feed.rest()
        elif work is not None:
            for first, stop in _batches(len(work.parts.names), jobs):
                yield from work.render(work.batch(first, stop))
    finally:
        if feed is not None:
            feed.stop()
    yield frame.put("cleaning.html", "Cleaning", cleaning_index_body(site), "cleaning")
    body, report = validation() if callable(validation) else validation
    yield frame.put("validation.html", "Validation", body, "validation")
    yield "validation-report.html", report.encode("utf-8")


def default_jobs() -> int:
    """The processes :func:`build_site` uses by default: the CPUs this process may run on, as for a build."""
    return usable_cores()


def build_site(package: Path | str, output: Path | str = "site", *, corpus: Path | str | None = None,
               page_rows: int = PAGE_ROWS, index_rows: int = INDEX_ROWS, jobs: int | None = None) -> SiteResult:
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
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or sum(r.num_rows for r in site.resources) < VALIDATE_APART_ROWS:
        validation = validation_pages(package, label)
        written = install(lambda staging: render_site(
            site, validation, corpus=Path(corpus) if corpus else None, page_rows=page_rows, index_rows=index_rows,
            jobs=jobs, staging=staging), output)
    else:  # validate in a fresh process while the pages are rendered
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_signals) as pool:
            report = pool.submit(validation_pages, package, label)
            written = install(lambda staging: render_site(
                site, report.result, corpus=Path(corpus) if corpus else None, page_rows=page_rows, index_rows=index_rows,
                jobs=jobs, staging=staging), output)
    return SiteResult(output, sum(1 for path in written if path.endswith(".html")), len(written) + 1, sum(written.values()))
