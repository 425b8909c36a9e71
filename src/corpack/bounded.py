"""Read one resource file as an Arrow table within documented limits, for ``pkg diff`` and ``corpack.load``.

Both hold whole tables in memory, so a hostile file must be refused before it is decoded, not after it has
exhausted memory: a 16 KB Parquet file can hold a 512 MB string, or a dictionary entry repeated a million
times, and a CSV header can name 100,000 columns. :class:`Limits` says how much is read (the defaults suit
any package corpack builds, with room to spare); past a limit the read stops with a one-line
:class:`~corpack.errors.PackageError` naming the file, the column and the limit.

- **Parquet**: the footer is checked first: the number of columns and rows, and the uncompressed size of
  every column chunk (a chunk too large for the values it holds has a value past ``cell_bytes``; all chunks
  together must fit ``table_bytes``). Columns are then read one by one, batch by batch, with text kept
  dictionary-encoded as stored, so a repeated huge value is held once; the size the table will have once
  decoded is added up batch by batch and the read stops at the limit. A column stored with the prefix
  encoding ``DELTA_BYTE_ARRAY`` (whose values can share one long prefix) is read one row at a time.
- **CSV**: read with ``pkg validate``'s reader (:func:`dpcheck.batches.typed_batches`: the declared dialect,
  encoding and compression, cells as their field's type). The first line is read first (at most
  ``header_bytes`` of the inflated bytes) and its columns counted; the rows are then read batch by batch,
  each batch's decoded size added up, and the read stops past ``table_bytes`` or ``rows``; no cell may pass
  ``cell_bytes``.
- **JSON, NDJSON and inline** ``data``: read with the same reader (a file past 16 MiB a batch of rows at a
  time, as ``pkg validate`` reads it), only with a schema; the same row and size limits.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpack.errors import PackageError
from dpcheck import csvfile, infer, reading, tables
from dpcheck.batches import typed_batches
from dpcheck.descriptor import ResourceSpec
from dpcheck.reading import SourceError

_HINT = "diff and load hold whole tables in memory; if you trust this file, raise the limit with limits=Limits(...)"
_BATCH = 64 * 1024
# What a Parquet column chunk may hold beyond its values' bytes: per value (a length, levels, an index) and
# per chunk (page headers with statistics). A chunk larger than its values plus this holds a value past the
# cell limit.
_PER_VALUE = 16 << 10
_PER_CHUNK = 1 << 20


@dataclass(frozen=True)
class Limits:
    """How much of one resource file ``pkg diff`` and ``corpack.load`` read.

    Attributes:
        columns: most columns (Parquet: leaf columns) a table may have.
        rows: most rows a table may have.
        cell_bytes: largest single text or binary value, in bytes.
        table_bytes: most bytes a table may take once decoded (CSV: bytes read from the file).
        header_bytes: longest CSV header row, in bytes.
    """

    columns: int = 1_000
    rows: int = 100_000_000
    cell_bytes: int = 64 << 20
    table_bytes: int = 2 << 30
    header_bytes: int = 1 << 20


def _refuse(message: str, file: Path) -> PackageError:
    return PackageError(message + "; not read", file=file, hint=_HINT)


def _bytelike(t: pa.DataType) -> bool:
    return pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) or pa.types.is_large_binary(t) \
        or pa.types.is_string_view(t) or pa.types.is_binary_view(t)


def _measure(array: pa.Array) -> tuple[int, int]:
    """(bytes the array takes once decoded, its largest text or binary value); dictionaries counted decoded."""
    t = array.type
    if pa.types.is_dictionary(t):
        values, indices = array.dictionary, array.indices
        if _bytelike(values.type) and len(values):
            lengths = pc.binary_length(values)
            taken = pc.take(lengths, indices)
            total = (pc.sum(taken).as_py() or 0) + 4 * len(array)
            return total, pc.max(taken).as_py() or 0
        return array.nbytes, 0
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t) or pa.types.is_map(t):
        total, largest = _measure(pc.list_flatten(array))
        return total + 8 * len(array), largest
    if pa.types.is_struct(t):
        parts = [_measure(array.field(i)) for i in range(t.num_fields)]
        return sum(p[0] for p in parts) + len(array), max((p[1] for p in parts), default=0)
    if _bytelike(t) and len(array):
        return array.nbytes, pc.max(pc.binary_length(array)).as_py() or 0
    return array.nbytes, 0


class _Budget:
    """Adds up a table's decoded size and refuses it past the limits (``too_big`` says so, given ``limit``)."""

    _TOO_BIG = "the table takes more than the limit of {limit} bytes once decoded (at column {column!r})"

    def __init__(self, limits: Limits, file: Path, too_big: str = _TOO_BIG) -> None:
        self.limits, self.file, self.used, self.too_big = limits, file, 0, too_big

    def add(self, column: str, array: pa.Array) -> None:
        size, largest = _measure(array)
        if largest > self.limits.cell_bytes:
            raise _refuse(f"column {column!r} holds a value of {largest} bytes, more than the limit of {self.limits.cell_bytes}", self.file)
        self.used += size
        if self.used > self.limits.table_bytes:
            raise _refuse(self.too_big.format(limit=self.limits.table_bytes, column=column), self.file)


