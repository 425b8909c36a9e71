"""Open a resource's files as Arrow columns: Parquet natively, CSV read as strings and cast per field.

Parquet columns are read one at a time (``TableData.column``), so memory holds a column, not a table. A CSV
file is small enough by nature to read whole; its cells are cast to the schema's types here, and cells
that do not parse become ``type-error`` findings with their row, as frictionless reports them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

from corpack.validate.descriptor import ResourceSpec
from corpack.validate.report import Finding, Report

PARQUET = frozenset({"parquet", "parq", "pq"})
CSV = frozenset({"csv", "tsv"})
FIRST_ROW = 2  # frictionless numbering: the header is row 1, so data row i (0-based) is row i + 2

_INTEGER = r"^[+-]?[0-9]+$"
_NUMBER = r"^[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$"
_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
_YEAR = r"^[0-9]{4}$"


class SourceError(Exception):
    """A resource's file cannot be read as its format; the message says why."""


def _reason(exc: Exception) -> str:
    """An Arrow or OS error as one line (Arrow messages can span lines)."""
    return " ".join(str(exc).split())


@dataclass
class TableData:
    """A resource's data as Arrow columns.

    Attributes:
        columns: column names in file order.
        types: the Arrow type of each column (dictionary columns report their value type).
        num_rows: how many data rows there are.
        physical: whether the types are the file's own (Parquet), so they can be checked against the schema.
        read: returns a column as a chunked array; raises :class:`SourceError`.
    """

    columns: list[str]
    types: dict[str, pa.DataType]
    num_rows: int
    physical: bool
    read: Callable[[str], pa.ChunkedArray]

    def column(self, name: str) -> pa.ChunkedArray:
        """Return column ``name`` with dictionary encoding undone.

        Raises:
            SourceError: when the file cannot be decoded.
        """
        col = self.read(name)
        if pa.types.is_dictionary(col.type):
            col = pc.cast(col, col.type.value_type)
        return col

    def table(self, names: list[str]) -> pa.Table:
        """Return the named columns plus ``__row`` (the frictionless row number of each row)."""
        arrays = {name: self.column(name) for name in names}
        arrays["__row"] = pa.array(np.arange(FIRST_ROW, self.num_rows + FIRST_ROW, dtype=np.int64))
        return pa.table(arrays)


def _open_parquet(spec: ResourceSpec) -> TableData:
    try:
        parts = [pq.ParquetFile(path) for path in spec.paths]
    except (pa.ArrowException, OSError) as exc:
        raise SourceError(f"not a readable Parquet file: {_reason(exc)}") from None
    schema = parts[0].schema_arrow
    for i, part in enumerate(parts[1:], start=2):
        if not part.schema_arrow.equals(schema):
            raise SourceError(f"part {i} of the resource has different columns or types from part 1")
    types = {f.name: f.type.value_type if pa.types.is_dictionary(f.type) else f.type for f in schema}

    def read(name: str) -> pa.ChunkedArray:
        try:
            chunks = [chunk for part in parts for chunk in part.read(columns=[name]).column(0).chunks]
            for chunk in chunks:
                chunk.validate(full=True)  # Parquet readers do not check that strings are UTF-8
        except (pa.ArrowException, OSError) as exc:
            raise SourceError(f"cannot read column {name!r}: {_reason(exc)}") from None
        return pa.chunked_array(chunks, type=schema.field(name).type)

    return TableData(schema.names, types, sum(p.metadata.num_rows for p in parts), True, read)


def _bad(col: pa.ChunkedArray, ok: pa.ChunkedArray) -> pa.ChunkedArray:
    """Cells that are present but did not parse."""
    return pc.and_(pc.is_valid(col), pc.invert(pc.fill_null(ok, False)))


