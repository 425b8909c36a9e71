"""The CSV reader of the one loop: a CSV resource (or inline rows) read batch by batch, in one pass.

:class:`CsvReader` pairs the header with the schema's fields as ``fieldsMatch`` says
(:mod:`~dpcheck.csvlabels`) and gives the rows as :class:`~dpcheck.driver.Batch` es of text cells, each with
its rows' shape (cells per row, blank rows) and the number of its first row (2 below a one-line header, 1 in
a file without one); :func:`check_csv` runs :func:`dpcheck.tablecheck.check_table` over it, the one loop and
the checks Parquet gets, batches split here and checked on threads as Parquet's are. Memory holds a few
batches, the columns other checks need later (foreign keys not looked up while the rows stream, as their
types, strings as a dictionary per batch) and, for a key whose values do not increase, 8 bytes a row of
hash. A key that needs the full check is read again into a temporary Parquet file (``TableData.spool``), and
``TableData.column`` reads any other column from the file again.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from dpcheck import cells, csvfile, csvlabels, driver, reading, tables
from dpcheck.descriptor import ResourceSpec
from dpcheck.driver import Batch, Shape
from dpcheck.inline import InlineSource
from dpcheck.keys import Lookup
from dpcheck.reading import SourceError, TableData, reason
from dpcheck.recorder import Recorder, Rows
from dpcheck.report import Finding, Report
from dpcheck.tablecheck import check_table
from dpcheck.tableschema import Field

_SORTABLE = ("string", "integer", "year", "date", "boolean")  # field types whose values Arrow and Python order alike
SPOOL_ROWS = 65_536  # rows per row group of a spooled key file
Source = csvfile.Source | InlineSource  # where rows come from: a CSV resource's files, or inline data


def check_csv(spec: ResourceSpec, source: Source, report: Report, keep: Collection[str] = (),
              lookups: Collection[Lookup] = ()) -> TableData | None:
    """Check a CSV resource (or inline rows) batch by batch: its header, the structure of its rows and every
    field's cells; return the table as read, for the key checks and plug-ins that come after.

    Args:
        keep: fields that other resources' foreign keys refer to (kept as their types, with the resource's
            own foreign key fields but those in ``lookups``).
        lookups: foreign keys to check while the rows stream (see :func:`dpcheck.keys.lookups`).

    Returns:
        None when the bytes are not in the declared encoding (an ``encoding-error`` is reported and no row is
        checked); otherwise the table: its columns, their types, the row count, the kept key columns and the
        keys found distinct on the way.

    Raises:
        SourceError: when the file cannot be read, inflated or split into rows.
    """
    python = not source.arrow_ok()
    while True:
        try:
            reader = CsvReader.open(spec, source, python, report.limit)
            if not isinstance(reader, CsvReader):
                if reader is not None:
                    report.add(reader)
                return None
            return check_table(spec, reader, report, lookups, keep=keep)
        except csvfile.Restart:
            python = True  # Arrow met a ragged row part way: read it all again with Python's reader
        except csvfile.Undecodable as exc:
            report.add(csvfile.undecodable(exc, source, spec.name, spec.file))
            return None
        except csvfile.CsvError as exc:
            raise SourceError(str(exc)) from None
        except csvfile.READ_ERRORS as exc:
            raise SourceError(f"cannot read the file: {getattr(exc, 'strerror', None) or reason(exc)}") from None


def _reference_fields(spec: ResourceSpec, looked_up: Collection[int] = ()) -> set[str]:
    """The fields of a resource's foreign keys (but those at the positions ``looked_up``), and the fields its
    self-references point at."""
    schema = spec.resource.schema
    out: set[str] = set()
    for index, fk in enumerate(schema.foreign_keys if schema is not None else ()):
        if index not in looked_up:
            out |= set(fk.fields)
        if fk.target(spec.name) == spec.name:
            out |= set(fk.reference_fields)
    return out


def value_types(spec: ResourceSpec) -> dict[str, pa.DataType]:
    """The Arrow type of the values of each string and integer field of a CSV resource (its first field of a
    name), as its cells are read: what a foreign key looked up while the rows stream is compared as."""
    out: dict[str, pa.DataType] = {}
    for fd in tables.fields(spec):
        kind = cells.kind(fd)
        if fd.name not in out and kind in ("string", "integer"):
            out[fd.name] = cells.value_type(kind)
    return out


class CsvReader:
    """A CSV resource for :func:`dpcheck.tablecheck.check_table`: one read of its rows, from the first.

    Reading raises, from the batches, what :func:`check_csv` handles: :class:`csvfile.Restart` (Arrow met a
    ragged row), :class:`csvfile.Undecodable`, :class:`csvfile.CsvError` and read errors.
    """

    def __init__(self, spec: ResourceSpec, source: Source, python: bool, labels: list[str], batches: Iterator[csvfile.Batch],
                 head: Recorder) -> None:
        self.spec, self.source, self.python = spec, source, python
        self.fields = tables.fields(spec)
        schema = spec.resource.schema
        mode = schema.fields_match if schema is not None else "exact"
        self.layout = csvlabels.layout(labels if source.dialect.header else None, [fd.name for fd in self.fields],
                                       csvlabels.required(schema), mode, spec.name, spec.file, head,
                                       delimiter=source.dialect.delimiter)
        self.head: list[Rows | Finding] = head.events
        self.first_row = csvfile.first_row(source.dialect)
        self.texts = frozenset(i for i, position in enumerate(self.layout.positions) if position is not None)
        self._batches = batches

    @classmethod
    def open(cls, spec: ResourceSpec, source: Source, python: bool, limit: int) -> CsvReader | Finding | None:
        """Start reading; an ``encoding-error`` finding, or None after reporting an unknown encoding, when the
        header cannot be decoded."""
        head = Recorder(limit, 0)
        opened = source.open(python, head, spec.name, spec.file)
        if opened is None:
            return head.events[0] if head.events and isinstance(head.events[0], Finding) else None
        return cls(spec, source, python, *opened, head)

    def present(self, index: int) -> bool:
        """Whether the header (or, without one, the field's position) gives field ``index`` a column."""
        return self.layout.positions[index] is not None

    def stored_type(self, index: int) -> pa.DataType | None:
        return None  # (text cells, read as their field's type)

    def sortable(self, names: Sequence[str]) -> bool:
        """Whether a key's values (its fields' cells read as their types) compare alike in Arrow and Python,
        so that their order may settle it: strings (by their UTF-8 bytes), integers, years, dates, booleans."""
        kinds = {fd.name: cells.kind(fd) for fd in reversed(self.fields)}  # (a repeated name: its first field)
        return all(kinds.get(name) in _SORTABLE for name in names)

    def kept(self, keep: Collection[str], looked_up: Collection[int] = ()) -> set[str]:
        """The columns to hold as their types: those other resources' foreign keys refer to, and its own
        foreign keys' (but for those looked up while the rows stream, by position in the schema)."""
        return set(keep) | _reference_fields(self.spec, looked_up)

    def read(self) -> driver.Read:
        """The batches as the file is split, read one after the other here and checked on
        :data:`dpcheck.driver.WORKERS` threads (at most :data:`dpcheck.driver.WINDOW` in hand)."""
        return driver.Read(self._loaders(), driver.WORKERS)

    def _loaders(self) -> Iterator[Callable[[], Batch]]:
        expected = self.layout.expected
        positions = self.layout.positions
        missing = [reading.missing_values(self.spec, fd) for fd in self.fields]
        offset = 0
        for raw in self._batches:
            n = raw.num_rows
            every = [raw.column(i) for i in range(len(expected))]
            row_len = raw.row_len if raw.row_len is not None else len(raw.cells)  # (every row as long)
            blank = csvlabels.blank_rows(every, reading.missing_values(self.spec), n)

            def column(index: int, raw: csvfile.Batch = raw) -> pa.ChunkedArray | None:
                position = positions[index]
                return None if position is None else raw.column(position)

            batch = Batch(offset, offset + self.first_row, n, self.fields, missing, column, self.texts, skip=blank,
                          shape=Shape(row_len, tuple(expected), blank))
            offset += n
            yield lambda batch=batch: batch

    def table(self, rows: int, kept: dict[str, pa.ChunkedArray], distinct: set[tuple[str, ...]],
              repeated: set[tuple[str, ...]], orphans: dict[int, tuple[list[int], list[str], int]]) -> TableData:
        """The table as read: its columns, their types, the row count, the kept columns (any other is read
        again from the file) and the keys found distinct or with repeated hashes."""
        where: dict[str, tuple[Field, int]] = {}  # each field name's first field and its column
        for fd, position in zip(self.fields, self.layout.positions):
            if position is not None:
                where.setdefault(fd.name, (fd, position))
        spec, source, python, first_row = self.spec, self.source, self.python, self.first_row

        def read_again(name: str) -> pa.ChunkedArray:
            fd, position = where[name]
            return _csv_column(spec, source, fd, position, python)

        def spool(key: list[str]) -> Any:
            return _spooled(spec, first_row, source, [where[name][0] for name in key], [where[name][1] for name in key], python)

        present = self.layout.present([fd.name for fd in self.fields])
        # (a column not kept is read again as its field's type, so a foreign key into a table of no rows compares
        # values as they are, not as text, as a Parquet table's do)
        types = {name: reading.value_type(kept[name].type) if name in kept else cells.read_type(where[name][0]) for name in present}
        return TableData(present, types, rows, read_again, parsed=kept, source=source, first_row=first_row,
                         distinct_keys=distinct, repeated_keys=repeated, orphans=orphans, spool=spool)


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
                parsed = cells.parse(batch.column(position), fd, reading.missing_values(spec, fd))
                out.append(parsed.values.combine_chunks())
            yield out
    except (csvfile.CsvError, csvfile.Restart, csvfile.Undecodable, cells.FieldError, *csvfile.READ_ERRORS) as exc:
        names = ", ".join(repr(fd.name) for fd in fds)
        raise SourceError(f"cannot read column {names} again: {reason(exc)}") from None


def _csv_column(spec: ResourceSpec, source: Source, fd: Field, position: int, python: bool) -> pa.ChunkedArray:
    """Read one field of a CSV resource again, as its type (for the corpus and fact checks)."""
    chunks = [batch[0] for batch in _csv_batches(spec, source, [fd], [position], python)]
    return pa.chunked_array(chunks, chunks[0].type if chunks else cells.read_type(fd))


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
