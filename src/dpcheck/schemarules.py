"""Stage 1b: Table Schema rules the Data Package profile does not enforce, checked before any row is read.

Without these a package passes that should not (#11):

- a foreign key whose ``reference.fields`` names a field the referenced resource's schema does not have
  (the profile checks only the key's own fields against its own schema), or a self-reference (resource
  ``""`` or its own name) naming a field of its own schema that does not exist; the key then matches
  nothing, and a check that skips missing columns would call every row fine;
- a bound or enum value that is not a finite number: Python's ``json`` reads ``NaN``, ``Infinity`` and
  ``-Infinity`` (and ``1e999`` as infinity), which are not JSON, and a ``NaN`` bound compares false with
  every value, so it would pass every row.

Both are ``schema-error`` findings naming the resource, and the field where there is one.
"""

from __future__ import annotations

import math
from typing import Any

from dpcheck.descriptor import ResourceSpec
from dpcheck.keys import key_names
from dpcheck.report import Finding, Report
from dpcheck.tables import fields_of, show

#: Constraints whose value is a number, date or time to compare with (lengths are typed by the profile).
_BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")


def _non_finite(value: Any) -> bool:
    """Whether ``value`` is, or (a list) holds, a float that is NaN or infinite."""
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, list) and any(isinstance(v, float) and not math.isfinite(v) for v in value)


def check_constraints(spec: ResourceSpec, report: Report) -> None:
    """Report each field's bound or ``enum`` whose value is (or holds) NaN or an infinity."""
    for field in fields_of(spec.schema):
        constraints = field.get("constraints")
        if not isinstance(constraints, dict):
            continue
        for name in (*_BOUNDS, "enum"):
            if name in constraints and _non_finite(constraints[name]):
                message = (f'constraint "{name}" of field {show(field["name"])} is {show(constraints[name])}, not a finite '
                           f"number (NaN and Infinity are not JSON); it cannot be checked")
                report.add(Finding("schema-error", message, spec.name, spec.file, field=field["name"]))


def check_foreign_keys(spec: ResourceSpec, specs: list[ResourceSpec], report: Report) -> None:
    """Report foreign keys of ``spec`` that refer to a field the referenced resource's schema does not have.

    A reference to a resource the package lacks, or a malformed key, is left to
    :func:`dpcheck.keys.check_foreign_keys`; a resource whose name repeats (a ``package-error``),
    or whose schema could not be loaded, is not looked into.
    """
    foreign_keys = spec.schema.get("foreignKeys") if spec.schema else None
    by_name: dict[str, list[ResourceSpec]] = {}
    for other in specs:
        if other.name is not None:
            by_name.setdefault(other.name, []).append(other)
    for fk in foreign_keys if isinstance(foreign_keys, list) else []:
        reference = fk.get("reference") if isinstance(fk, dict) else None
        ref_fields = key_names(reference.get("fields")) if isinstance(reference, dict) else None
        target = reference.get("resource", "") if isinstance(reference, dict) else None
        if ref_fields is None or not isinstance(target, str):
            continue
        if target in ("", spec.name):
            parent = spec
        elif len(by_name.get(target, [])) == 1:
            parent = by_name[target][0]
        else:
            continue
        if parent.schema is None or not isinstance(parent.schema.get("fields"), list):
            continue
        known = {field["name"] for field in fields_of(parent.schema)}
        for name in ref_fields:
            if name not in known:
                message = (f"foreign key ({', '.join(show(f) for f in key_names(fk.get('fields')) or [])}) refers to field "
                           f"{show(name)} of resource {show(parent.name)}, which has no such field; not checked")
                report.add(Finding("schema-error", message, spec.name, spec.file))


def check(specs: list[ResourceSpec], report: Report) -> None:
    """Run both rules on every resource (see the module docstring)."""
    for spec in specs:
        check_constraints(spec, report)
        check_foreign_keys(spec, specs, report)
