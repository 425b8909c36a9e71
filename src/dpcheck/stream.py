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

import os
import tempfile
import threading
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dpcheck import cells, csvfile, hashing, reading, sqlkeys, tables
from dpcheck.descriptor import ResourceSpec
from dpcheck.keys import Lookup, distinct_keys, flag_orphans, key_names
from dpcheck.reading import FIRST_ROW, SourceError, TableData, reason
from dpcheck.regularfile import NotRegularFile, open_file
from dpcheck.report import Finding, Report

CHUNK_ROWS = 65_536  # rows checked per task, at least; a chunk is whole row groups
WORKERS = min(os.cpu_count() or 1, 8)  # threads checking chunks
WINDOW = 2 * WORKERS  # chunks started ahead of the first unfinished one, at most (see in_order)


@dataclass
class _Rows:
    """Rows flagged by one check, merged over chunks: the first ``limit`` rows and messages, and the total."""

    code: str
    resource: str | None
    file: str | None
    field: str | None
    rows: list[int] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    offsets: list[int | None] = field(default_factory=list)
    total: int = 0

    def absorb(self, rows: list[int], messages: list[str], offsets: list[int | None], total: int, limit: int) -> None:
        """Add the next chunk's flagged rows: keep the first ``limit`` rows overall, count them all."""
        room = max(limit - len(self.rows), 0)
        self.rows += rows[:room]
        self.messages += messages[:room]
        self.offsets += offsets[:room]
        self.total += total


class Recorder:
    """Stands in for a :class:`Report` while one chunk is checked, and shifts its rows by the chunk's offset.

    ``events`` lists what the checks said, in order: a :class:`_Rows` per flagged check (one even when
    nothing was flagged, so checks line up across chunks) or a plain :class:`Finding`.
    """

    def __init__(self, limit: int, offset: int, before: Callable[[int], int] = lambda slot: 0) -> None:
        self._limit = limit
        self.offset = offset
        self.events: list[_Rows | Finding] = []
        self._before = before

    @property
    def limit(self) -> int:
        """How many rows the next check should describe: none once earlier chunks have listed enough.

        ``before(slot)`` gives how many rows that check flagged in the earlier chunks that have finished in
        a row from the first (a lower bound of all earlier ones); so a package whose every row is bad
        describes ``limit`` rows for the chunks in flight, not ``limit`` per chunk.
        """
        return 0 if self._before(len(self.events)) >= self._limit else self._limit

    def add(self, finding: Finding) -> None:
        self.events.append(finding)

    def add_rows(self, code: str, messages: str | list[str], *, resource: str | None, file: str | None,
                 field: str | None, rows: Any, total: int, offsets: list[int | None] | None = None) -> None:
        shown = rows.slice(0, self._limit).to_pylist() if isinstance(rows, (pa.Array, pa.ChunkedArray)) \
            else [int(r) for r in list(rows)[: self._limit]]
        texts = [messages if isinstance(messages, str) else messages[i] for i in range(len(shown))]
        places = [offsets[i] if offsets is not None else None for i in range(len(shown))]
        self.events.append(_Rows(code, resource, file, field, [r + self.offset for r in shown], texts, places, total))


def merge(chunks: list[list[_Rows | Finding]], limit: int) -> list[_Rows | Finding]:
    """Merge the events of consecutive chunks of one column: the i-th event of each chunk is the same check."""
    slots: dict[int, _Rows | list[Finding]] = {}
    for events in chunks:
        for i, event in enumerate(events):
            if isinstance(event, Finding):
                found = slots.setdefault(i, [])
                if isinstance(found, list) and event not in found:
                    found.append(event)
                continue
            merged = slots.setdefault(i, _Rows(event.code, event.resource, event.file, event.field))
            if not isinstance(merged, _Rows):
                continue  # the chunks disagree, which one schema and one column type never do
            merged.absorb(event.rows, event.messages, event.offsets, event.total, limit)
    out: list[_Rows | Finding] = []
    for i in sorted(slots):
        slot = slots[i]
        out.extend(slot if isinstance(slot, list) else [slot])
    return out


