"""Stage 3a for CSV: a resource read batch by batch, its header, row structure and every field's cells checked.

One pass over the file (:func:`check_csv`): the header is paired with the schema's fields as ``fieldsMatch``
says (:mod:`~dpcheck.csvlabels`), each batch's rows are checked for their shape and each field's cells are
read as their type and checked (:func:`dpcheck.tables.check_text_field`) into a
:class:`~dpcheck.recorder.Recorder`, merged over the batches, so the report is the one a whole-file read
gives. Memory holds one batch, the columns other checks need later (keys, as their types) and 8 bytes a row
of hash per key.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dpcheck import cells, csvfile, csvlabels, hashing, reading, sqlkeys, tables
from dpcheck.descriptor import ResourceSpec
from dpcheck.fieldcheck import FieldCheck
from dpcheck.inline import InlineSource
from dpcheck.keys import distinct_keys, hash_key, key_names
from dpcheck.reading import FIRST_ROW, SourceError, TableData, is_text, reason
from dpcheck.recorder import Recorder, Rows, emit, merge_into, totals
from dpcheck.report import Finding, Report
from dpcheck.tableschema import Field

SPOOL_ROWS = 65_536  # rows per row group of a spooled key file
Source = csvfile.Source | InlineSource  # where rows come from: a CSV resource's files, or inline data


def check_csv(spec: ResourceSpec, source: Source, report: Report, keep: Collection[str] = ()) -> TableData | None:
    """Check a CSV resource (or inline rows) batch by batch: its header, the structure of its rows and every
    field's cells; return the table as read, for the key checks and plug-ins that come after.

    One batch of rows is in memory at a time, plus the columns named in ``keep`` and the resource's own
    foreign key fields, kept as their types (strings as a dictionary per batch) for the foreign-key checks,
    and 8 bytes a row of hash for the primary key, each ``unique`` field and each unique key (see
    :func:`_csv_pass`). A key that needs the full check is read again into a temporary Parquet file
    (``TableData.spool``), and ``TableData.column`` reads any other column from the file again.

    Args:
        keep: fields that other resources' foreign keys refer to.

    Returns:
        None when the bytes are not in the declared encoding (an ``encoding-error`` is reported and no row is
        checked); otherwise the table: its columns, their types, the row count, the kept key columns and the
        keys found distinct on the way.

    Raises:
        SourceError: when the file cannot be read, inflated or split into rows.
    """
    fields = tables.fields(spec)
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
        return None
    if isinstance(outcome, Finding):
        report.add(outcome)
        return None
    emit(outcome.head, report)
    for key in sorted(outcome.shape):
        event = outcome.shape[key]
        report.add_rows(event.code, event.messages, resource=spec.name, file=spec.file, field=event.field,
                        rows=event.rows, total=event.total)
    where = {}  # each field name's first field and its column
    for fd, position in zip(fields, outcome.layout.positions):
        if position is not None:
            where.setdefault(fd.name, (fd, position))

    def read_again(name: str) -> pa.ChunkedArray:
        fd, position = where[name]
        return _csv_column(spec, source, fd, position, python)

    def spool(key: list[str]) -> Any:
        return _spooled(spec, outcome.first_row, source, [where[name][0] for name in key], [where[name][1] for name in key], python)

    present = outcome.layout.present([fd.name for fd in fields])
    types = {name: reading.value_type(outcome.columns[name].type) if name in outcome.columns else pa.string() for name in present}
    data = TableData(present, types, outcome.rows, read_again, parsed=outcome.columns, source=source, first_row=outcome.first_row,
                     distinct_keys=set(outcome.distinct), spool=spool)
    for index, (fd, position) in enumerate(zip(fields, outcome.layout.positions)):
        name = fd.name
        if position is None or cells.kind(fd) is None:
            continue
        def whole_unique(name: str = name, fd: Field = fd) -> None:
            if (name,) not in data.distinct_keys and where[name][0] is fd:
                with spool([name]) as spooled:
                    sqlkeys.check_unique(spec, spooled, name, report)

        FieldCheck(spec, fd, text=True).end(outcome.by_field.get(index, []), report, whole_unique)
    return data


def _reference_fields(spec: ResourceSpec) -> set[str]:
    """The fields of a resource's foreign keys, and the fields its self-references point at."""
    schema = spec.resource.schema
    out: set[str] = set()
    for fk in schema.foreign_keys if schema is not None else ():
        out |= set(fk.fields)
        if fk.target(spec.name) == spec.name:
            out |= set(fk.reference_fields)
    return out


