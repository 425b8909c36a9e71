"""Stage 3a: one table checked in one pass, whatever its format: the checks made, driven, ended in order.

:func:`check_table` takes a :class:`Reader` (Parquet: :class:`dpcheck.stream.ParquetReader`; CSV and inline
rows: :class:`dpcheck.csvcheck.CsvReader`) and makes the table's checks from the model: the keys to learn
while the rows stream and the foreign keys looked up on the way (:mod:`~dpcheck.keystream`), the columns
kept for later, the row shape (:class:`ShapeCheck`, which finds nothing in Parquet rows) and each field's
cells (:class:`~dpcheck.fieldcheck.FieldCheck`). The one loop (:func:`dpcheck.driver.run`) feeds them every
batch; then each check ends, and the report lists the header's findings, the row shape's, then each field's,
in schema order, as a whole-file check gives them.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import partial
from typing import Any, Protocol

import pyarrow as pa

from dpcheck import cells, constraints, csvlabels, driver, sqlkeys, tables
from dpcheck.descriptor import ResourceSpec
from dpcheck.driver import Batch, Done
from dpcheck.fieldcheck import FieldCheck
from dpcheck.keys import Lookup, distinct_keys, keyed
from dpcheck.keystream import KeepCheck, KeyCheck, LookupCheck
from dpcheck.reading import SourceError, TableData
from dpcheck.recorder import Recorder, Rows, emit
from dpcheck.report import Finding, Report


class Reader(Protocol):
    """Where a table's batches come from, and what the checks need to know of its columns.

    ``head`` holds the header's findings (labels against the schema's fields), reported before the rows'.
    """

    head: list[Rows | Finding]
    texts: frozenset[int]

    def present(self, index: int) -> bool: ...  # whether the file has a column for field ``index``

    def stored_type(self, index: int) -> pa.DataType | None: ...  # a typed column's type; None for text

    def sortable(self, names: Sequence[str]) -> bool: ...  # whether a key's order may settle it

    # the columns to keep for the checks after (but own foreign keys at the positions ``looked_up``)
    def kept(self, keep: Collection[str], looked_up: Collection[int] = ()) -> set[str]: ...

    def read(self) -> driver.Read: ...

    def table(self, rows: int, kept: dict[str, pa.ChunkedArray], distinct: set[tuple[str, ...]],
              repeated: set[tuple[str, ...]], orphans: dict[int, tuple[list[int], list[str], int]]) -> TableData: ...


class ShapeCheck:
    """extra-cell, missing-cell and blank-row findings of rows whose cells do not fit the header (a batch
    without a :class:`~dpcheck.driver.Shape`, a Parquet one, has blank rows only)."""

    reads: tuple[int, ...] = ()

    def __init__(self, spec: ResourceSpec) -> None:
        self.spec = spec

    def batch(self, batch: Batch, recorder: Recorder) -> dict[tuple[int, int], tuple[str, str | None, str, list[int], int]]:
        """The batch's misshapen rows by (kind, position) (see :func:`dpcheck.csvlabels.structure`)."""
        shape = batch.shape
        if shape is None:  # (rows without a shape of their own, Parquet's: only blank rows to find)
            blank = batch.blank()
            found = {} if blank is None else csvlabels.structure(0, 0, [], blank)
        else:
            found = csvlabels.structure(shape.row_len, len(shape.names), list(shape.names), shape.blank)
        return {key: (code, name, message, (rows[:recorder.limit] + batch.first_row).tolist(), len(rows))
                for key, (code, name, message, rows) in found.items()}

    def end(self, done: Done, report: Report) -> None:
        """Report each kind of misshapen row over every batch, in the order of their keys."""
        merged: dict[tuple[int, int], Rows] = {}
        for result in done.results:
            for key, (code, name, message, rows, total) in result.items():
                rows_of = merged.setdefault(key, Rows(code, self.spec.name, self.spec.file, name))
                rows_of.absorb(rows, [message] * len(rows), [None] * len(rows), total, report.limit)
        emit([merged[key] for key in sorted(merged)], report)