def _emit(events: list[_Rows | Finding], report: Report) -> None:
    for event in events:
        if isinstance(event, Finding):
            report.add(event)
        else:
            report.add_rows(event.code, event.messages, resource=event.resource, file=event.file, field=event.field,
                            rows=event.rows, total=event.total, offsets=event.offsets)


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
    try:
        col = part.read_row_groups(groups, columns=[name], use_threads=False).column(0)
        for chunk in col.chunks:
            chunk.validate(full=True)  # Parquet readers do not check that strings are UTF-8
    except MemoryError:
        raise
    except (pa.ArrowException, OSError) as exc:
        raise SourceError(f"cannot read column {name!r}: {reason(exc)}") from None
    return col


def _repeating(data: TableData, names: list[str]) -> dict[str, list[str]]:
    """For each part, the string columns to read as dictionaries: those whose first row group holds at
    most half as many distinct values as rows (a unit, a region, a foreign key). Their checks then run once
    per distinct value (see :func:`dpcheck.tables.check_constraints`); a column of mostly distinct
    values (an id) is read plain, since building its dictionary costs more than it saves.
    """
    out: dict[str, list[str]] = {}
    candidates = [n for n in names if _is_text(data.types[n])]
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
    return [key for key in distinct_keys(spec.schema) if all(n in streamed for n in key) and sqlkeys.comparable(data, list(key))]


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


def _hash_key(key: tuple[str, ...], primary: tuple[str, ...], cols: list[pa.ChunkedArray]) -> np.ndarray | None:
    """The 64-bit hashes of one chunk of a key (see hashing.py). A primary key with a null is not hashed
    (None: the full check reports the null); a unique field's nulls are not compared, so they are left out."""
    return hashing.key_hashes(cols if key == primary else [pc.drop_null(cols[0])])


def _joined(parts: dict[int, np.ndarray]) -> np.ndarray:
    """The chunks' hashes as one array (the parts are released as they are copied)."""
    out = np.empty(sum(len(p) for p in parts.values()), dtype=np.uint64)
    at = 0
    for number in sorted(parts):
        part = parts.pop(number)
        out[at:at + len(part)] = part
        at += len(part)
    return out


