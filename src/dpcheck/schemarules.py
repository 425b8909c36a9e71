"""Stage 1b: Table Schema rules the Data Package profile does not enforce, checked before any row is read.

They read the frozen model (:attr:`dpcheck.descriptor.ResourceSpec.resource`); the shape of the v2
properties frictionless's profile does not know (``uniqueKeys``, ``categories``, ``jsonSchema``) is read
from the schema's descriptor, as the model reads a malformed value as absent. Without these a package passes
that should not (#11, #14):

- a foreign key whose ``reference.fields`` names a field the referenced resource's schema does not have
  (the profile checks only the key's own fields against its own schema), or a self-reference (resource
  omitted, ``""`` or its own name) naming a field of its own schema that does not exist; the key then
  matches nothing, and a check that skips missing columns would call every row fine;
- a bound or enum value that is not a finite number: Python's ``json`` reads ``NaN``, ``Infinity`` and
  ``-Infinity`` (and ``1e999`` as infinity), which are not JSON, and a ``NaN`` bound compares false with
  every value, so it would pass every row;
- ``uniqueKeys`` that is not a list of non-empty lists of field names, or names a field the schema lacks;
- ``categories`` on a field that is not a string or integer, not a list of values or of ``{"value",
  "label"}`` objects, or holding a value not of the field's type; ``categoriesOrdered`` not a boolean;
- a ``jsonSchema`` constraint (object and array fields) that is not an object or not a valid JSON Schema.

All are ``schema-error`` findings naming the resource, and the field where there is one.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from jsonschema.exceptions import SchemaError
from jsonschema.validators import Draft202012Validator, validator_for

from dpcheck.descriptor import ResourceSpec
from dpcheck.model import Field, Resource, thaw
from dpcheck.profile import JSON_SCHEMA_TYPES
from dpcheck.report import Finding, Report
from dpcheck.tables import show

#: Constraints whose value is a number, date or time to compare with (lengths are typed by the profile).
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
#: The field types that may have ``categories`` (Table Schema v2), and the values each accepts.
_CATEGORY_TYPES = {"string": lambda v: isinstance(v, str), "integer": lambda v: isinstance(v, int) and not isinstance(v, bool)}


def _non_finite(value: Any) -> bool:
    """Whether ``value`` is, or (a list) holds, a float that is NaN or infinite."""
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, (list, tuple)) and any(isinstance(v, float) and not math.isfinite(v) for v in value)


def _error(spec: ResourceSpec, report: Report, message: str, field: str | None = None) -> None:
    report.add(Finding("schema-error", message, spec.name, spec.file, field=field))


def _fields(spec: ResourceSpec) -> tuple[Field, ...]:
    schema = spec.resource.schema
    return schema.fields if schema is not None else ()


def check_constraints(spec: ResourceSpec, report: Report) -> None:
    """Report each field's bound or ``enum`` whose value is (or holds) NaN or an infinity."""
    for field in _fields(spec):
        for name in (*_BOUNDS, "enum"):
            if name in field.constraints and _non_finite(field.constraints[name]):
                value = field.constraints[name]
                shown = show(list(value) if isinstance(value, tuple) else value)
                message = (f'constraint "{name}" of field {show(field.name)} is {shown}, not a finite '
                           f"number (NaN and Infinity are not JSON); it cannot be checked")
                _error(spec, report, message, field.name)


def check_foreign_keys(spec: ResourceSpec, specs: list[ResourceSpec], report: Report) -> None:
    """Report foreign keys of ``spec`` that refer to a field the referenced resource's schema does not have.

    A reference to a resource the package lacks, or a malformed key, is left to
    :func:`dpcheck.keys.check_foreign_keys`; a resource whose name repeats (a ``package-error``),
    or whose schema could not be loaded, is not looked into.
    """
    schema = spec.resource.schema
    if schema is None:
        return
    by_name: dict[str, list[Resource]] = {}
    for other in specs:
        if other.name is not None:
            by_name.setdefault(other.name, []).append(other.resource)
    for fk in schema.foreign_keys:
        target = fk.target(spec.name)
        if fk.self_reference or target == spec.name:
            parent = spec.resource
        elif target is not None and len(by_name.get(target, [])) == 1:
            parent = by_name[target][0]
        else:
            continue
        if parent.schema is None or not isinstance(parent.schema.descriptor.get("fields"), (list, tuple)):
            continue
        known = set(parent.schema.field_names)
        for name in fk.reference_fields:
            if name not in known:
                message = (f"foreign key ({', '.join(show(f) for f in fk.fields)}) refers to field "
                           f"{show(name)} of resource {show(parent.name)}, which has no such field; not checked")
                _error(spec, report, message)


