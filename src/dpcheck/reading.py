"""Open a resource's files as Arrow columns: Parquet natively, CSV as text cells read as their field's type.

Both formats are checked in one loop (:mod:`~dpcheck.driver`): Parquet row group by row group from
``TableData.parts`` (:mod:`~dpcheck.stream`), CSV batch by batch from ``TableData.source``
(:mod:`~dpcheck.csvcheck`). The table the loop returns is what the checks after it read:
``TableData.column`` reads one whole column for those that need one (keys too small or of a type DuckDB is
not given, plug-ins); for CSV only the key columns are kept (as their types) and any other column is read
again from the file.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dpcheck import csvfile, jsonfile
from dpcheck.descriptor import ResourceSpec
from dpcheck.inline import InlineSource
from dpcheck.model import Field
from dpcheck.regularfile import NotRegularFile, open_file
from dpcheck.report import Finding, Report

PARQUET = frozenset({"parquet", "parq", "pq"})
CSV = frozenset({"csv", "tsv"})
FIRST_ROW = 2  # frictionless numbering: the header is row 1, so data row i (0-based) is row i + 2



class SourceError(Exception):
    """A resource's file cannot be read as its format; the message says why."""


def reason(exc: Exception) -> str:
    """An Arrow or OS error as one line (Arrow messages can span lines)."""
    return " ".join(str(exc).split())


@dataclass
class TableData:
    """A resource's data as Arrow columns.

    Attributes:
        columns: column names in file order.
        types: the Arrow type of each column (dictionary columns report their value type).
        num_rows: how many data rows there are.
        read: returns a column as a chunked array; raises :class:`SourceError`.
        parsed: text columns already read as their field's type, by name (they replace the text for keys).
        parts: a Parquet resource's open files, in order, for reading row group by row group; [] for CSV.
        paths: the files of ``parts`` as paths, for DuckDB.
        source: a CSV resource's bytes and dialect (or an inline resource's rows), read batch by batch; None for Parquet.
        first_row: the row number of the first data row (2 below a header, 1 in a CSV without one).
        distinct_keys: keys (tuples of column names) found, while streaming, to have no null and no repeated
            value: strictly increasing, or with no repeated hash.
        repeated_keys: keys found, while streaming, to have no null and a repeated hash: the full check lists
            the repeats without hashing the key again (comparing the values, it also rules out a collision).
        orphans: foreign keys checked while streaming, by their position in the model's ``Schema.foreign_keys``: (the first rows
            with no match, their messages, how many there are).
        spool: for CSV, a context manager giving the named columns as a table over a temporary Parquet
            file (for the full key checks); None for Parquet.
        handles: the files ``parts`` read from, opened by :func:`~dpcheck.regularfile.open_file`
            (so what was checked to be a regular file is what is read); :meth:`close` closes them.
        missing: a Parquet resource's string columns whose cells are missing when they are one of these values
            (their field's ``missingValues``, ``""`` by default): read as nulls (see :func:`nulled`).
    """

    columns: list[str]
    types: dict[str, pa.DataType]
    num_rows: int
    read: Callable[[str], pa.ChunkedArray]
    parsed: dict[str, pa.ChunkedArray] = field(default_factory=dict)
    parts: list[pq.ParquetFile] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    source: csvfile.Source | InlineSource | None = None
    first_row: int = FIRST_ROW
    distinct_keys: set[tuple[str, ...]] = field(default_factory=set)
    repeated_keys: set[tuple[str, ...]] = field(default_factory=set)
    orphans: dict[int, tuple[list[int], list[str], int]] = field(default_factory=dict)
    spool: Callable[[list[str]], AbstractContextManager[TableData]] | None = None
    handles: list[BinaryIO] = field(default_factory=list)
    missing: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def close(self) -> None:
        """Close the files the table holds open (a Parquet resource's parts); calling it again does nothing."""
        while self.handles:
            self.handles.pop().close()

    def column(self, name: str) -> pa.ChunkedArray:
        """Return column ``name`` with dictionary encoding undone, as its field's type once parsed.

        Raises:
            SourceError: when the file cannot be decoded.
        """
        return plain(self.stored(name))

    def stored(self, name: str) -> pa.ChunkedArray:
        """Return column ``name`` as held: a kept CSV column may be a dictionary (see csvcheck.check_csv).

        Raises:
            SourceError: when the file cannot be decoded.
        """
        return self.parsed[name] if name in self.parsed else self.read(name)

    def table(self, names: list[str]) -> pa.Table:
        """Return the named columns plus ``__row`` (the frictionless row number of each row)."""
        arrays = {name: self.column(name) for name in names}
        arrays["__row"] = pa.array(np.arange(self.first_row, self.num_rows + self.first_row, dtype=np.int64))
        return pa.table(arrays)