def check(spec: ResourceSpec, data: TableData, report: Report, lookups: Collection[Lookup] = ()) -> None:
    """Check labels, physical types and every field constraint of a Parquet table, a chunk at a time.

    Args:
        lookups: foreign keys to check on the way (see :func:`dpcheck.keys.lookups`); their
            findings go to ``data.orphans`` for :func:`dpcheck.keys.check_foreign_keys` to report.

    Raises:
        SourceError: when a column cannot be read.
    """
    tables.check_labels(spec, data, report)
    plan: list[tuple[dict[str, Any], bool | None]] = []  # (field, type fits) or (field, None): read as text
    for fd in tables.fields_of(spec.schema):
        name, kind = fd["name"], fd.get("type", "string")
        if name not in data.types or not isinstance(kind, str):
            continue
        if tables.stored_as_text(kind, data.types[name]):
            plan.append((fd, None))
        else:
            plan.append((fd, tables.compatible(kind, data.types[name])))
    streamed = [(fd, ok) for fd, ok in plan if ok is not None]

    keys = _sortable_keys(spec, data, [fd["name"] for fd, _ in streamed])
    lookups = [lookup for lookup in lookups if lookup.field in {fd["name"] for fd, _ in streamed}]

    chunks = _chunks(data) if streamed else []
    repeating = _repeating(data, [fd["name"] for fd, ok in streamed if ok]) if chunks else {}
    done: dict[int, list[list[_Rows | Finding]]] = {}  # chunk number -> each streamed field's events

    running: dict[tuple[int, int], list[int]] = {}  # (field, check) -> rows flagged in chunks 0..i, for each i
    lock = threading.Lock()

    def flagged_before(number: int, column: int) -> Callable[[int], int]:
        def before(slot: int) -> int:
            if number == 0:
                return 0
            with lock:
                sums = running.setdefault((column, slot), [])
                while len(sums) < number and len(sums) in done:
                    events = done[len(sums)][column]
                    event = events[slot] if slot < len(events) else None
                    sums.append((sums[-1] if sums else 0) + (event.total if isinstance(event, _Rows) else 0))
                known = min(number, len(sums))
                return sums[known - 1] if known else 0
        return before

    # Each key's 64-bit hashes by chunk, from the chunks whose keys do not increase (see _hash_key).
    primary = tuple(key_names(spec.schema.get("primaryKey")) or ()) if spec.schema else ()
    hashes: dict[tuple[str, ...], dict[int, np.ndarray]] = {key: {} for key in keys}

    def note_hashes(key: tuple[str, ...], number: int, cols: list[pa.ChunkedArray]) -> None:
        found = _hash_key(key, primary, cols)
        if found is not None:
            with lock:
                hashes[key][number] = found

    unordered: set[tuple[str, ...]] = set()  # keys some chunk found not increasing

    def run(number: int) -> tuple[list[list[_Rows | Finding]], list[Order]]:
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

    def check_chunk(number: int, part: pq.ParquetFile, groups: list[int], offset: int) -> tuple[list[list[_Rows | Finding]], list[Order]]:
        """Check one chunk's columns (and its lookups and key order) into recorders."""
        out = []
        held: dict[str, pa.ChunkedArray] = {}
        for column, (fd, ok) in enumerate(streamed):
            recorder = Recorder(report.limit, offset, flagged_before(number, column))
            col = _read(part, groups, fd["name"])
            if any(fd["name"] in key for key in keys) or any(fd["name"] == lookup.field for lookup in lookups):
                held[fd["name"]] = col
            tables.check_constraints(spec, fd, col, recorder, bool(ok), unique=False)  # type: ignore[arg-type]
            out.append(recorder.events)
        for j, lookup in enumerate(lookups):
            recorder = Recorder(report.limit, offset, flagged_before(number, len(streamed) + j))
            _check_lookup(spec, lookup, held[lookup.field], recorder)
            out.append(recorder.events)
        done[number] = out
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
    merged = {fd["name"]: merge([r[0][i] for r in results], report.limit) for i, (fd, _) in enumerate(streamed)}
    for j, lookup in enumerate(lookups):
        found = merge([r[0][len(streamed) + j] for r in results], report.limit) if results else []
        rows = found[0] if found and isinstance(found[0], _Rows) else _Rows("foreign-key", spec.name, spec.file, lookup.field)
        data.orphans[lookup.index] = (rows.rows, rows.messages, rows.total)
    for i, key in enumerate(keys):
        increasing = bool(chunks) and _increasing([r[1][i] for r in results])
        all_hashed = bool(chunks) and len(hashes[key]) == len(chunks)
        if increasing or (all_hashed and not hashing.repeats(_joined(hashes[key]))):
            data.distinct_keys.add(key)
        hashes.pop(key, None)
    for fd, ok in plan:
        name, kind = fd["name"], fd.get("type", "string")
        if ok is None:
            tables.check_text_field(spec, data, fd, report)
            continue
        if not ok:
            message = f"field {name!r} is declared {kind} but the column is stored as {data.types[name]}"
            report.add(Finding("type-error", message, spec.name, spec.file, field=name))
        events = merged[name]
        constraints = fd.get("constraints") if isinstance(fd.get("constraints"), dict) else {}
        constraints = tables.supported(kind, constraints)
        required = 1 if constraints.get("required") is True else 0
        _emit(events[:required], report)
        if constraints.get("unique") is True:
            sqlkeys.check_unique(spec, data, name, report)
        _emit(events[required:], report)


def _check_lookup(spec: ResourceSpec, lookup: Lookup, col: pa.ChunkedArray, recorder: Recorder) -> None:
    """Flag a chunk's rows whose foreign key (one field, not null) is not among the parent's keys."""
    flag_orphans(recorder, spec, lookup.field, col, lookup.keys, lookup.where)  # type: ignore[arg-type]


def _merge_into(held: list[_Rows | Finding], events: list[_Rows | Finding], limit: int) -> list[_Rows | Finding]:
    """Fold one batch's events into those of the batches before it."""
    return merge([held, events], limit) if held else events


