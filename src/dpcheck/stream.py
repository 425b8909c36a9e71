"""The Parquet reader of the one loop: a resource's row groups as batches, checked on threads.

A Parquet resource is cut into batches of whole row groups (at least ``CHUNK_ROWS`` rows each, so small row
groups are not paid for one by one); :func:`dpcheck.driver.run` checks them on a thread pool, one per core,
in an in-order window. Each batch opens its file again (a handle and a ``ParquetFile`` of its own: one is
not safe to read from two threads at once), reads a column when a check first asks for it and drops it after
the last check that reads it: memory holds a few batches' columns, never a whole column. String columns that
repeat their values are read as Parquet dictionaries (:func:`_repeating`) and checked once per entry; fields
stored as text whose type has no Parquet form (duration, geojson...) are read as a CSV cell would be.

:func:`check` is :func:`dpcheck.tablecheck.check_table` over this reader: the checks, their order and the
keys settled on the way are the same as for CSV.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dpcheck import cells, csvlabels, driver, reading, sqlkeys, tables
from dpcheck.descriptor import ResourceSpec
from dpcheck.driver import Batch
from dpcheck.keys import Lookup
from dpcheck.reading import FIRST_ROW, SourceError, TableData, is_text, reason
from dpcheck.recorder import Recorder
from dpcheck.regularfile import NotRegularFile, open_file
from dpcheck.report import Report
from dpcheck.tablecheck import check_table

CHUNK_ROWS = 65_536  # rows checked per batch, at least; a batch is whole row groups
CHUNK_BYTES = 16 << 20  # ... unless its row groups hold this much data uncompressed already (long texts)

Chunk = tuple[str, Any, list[int], int]


def _chunks(data: TableData, min_rows: int) -> list[Chunk]:
    """Cut the row groups of every part into (path, metadata, row group indices, offset of the first row), each
    chunk whole row groups of ``min_rows`` rows or more, or of :data:`CHUNK_BYTES` of data or more as the
    Parquet footer counts it uncompressed (a table of long texts: a few thousand documents are hundreds of
    MB), but a part's last."""
    out = []
    offset = 0
    for path, part in zip(data.paths, data.parts):
        groups: list[int] = []
        start, size = offset, 0
        for i in range(part.metadata.num_row_groups):
            groups.append(i)
            offset += part.metadata.row_group(i).num_rows
            size += part.metadata.row_group(i).total_byte_size
            if offset - start >= min_rows or size >= CHUNK_BYTES:
                out.append((path, part.metadata, groups, start))
                groups, start, size = [], offset, 0
        if groups:
            out.append((path, part.metadata, groups, start))
    return out


