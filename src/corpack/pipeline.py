"""The pipeline behind ``pkg build``: corpus folder in, validated data package out.

The pipeline runs stage by stage, each a function of one document:
:func:`corpack.sources.read_source` (decode) -> :func:`corpack.clean.clean` ->
:func:`corpack.tables.document_rows`. Documents are processed in document-id order and their rows streamed
to Parquet in batches, so memory holds one batch, not the corpus. The per-document function runs in chunks
on an executor (:mod:`corpack.dispatch`, :mod:`corpack.executors`): this process, a local process pool (``jobs`` > 1) or a Dask
cluster; rows come back in document order, so the output bytes are the same on every one.

The package is written to a hidden folder beside the target, validated, and only then swapped in.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pyarrow as pa

from corpack import apart, card, citation, dispatch
from corpack.clean import COUNTERS
from corpack.errors import BuildError, DecodeError, EmptyDocumentError, EntryError
from corpack.package import (
    DATA_DIR,
    created_timestamp,
    dump_json,
    fingerprint,
    load_settings,
    package_descriptor,
    resource_descriptor,
    tool_versions,
)
from corpack.install import build_lock, check_target, install, staging_dir
from corpack.project import citation_gaps
from corpack.schemas import RESOURCES, load_schema
from corpack.executors import Executor, open_executor
from corpack.progress import Progress
from corpack.rowcache import RowCache, cache_dir
from corpack.sources import BadFile, failure, load_manifest, scan
from corpack.rowpack import PackedRows, joined
from corpack.tables import TableWriter
from corpack.workers import usable_cores

#: Documents per Parquet row group (and per batch held in memory), at most ...
BATCH_DOCUMENTS = 256
#: ... and characters of document text: a batch is written once it holds this much, so a corpus of large
#: documents does not hold 256 of them (their paragraphs and facts too) in the build's process at once. The
#: rows of a batch, as Python objects, take about 60 times its characters (some 15 MB here); the row groups
#: it makes are also what the validator and the checks read at a time.
BATCH_CHARS = 256 << 10
#: Errors that ``skip_bad`` turns into a skipped file instead of a failed build.
SKIPPABLE = (DecodeError, EmptyDocumentError, EntryError)


@dataclass
class BuildResult:
    """What a build did.

    Attributes:
        output: the installed package folder.
        documents: documents packaged.
        paragraphs: paragraph rows written.
        totals: each cleaning counter summed over documents.
        skipped: files left out under ``skip_bad``, each ``{"file", "code", "reason"}``, in file order.
        damaged: packaged files holding a few undecodable bytes, each ``{"file", "bytes"}``.
        extraction_skipped: spans the extractors passed over on purpose, counted per ``"extractor: reason"``.
        written: rows written per resource.
        seconds: wall time of the build (reported, never written into the package).
        citation_gaps: what a citation of the package still lacks (see :func:`corpack.project.citation_gaps`).
        reused: documents whose rows came from the row cache (see :mod:`corpack.rowcache`).
    """

    output: Path
    documents: int = 0
    paragraphs: int = 0
    totals: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTERS, 0))
    skipped: list[dict[str, str]] = field(default_factory=list)
    damaged: list[dict[str, Any]] = field(default_factory=list)
    extraction_skipped: dict[str, int] = field(default_factory=dict)
    written: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    citation_gaps: list[str] = field(default_factory=list)
    reused: int = 0



def _settle(bad: list[BadFile], corpus_dir: Path, result: BuildResult, skip_bad: bool) -> None:
    """List the bad files in ``result.skipped`` (file order), or raise them all at once.

    Raises:
        CorpackError: the one bad file's error, or :class:`~corpack.errors.BadFilesError` listing several,
            when ``skip_bad`` is off or a failure cannot be skipped (a manifest mismatch).
    """
    bad = sorted(bad, key=lambda entry: entry.file)
    stopping = [entry.error for entry in bad if not (skip_bad and isinstance(entry.error, SKIPPABLE))]
    if stopping:
        raise failure(stopping, corpus_dir, skippable=all(isinstance(error, SKIPPABLE) for error in stopping))
    result.skipped.extend(entry.record() for entry in bad)


def build(
    corpus_dir: Path | str = "corpus",
    output: Path | str = "datapackage",
    *,
    skip_bad: bool = False,
    jobs: int | None = 1,
    executor: str = "local",
    scheduler: str | None = None,
    progress: bool | None = None,
    cache: bool = False,
    validate: bool = True,
    before_install: Callable[[Path], None] | None = None,
    on_wait: Callable[[str], None] | None = None,
    created: str | None = None,
) -> BuildResult:
    """Build the data package of a corpus folder and install it at ``output``.

    Args:
        corpus_dir: folder of raw text files (plus optional ``manifest.csv`` and ``corpus.toml``).
        output: the package folder to create or replace.
        skip_bad: leave out files that are not text or are empty and bad entries of the corpus (unreadable,
            special files, links out of it, names that are not UTF-8, duplicates: see
            :mod:`corpack.discovery`), listing them in the result and in the package's
            ``corpack:build.skipped``, instead of stopping.
        jobs: worker processes for the per-document stages (1: in this process; None: one per core this
            process may use, :func:`corpack.workers.usable_cores`); with ``executor`` ``dask`` and no
            ``scheduler``, the workers of the cluster started on this machine. The bytes do not depend on it.
        executor: where the per-document stages run: ``local`` or ``dask`` (see :mod:`corpack.executors`,
            :mod:`corpack.dask_executor`). Every executor writes the same bytes.
        scheduler: the address of a running Dask scheduler (``tcp://host:8786``) for ``executor="dask"``;
            the corpus must then be at the same path on every worker.
        progress: show a progress bar on stderr (None: a bar on a terminal, else a log line every few
            seconds; see :mod:`corpack.progress`).
        cache: reuse the rows of files unchanged since the last build of ``output`` (same bytes, manifest
            row, corpack code and libraries) from the row cache beside it (``.NAME.cache``), store the
            others, and drop entries this build did not use (see :mod:`corpack.rowcache`). The package's
            bytes are the same either way.
        validate: validate the staged package before installing it (on by default).
        before_install: called with the staged folder just before it is swapped in (used by tests to
            simulate a failure late in the build).
        on_wait: called with a one-line message when another build of ``output`` is running and this one
            waits for it.
        created: the package's ``created`` time, ``YYYY-MM-DDTHH:MM:SSZ`` (a release passes its date); by
            default SOURCE_DATE_EPOCH, else ``created`` in corpus.toml, else the newest input's time.

    Returns:
        A :class:`BuildResult`.

    Raises:
        BuildError: when ``output`` is not safe to replace (see :func:`corpack.install.check_target`), or the
            package cannot be written (full or read-only disk, staging folder removed).
        CorpackError: a bad file (undecodable, empty or a bad entry without ``skip_bad``; a manifest
            mismatch), or :class:`~corpack.errors.BadFilesError` listing every bad file when there are
            several: all files are read before the build stops. Or another failure (an invalid staged
            package...). The previous package at ``output`` is then left untouched.
        ExecutorError: the executor is unknown, not installed or unreachable, a remote worker cannot see the
            corpus or runs other code, or a worker died (see :mod:`corpack.executors`).
    """
    started = time.monotonic()
    corpus_dir, output = Path(corpus_dir), Path(output)
    jobs = usable_cores() if jobs is None else jobs
    open_executor(executor, jobs=jobs, scheduler=scheduler)  # a wrong choice fails now, not after the scan
    check_target(output, corpus_dir)
    listing = scan(corpus_dir)
    files = listing.documents
    manifest = load_manifest(corpus_dir)
    settings = load_settings(corpus_dir)
    result = BuildResult(output)
    with build_lock(output, on_wait), apart.Checker() as checker:
        row_cache = RowCache(cache_dir(output)) if cache else None
        check_target(output, corpus_dir)  # again: another build may have changed it while this one waited
        staged = staging_dir(output)
        writers: dict[str, TableWriter] = {}
        try:
            sizes = dispatch.file_sizes(corpus_dir, files)
            if validate and sum(sizes) >= apart.APART_BYTES:
                checker.start()  # (its imports overlap the build's work)
            engine = functools.partial(open_executor, executor, jobs=jobs, scheduler=scheduler, warm=dispatch.warm_up)
            _write_package(staged, writers, corpus_dir, files, sizes, manifest, settings, result, skip_bad=skip_bad, engine=engine, progress=progress, bad=listing.bad, created=created, cache=row_cache)
            if validate:
                _give_back_memory()
                _check(staged, checker)
            if before_install is not None:
                before_install(staged)
            install(staged, output)
        except OSError as exc:
            _abandon(staged, writers)
            where = Path(os.fsdecode(exc.filename)) if exc.filename else staged
            if where.is_relative_to(corpus_dir) or where.absolute().is_relative_to(corpus_dir.absolute()):
                raise BuildError(f"cannot read the corpus: {exc.strerror or exc}", file=where, hint="check the file's permissions") from None
            raise BuildError(
                f"cannot write the package: {exc.strerror or exc}", file=where, hint="check free space and permissions of the output's folder; the previous package is left in place"
            ) from None
        except BaseException:
            _abandon(staged, writers)
            raise
        if row_cache is not None:
            row_cache.prune()
            result.reused = row_cache.hits
    result.seconds = time.monotonic() - started
    return result


def _write_package(
    staged: Path,
    writers: dict[str, TableWriter],
    corpus_dir: Path,
    files: list[str],
    sizes: list[int],
    manifest: dict[str, dict],
    settings: dict[str, Any],
    result: BuildResult,
    *,
    skip_bad: bool,
    engine: Callable[..., Executor],
    progress: bool | None,
    bad: list[BadFile],
    created: str | None,
    cache: RowCache | None = None,
) -> None:
    """Write the package's data files, descriptor and card into ``staged``, filling ``writers`` and ``result``
    (``sizes``: each file's bytes, :func:`corpack.dispatch.file_sizes`)."""
    data_dir = staged / DATA_DIR
    data_dir.mkdir()
    schemas = {name: load_schema(name) for name in RESOURCES}
    writers.update({name: TableWriter(data_dir / f"{name}.parquet", schemas[name]) for name in RESOURCES})
    inputs: list[tuple[str, str]] = []
    batch: list[PackedRows] = []
    batch_chars = 0
    bad = list(bad)  # the listing's bad entries, then the files that fail on the way: all listed at once
    with Progress(len(files), sum(sizes), show=progress) as bar:
        engine = functools.partial(engine, on_event=bar.inside if bar.shown else None)
        for number, item in enumerate(dispatch.results(corpus_dir, files, manifest, engine, sizes, cache)):
            bar.update(1, sizes[number])
            if isinstance(item, BadFile):
                bad.append(item)
                continue
            if item.document["undecodable_bytes"]:
                result.damaged.append({"file": item.document["file"], "bytes": item.document["undecodable_bytes"]})
            inputs.append((item.document["file"], item.document["raw_sha256"]))
            batch.append(item)
            batch_chars += len(item.document["text"])
            if len(batch) >= BATCH_DOCUMENTS or batch_chars >= BATCH_CHARS:
                _flush(batch, writers, result)
                batch_chars = 0
    _settle(bad, corpus_dir, result, skip_bad)
    _flush(batch, writers, result)
    for writer in writers.values():
        writer.close()
    if result.documents == 0:
        raise BuildError("no document could be packaged", file=corpus_dir, hint="see the skipped files listed above")
    result.written = {name: writer.rows for name, writer in writers.items()}
    tools = tool_versions()
    resources = [
        resource_descriptor(name, schemas[name], data_dir / f"{name}.parquet", staged, writers[name].rows) for name in RESOURCES
    ]
    build_record: dict[str, Any] = {
        "fingerprint": fingerprint(corpus_dir, inputs, tools),
        "tools": tools,
        "documents": result.documents,
        "cleaning": result.totals,
        "extraction_skipped": dict(sorted(result.extraction_skipped.items())),
        "skipped": result.skipped,
    }
    created = created or created_timestamp(settings, [corpus_dir / rel for rel in files])
    descriptor = package_descriptor(settings, created, resources, build_record)
    dump_json(descriptor, staged / "datapackage.json")
    (staged / "README.md").write_text(card.render(descriptor, staged), encoding="utf-8")
    (staged / "CITATION.cff").write_text(citation.cff_text(citation.cff(descriptor)), encoding="utf-8")
    result.citation_gaps = citation_gaps(descriptor)


def _abandon(staged: Path, writers: dict[str, TableWriter]) -> None:
    """Drop a failed build's files: close the Parquet writers quietly, remove the staging folder."""
    for writer in writers.values():
        writer.abandon()
    shutil.rmtree(staged, ignore_errors=True)


def _flush(batch: list[PackedRows], writers: dict[str, TableWriter], result: BuildResult) -> None:
    if not batch:
        return
    for name, writer in writers.items():  # the workers' Arrow tables, joined one resource at a time
        writer.write(joined(batch, name))
    result.documents += len(batch)
    result.paragraphs += sum(rows.count("paragraphs") for rows in batch)
    for rows in batch:
        for name in COUNTERS:
            result.totals[name] += rows.document[name]
        for extractor, _quote, reason in rows.skipped:
            key = f"{extractor}: {reason}"
            result.extraction_skipped[key] = result.extraction_skipped.get(key, 0) + 1
    batch.clear()


def _give_back_memory() -> None:
    """Hand the memory the build has freed back to the system before validation reads the package: a
    fragmented C heap keeps freed pages resident until ``malloc_trim`` (glibc) is called, and Arrow's
    allocator keeps freed blocks for reuse. Changes nothing but this process's resident size (about 35 MB
    less after a 10 MB build)."""
    gc.collect()
    pa.default_memory_pool().release_unused()
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)


def _check(staged: Path, checker: apart.Checker) -> None:
    valid, text = checker.check(staged)  # (a large package in a process of its own: see corpack.apart)
    if not valid:
        raise BuildError("the built package does not validate; the previous package is left in place:\n" + text)