def check_csv(spec: ResourceSpec, data: TableData, report: Report, keep: Collection[str] = ()) -> bool:
    """Check a CSV resource batch by batch: its header, the structure of its rows and every field's cells.

    One batch of rows is in memory at a time, plus the columns named in ``keep`` and the resource's own
    foreign key fields, kept as their types (strings as a dictionary per batch) for the foreign-key checks,
    and 8 bytes a row of hash for the primary key and each ``unique`` field (see :func:`_csv_pass`). A key
    that needs the full check is read again into a temporary Parquet file (``data.spool``), and
    ``data.column`` reads any other column from the file again. Findings are merged over the batches as for
    Parquet, so the report is the one a whole-file read gives.

    Args:
        keep: fields that other resources' foreign keys refer to.

    Returns:
        False when the bytes are not in the declared encoding (an ``encoding-error`` is reported and no
        row is checked); True otherwise, with ``data``'s columns, types, row count and key columns filled in.

    Raises:
        SourceError: when the file cannot be read, inflated or split into rows.
    """
    assert data.source is not None
    source = data.source
    fields = tables.fields_of(spec.schema)
    names = [fd["name"] for fd in fields]
    kept = set(keep) | _reference_fields(spec)
    python = not source.arrow_ok()
    while True:
        try:
            outcome = _csv_pass(spec, source, fields, python, report.limit, kept)
        except csvfile.Restart:
            python = True  # Arrow met a ragged row part way: read it all again with Python's reader
            continue
        except csvfile.CsvError as exc:
            raise SourceError(str(exc)) from None
        except csvfile.READ_ERRORS as exc:
            raise SourceError(f"cannot read the file: {getattr(exc, 'strerror', None) or reason(exc)}") from None
        break
    if outcome is None:
        return False
    if isinstance(outcome, Finding):
        report.add(outcome)
        return False
    head, shape, by_field, columns, rows, present, data.first_row, distinct = outcome
    _emit(head, report)
    for key in sorted(shape):
        event = shape[key]
        report.add_rows(event.code, event.messages, resource=spec.name, file=spec.file, field=event.field,
                        rows=event.rows, total=event.total)
    data.columns, data.num_rows = present, rows
    data.types = {name: reading.value_type(columns[name].type) if name in columns else pa.string() for name in present}
    data.parsed = columns
    data.distinct_keys |= distinct

    def read_again(name: str) -> pa.ChunkedArray:
        return _csv_column(spec, source, fields[names.index(name)], names.index(name), python)

    data.read = read_again

    def spool(key: list[str]) -> Any:
        return _spooled(spec, data, source, fields, python, key)

    data.spool = spool
    for fd in fields:
        name = fd["name"]
        if name not in present or not isinstance(fd.get("type", "string"), str):
            continue
        events = by_field.get(name, [])
        constraints = tables.supported(fd.get("type", "string"), fd.get("constraints") if isinstance(fd.get("constraints"), dict) else {})
        head_count = 1 + (1 if constraints.get("required") is True else 0)  # type-error, then required
        _emit(events[:head_count], report)
        if constraints.get("unique") is True and (name,) not in data.distinct_keys:
            with spool([name]) as spooled:
                sqlkeys.check_unique(spec, spooled, name, report)
        _emit(events[head_count:], report)
    return True


def _reference_fields(spec: ResourceSpec) -> set[str]:
    """The fields of a resource's foreign keys, and the fields its self-references point at."""
    schema = spec.schema or {}
    out: set[str] = set()
    for fk in schema.get("foreignKeys") if isinstance(schema.get("foreignKeys"), list) else []:
        if isinstance(fk, dict):
            out |= set(key_names(fk.get("fields")) or [])
            reference = fk.get("reference")
            if isinstance(reference, dict) and reference.get("resource") in ("", spec.name):
                out |= set(key_names(reference.get("fields")) or [])
    return out


CsvPass = tuple[list[_Rows | Finding], dict[tuple[int, int], _Rows], dict[str, list[_Rows | Finding]],
                dict[str, pa.ChunkedArray], int, list[str], int, set[tuple[str, ...]]]


