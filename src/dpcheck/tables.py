"""Stage 3a: a table's columns against its Table Schema, a whole column at a time: the reference check.

``pkg validate`` checks every table batch by batch (:mod:`~dpcheck.driver`, the one loop for Parquet and
CSV); :func:`check` runs the same cell checks (:mod:`~dpcheck.constraints`) on whole Parquet columns and is
what the streaming tests compare the loop with. The fields of a schema come from the model (:func:`fields`);
:func:`fields_of` is for callers holding a schema as plain JSON.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from dpcheck import cells
from dpcheck.constraints import check_constraints, check_text_field, compatible, stored_as_text, supported  # noqa: F401 (re-exported)
from dpcheck.descriptor import ResourceSpec
from dpcheck.flagging import duplicates, flag, report_duplicates, show, values_at  # noqa: F401 (re-exported)
from dpcheck.model import Field, Schema, thaw
from dpcheck.reading import TableData
from dpcheck.report import Finding, Report, quote


def fields_of(schema: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A plain JSON schema's usable field descriptors (dicts with a string name), as the model reads them; []
    for an unusable schema. (For callers holding a schema as JSON, such as an inferred one: corpack's bounded
    reader; dpcheck's checks read the model's fields, :func:`fields`.)"""
    return [thaw(fd.descriptor) for fd in Schema.from_descriptor(schema or {}).fields]


def fields(spec: ResourceSpec) -> tuple[Field, ...]:
    """The fields of a resource's schema, as the model holds them; () for a resource with no usable schema."""
    schema = spec.resource.schema
    return () if schema is None else schema.fields


def check_labels(spec: ResourceSpec, data: TableData, report: Report) -> None:
    """Compare the file's column names with the schema's fields, position by position, as frictionless does."""
    names = [f.name for f in fields(spec)]
    for i in range(max(len(names), len(data.columns))):
        if i >= len(data.columns):
            message = f"field {quote(names[i])} (position {i + 1}) has no column in the file"
            report.add(Finding("missing-label", message, spec.name, spec.file, field=names[i]))
        elif i >= len(names):
            message = f"column {quote(data.columns[i])} (position {i + 1}) is not a field of the schema"
            report.add(Finding("extra-label", message, spec.name, spec.file, field=data.columns[i]))
        elif data.columns[i] != names[i]:
            message = f"column {i + 1} is named {quote(data.columns[i])} but the schema's field {i + 1} is {quote(names[i])}"
            report.add(Finding("incorrect-label", message, spec.name, spec.file, field=names[i]))


def check(spec: ResourceSpec, data: TableData, report: Report) -> TableData:
    """Check labels, physical types and every field constraint of a Parquet table, a whole column at a time.

    :func:`dpcheck.stream.check` runs the same checks row group by row group, and is what ``pkg validate`` uses;
    this is the reference the streaming tests compare it with. Strings of a type Parquet lacks are read as it first.

    Returns:
        The table for the key checks: ``data`` (left as it was) with those typed values in place of the strings.

    Raises:
        SourceError: when a column cannot be read.
    """
    checked = dataclasses.replace(data, parsed=(parsed := dict(data.parsed)))  # a table of its own to return
    check_labels(spec, data, report)
    for field in fields(spec):
        name, kind = field.name, cells.kind(field)
        if name not in data.types or kind is None:
            continue  # (a type that is not a string: the profile check has reported it)
        if stored_as_text(kind, data.types[name]):
            if (values := check_text_field(spec, field, data.column(name), report)) is not None:
                parsed[name] = values
            continue
        type_ok = compatible(kind, data.types[name])
        if not type_ok:
            message = f"field {name!r} is declared {kind} but the column is stored as {data.types[name]}"
            report.add(Finding("type-error", message, spec.name, spec.file, field=name))
        check_constraints(spec, field, checked.column(name), report, type_ok)
    return checked
