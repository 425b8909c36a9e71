"""A schema for a resource that declares none, inferred the way frictionless infers one, so its rows are checked.

frictionless validates a resource without a ``schema`` by inferring one from its first rows, then checking
every row against it; dpcheck does the same, with frictionless's own detector (its sample size, its field
confidence, its candidate types) on the first rows as dpcheck's CSV reader splits them, so the inferred
schema is the one ``frictionless validate`` would check against. A Parquet file's schema is its columns'
Arrow types, mapped to Table Schema types (as frictionless's Parquet reader maps them). A notice
(``not-checked``) says the schema was inferred: a row the sample did not foresee is a ``type-error`` against
a schema the publisher never wrote.
"""

from __future__ import annotations

import copy
from typing import Any

import pyarrow as pa

from dpcheck import csvfile
from dpcheck.report import Report

#: What :func:`from_rows` gives for a file whose header cannot be read: one field of any type, so that the
#: check reading the file reports why (an encoding-error, a source-error) instead of a schema problem.
PLACEHOLDER = {"fields": [{"name": "field1", "type": "any"}]}


def is_placeholder(schema: dict[str, Any]) -> bool:
    """Whether ``schema`` is :data:`PLACEHOLDER` (nothing was inferred)."""
    return schema == PLACEHOLDER


# Arrow type test -> Table Schema type, first match wins; any other column is "any".
_ARROW = (
    (pa.types.is_boolean, "boolean"),
    (pa.types.is_integer, "integer"),
    (lambda t: pa.types.is_floating(t) or pa.types.is_decimal(t), "number"),
    (lambda t: pa.types.is_string(t) or pa.types.is_large_string(t), "string"),
    (pa.types.is_date, "date"),
    (pa.types.is_timestamp, "datetime"),
    (pa.types.is_time, "time"),
)


def from_arrow(names: list[str], types: dict[str, pa.DataType]) -> dict[str, Any]:
    """The schema of a Parquet file's columns: each column's Arrow type as a Table Schema type."""
    def kind(t: pa.DataType) -> str:
        t = t.value_type if pa.types.is_dictionary(t) else t
        return next((name for test, name in _ARROW if test(t)), "any")

    return {"fields": [{"name": name, "type": kind(types[name])} for name in names]}


def from_rows(source: Any, name: str | None, file: str | None) -> dict[str, Any]:
    """The schema frictionless's detector infers from the first rows of a CSV (or inline) ``source``.

    Rows that cannot be read (bytes out of the encoding, a broken compressed part) end the sample; a file
    whose header cannot be read gets :data:`PLACEHOLDER` (see :func:`is_placeholder`), and the reader that
    reads it next says why.
    """
    from frictionless import Detector

    detector = Detector()
    unreadable = (csvfile.Undecodable, csvfile.CsvError, csvfile.Restart, *csvfile.READ_ERRORS)
    try:
        opened = source.open(True, Report(package=""), name, file)
    except unreadable:
        opened = None
    if opened is None:
        return copy.deepcopy(PLACEHOLDER)
    labels, batches = opened
    fragment: list[list[str]] = []
    try:
        for batch in batches:
            columns = [col.to_pylist() for col in batch.cells]
            for i in range(batch.num_rows):
                width = int(batch.row_len[i]) if batch.row_len is not None else len(columns)
                fragment.append(["" if columns[j][i] is None else columns[j][i] for j in range(width)])
                if len(fragment) >= detector.sample_size:
                    break
            if len(fragment) >= detector.sample_size:
                break
    except unreadable:
        pass  # inferred from the rows before (the check reports the rest)
    finally:
        close = getattr(batches, "close", None)
        if close is not None:
            close()
    schema = detector.detect_schema(fragment, labels=labels if source.dialect.header else None)
    return schema.to_descriptor()