def _csv_pass(spec: ResourceSpec, source: csvfile.Source, fields: list[dict[str, Any]], python: bool, limit: int,
              kept: set[str]) -> CsvPass | Finding | None:
    """Read the resource once; return (header findings, structure findings by key, each field's merged
    findings, the kept columns, the row count, the fields the file has, the number of its first data row,
    the keys found distinct), an ``encoding-error`` finding, or None after reporting an unknown encoding.

    The columns in ``kept`` are kept as their types, strings as a dictionary per batch (a foreign key
    repeats its values: 4 bytes a row instead of the string). The primary key and ``unique`` fields are
    not kept for their own sake: each batch hashes them (8 bytes a row, see :mod:`~dpcheck.hashing`),
    and a key with no null and no repeated hash is distinct; any other is read again for the full check.
    """
    names = [fd["name"] for fd in fields]
    head = Recorder(limit, 0)
    try:
        opened = source.open(python, head, spec.name, spec.file)
    except csvfile.Undecodable as exc:
        return csvfile.undecodable(exc, source, spec.name, spec.file)
    if opened is None:
        return head.events[0] if head.events and isinstance(head.events[0], Finding) else None
    labels, batches = opened
    if source.dialect.header:
        csvfile.check_labels(labels, names, spec.name, spec.file, head)
    header = source.dialect.header
    expected = csvfile.expected_names(labels, names, header)
    present = names[: len(expected)]  # fields without a label are not read (frictionless drops them)
    first_row = source.dialect.first_row
    missing = reading.missing_values(spec.schema or {})
    shape: dict[tuple[int, int], _Rows] = {}
    by_field: dict[str, list[_Rows | Finding]] = {}
    columns: dict[str, list[pa.ChunkedArray]] = {name: [] for name in present if name in kept}
    primary = tuple(key_names((spec.schema or {}).get("primaryKey")) or ())
    hashes: dict[tuple[str, ...], list[np.ndarray] | None] = {
        key: [] for key in distinct_keys(spec.schema) if all(name in present for name in key)}
    offset = 0
    try:
        for batch in batches:
            n = batch.num_rows
            every = [batch.cells[i] if i < len(batch.cells) else pa.nulls(n, pa.string()) for i in range(len(expected))]
            cells = dict(zip(present, every))
            row_len = batch.row_len if batch.row_len is not None else np.full(n, len(batch.cells), dtype=np.int64)
            blank = csvfile.blank_rows(every, missing, n)
            for key, (code, field_name, message, rows) in csvfile.structure(row_len, len(expected), expected, blank).items():
                shown = (rows[:limit] + offset + first_row).tolist()
                merged = shape.setdefault(key, _Rows(code, spec.name, spec.file, field_name))
                merged.absorb(shown, [message] * len(shown), [None] * len(shown), len(rows), limit)
            part = TableData(present, {name: pa.string() for name in present}, n,
                             lambda name, cells=cells: pa.chunked_array([cells[name]], pa.string()), skip=blank)
            for fd in fields:
                name = fd["name"]
                if name not in cells or not isinstance(fd.get("type", "string"), str):
                    continue
                before = by_field.get(name, [])

                def flagged(slot: int, before: list[_Rows | Finding] = before) -> int:
                    event = before[slot] if slot < len(before) else None
                    return event.total if isinstance(event, _Rows) else 0

                recorder = Recorder(limit, offset + first_row - FIRST_ROW, flagged)
                tables.check_text_field(spec, part, fd, recorder, unique=False)  # type: ignore[arg-type]
                by_field[name] = _merge_into(before, recorder.events, limit)
                if name in columns and name in part.parsed:
                    values = part.parsed[name]
                    columns[name].append(pc.dictionary_encode(values) if _is_text(values.type) else values)
            for key, found in hashes.items():
                if found is None:
                    continue
                if not all(name in part.parsed for name in key):
                    hashes[key] = None  # a field not parsed here (not a plain type): the full check reads it
                    continue
                batch_hashes = _hash_key(key, primary, [part.parsed[name] for name in key])
                if batch_hashes is None:
                    hashes[key] = None
                else:
                    found.append(batch_hashes)
            offset += n
    except csvfile.Undecodable as exc:
        return csvfile.undecodable(exc, source, spec.name, spec.file)
    typed = {name: _joined_batches(chunks) for name, chunks in columns.items()}
    distinct = {key for key, found in hashes.items()
                if found is not None and not hashing.repeats(np.concatenate(found) if found else np.empty(0, np.uint64))}
    return head.events, shape, by_field, typed, offset, present, first_row, distinct