@dataclass
class CsvPass:
    """What one read of a CSV resource found.

    Attributes:
        head: the header's findings.
        shape: extra-cell, missing-cell and blank-row findings by (kind, position) (see csvlabels.structure).
        by_field: each field's merged findings, by the field's index in the schema.
        columns: the kept columns, as their types, by field name.
        rows: how many data rows.
        layout: which column holds each field.
        first_row: the number of the first data row.
        distinct: the keys found to have no null and no repeated value.
    """

    head: list[Rows | Finding]
    layout: csvlabels.Layout
    first_row: int
    shape: dict[tuple[int, int], Rows] = field(default_factory=dict)
    by_field: dict[int, list[Rows | Finding]] = field(default_factory=dict)
    columns: dict[str, pa.ChunkedArray] = field(default_factory=dict)
    rows: int = 0
    distinct: set[tuple[str, ...]] = field(default_factory=set)


def _csv_pass(spec: ResourceSpec, source: Source, fields: Sequence[Field], python: bool, limit: int,
              kept: set[str]) -> CsvPass | Finding | None:
    """Read the resource once; return what it found, an ``encoding-error`` finding, or None after reporting an
    unknown encoding.

    The columns in ``kept`` are kept as their types, strings as a dictionary per batch (a foreign key
    repeats its values: 4 bytes a row instead of the string). The primary key and ``unique`` fields are
    not kept for their own sake: each batch hashes them (8 bytes a row, see :mod:`~dpcheck.hashing`),
    and a key with no null and no repeated hash is distinct; any other is read again for the full check.
    """
    names = [fd.name for fd in fields]
    head = Recorder(limit, 0)
    try:
        opened = source.open(python, head, spec.name, spec.file)
    except csvfile.Undecodable as exc:
        return csvfile.undecodable(exc, source, spec.name, spec.file)
    if opened is None:
        return head.events[0] if head.events and isinstance(head.events[0], Finding) else None
    labels, batches = opened
    mode = spec.resource.schema.fields_match if spec.resource.schema is not None else "exact"
    layout = csvlabels.layout(labels if source.dialect.header else None, names, csvlabels.required(spec.resource.schema), mode,
                              spec.name, spec.file, head)
    found = CsvPass(head.events, layout, csvfile.first_row(source.dialect))
    expected = layout.expected
    missing = reading.missing_values(spec)
    first_of = {name: i for i, name in reversed(list(enumerate(names)))}  # a name's first field
    columns: dict[str, list[pa.ChunkedArray]] = {name: [] for name in layout.present(names) if name in kept}
    primary = tuple(key_names((spec.schema or {}).get("primaryKey")) or ())
    hashes: dict[tuple[str, ...], list[np.ndarray] | None] = {
        key: [] for key in distinct_keys(spec.resource.schema) if all(layout.positions[first_of[name]] is not None for name in key if name in first_of)}
    offset = 0
    try:
        for batch in batches:
            n = batch.num_rows
            every = [batch.cells[i] if i < len(batch.cells) else pa.nulls(n, pa.string()) for i in range(len(expected))]
            row_len = batch.row_len if batch.row_len is not None else np.full(n, len(batch.cells), dtype=np.int64)
            blank = csvlabels.blank_rows(every, missing, n)
            for key, (code, field_name, message, rows) in csvlabels.structure(row_len, len(expected), list(expected), blank).items():
                shown = (rows[:limit] + offset + found.first_row).tolist()
                merged = found.shape.setdefault(key, Rows(code, spec.name, spec.file, field_name))
                merged.absorb(shown, [message] * len(shown), [None] * len(shown), len(rows), limit)
            parsed: dict[str, pa.ChunkedArray] = {}
            for index, (fd, position) in enumerate(zip(fields, layout.positions)):
                name = fd.name
                if position is None or cells.kind(fd) is None:
                    continue
                col = every[position] if position < len(every) else pa.nulls(n, pa.string())
                part = TableData([name], {name: pa.string()}, n, lambda _, col=col: pa.chunked_array([col], pa.string()), skip=blank)
                before = found.by_field.get(index, [])
                flagged = totals(before)
                recorder = Recorder(limit, offset + found.first_row - FIRST_ROW, lambda key, flagged=flagged: flagged.get(key, 0))
                values = FieldCheck(spec, fd, text=True).batch(part, recorder)
                found.by_field[index] = merge_into(before, recorder.events, limit)
                if first_of[name] == index and values is not None:
                    parsed[name] = values
                    if name in columns:
                        columns[name].append(pc.dictionary_encode(parsed[name]) if is_text(parsed[name].type) else parsed[name])
            for key, held in hashes.items():
                if held is None:
                    continue
                if not all(name in parsed for name in key):
                    hashes[key] = None  # a field not parsed here (not a plain type): the full check reads it
                    continue
                batch_hashes = hash_key(key, primary, [parsed[name] for name in key])
                if batch_hashes is None:
                    hashes[key] = None
                else:
                    held.append(batch_hashes)
            offset += n
    except csvfile.Undecodable as exc:
        return csvfile.undecodable(exc, source, spec.name, spec.file)
    found.columns = {name: _joined_batches(chunks) for name, chunks in columns.items()}
    found.rows = offset
    found.distinct = {key for key, held in hashes.items()
                      if held is not None and not hashing.repeats(np.concatenate(held) if held else np.empty(0, np.uint64))}
    return found