def check_table(spec: ResourceSpec, reader: Reader, report: Report, lookups: Collection[Lookup] = (),
                keep: Collection[str] = ()) -> TableData:
    """Check a table's header, rows and cells in one pass of the one loop; return the table for the key
    checks and plug-ins that come after.

    Args:
        lookups: foreign keys to check on the way (see :func:`dpcheck.keys.lookups`).
        keep: fields that other resources' foreign keys refer to.

    Returns:
        The reader's table with the columns kept as their types, the keys found distinct on the way
        (``distinct_keys``) and the lookups' findings (``orphans``, for :func:`dpcheck.keys.check_foreign_keys`).

    Raises:
        SourceError: when a column cannot be read; for CSV, what the reader raises (see :mod:`~dpcheck.csvcheck`).
    """
    fields = tables.fields(spec)
    first: dict[str, int] = {}  # each name's first field with a column (keys naming a repeated field mean it)
    for index, fd in enumerate(fields):
        if reader.present(index):
            first.setdefault(fd.name, index)
    ended: dict[str, TableData] = {}  # the table, once the loop has ended (for the whole-column unique checks)
    cell_checks = []
    for index, fd in enumerate(fields):
        kind = cells.kind(fd)
        if not reader.present(index) or kind is None:
            continue
        stored = reader.stored_type(index)
        misfit = None if index in reader.texts or stored is None or constraints.compatible(kind, stored) else stored
        unique = partial(_whole_unique, spec, ended, fd.name, report) if fd.unique and first[fd.name] == index else None
        cell_checks.append(FieldCheck(spec, fd, index, index in reader.texts, misfit, unique))
    schema = spec.resource.schema
    key_checks = [KeyCheck(key, tuple(first[n] for n in key), schema is not None and key == schema.primary_key,
                           reader.sortable(key))
                  for key in distinct_keys(schema) if all(n in first for n in key)]
    lookup_checks = [LookupCheck(spec, lookup, (first[lookup.field],)) for lookup in lookups if lookup.field in first]
    looked_up = frozenset(check.lookup.index for check in lookup_checks)
    kept = [name for name in sorted(reader.kept(keep, looked_up)) if name in first]
    keep_check = KeepCheck({name: first[name] for name in kept}, {name: cells.read_type(fields[first[name]]) for name in kept})
    shape = ShapeCheck(spec)
    checks: list[Any] = [*key_checks, *lookup_checks, keep_check, shape, *cell_checks]
    try:
        dones, rows = driver.run(reader.read(), checks, report.limit)
    except SourceError:
        emit(reader.head, report)  # (the header was read: what it says stands beside why the rows could not be)
        raise
    k, n = len(key_checks), len(key_checks) + len(lookup_checks)
    verdicts = {check.key: check.end(done, report) for check, done in zip(key_checks, dones[:k])}
    distinct = {key for key, verdict in verdicts.items() if verdict == "distinct"}
    repeated = {key for key, verdict in verdicts.items() if verdict == "repeated"}
    orphans = dict(check.end(done, report) for check, done in zip(lookup_checks, dones[k:n]))
    ended["table"] = table = reader.table(rows, keep_check.end(dones[n], report), distinct, repeated, orphans)
    emit(reader.head, report)
    for check, done in zip(checks[n + 1:], dones[n + 1:]):  # the row shape's, then each field's in schema order
        check.end(done, report)
    return table


def _whole_unique(spec: ResourceSpec, ended: dict[str, TableData], name: str, report: Report) -> None:
    """A ``unique`` field's values over every row of the table the loop read (unless found distinct on the way)."""
    table = ended["table"]
    if (name,) in table.distinct_keys:
        return
    with keyed(table, [name]) as over:
        sqlkeys.check_unique(spec, over, name, report, (name,) in table.repeated_keys)