def _is_text(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def _joined_batches(chunks: list[pa.ChunkedArray]) -> pa.ChunkedArray:
    """One kept column from its batches (a dictionary column keeps each batch's dictionary)."""
    if not chunks:
        return pa.chunked_array([], pa.string())
    return pa.chunked_array([c for col in chunks for c in col.chunks], chunks[0].type)


def _csv_batches(spec: ResourceSpec, source: csvfile.Source, fds: list[dict[str, Any]], positions: list[int],
                 python: bool) -> Iterator[list[pa.Array]]:
    """Read some fields of a CSV resource again, batch by batch, as their types.

    Raises:
        SourceError: when the file cannot be read again.
    """
    opened = source.open(python, Report(package=""), spec.name, spec.file)
    if opened is None:
        raise SourceError("the file can no longer be decoded")
    _, batches = opened
    try:
        for batch in batches:
            out = []
            for fd, position in zip(fds, positions):
                col = batch.cells[position] if position < len(batch.cells) else pa.nulls(batch.num_rows, pa.string())
                parsed = cells.parse(pa.chunked_array([col], pa.string()), fd, reading.field_missing_values(spec.schema, fd))
                out.append(parsed.values.combine_chunks())
            yield out
    except (csvfile.CsvError, csvfile.Restart, csvfile.Undecodable, cells.FieldError, *csvfile.READ_ERRORS) as exc:
        names = ", ".join(repr(fd["name"]) for fd in fds)
        raise SourceError(f"cannot read column {names} again: {reason(exc)}") from None


def _csv_column(spec: ResourceSpec, source: csvfile.Source, fd: dict[str, Any], position: int, python: bool) -> pa.ChunkedArray:
    """Read one field of a CSV resource again, as its type (for the corpus and fact checks)."""
    chunks = [batch[0] for batch in _csv_batches(spec, source, [fd], [position], python)]
    return pa.chunked_array(chunks, chunks[0].type if chunks else pa.string())


@contextmanager
def _spooled(spec: ResourceSpec, data: TableData, source: csvfile.Source, fields: list[dict[str, Any]], python: bool,
             names: list[str]) -> Iterator[TableData]:
    """Key columns of a CSV resource written, batch by batch, to a temporary Parquet file, as a table.

    A key whose hashes repeat (or that has a null) needs the full check, which lists the repeated rows;
    over a Parquet file that is DuckDB's GROUP BY under its memory limit (see sqlkeys), where holding the
    key column in Arrow and sorting it would take about 1 GB at 10M rows. The file is removed afterwards.

    Raises:
        SourceError: when the file cannot be read again or the temporary file cannot be written.
    """
    by_name = {fd["name"]: fd for fd in fields}
    fds = [by_name[name] for name in names]
    positions = [[fd["name"] for fd in fields].index(name) for name in names]
    with tempfile.TemporaryDirectory(prefix="corpack-keys-") as folder:
        path = str(Path(folder) / "keys.parquet")
        writer = None
        rows = 0
        try:
            for arrays in _csv_batches(spec, source, fds, positions, python):
                table = pa.table(dict(zip(names, arrays)))
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema)
                writer.write_table(table.cast(writer.schema), row_group_size=CHUNK_ROWS)
                rows += table.num_rows
            if writer is None:
                empty = pa.table({name: pa.array([], pa.string()) for name in names})
                pq.write_table(empty, path)
        except MemoryError:
            raise
        except (pa.ArrowException, OSError) as exc:
            raise SourceError(f"cannot write the key columns to a temporary file: {reason(exc)}") from None
        finally:
            if writer is not None:
                writer.close()
        part = pq.ParquetFile(path)
        types = {name: part.schema_arrow.field(name).type for name in names}

        def read(name: str) -> pa.ChunkedArray:
            return part.read(columns=[name]).column(0)

        try:
            yield TableData(list(names), types, rows, read, parts=[part], paths=[path], first_row=data.first_row)
        finally:
            part.close()