def value_type(t: pa.DataType) -> pa.DataType:
    """The type of a column's values: a dictionary's value type, else ``t`` itself."""
    return t.value_type if pa.types.is_dictionary(t) else t


def is_text(t: pa.DataType) -> bool:
    """Whether an Arrow type holds strings."""
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def plain(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """A column with dictionary encoding undone (any other column as it is)."""
    return pc.cast(col, col.type.value_type) if pa.types.is_dictionary(col.type) else col


def missing_strings(spec: ResourceSpec, types: dict[str, pa.DataType]) -> dict[str, tuple[str, ...]]:
    """For the string columns of a Parquet resource (``types``: each column's value type) that a field reads,
    the values that mean one of their cells is missing: its ``missingValues``. A missing value is a string
    where the file holds one (Table Schema: "values that, when encountered in the source, should be
    considered as not present"), so an empty string in a Parquet column is missing as an empty CSV cell is,
    as frictionless reads it too."""
    schema = spec.resource.schema
    if schema is None:
        return {}
    out = {}
    for name, t in types.items():
        fd = schema.field(name)
        values = schema.missing_for(fd) if fd is not None and is_text(t) else ()
        if values:
            out[name] = values
    return out


def nulled(col: pa.ChunkedArray, values: tuple[str, ...] | None) -> pa.ChunkedArray:
    """``col`` with the cells that are one of ``values`` (missing values) made null; as it is when it holds
    none, is not of strings, or ``values`` is None. A dictionary column holding one is read plain."""
    if not values or not is_text(value_type(col.type)):
        return col
    if pa.types.is_dictionary(col.type):
        if not any(pc.any(pc.is_in(chunk.dictionary, value_set=pa.array(values, chunk.dictionary.type))).as_py()
                   for chunk in col.chunks if len(chunk.dictionary)):
            return col
        col = plain(col)
    gone = pc.is_in(col, value_set=pa.array(values, col.type)) if len(values) > 1 else pc.equal(col, pa.scalar(values[0], col.type))
    return pc.if_else(gone, pa.scalar(None, col.type), col) if pc.any(gone).as_py() else col


def _open_parquet(spec: ResourceSpec) -> TableData:
    parts, handles = [], []
    try:
        for path in spec.paths:
            # Arrow would open the path itself (a FIFO blocks it, a device feeds it forever): it is given a
            # handle on the very file checked to be regular; stream.py and sqlkeys.py reopen by path.
            handles.append(open_file(path))
            parts.append(pq.ParquetFile(handles[-1]))
    except BaseException as exc:
        for handle in handles:
            handle.close()
        if isinstance(exc, NotRegularFile):
            raise SourceError(f"the file {exc.strerror}; it is not read") from None
        if isinstance(exc, (pa.ArrowException, OSError)) and not isinstance(exc, MemoryError):
            raise SourceError(f"not a readable Parquet file: {reason(exc)}") from None
        raise
    schema = parts[0].schema_arrow
    for i, part in enumerate(parts[1:], start=2):
        if not part.schema_arrow.equals(schema):
            for handle in handles:
                handle.close()
            raise SourceError(f"part {i} of the resource has different columns or types from part 1")
    types = {f.name: value_type(f.type) for f in schema}
    missing = missing_strings(spec, types)

    def read(name: str) -> pa.ChunkedArray:
        try:
            chunks = [chunk for part in parts for chunk in part.read(columns=[name]).column(0).chunks]
            for chunk in chunks:
                chunk.validate(full=True)  # Parquet readers do not check that strings are UTF-8
        except MemoryError:
            raise
        except (pa.ArrowException, OSError) as exc:
            raise SourceError(f"cannot read column {name!r}: {reason(exc)}") from None
        return nulled(pa.chunked_array(chunks, type=schema.field(name).type), missing.get(name))

    return TableData(schema.names, types, sum(p.metadata.num_rows for p in parts), read, parts=parts,
                     paths=[str(path) for path in spec.paths], handles=handles, missing=missing)


def _open_csv(spec: ResourceSpec, compression: str | None) -> TableData:
    """A CSV resource, to be read batch by batch by :func:`dpcheck.csvcheck.check_csv`, which gives
    its columns and row count."""
    source = csvfile.Source.of(spec.paths, spec.descriptor, spec.format, compression)
    return TableData([], {}, 0, _unread, source=source)


_LINE_BREAKS = ("\r\n", "\n", "\r")  # where rows end, whatever the dialect's lineTerminator says


def _terminator_notice(spec: ResourceSpec, report: Report) -> None:
    """A ``not-checked`` notice when a CSV resource's ``lineTerminator`` is not a line break.

    Rows end at a line break however the dialect spells it, as Python's csv module (and so frictionless) reads
    them; the spec asks an implementation to tell its users when it does not support a property.
    """
    terminator = spec.resource.dialect.line_terminator
    if terminator not in _LINE_BREAKS:
        report.add(Finding("not-checked", f"the dialect's lineTerminator {terminator!r} is not applied: rows are split at "
                           "line breaks (\\n, \\r\\n or \\r), as frictionless splits them", spec.name, spec.file))


def _unread(name: str) -> pa.ChunkedArray:
    raise SourceError(f"column {name!r} was read before the rows")


def csv_format(spec: ResourceSpec) -> tuple[str | None, str | None]:
    """A resource's (format, compression): ``data.csv.gz`` is CSV compressed with gz, as frictionless reads it."""
    declared = spec.descriptor.get("compression")
    compression = declared.lower() if isinstance(declared, str) and declared.lower() in csvfile.COMPRESSIONS else None
    fmt = spec.format
    if fmt in csvfile.COMPRESSIONS and not isinstance(spec.descriptor.get("format"), str):
        compression = compression or fmt
        inner = spec.paths[0].name.rsplit(".", 2) if spec.paths else []
        fmt = inner[-2].lower() if len(inner) == 3 else None
    return fmt, compression


def held_as_json(spec: ResourceSpec) -> bool:
    """Whether a resource's rows are held as JSON: inline ``data``, or a JSON or NDJSON file (compressed or not)."""
    return spec.inline or csv_format(spec)[0] in jsonfile.FORMATS


def missing_values(spec: ResourceSpec, field: Field | None = None) -> list[str]:
    """The values that mean a cell is missing, as the model normalises them (v2 ``{"value", "label"}`` objects
    give their value): ``field``'s own ``missingValues`` when it has a list, else the schema's (``[""]`` by
    default); the schema's when no field is given."""
    schema = spec.resource.schema
    if schema is None:
        return [""]
    return list(schema.missing_values if field is None else schema.missing_for(field))


def read_groups(part: pq.ParquetFile, groups: list[int], names: list[str],
                missing: dict[str, tuple[str, ...]] | None = None) -> pa.Table:
    """Read some row groups of a Parquet part, checking that its strings are UTF-8 (Parquet readers do not),
    the ``missing`` values of its string columns made null (see :attr:`TableData.missing`).

    Raises:
        SourceError: when the columns cannot be read, naming them.
    """
    try:
        table = part.read_row_groups(groups, columns=names, use_threads=False)
        for col in table.columns:
            for chunk in col.chunks:
                chunk.validate(full=True)
    except MemoryError:
        raise
    except (pa.ArrowException, OSError) as exc:
        what = f"column {names[0]!r}" if len(names) == 1 else "columns " + ", ".join(map(repr, names))
        raise SourceError(f"cannot read {what}: {reason(exc)}") from None
    for i, name in enumerate(table.column_names):
        if missing and name in missing:
            table = table.set_column(i, name, nulled(table.column(i), missing[name]))
    return table


def readable(spec: ResourceSpec) -> bool:
    """Whether the resource is a table even without a schema (one is then inferred): Parquet, CSV or TSV files
    (compressed or not), inline ``data``. A JSON or NDJSON file is read as a table only with a schema."""
    if not spec.paths:
        return spec.inline
    return spec.format in PARQUET or csv_format(spec)[0] in CSV


def open_table(spec: ResourceSpec, report: Report) -> TableData | None:
    """Open a resource's data (its files, or its inline ``data``); return None after a finding saying why its
    rows are not read (a ``not-checked`` notice for a format dpcheck does not read, see :mod:`~dpcheck.jsonfile`
    for JSON).

    Raises:
        SourceError: when the files are not readable in their format.
    """
    if spec.inline:
        try:
            source = InlineSource.of(spec, spec.descriptor["data"])
        except ValueError as exc:
            raise SourceError(f"the inline data's {exc}") from None
        return TableData([], {}, 0, _unread, source=source)
    if spec.format in PARQUET:
        return _open_parquet(spec)
    fmt, compression = csv_format(spec)
    if fmt in CSV:
        _terminator_notice(spec, report)
        return _open_csv(spec, compression)
    if fmt in jsonfile.FORMATS:
        try:
            source = jsonfile.open_json(spec, report, fmt, compression)
        except jsonfile.JsonError as exc:
            raise SourceError(str(exc)) from None
        except csvfile.READ_ERRORS as exc:
            raise SourceError(f"the file cannot be read: {reason(exc)}") from None
        return None if source is None else TableData([], {}, 0, _unread, source=source)
    report.add(Finding("not-checked", f"this validator does not read {spec.format!r} files (it reads CSV, TSV, Parquet, JSON, NDJSON and "
                       "inline data); the rows are not checked", spec.name, spec.file))
    return None
