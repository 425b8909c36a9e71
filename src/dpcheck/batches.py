"""A resource's rows as typed Arrow batches, each with the number of its first row: the reader for plug-ins.

This is the public reader a check outside the generic ones (a host's plug-in, ``pkg diff``, a loader) uses,
so that it reads a resource the way ``pkg validate`` does and numbers rows the way its findings do::

    from dpcheck.batches import typed_batches

    for batch in typed_batches(spec, columns=["doc_id", "char_start"]):
        starts = batch.table.column("char_start")          # int64 in CSV as in Parquet
        rows = batch.row_numbers()                          # the rows findings name

The same resource as Parquet and as CSV gives batches with the same column types and the same row numbers:

- **Parquet**: whole row groups as stored (dictionary columns decoded); a field stored as text whose type has
  no Parquet form (a ``duration``, a ``geojson``) is read as a CSV cell would be (see below). Rows are
  numbered from 2, as frictionless numbers them (the header it would write is row 1).
- **CSV** (and TSV, compressed or in parts): text cells read as their field's type by
  :func:`dpcheck.cells.parse` with the schema's ``missingValues``: ``integer``/``year`` as int64, ``number`` as
  float64, ``boolean``, ``date`` (default format) as date32, ``string`` as string. A missing cell, or one
  that is not of the type, is null (the generic checks report it; a plug-in need not). Fields of other
  types (``datetime`` and ``time``, formats, ``duration``, ``geopoint``, ``object``...) come as their text
  with missing values nulled. Rows are numbered from the first data row: 2 below a one-line header, 1 in
  a file without a header, ``headerRows[-1] + 1`` below a multi-line header; blank rows keep their number.
- **JSON, NDJSON and inline** ``data``: the rows read as :mod:`dpcheck.jsonfile` and :mod:`dpcheck.inline`
  read them, their cells as CSV cells, numbered as CSV rows are (from 2 below a header row or for objects).

The batches are those of the one loop ``pkg validate`` runs (:mod:`~dpcheck.driver`), from the same readers
(:class:`dpcheck.stream.ParquetReader`, :class:`dpcheck.csvcheck.CsvReader`), read one after the other.
A field the file has no column for is left out of ``table``. The API is stable; it takes the
:class:`~dpcheck.descriptor.ResourceSpec` the descriptor stage returns (and will take the frozen model's
resource the same way).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from dpcheck import csvfile, driver, reading, tables
from dpcheck.csvcheck import CsvReader
from dpcheck.descriptor import ResourceSpec
from dpcheck.inline import InlineSource
from dpcheck.reading import SourceError, reason
from dpcheck.report import Report
from dpcheck.stream import ParquetReader


@dataclass(frozen=True)
class TypedBatch:
    """Consecutive rows of one resource.

    Attributes:
        first_row: the number findings give the batch's first row; row ``i`` of ``table`` is ``first_row + i``.
        table: one column per field asked for that the file has, named as the field, typed as above.
    """

    first_row: int
    table: pa.Table

    @property
    def num_rows(self) -> int:
        """How many rows the batch holds."""
        return self.table.num_rows

    def row_numbers(self) -> pa.Array:
        """The row number of each row of the batch, as int64."""
        return pa.array(np.arange(self.first_row, self.first_row + self.table.num_rows, dtype=np.int64))


def typed_batches(spec: ResourceSpec, columns: Sequence[str] | None = None, *, min_rows: int | None = None) -> Iterator[TypedBatch]:
    """Yield a resource's rows as :class:`TypedBatch` es, in file order (see the module docstring).

    Args:
        spec: the resource, as :func:`dpcheck.descriptor.resources` returns it (its paths vetted).
        columns: the fields to read, by name; all the schema's fields by default. Names the schema does not
            have, or the file has no column for, are left out.
        min_rows: for Parquet, the rows a batch holds at least: whole row groups are joined up to it (1 gives
            each row group a batch of its own; by default :data:`dpcheck.stream.CHUNK_ROWS`).

    Raises:
        SourceError: when the resource has no local files nor inline data, or no schema, its format is not one
            dpcheck reads (Parquet, CSV, TSV, JSON, NDJSON), or its files cannot be read as that format (for
            CSV, bytes out of the declared encoding: the message gives the byte offset).
    """
    if not spec.paths and not spec.inline:
        raise SourceError("the resource has no local file to read")
    fields = tables.fields(spec)
    if not fields:
        raise SourceError("the resource has no usable schema, so its cells have no types")
    wanted = [index for index, fd in enumerate(fields) if columns is None or fd.name in columns]
    if spec.format in reading.PARQUET:
        yield from _parquet(spec, wanted, min_rows)
        return
    if reading.held_as_json(spec):
        said = Report(package="")
        data = reading.open_table(spec, said)  # (a file that is not JSON raises SourceError)
        if data is None:
            raise SourceError(said.findings[0].message if said.findings else "the rows cannot be read")
        yield from _csv(spec, data.source, wanted)
        return
    fmt, compression = reading.csv_format(spec)
    if fmt not in reading.CSV:
        raise SourceError(f"format {spec.format!r} is not one dpcheck reads (Parquet, CSV, TSV, JSON, NDJSON)")
    source = csvfile.Source.of(spec.paths, spec.descriptor, fmt, compression)
    yield from _csv(spec, source, wanted)


def _table(batch: driver.Batch, wanted: Sequence[int], cut: int = 0) -> pa.Table:
    """The wanted fields of a loop batch as their types, from row ``cut`` (the first field of a repeated name)."""
    arrays: dict[str, pa.ChunkedArray] = {}
    for index in wanted:
        name = batch.fields[index].name
        if name not in arrays and batch.stored(index) is not None:
            values = batch.values(index)
            if values is None:  # text that cannot be read as its type (a schema-error for pkg validate)
                raise SourceError(f"field {name!r} cannot be read: {batch.parsed(index)}")
            arrays[name] = reading.plain(values)
    # (a table of no columns keeps its row count only when built with one: Arrow's slice ignores it)
    return pa.table(arrays).slice(cut) if arrays else pa.table({"_": pa.nulls(batch.num_rows - cut)}).drop(["_"])


def _parquet(spec: ResourceSpec, wanted: Sequence[int], min_rows: int | None) -> Iterator[TypedBatch]:
    data = reading.open_table(spec, Report(package=""))
    assert data is not None  # a Parquet format is always opened
    try:
        reader = ParquetReader(spec, data, 0, min_rows)
        # (read in turn from the files the table holds open, the wanted columns of a batch in one read)
        for batch in reader.in_turn([reader.fields[index].name for index in wanted]):
            yield TypedBatch(batch.first_row, _table(batch, wanted))
    finally:
        data.close()


def _csv(spec: ResourceSpec, source: csvfile.Source | InlineSource, wanted: Sequence[int]) -> Iterator[TypedBatch]:
    """CSV batches (or rows held as JSON, read as CSV rows are); when Arrow's reader meets a ragged row part
    way, Python's reader starts again and the rows already given out are skipped."""
    python = not source.arrow_ok()
    given = 0
    while True:
        try:
            for batch in _csv_pass(spec, source, wanted, python, given):
                given += batch.num_rows
                yield batch
            return
        except csvfile.Restart:
            if python:
                raise SourceError("the file cannot be split into rows") from None
            python = True
        except csvfile.Undecodable as exc:
            raise SourceError(f"the file is not valid {source.encoding} at byte {exc.offset}") from None
        except csvfile.CsvError as exc:
            raise SourceError(str(exc)) from None
        except csvfile.READ_ERRORS as exc:
            raise SourceError(f"cannot read the file: {getattr(exc, 'strerror', None) or reason(exc)}") from None


def _csv_pass(spec: ResourceSpec, source: csvfile.Source | InlineSource, wanted: Sequence[int], python: bool, skip: int) -> Iterator[TypedBatch]:
    """One read of the file by the loop's CSV reader, from its first row; the first ``skip`` data rows are not
    yielded."""
    reader = CsvReader.open(spec, source, python, 0)
    if not isinstance(reader, CsvReader):
        raise SourceError(reader.message if reader is not None else "the file is not in its declared encoding")
    for load in reader.read().batches:
        batch = load()
        if batch.offset + batch.num_rows <= skip:
            continue
        cut = max(skip - batch.offset, 0)
        yield TypedBatch(batch.first_row + cut, _table(batch, wanted, cut))