def _repeating(data: TableData, names: list[str]) -> dict[str, list[str]]:
    """For each part, the string columns to read as dictionaries: those whose first row group holds at
    most half as many distinct values as rows (a unit, a region, a foreign key). Their checks then run once
    per distinct value (see :func:`dpcheck.constraints.check_constraints`); a column of mostly distinct
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
            continue  # the batch that reads this column reports why it cannot
        for name in candidates:
            col = first.column(name)
            if pa.types.is_dictionary(col.type) and sum(len(c.dictionary) for c in col.chunks) * 2 <= first.num_rows:
                out[path].append(name)
    return out


class ParquetReader:
    """A Parquet resource for :func:`dpcheck.tablecheck.check_table` (see the module docstring).

    The header's findings (``head``) compare the file's columns with the schema's fields: by position, or
    by name as ``fieldsMatch`` says. A batch is whole row groups of ``min_rows`` rows or more (by default
    :data:`CHUNK_ROWS`).
    """

    def __init__(self, spec: ResourceSpec, data: TableData, limit: int, min_rows: int | None = None) -> None:
        self.spec, self.data = spec, data
        self.min_rows = CHUNK_ROWS if min_rows is None else min_rows
        self.fields = tables.fields(spec)
        head = Recorder(limit, 0)
        schema = spec.resource.schema
        if schema is not None and schema.fields_match in csvlabels.BY_NAME:  # columns paired with fields by name
            csvlabels.layout(list(data.columns), [fd.name for fd in self.fields], csvlabels.required(schema),
                             schema.fields_match, spec.name, spec.file, head)
        else:
            tables.check_labels(spec, data, head)
        self.head = head.events
        self.texts = frozenset(i for i, fd in enumerate(self.fields)
                               if self.present(i) and tables.stored_as_text(cells.kind(fd), data.types[fd.name]))

    def present(self, index: int) -> bool:
        """Whether the file has a column named as field ``index``."""
        return self.fields[index].name in self.data.types

    def stored_type(self, index: int) -> pa.DataType | None:
        """The Arrow type of field ``index``'s column."""
        return self.data.types.get(self.fields[index].name)

    def sortable(self, names: Sequence[str]) -> bool:
        """Whether a key's columns compare alike in Arrow, Python and DuckDB, so their order may settle it."""
        return sqlkeys.comparable(self.data, list(names))

    def kept(self, keep: Collection[str], looked_up: Collection[int] = ()) -> set[str]:
        """The columns to hold as their types: the text ones (any other is read again from the files)."""
        return {self.fields[i].name for i in self.texts}

    def read(self) -> driver.Read:
        """The batches, for :data:`dpcheck.driver.WORKERS` threads."""
        typed = [fd.name for i, fd in enumerate(self.fields) if self.present(i) and i not in self.texts
                 and cells.kind(fd) is not None and tables.compatible(cells.kind(fd) or "", self.data.types[fd.name])]
        chunks = _chunks(self.data, self.min_rows)
        repeating = _repeating(self.data, typed) if chunks else {}
        missing = [reading.missing_values(self.spec, fd) for fd in self.fields]
        read_by_fields = {fd.name for fd in self.fields}
        others = [name for name in self.data.columns if name not in read_by_fields]  # (read for blank rows only)
        others_missing = {name: tuple(reading.missing_values(self.spec)) for name in others}  # (the schema's)
        return driver.Read((self._loader(chunk, repeating, missing, others_missing) for chunk in chunks), driver.WORKERS)

    def in_turn(self, names: Collection[str] = ()) -> Iterator[Batch]:
        """The batches one after the other, read from the files the table holds open (``data.parts``): for a
        reader in one thread (:func:`dpcheck.batches.typed_batches`), which pays neither a file opened again a
        batch nor the dictionary probe of :meth:`read` (its columns are decoded to plain values anyway).

        The columns ``names`` (those the file has) are read together when the first of them is asked for, in
        one read of the batch's row groups instead of one a column; should that read fail, they are read one
        at a time, so the failure names the column as a read of it alone does.

        Raises:
            SourceError: when a column cannot be read.
        """
        missing = [reading.missing_values(self.spec, fd) for fd in self.fields]
        parts = dict(zip(self.data.paths, self.data.parts))
        together = [name for name in dict.fromkeys(names) if name in self.data.types]
        for path, _, groups, offset in _chunks(self.data, self.min_rows):
            part = parts[path]
            read: dict[str, pa.ChunkedArray] = {}
            tried: list[bool] = []  # (the batch's read of them all: made once, whether or not it failed)

            def column(index: int, part: pq.ParquetFile = part, groups: list[int] = groups,
                       read: dict[str, pa.ChunkedArray] = read, tried: list[bool] = tried) -> pa.ChunkedArray | None:
                name = self.fields[index].name
                if name not in self.data.types:
                    return None
                if name in together and not tried and len(together) > 1:
                    tried.append(True)
                    try:
                        table = reading.read_groups(part, groups, together, self.data.missing)
                    except SourceError:
                        pass  # (read one at a time below, to say which column fails)
                    else:
                        read.update(zip(table.column_names, table.columns))
                if name in read:
                    return read.pop(name)
                return reading.read_groups(part, groups, [name], self.data.missing).column(0)

            rows = sum(part.metadata.row_group(g).num_rows for g in groups)
            yield Batch(offset, offset + FIRST_ROW, rows, self.fields, missing, column, self.texts)

    def _loader(self, chunk: Chunk, repeating: dict[str, list[str]], missing: list[list[str]],
                others: dict[str, tuple[str, ...]]) -> Callable[[], Batch]:
        """What reads one batch (``chunk``); ``others`` are the columns no field reads, with their missing values."""
        path, metadata, groups, offset = chunk

        def load() -> Batch:
            try:
                handle = open_file(path)  # still the regular file opened before, not a FIFO swapped in since
            except NotRegularFile as exc:
                raise SourceError(f"the file {exc.strerror}; it is not read") from None
            except OSError as exc:
                raise SourceError(f"not a readable Parquet file: {reason(exc)}") from None
            try:
                part = pq.ParquetFile(handle, metadata=metadata, read_dictionary=repeating[path])
            except BaseException as exc:
                handle.close()
                if isinstance(exc, (pa.ArrowException, OSError)) and not isinstance(exc, MemoryError):
                    raise SourceError(f"not a readable Parquet file: {reason(exc)}") from None
                raise

            def column(index: int) -> pa.ChunkedArray | None:
                name = self.fields[index].name
                return reading.read_groups(part, groups, [name], self.data.missing).column(0) if name in self.data.types else None

            def other(name: str) -> pa.ChunkedArray:
                return reading.read_groups(part, groups, [name], others).column(0)

            rows = sum(metadata.row_group(g).num_rows for g in groups)
            return Batch(offset, offset + FIRST_ROW, rows, self.fields, missing, column, self.texts,
                         blanks=lambda batch: _blank_rows(batch, list(others), other), close=handle.close)

        return load

    def table(self, rows: int, kept: dict[str, pa.ChunkedArray], distinct: set[tuple[str, ...]],
              repeated: set[tuple[str, ...]], orphans: dict[int, tuple[list[int], list[str], int]]) -> TableData:
        """The table as opened (left as it was) with the typed text columns, the keys found distinct or with
        repeated hashes and the lookups' findings."""
        return dataclasses.replace(self.data, parsed={**self.data.parsed, **kept},
                                   distinct_keys=set(self.data.distinct_keys) | distinct,
                                   repeated_keys=set(self.data.repeated_keys) | repeated, orphans=orphans)


