"""Stage 3a for Parquet: the same column checks as :func:`dpcheck.tables.check`, row group by row group.

A Parquet resource is cut into chunks of whole row groups (at least ``CHUNK_ROWS`` rows each, so small row
groups are not paid for one by one), and the chunks are checked on a thread pool, one per core: each reads
its columns, checks them with :func:`~dpcheck.tables.check_constraints` into a :class:`Recorder`
instead of the report, and is then dropped. Memory holds a few chunks, never a column. The recorders are
merged in row order, so the report is the one a whole-column check gives: the same first rows per error
and the same totals, in the same order.

Each chunk also notes whether its primary key (and each ``unique`` field) strictly increases; when the
whole column does, no value repeats and the key check has nothing to look for. Builds that sort rows by
their key (ours do) so skip it entirely. A chunk whose key does not increase hashes it instead
(:mod:`~dpcheck.hashing`, 8 bytes a row); when every chunk did and no hash repeats, the key is
distinct, settled without reading the column again. Otherwise (a null, a repeat, a collision, or sorted
chunks out of order) ``unique`` and the keys go to :mod:`~dpcheck.sqlkeys` (DuckDB over the files),
which lists the repeated rows. String columns that repeat their values are read as Parquet dictionaries
and checked once per entry, and single-field foreign keys into small Parquet resources are checked on the
way (see :func:`dpcheck.keys.lookups`). Fields stored as text whose type has no
Parquet form (duration, geojson...) are read whole by :func:`~dpcheck.tables.check_text_field`,
since their cells are read once per distinct value.
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dpcheck import cells, csvlabels, hashing, reading, sqlkeys, tables
from dpcheck.descriptor import ResourceSpec
from dpcheck.fieldcheck import FieldCheck
from dpcheck.keys import Lookup, distinct_keys, flag_orphans, hash_key, key_names
from dpcheck.reading import SourceError, TableData, is_text, reason
from dpcheck.regularfile import NotRegularFile, open_file
from dpcheck.recorder import Key, Recorder, Rows, merge, totals
from dpcheck.report import Finding, Report
from dpcheck.tableschema import Field

CHUNK_ROWS = 65_536  # rows checked per task, at least; a chunk is whole row groups
WORKERS = min(os.cpu_count() or 1, 8)  # threads checking chunks
WINDOW = 2 * WORKERS  # chunks started ahead of the first unfinished one, at most (see in_order)


Chunk = tuple[str, Any, list[int], int]
T = TypeVar("T")


def in_order(run: Callable[[int], T], count: int) -> list[T]:
    """``[run(0), ..., run(count - 1)]`` on :data:`WORKERS` threads, never more than :data:`WINDOW` chunks
    ahead of the first unfinished one.

    The window bounds memory (a few chunks' results in flight) and makes what a chunk knows of the chunks
    before it independent of scheduling: chunk ``i`` starts only once chunks ``0 .. i - WINDOW`` are done,
    so a check whose first chunk flagged ``limit`` rows is described by at most ``WINDOW`` chunks. The
    first exception raised by a chunk, in chunk order, is raised here (the chunks in flight still finish).
    """
    results: list[T] = []
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        pending: dict[int, Future[T]] = {}
        for number in range(count):
            while len(results) + WINDOW <= number:
                results.append(pending.pop(len(results)).result())
            pending[number] = pool.submit(run, number)
        while pending:
            results.append(pending.pop(len(results)).result())
    return results


def _chunks(data: TableData) -> list[Chunk]:
    """Cut the row groups of every part into (path, metadata, row group indices, offset of the first row)."""
    out = []
    offset = 0
    for path, part in zip(data.paths, data.parts):
        groups: list[int] = []
        start = offset
        for i in range(part.metadata.num_row_groups):
            groups.append(i)
            offset += part.metadata.row_group(i).num_rows
            if offset - start >= CHUNK_ROWS:
                out.append((path, part.metadata, groups, start))
                groups, start = [], offset
        if groups:
            out.append((path, part.metadata, groups, start))
    return out


def _read(part: Any, groups: list[int], name: str) -> pa.ChunkedArray:
    return reading.read_groups(part, groups, [name]).column(0)


def _repeating(data: TableData, names: list[str]) -> dict[str, list[str]]:
    """For each part, the string columns to read as dictionaries: those whose first row group holds at
    most half as many distinct values as rows (a unit, a region, a foreign key). Their checks then run once
    per distinct value (see :func:`dpcheck.tables.check_constraints`); a column of mostly distinct
    values (an id) is read plain, since building its dictionary costs more than it saves.
    """
    out: dict[str, list[str]] = {}
    candidates = [n for n in names if is_text(data.types[n])]
    for path, part in zip(data.paths, data.parts):
        groups = [i for i in range(part.metadata.num_row_groups) if part.metadata.row_group(i).num_rows]
        out[path] = []
        if not candidates or not groups:
            continue
        try:
            with open_file(path) as handle:  # still the regular file opened before, not a FIFO swapped in since
                probe = pq.ParquetFile(handle, metadata=part.metadata, read_dictionary=candidates)
                first = probe.read_row_group(groups[0], columns=candidates, use_threads=False)
        except MemoryError:
            raise
        except (pa.ArrowException, OSError):
            continue  # the chunk that reads this column reports why it cannot
        for name in candidates:
            col = first.column(name)
            if pa.types.is_dictionary(col.type) and sum(len(c.dictionary) for c in col.chunks) * 2 <= first.num_rows:
                out[path].append(name)
    return out


# Whether a chunk's key is strictly increasing with no null, and its first and last key values.
Order = tuple[bool, tuple[Any, ...] | None, tuple[Any, ...] | None]


def _sortable_keys(spec: ResourceSpec, data: TableData, streamed: list[str]) -> list[tuple[str, ...]]:
    """The primary key and the unique fields whose order the chunks note (columns DuckDB would compare)."""
    return [key for key in distinct_keys(spec.resource.schema) if all(n in streamed for n in key) and sqlkeys.comparable(data, list(key))]


def _order(cols: list[pa.ChunkedArray]) -> Order:
    """Whether the rows of ``cols`` (a chunk's key columns) strictly increase, compared as tuples."""
    n = len(cols[0])
    if n == 0:
        return True, None, None
    cols = [reading.plain(col) for col in cols]
    if any(col.null_count for col in cols):
        return False, None, None
    rising = pa.array(np.zeros(n - 1, dtype=bool))
    same = pa.array(np.ones(n - 1, dtype=bool))
    for col in cols:
        later, earlier = col.slice(1), col.slice(0, n - 1)
        rising = pc.or_(rising, pc.and_(same, pc.greater(later, earlier)))
        same = pc.and_(same, pc.equal(later, earlier))
    ok = n == 1 or pc.all(rising).as_py()
    first = tuple(col[0].as_py() for col in cols)
    last = tuple(col[n - 1].as_py() for col in cols)
    return bool(ok), first, last


def _increasing(orders: list[Order]) -> bool:
    """Whether the chunks, in order, make one strictly increasing key with no null (so no key repeats).

    Python compares strings by code point, which is the byte order of their UTF-8 that Arrow compares.
    """
    last = None
    for ok, first, end in orders:
        if not ok:
            return False
        if first is None:
            continue
        if last is not None and not last < first:
            return False
        last = end
    return True


def _joined(parts: dict[int, np.ndarray]) -> np.ndarray:
    """The chunks' hashes as one array (the parts are released as they are copied)."""
    out = np.empty(sum(len(p) for p in parts.values()), dtype=np.uint64)
    at = 0
    for number in sorted(parts):
        part = parts.pop(number)
        out[at:at + len(part)] = part
        at += len(part)
    return out


def check(spec: ResourceSpec, data: TableData, report: Report, lookups: Collection[Lookup] = ()) -> TableData:
    """Check labels, physical types and every field constraint of a Parquet table, a chunk at a time.

    Args:
        lookups: foreign keys to check on the way (see :func:`dpcheck.keys.lookups`).

    Returns:
        The table for the key checks: ``data`` (left as it was) with, in place of strings, the typed values
        of fields Parquet stored as text, the keys found distinct on the way (``distinct_keys``) and the
        lookups' findings (``orphans``, for :func:`dpcheck.keys.check_foreign_keys` to report).

    Raises:
        SourceError: when a column cannot be read.
    """
    schema = spec.resource.schema
    if schema is not None and schema.fields_match in csvlabels.BY_NAME:  # columns paired with fields by name
        csvlabels.layout(list(data.columns), [fd.name for fd in tables.fields(spec)], csvlabels.required(schema),
                         schema.fields_match, spec.name, spec.file, report)
    else:
        tables.check_labels(spec, data, report)
    plan: list[tuple[Field, bool | None]] = []  # (field, type fits) or (field, None): read as text
    for fd in tables.fields(spec):
        name, kind = fd.name, cells.kind(fd)
        if name not in data.types or kind is None:
            continue
        if tables.stored_as_text(kind, data.types[name]):
            plan.append((fd, None))
        else:
            plan.append((fd, tables.compatible(kind, data.types[name])))
    streamed = [(fd, ok) for fd, ok in plan if ok is not None]
    checks = [FieldCheck(spec, fd, text=False, type_ok=bool(ok)) for fd, ok in streamed]

    keys = _sortable_keys(spec, data, [fd.name for fd, _ in streamed])
    lookups = [lookup for lookup in lookups if lookup.field in {fd.name for fd, _ in streamed}]

    chunks = _chunks(data) if streamed else []
    repeating = _repeating(data, [fd.name for fd, ok in streamed if ok]) if chunks else {}
    done: dict[int, list[dict[Key, int]]] = {}  # chunk number -> rows each check flagged, by key, for each column

    running: dict[tuple[int, Key], list[int]] = {}  # (column, check) -> rows flagged in chunks 0..i, for each i
    lock = threading.Lock()

    def flagged_before(number: int, column: int) -> Callable[[Key], int]:
        def before(key: Key) -> int:
            if number == 0:
                return 0
            with lock:
                sums = running.setdefault((column, key), [])
                while len(sums) < number and len(sums) in done:
                    sums.append((sums[-1] if sums else 0) + done[len(sums)][column].get(key, 0))
                known = min(number, len(sums))
                return sums[known - 1] if known else 0
        return before

    # Each key's 64-bit hashes by chunk, from the chunks whose keys do not increase (see keys.hash_key).
    primary = tuple(key_names(spec.schema.get("primaryKey")) or ()) if spec.schema else ()
    hashes: dict[tuple[str, ...], dict[int, np.ndarray]] = {key: {} for key in keys}

    def note_hashes(key: tuple[str, ...], number: int, cols: list[pa.ChunkedArray]) -> None:
        found = hash_key(key, primary, cols)
        if found is not None:
            with lock:
                hashes[key][number] = found

    unordered: set[tuple[str, ...]] = set()  # keys some chunk found not increasing

    def run(number: int) -> tuple[list[list[Rows | Finding]], list[Order]]:
        path, metadata, groups, offset = chunks[number]
        try:  # a handle and a ParquetFile of its own: one is not safe to read from two threads at once
            handle = open_file(path)  # still the regular file opened before, not a FIFO swapped in since
        except NotRegularFile as exc:
            raise SourceError(f"the file {exc.strerror}; it is not read") from None
        except OSError as exc:
            raise SourceError(f"not a readable Parquet file: {reason(exc)}") from None
        with handle:
            try:
                part = pq.ParquetFile(handle, metadata=metadata, read_dictionary=repeating[path])
            except MemoryError:
                raise
            except (pa.ArrowException, OSError) as exc:
                raise SourceError(f"not a readable Parquet file: {reason(exc)}") from None
            return check_chunk(number, part, groups, offset)

    def check_chunk(number: int, part: pq.ParquetFile, groups: list[int], offset: int) -> tuple[list[list[Rows | Finding]], list[Order]]:
        """Check one chunk's columns (and its lookups and key order) into recorders."""
        out = []
        held: dict[str, pa.ChunkedArray] = {}
        for column, (fd, ok) in enumerate(streamed):
            recorder = Recorder(report.limit, offset, flagged_before(number, column))
            col = _read(part, groups, fd.name)
            if any(fd.name in key for key in keys) or any(fd.name == lookup.field for lookup in lookups):
                held[fd.name] = col
            checks[column].batch(TableData([fd.name], {fd.name: col.type}, len(col), lambda _, col=col: col), recorder)
            out.append(recorder.events)
        for j, lookup in enumerate(lookups):
            recorder = Recorder(report.limit, offset, flagged_before(number, len(streamed) + j))
            _check_lookup(spec, lookup, held[lookup.field], recorder)
            out.append(recorder.events)
        done[number] = [totals(events) for events in out]
        orders: list[Order] = []
        for key in keys:
            cols = [held[name] for name in key]
            # Once a chunk found the key out of order, the column is not increasing: skip to the hashes.
            orders.append((False, None, None) if key in unordered else _order(cols))
            if not orders[-1][0]:
                unordered.add(key)
                note_hashes(key, number, cols)
        return out, orders

    results = in_order(run, len(chunks))
    orphans: dict[int, tuple[list[int], list[str], int]] = {}
    distinct = set(data.distinct_keys)
    merged = {fd.name: merge([r[0][i] for r in results], report.limit) for i, (fd, _) in enumerate(streamed)}
    for j, lookup in enumerate(lookups):
        found = merge([r[0][len(streamed) + j] for r in results], report.limit) if results else []
        rows = found[0] if found and isinstance(found[0], Rows) else Rows("foreign-key", spec.name, spec.file, lookup.field)
        orphans[lookup.index] = (rows.rows, rows.messages, rows.total)
    for i, key in enumerate(keys):
        increasing = bool(chunks) and _increasing([r[1][i] for r in results])
        all_hashed = bool(chunks) and len(hashes[key]) == len(chunks)
        if increasing or (all_hashed and not hashing.repeats(_joined(hashes[key]))):
            distinct.add(key)
        hashes.pop(key, None)
    parsed = dict(data.parsed)
    checked = dataclasses.replace(data, parsed=parsed, distinct_keys=distinct, orphans=orphans)
    by_field = dict(zip((id(fd) for fd, _ in streamed), checks))
    for fd, ok in plan:
        name, kind = fd.name, cells.kind(fd)
        if ok is None:
            values = tables.check_text_field(spec, checked, fd, report)
            if values is not None:
                parsed[name] = values
            continue
        if not ok:
            message = f"field {name!r} is declared {kind} but the column is stored as {data.types[name]}"
            report.add(Finding("type-error", message, spec.name, spec.file, field=name))
        by_field[id(fd)].end(merged[name], report, lambda name=name: sqlkeys.check_unique(spec, checked, name, report))
    return checked


def _check_lookup(spec: ResourceSpec, lookup: Lookup, col: pa.ChunkedArray, recorder: Recorder) -> None:
    """Flag a chunk's rows whose foreign key (one field, not null) is not among the parent's keys."""
    flag_orphans(recorder, spec, lookup.field, col, lookup.keys, lookup.where)
