"""Object and array cells against their field's ``jsonSchema`` constraint (Table Schema v2).

The cells reach here as text (JSON), already known to be objects or arrays (those that are not are
``type-error`` findings). Each distinct cell is parsed and validated once with the ``jsonschema`` library,
with the validator the schema's ``$schema`` names (the latest draft when it names none); a schema that
``$ref`` s anything outside itself is never fetched (the descriptor stage reports such a schema). A cell that
does not fit is a ``constraint-error`` naming the first place it breaks the schema.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from dpcheck.descriptor import ResourceSpec
from dpcheck.frozen import thaw
from dpcheck.report import Report
from dpcheck.tableschema import Field

_KINDS = ("object", "array")


def _validator(schema: Mapping[str, Any]) -> Any | None:
    """A validator for ``schema``, or None when the schema itself is not valid (reported by schemarules)."""
    import jsonschema
    from jsonschema.exceptions import SchemaError

    cls = jsonschema.validators.validator_for(schema)
    try:
        cls.check_schema(schema)
    except SchemaError:
        return None
    return cls(schema)


def _problem(validator: Any, cell: str) -> str | None:
    """Why ``cell`` (JSON text) breaks the schema, or None when it fits."""
    from jsonschema.exceptions import best_match

    try:
        value = json.loads(cell)
    except ValueError:
        return None  # not JSON: the type check has reported it
    error = best_match(validator.iter_errors(value))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path)
    return f"{error.message}" + (f" at /{where}" if where else "")


def check(spec: ResourceSpec, field: Field, cells: pa.ChunkedArray, skip: pa.ChunkedArray | pa.Array, report: Report) -> None:
    """Flag the cells of an object or array field that break its ``jsonSchema`` constraint.

    Args:
        cells: the field's cells as text, null where missing.
        skip: cells not to judge (not of the type, or in rows not checked).
    """
    from dpcheck.tables import flag, show

    if field.type not in _KINDS or field.json_schema is None:
        return
    validator = _validator(thaw(field.json_schema))
    if validator is None:
        return
    judged = pc.if_else(skip, pa.scalar(None, pa.string()), cells)
    distinct = pc.unique(pc.drop_null(judged)).to_pylist()
    problems = {cell: why for cell in distinct if (why := _problem(validator, cell)) is not None}
    mask = pc.fill_null(pc.is_in(judged, value_set=pa.array(list(problems), pa.string())), False)

    def message(positions: list[int]) -> list[str]:
        texts = judged.take(pa.array(positions, pa.int64())).to_pylist()
        return [f'constraint "jsonSchema" is violated by {show(text)}: {problems[text]}' for text in texts]

    flag(report, "constraint-error", mask, spec, field.name, message)