def _check_footer(meta: pq.FileMetaData, limits: Limits, file: Path) -> set[str]:
    """Check columns, rows and chunk sizes from the Parquet footer; return the leaf columns (paths) with a
    DELTA_BYTE_ARRAY chunk, which must be read a row at a time.

    Raises:
        PackageError: past a limit.
    """
    if meta.num_columns > limits.columns:
        raise _refuse(f"the file has {meta.num_columns} columns, more than the limit of {limits.columns}", file)
    if meta.num_rows > limits.rows:
        raise _refuse(f"the file has {meta.num_rows} rows, more than the limit of {limits.rows}", file)
    total, slow = 0, set()
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        for j in range(group.num_columns):
            chunk = group.column(j)
            size, values = chunk.total_uncompressed_size, max(chunk.num_values, 1)
            total += size
            if size > values * (limits.cell_bytes + _PER_VALUE) + _PER_CHUNK:
                raise _refuse(f"column {chunk.path_in_schema!r} holds a value larger than the limit of {limits.cell_bytes} bytes "
                              f"(row group {g}: {size} bytes uncompressed for {chunk.num_values} values)", file)
            if "DELTA_BYTE_ARRAY" in chunk.encodings:
                slow.add(chunk.path_in_schema)
    if total > limits.table_bytes:
        raise _refuse(f"the file holds {total} bytes uncompressed, more than the limit of {limits.table_bytes}", file)
    return slow


def read_parquet_parts(handles: list[BinaryIO], files: list[Path], limits: Limits) -> pa.Table:
    """Read the parts of a multipart Parquet resource (open as ``handles``) as one table, within ``limits``:
    each part's footer is checked alone, and the decoded size and rows of all parts are added up.

    Raises:
        PackageError: when a part is not readable Parquet, has other columns or types than the first, or the
            parts together pass a limit.
    """
    budget, tables, rows = _Budget(limits, files[0]), [], 0
    for i, (handle, file) in enumerate(zip(handles, files)):
        budget.file = file
        table = read_parquet(handle, file, limits, budget)
        rows += table.num_rows
        if rows > limits.rows:
            raise _refuse(f"the resource's parts have more than {limits.rows} rows, the limit", file)
        if tables and not table.schema.equals(tables[0].schema):
            raise PackageError(f"part {i + 1} of the resource has other columns or types than part 1", file=file)
        tables.append(table)
    return pa.concat_tables(tables)


def read_parquet(handle: BinaryIO, file: Path, limits: Limits, budget: _Budget | None = None) -> pa.Table:
    """Read a Parquet file (open as ``handle``) as a table, within ``limits`` (see the module docstring);
    ``budget`` adds its decoded size to that of other parts read before it.

    Raises:
        PackageError: when it is not readable Parquet, or past a limit.
    """
    try:
        plain = pq.ParquetFile(handle)
        slow = _check_footer(plain.metadata, limits, file)
        target = plain.schema_arrow
        nested_slow = sorted(path for path in slow if "." in path)
        if nested_slow:
            raise _refuse(f"column {nested_slow[0]!r} nests values stored with DELTA_BYTE_ARRAY, whose decoded size cannot be bounded", file)
        # Arrow cannot keep a DELTA_BYTE_ARRAY column as a dictionary; those are read a row at a time instead.
        leaves = [column.path for column in plain.schema if column.physical_type == "BYTE_ARRAY" and column.path not in slow]
        coded = pq.ParquetFile(handle, read_dictionary=leaves) if leaves else plain
        budget, columns = budget or _Budget(limits, file), []
        for index, name in enumerate(target.names):
            chunks = []
            for batch in coded.iter_batches(batch_size=1 if name in slow else _BATCH, columns=[name], use_threads=False):
                array = batch.column(0)
                budget.add(name, array)
                chunks.append(array)
            column = pa.chunked_array(chunks, type=coded.schema_arrow.field(index).type)
            columns.append(column.cast(target.field(index).type) if column.type != target.field(index).type else column)
        return pa.Table.from_arrays(columns, schema=target)
    except PackageError:
        raise
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise PackageError(f"not a readable Parquet file: {' '.join(str(exc).split())}", file=file) from None


