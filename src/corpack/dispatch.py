"""The per-document work of ``pkg build`` and where it runs: one corpus file decoded, cleaned and tabulated
(:func:`process_document`), files sent in chunks to an executor (:mod:`corpack.executors`) and their rows
brought back in file order, from the row cache where it holds them (:func:`results`).

Every function here is a function of its files alone, so a chunk runs the same in this process, a local pool
or on a Dask worker (which imports :func:`process_chunk` from this module by name).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator

from corpack import progress as inside
from corpack.clean import clean
from corpack.errors import CorpackError, EmptyDocumentError
from corpack.executors import ChunkLost, Executor, ExecutorError, check_workers
from corpack.rowcache import EntryWriter, RowCache
from corpack.rowpack import PackedChunk, PackedRows, pack
from corpack.sources import BadFile, Source, read_source
from corpack.tables import DocumentRows, document_rows
from corpack.workers import tapered_chunks

#: Raw bytes of corpus files handed to a worker at a time, at most (see :func:`corpack.workers.tapered_chunks`),
#: unless one file is larger: about a second of work per chunk. A chunk's rows come back packed, 5.5-8 times
#: its raw bytes (:mod:`corpack.rowpack`), and wait their turn within :func:`corpack.executors.held_bytes`.
CHUNK_BYTES = 256 << 10
#: ... and at least, unless the corpus is smaller.
MIN_CHUNK_BYTES = 32 << 10
#: Files whose size a remote worker must find at the corpus path before work is sent (first, middle, last).
PROBES = 3


def process_document(corpus_dir: Path, rel: str, manifest: dict[str, dict]) -> DocumentRows | BadFile:
    """Decode, clean and tabulate one corpus file.

    Returns:
        The document's rows, or a :class:`~corpack.discovery.BadFile` for a file that cannot be packaged
        (not text, no text, unreadable, disagreeing with the manifest). Failures are returned, not raised,
        so that a build (in this process or in a pool) sees every bad file and lists them all at once.
    """
    try:
        try:
            source: Source = read_source(corpus_dir, rel, manifest)
            inside.begin(rel, source.raw_bytes)  # a large document says what it is doing (corpack.progress)
            inside.stage("cleaning")
            cleaned = clean(source.text)
            if not cleaned.paragraphs:
                raise EmptyDocumentError("no report text is left after cleaning", file=Path(corpus_dir) / rel, hint="check the file; remove it if it holds only page furniture")
        except CorpackError as exc:
            return BadFile(rel, exc)
        return document_rows(source, cleaned)
    finally:
        inside.end()


def process_chunk(corpus_dir: Path, files: list[str], manifest: dict[str, dict], store: EntryWriter | None = None) -> PackedChunk:
    """:func:`process_document` for each of ``files``, their rows packed together (:mod:`corpack.rowpack`: each
    resource's rows of all of them converted to Arrow at once): a worker's unit of work (``manifest`` may hold
    only their rows). Iterating the result gives each file's rows or failure in order; it pickles as one Arrow
    table per resource (:class:`~corpack.rowpack.PackedChunk`). With ``store``, each document's rows are also
    kept in the row cache, here, where they are computed (see :class:`~corpack.rowcache.EntryWriter`). The rows
    are converted to Arrow only when the chunk leaves this process (deferred: ``-j 1`` runs a chunk a file in the
    build's process, whose writer converts a batch of them at once)."""
    items = [process_document(corpus_dir, rel, manifest) for rel in files]
    if store is not None:
        for item in items:
            if not isinstance(item, BadFile):
                store.store(item, manifest)
    return PackedChunk(items, defer=True)


_WARM_UP_TEXT = "某市召开座谈会\n\n2021年3月5日，某省温州市委统战部召开座谈会，部长王某出席并讲话，全市共有企业300余家。\n"


def warm_up() -> None:
    """Load what the per-document stages load on first use (the segmenter's dictionaries and tagger, the
    gazetteer, the extractors' modules, and pandas, which pyarrow imports on its first conversion of Python
    values: some 0.5 s of CPU), by cleaning, tabulating and packing one small built-in document.

    Called once per process before a pool's first document (see :func:`corpack.workers.worker_pool`). Every
    stage is a pure function of its document, so warming changes no output.
    """
    data = _WARM_UP_TEXT.encode()
    source = Source("warm-up", "warm-up.txt", len(data), "0" * 64, "utf-8", _WARM_UP_TEXT, {}, 0)
    pack(document_rows(source, clean(source.text)))


def file_sizes(corpus_dir: Path, files: list[str]) -> list[int]:
    """Each file's size in bytes (0 where it cannot be read: the stage reading it reports why)."""
    sizes = []
    for rel in files:
        try:
            sizes.append(os.stat(corpus_dir / rel).st_size)
        except OSError:
            sizes.append(0)
    return sizes


def _computed(corpus_dir: Path, files: list[str], manifest: dict, engine: Callable[[], Executor], sizes: list[int],
              cache: RowCache | None = None) -> Iterator[PackedRows | BadFile]:
    """Every file's rows (or its failure), in file order, from the executor ``engine()`` (started only when
    there are files): in chunks of about the same number of bytes, each sent with only its own manifest rows;
    one file a chunk in this process.

    Raises:
        ExecutorError: the executor cannot start, a remote worker cannot see the corpus or runs other code
            (:func:`~corpack.executors.check_workers`), or a worker died (naming the chunk's first file).
    """
    if not files:
        return
    with engine() as executor:
        sent = corpus_dir
        # (a worker on this machine keeps the rows it computes in the cache; one on another machine cannot reach
        # the folder, so this process stores what it sends back, see results)
        store = cache.writer if cache is not None and not executor.remote else None
        if executor.remote:  # other machines: the same absolute path must hold the same files there
            sent = corpus_dir.absolute()
            picks = sorted({0, len(files) // 2, len(files) - 1})[:PROBES]
            check_workers(executor, sent, [(files[i], sizes[i]) for i in picks])
        if executor.workers == 1 and not executor.remote:
            spans = [range(index, index + 1) for index in range(len(files))]
        else:
            chunk_bytes = min(CHUNK_BYTES, max(MIN_CHUNK_BYTES, sum(sizes) // (executor.workers * 8)))
            spans = tapered_chunks(sizes, chunk_bytes, executor.workers)
        chunks, chunk_sizes = [], []
        for span in spans:
            names = files[span.start:span.stop]
            chunks.append((sent, names, {rel: manifest[rel] for rel in names if rel in manifest}, store))
            chunk_sizes.append(sum(sizes[span.start:span.stop]))
        try:
            for item in executor.map(process_chunk, chunks, chunk_sizes):
                if sent is not corpus_dir and isinstance(item, BadFile):
                    _relocate(item.error, sent, corpus_dir)
                yield item
        except ChunkLost as exc:
            names = chunks[exc.chunk][1]
            raise ExecutorError(f"{exc.message}; it held {len(names)} file{'s' if len(names) > 1 else ''} from here on", file=corpus_dir / names[0], hint=exc.hint) from None


def _relocate(error: CorpackError, sent: Path, corpus_dir: Path) -> None:
    """Name the file of a worker's ``error`` as the user named the corpus, not by the absolute path sent."""
    if error.file is not None and Path(error.file).is_relative_to(sent):
        error.file = str(corpus_dir / Path(error.file).relative_to(sent))
    for inner in getattr(error, "errors", []):
        _relocate(inner, sent, corpus_dir)


def results(
    corpus_dir: Path, files: list[str], manifest: dict, engine: Callable[[], Executor], sizes: list[int], cache: RowCache | None
) -> Iterator[PackedRows | BadFile]:
    """Every file's rows (or its failure), in file order: :func:`_computed`, with the rows of files the cache holds
    read from it (in file order) and the rows computed stored in it, by the workers that computed them where they
    can reach the cache folder (see :func:`process_chunk`), else here."""
    if cache is None:
        yield from _computed(corpus_dir, files, manifest, engine, sizes)
        return
    keys = [cache.key_of_file(corpus_dir, rel, manifest) for rel in files]
    cached = [cache.has(key) for key in keys]
    todo = [index for index, hit in enumerate(cached) if not hit]
    computed = _computed(corpus_dir, [files[i] for i in todo], manifest, engine, [sizes[i] for i in todo], cache)
    for index, rel in enumerate(files):
        item = cache.load(keys[index]) if cached[index] else None  # type: ignore[arg-type]
        if item is None and cached[index]:  # an entry that could not be read: computed here, stored again
            item = process_document(corpus_dir, rel, manifest)
            if not isinstance(item, BadFile):
                cache.store(item, manifest)
        elif item is None:
            item = next(computed)
            if not isinstance(item, BadFile):
                if not cache.has(keys[index]):  # a worker on another machine (or one that could not write)
                    cache.store(item, manifest)
                cache.keep(keys[index])
        # (rows read from the cache are converted to Arrow with the rest of the writer's batch, not one by one)
        yield item if isinstance(item, (BadFile, PackedRows)) else PackedRows(item, convert=False)
    for _ in computed:  # none is left: this lets a pool shut down normally
        break