def _blank_rows(batch: Batch, others: list[str], other: Callable[[str], pa.ChunkedArray]) -> np.ndarray:
    """The rows of a batch whose every column, the ``others`` no field reads (read by ``other``) too, is null (a
    string column's missing values are read as nulls): blank, as a CSV row whose every cell is missing. A
    column with no null settles it at once, so the other columns are read only when every field's has one."""
    none = np.zeros(batch.num_rows, dtype=bool)
    blank = None
    columns = (batch.stored(index) for index in range(len(batch.fields)))
    for col in itertools.chain(columns, (other(name) for name in others)):
        if col is None:
            continue
        if col.null_count == 0:
            return none
        here = pc.is_null(col).to_numpy(zero_copy_only=False)
        blank = here if blank is None else blank & here
        if not blank.any():
            return none
    return none if blank is None else blank  # (a file of no column: no row is said blank)


def check(spec: ResourceSpec, data: TableData, report: Report, lookups: Collection[Lookup] = ()) -> TableData:
    """Check labels, physical types and every field constraint of a Parquet table, a batch at a time.

    Args:
        lookups: foreign keys to check on the way (see :func:`dpcheck.keys.lookups`).

    Returns:
        The table for the key checks: ``data`` (left as it was) with, in place of strings, the typed values
        of fields Parquet stored as text, the keys found distinct on the way (``distinct_keys``) and the
        lookups' findings (``orphans``, for :func:`dpcheck.keys.check_foreign_keys` to report).

    Raises:
        SourceError: when a column cannot be read.
    """
    return check_table(spec, ParquetReader(spec, data, report.limit), report, lookups)