def _parse(col: pa.ChunkedArray, field: dict[str, Any]) -> tuple[pa.ChunkedArray, pa.ChunkedArray | None]:
    """Cast a CSV string column to its field's type; return (values, mask of cells that did not parse)."""
    kind = field.get("type", "string")
    if kind in ("integer", "year"):
        ok = pc.match_substring_regex(col, _INTEGER if kind == "integer" else _YEAR)
        return pc.cast(pc.if_else(ok, col, None), pa.int64()), _bad(col, ok)
    if kind == "number":
        ok = pc.match_substring_regex(col, _NUMBER)
        return pc.cast(pc.if_else(ok, col, None), pa.float64()), _bad(col, ok)
    if kind == "boolean":
        true = pa.array(field.get("trueValues", ["true", "True", "TRUE", "1"]), pa.string())
        false = pa.array(field.get("falseValues", ["false", "False", "FALSE", "0"]), pa.string())
        is_true, is_false = pc.is_in(col, value_set=true), pc.is_in(col, value_set=false)
        bad = _bad(col, pc.or_(is_true, is_false))
        return pc.if_else(bad, pa.scalar(None, pa.bool_()), is_true), bad
    if kind == "date" and field.get("format", "default") == "default":
        stamp = pc.strptime(pc.if_else(pc.match_substring_regex(col, _DATE), col, None), format="%Y-%m-%d", unit="s", error_is_null=True)
        ok = pc.equal(pc.strftime(stamp, format="%Y-%m-%d"), col)  # strptime rolls 02-30 over; reject that
        return pc.cast(pc.if_else(pc.fill_null(ok, False), stamp, None), pa.date32()), _bad(col, ok)
    return col, None


def _open_csv(spec: ResourceSpec, report: Report) -> TableData:
    if len(spec.paths) != 1:
        raise SourceError("multipart CSV resources are not supported yet")
    dialect = spec.descriptor.get("dialect")
    delimiter = dialect.get("delimiter", ",") if isinstance(dialect, dict) else ("\t" if spec.format == "tsv" else ",")
    schema = spec.schema or {}
    missing = schema.get("missingValues", [""])
    try:
        names = pcsv.open_csv(spec.paths[0], parse_options=pcsv.ParseOptions(delimiter=delimiter)).schema.names
        convert = pcsv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            null_values=[v for v in missing if isinstance(v, str)],
            strings_can_be_null=True,
        )
        table = pcsv.read_csv(spec.paths[0], parse_options=pcsv.ParseOptions(delimiter=delimiter), convert_options=convert)
    except (pa.ArrowException, OSError) as exc:
        raise SourceError(f"not a readable CSV file: {_reason(exc)}") from None
    fields = {f.get("name"): f for f in schema.get("fields", []) if isinstance(f, dict)}
    columns: dict[str, pa.ChunkedArray] = {}
    for name in table.column_names:
        col = table.column(name)
        if name in fields:
            try:
                col, bad = _parse(col, fields[name])
            except pa.ArrowException as exc:
                report.add(Finding("type-error", f"cannot cast to {fields[name].get('type')}: {_reason(exc)}", spec.name, spec.file, field=name))
                bad = None
            if bad is not None:
                rows = pc.add(pc.indices_nonzero(bad), FIRST_ROW)
                kind = fields[name].get("type")
                report.add_rows("type-error", f"cell is not a valid {kind}", resource=spec.name, file=spec.file,
                                field=name, rows=rows.slice(0, report.limit).to_pylist(), total=len(rows))
        columns[name] = col
    types = {name: col.type for name, col in columns.items()}
    return TableData(list(columns), types, table.num_rows, False, lambda name: columns[name])


def open_table(spec: ResourceSpec, report: Report) -> TableData | None:
    """Open a resource's data; return None (after a ``resource-error``) for a format we cannot read yet.

    Raises:
        SourceError: when the files are not readable in their format.
    """
    if spec.format in PARQUET:
        return _open_parquet(spec)
    if spec.format in CSV:
        return _open_csv(spec, report)
    report.add(Finding("resource-error", f"format {spec.format!r} is not supported yet; its rows are not checked", spec.name, spec.file))
    return None