def check_unique_keys(spec: ResourceSpec, report: Report) -> None:
    """Report a ``uniqueKeys`` that is not a list of non-empty lists of names, or names an unknown field."""
    schema = spec.resource.schema
    if schema is None or "uniqueKeys" not in schema.descriptor:
        return
    raw = schema.descriptor["uniqueKeys"]
    if not isinstance(raw, tuple) or not all(isinstance(key, tuple) and key and all(isinstance(n, str) for n in key) for key in raw):
        _error(spec, report, f'"uniqueKeys" must be a list of non-empty lists of field names, not {show(thaw(raw))}')
        return
    known = set(schema.field_names)
    for key in schema.unique_keys:
        for name in key:
            if name not in known:
                _error(spec, report, f"unique key ({', '.join(show(n) for n in key)}) names field {show(name)}, which the schema does not have")


def check_categories(spec: ResourceSpec, report: Report) -> None:
    """Report ``categories`` and ``categoriesOrdered`` that do not follow Table Schema v2."""
    for field in _fields(spec):
        raw = field.descriptor
        if "categoriesOrdered" in raw and not isinstance(raw["categoriesOrdered"], bool):
            _error(spec, report, f'"categoriesOrdered" of field {show(field.name)} must be true or false', field.name)
        if "categories" not in raw:
            continue
        problem = _category_problem(field.type, raw["categories"])
        if problem:
            _error(spec, report, f'"categories" of field {show(field.name)} {problem}', field.name)


def _category_problem(kind: str, raw: Any) -> str | None:
    """What is wrong with a field's ``categories``, or None."""
    accepts = _CATEGORY_TYPES.get(kind)
    if accepts is None:
        return f"are only allowed on string and integer fields, not {kind}"
    if not isinstance(raw, tuple):
        return f"must be a list of values or of {{\"value\", \"label\"}} objects, not {show(thaw(raw))}"
    objects = [isinstance(item, Mapping) for item in raw]
    if any(objects) and not all(objects):
        return "mix plain values and {\"value\", \"label\"} objects; use one form"
    for item in raw:
        value = item.get("value") if isinstance(item, Mapping) else item
        if isinstance(item, Mapping) and "value" not in item:
            return f"hold the object {show(thaw(item))}, which has no \"value\""
        if isinstance(item, Mapping) and "label" in item and not isinstance(item["label"], str):
            return f"hold the label {show(thaw(item['label']))}, which is not a string"
        if not accepts(value):
            return f"hold {show(thaw(value))}, which is not a value of type {kind}"
    return None


def check_json_schema(spec: ResourceSpec, report: Report) -> None:
    """Report a ``jsonSchema`` constraint of an object or array field that is not a valid JSON Schema.

    On other types the constraint is unsupported, which the profile check reports (as frictionless does
    for any constraint a type does not support).
    """
    for field in _fields(spec):
        if field.type not in JSON_SCHEMA_TYPES or "jsonSchema" not in field.constraints:
            continue
        value = thaw(field.constraints["jsonSchema"])
        if not isinstance(value, dict):
            _error(spec, report, f'constraint "jsonSchema" of field {show(field.name)} must be an object, not {show(value)}', field.name)
            continue
        if "$schema" in value and not isinstance(value["$schema"], str):
            _error(spec, report, f'constraint "jsonSchema" of field {show(field.name)} has a "$schema" that is not a string', field.name)
            continue
        try:  # an unknown $schema is read as the latest draft (the default given), never fetched
            validator_for(value, default=Draft202012Validator).check_schema(value)
        except SchemaError as exc:
            where = "/".join(str(p) for p in exc.path)
            message = (f'constraint "jsonSchema" of field {show(field.name)} is not a valid JSON Schema'
                       f"{' at ' + where if where else ''}: {exc.message}")
            _error(spec, report, message, field.name)


def check(specs: list[ResourceSpec], report: Report) -> None:
    """Run every rule on every resource (see the module docstring)."""
    for spec in specs:
        check_constraints(spec, report)
        check_foreign_keys(spec, specs, report)
        check_unique_keys(spec, report)
        check_categories(spec, report)
        check_json_schema(spec, report)