def _joined_batches(chunks: list[pa.ChunkedArray]) -> pa.ChunkedArray:
    """One kept column from its batches (a dictionary column keeps each batch's dictionary)."""
    if not chunks:
        return pa.chunked_array([], pa.string())
    return pa.chunked_array([c for col in chunks for c in col.chunks], chunks[0].type)


def _csv_batches(spec: ResourceSpec, source: Source, fds: list[Field], positions: list[int],
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
                parsed = cells.parse(pa.chunked_array([col], pa.string()), fd, reading.missing_values(spec, fd))
                out.append(parsed.values.combine_chunks())
            yield out
    except (csvfile.CsvError, csvfile.Restart, csvfile.Undecodable, cells.FieldError, *csvfile.READ_ERRORS) as exc:
        names = ", ".join(repr(fd.name) for fd in fds)
        raise SourceError(f"cannot read column {names} again: {reason(exc)}") from None


def _csv_column(spec: ResourceSpec, source: Source, fd: Field, position: int, python: bool) -> pa.ChunkedArray:
    """Read one field of a CSV resource again, as its type (for the corpus and fact checks)."""
    chunks = [batch[0] for batch in _csv_batches(spec, source, [fd], [position], python)]
    return pa.chunked_array(chunks, chunks[0].type if chunks else pa.string())


@contextmanager
def _spooled(spec: ResourceSpec, first_row: int, source: Source, fds: list[Field],
             positions: list[int], python: bool) -> Iterator[TableData]:
    """Key columns of a CSV resource written, batch by batch, to a temporary Parquet file, as a table.

    A key whose hashes repeat (or that has a null) needs the full check, which lists the repeated rows;
    over a Parquet file that is DuckDB's GROUP BY under its memory limit (see sqlkeys), where holding the
    key column in Arrow and sorting it would take about 1 GB at 10M rows. The file is removed afterwards.

    Raises:
        SourceError: when the file cannot be read again or the temporary file cannot be written.
    """
    names = [fd.name for fd in fds]
    with tempfile.TemporaryDirectory(prefix="corpack-keys-") as folder:
        path = str(Path(folder) / "keys.parquet")
        writer = None
        rows = 0
        try:
            for arrays in _csv_batches(spec, source, fds, positions, python):
                table = pa.table(dict(zip(names, arrays)))
                if writer is None:
                    writer = pq.ParquetWriter(path, table.schema)
                writer.write_table(table.cast(writer.schema), row_group_size=SPOOL_ROWS)
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
            yield TableData(list(names), types, rows, read, parts=[part], paths=[path], first_row=first_row)
        finally:
            part.close()