def _check_first_line(source: csvfile.Source, limits: Limits, file: Path) -> None:
    """Read the first line of a CSV resource (its header, or its first row without one) from at most
    ``header_bytes`` of its inflated bytes, split by its dialect; refuse it past the limits.

    Raises:
        PackageError: past a limit, or when the declared encoding is not one Python knows.
    """
    try:
        codecs.lookup(source.encoding)
    except LookupError:
        raise PackageError(f"unknown encoding {source.encoding!r}", file=file, hint="declare an encoding Python knows, e.g. utf-8 or gb18030") from None
    try:
        with source.stream() as stream:
            raw = stream.read(limits.header_bytes + 1)
    except (csvfile.CsvError, *csvfile.READ_ERRORS) as exc:
        raise PackageError(f"not a readable CSV file: {' '.join(str(exc).split())}", file=file) from None
    text = raw[: limits.header_bytes].decode(source.encoding, errors="replace").removeprefix("\ufeff")
    d = source.dialect
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=d.delimiter, quotechar=d.quote_char,
                      doublequote=d.double_quote, escapechar=d.escape_char, skipinitialspace=d.skip_initial_space)
    header = next(rows, [])
    cut = len(raw) > limits.header_bytes and next(rows, None) is None  # the line goes on past what was read
    if len(header) > limits.columns:
        raise _refuse(f"the CSV header has {len(header)}{'+' if cut else ''} columns, more than the limit of {limits.columns}", file)
    if cut:
        raise _refuse(f"the CSV header row is longer than the limit of {limits.header_bytes} bytes", file)


def read_csv(spec: ResourceSpec, limits: Limits) -> pa.Table:
    """Read a vetted CSV resource (any compression dpcheck reads) as a table, within ``limits``.

    The rows come from :func:`dpcheck.batches.typed_batches`, the reader ``pkg validate`` uses: the declared
    dialect and encoding, each cell as its field's type (null where missing or not of the type). A resource
    without a schema is read with the one ``pkg validate`` and frictionless infer from its first rows
    (:func:`dpcheck.infer.from_rows`).
    The first line is checked first (see the module docstring); every batch is then added to the table's
    decoded size, and the read stops at a limit.

    Raises:
        PackageError: when it is not readable CSV in its declared encoding, or past a limit.
    """
    file = spec.paths[0]
    fmt, compression = reading.csv_format(spec)
    source = csvfile.Source.of(spec.paths, spec.descriptor, fmt, compression)
    _check_first_line(source, limits, file)
    if not tables.fields_of(spec.schema):
        schema = infer.from_rows(source, spec.name, spec.file)
        spec = dataclasses.replace(spec, schema=schema, descriptor={**spec.descriptor, "schema": schema})
    return _gathered(spec, limits, file, "CSV", "CSV file")


def read_rows(spec: ResourceSpec, limits: Limits, file: Path) -> pa.Table:
    """Read a vetted JSON, NDJSON or inline resource (``file``: its file, or the descriptor for inline data) as
    a table, within ``limits``: the rows as ``pkg validate`` reads them (:mod:`dpcheck.jsonfile`), each cell as
    its field's type.

    Raises:
        PackageError: when it has no schema, is not readable as its format, or is past a limit.
    """
    if not tables.fields_of(spec.schema):
        raise _refuse("rows held as JSON are read as a table only with a schema, and it has none", file)
    what = "JSON" if spec.paths else "inline data"
    return _gathered(spec, limits, file, what, f"{what} table")


def _gathered(spec: ResourceSpec, limits: Limits, file: Path, what: str, kind: str) -> pa.Table:
    """The batches of :func:`dpcheck.batches.typed_batches` as one table, refused past ``limits`` (messages name
    the data ``what`` and, when it cannot be read, as ``kind``)."""
    fields = tables.fields_of(spec.schema)
    budget, parts, rows = _Budget(limits, file, f"the {what} holds more than the limit of {{limit}} bytes"), [], 0
    try:
        for batch in typed_batches(spec):
            rows += batch.num_rows
            if rows > limits.rows:
                raise _refuse(f"the {what} has more than {limits.rows} rows, the limit", file)
            for name, column in zip(batch.table.column_names, batch.table.columns):
                for chunk in column.chunks:
                    budget.add(name, chunk)
            parts.append(batch.table)
    except SourceError as exc:
        raise PackageError(f"not a readable {kind}: {exc}", file=file) from None
    if not parts:
        return pa.table({fd["name"]: pa.array([], pa.string()) for fd in fields})
    return pa.concat_tables(parts)
