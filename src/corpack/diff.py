"""``pkg diff OLD NEW``: what changed between two versions of a data package, and the version bump it calls for.

Either side may be a package folder, its ``datapackage.json``, or a release archive (``.zip``). Per resource:

- **rows**, matched by primary key (a resource without one is compared as a set of whole rows): added,
  removed, and changed, with the changed cells counted per field;
- **schema**: fields added, removed, renamed (a removed and an added field at the same position with the same
  type), retyped, with changed constraints; primary-key and foreign-key changes;
- **descriptor**: top-level properties that differ, apart from the ones every release changes (``version``,
  ``created``, the build record ``corpack:build``) and the file checksums.

The bump follows semantic versioning for data:

- ``major``: a breaking schema change (a field removed, renamed or retyped, a key changed), a resource removed,
  or rows removed;
- ``minor``: new resources, new fields, new rows, or changed constraints;
- ``patch``: corrected values only (changed cells), or descriptor changes;
- ``none``: the same data.

The JSON shape (``--json``) is ``{"bump", "old", "new", "descriptor": {"changed": [keys]}, "resources": {name:
{"status": "added"|"removed"|"changed"|"same", "rows": {"added", "removed", "changed", "changed_cells":
{field: n}}, "schema": {"added", "removed", "renamed": {old: new}, "retyped": {field: [old, new]},
"constraints": [fields], "primary_key": bool, "foreign_keys": bool}}}}``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpack.bounded import Limits
from corpack.opening import opened, read_package, read_resource
from corpack.releases import RELEASE_KEYS  # what every release changes, left out of the comparison
from dpcheck.model import Field, Schema, thaw

BUMPS = ("none", "patch", "minor", "major")


def schema_changes(old: Schema | None, new: Schema | None) -> dict[str, Any]:
    """Compare two resources' schemas, as dpcheck's model reads them (see the module docstring).

    v1 and v2 spellings of one schema compare equal: a string ``primaryKey`` or foreign key ``fields`` and the
    one-name list, a self-reference by ``""`` or by omission. A field without a declared type is ``any``. A
    repeated field name (v2) is compared by its first occurrence.
    """
    old_fields: dict[str, tuple[int, Field]] = {}
    new_fields: dict[str, tuple[int, Field]] = {}
    for schema, fields in ((old, old_fields), (new, new_fields)):
        for i, field in enumerate(schema.fields if schema is not None else ()):
            fields.setdefault(field.name, (i, field))
    removed = [name for name in old_fields if name not in new_fields]
    added = [name for name in new_fields if name not in old_fields]
    renamed: dict[str, str] = {}
    for name in list(removed):
        position, field = old_fields[name]
        match = next((a for a in added if new_fields[a][0] == position and new_fields[a][1].type == field.type), None)
        if match is not None:
            renamed[name] = match
            removed.remove(name)
            added.remove(match)
    retyped, constraints = {}, []
    for name, (_, field) in old_fields.items():
        target = new_fields.get(renamed.get(name, name))
        if target is None:
            continue
        if field.type != target[1].type:
            retyped[name] = [field.type, target[1].type]
        if thaw(field.constraints) != thaw(target[1].constraints):
            constraints.append(name)
    old_key = [renamed.get(k, k) for k in _primary_key(old)]
    return {
        "added": added,
        "removed": removed,
        "renamed": renamed,
        "retyped": retyped,
        "constraints": constraints,
        "primary_key": old_key != _primary_key(new),
        "foreign_keys": (old.foreign_keys if old else ()) != (new.foreign_keys if new else ()),
    }


def _primary_key(schema: Schema | None) -> list[str]:
    return list(schema.primary_key) if schema is not None else []


def row_changes(old_table: pa.Table, new_table: pa.Table, key: list[str], renamed: dict[str, str]) -> dict[str, Any]:
    """Rows added, removed and changed between two tables, matched by ``key`` (fields of the new table).

    Changed cells are counted per field over the fields both sides have (old names mapped through
    ``renamed``). Without a key, whole rows are compared as sets and nothing counts as changed.
    """
    old_table = old_table.rename_columns([renamed.get(n, n) for n in old_table.column_names])
    old_names = set(old_table.column_names)  # column_names builds a new list on every call
    common = [n for n in new_table.column_names if n in old_names]
    old_table, new_table = _comparable(old_table, new_table, common)
    if not key or any(k not in common for k in key):
        key = common
    old_k = old_table.select(common).append_column("__old", pa.array(range(old_table.num_rows), pa.int64()))
    new_k = new_table.select(common).append_column("__new", pa.array(range(new_table.num_rows), pa.int64()))
    old_k, new_k = _nulls_matching(old_k, new_k, key)
    added = new_k.join(old_k.select([*key, "__old"]), keys=key, join_type="left anti").num_rows
    removed = old_k.join(new_k.select([*key, "__new"]), keys=key, join_type="left anti").num_rows
    changed_cells: dict[str, int] = {}
    changed = 0
    values = [n for n in common if n not in key]
    if values:
        suffixed = old_k.rename_columns([f"{n}__old" if n in values else n for n in old_k.column_names])
        both = new_k.join(suffixed, keys=key, join_type="inner")
        any_change = pa.array([False] * both.num_rows, pa.bool_())
        for name in values:
            a, b = both.column(name), both.column(f"{name}__old")
            differs = pc.fill_null(pc.not_equal(a, b), True)
            differs = pc.and_(differs, pc.invert(pc.and_(pc.is_null(a), pc.is_null(b))))
            count = pc.sum(differs).as_py() or 0
            if count:
                changed_cells[name] = count
            any_change = pc.or_(any_change, differs)
        changed = pc.sum(any_change).as_py() or 0
    return {"added": added, "removed": removed, "changed": changed, "changed_cells": changed_cells}


def _nulls_matching(old: pa.Table, new: pa.Table, key: list[str]) -> tuple[pa.Table, pa.Table]:
    """``old`` and ``new`` with each key column that holds a null replaced by the index of its value among the
    values of both (null: -1), so that a join matches a null with a null, as a diff must (Arrow's joins, as
    SQL's, match no null: a row holding one, in a table without a primary key, whose whole row is the key, was
    counted as removed and added again, and a package differed from itself)."""
    for name in key:
        a, b = old.column(name), new.column(name)
        if not (a.null_count or b.null_count):
            continue
        both = pa.concat_arrays([*a.chunks, *b.chunks]) if a.num_chunks + b.num_chunks else pa.array([], a.type)
        try:
            codes = pc.fill_null(pc.dictionary_encode(both).indices, -1)
        except pa.ArrowNotImplementedError:  # (a type Arrow cannot encode, a list or a struct: left as it is)
            continue
        old = old.set_column(old.column_names.index(name), name, codes.slice(0, len(a)))
        new = new.set_column(new.column_names.index(name), name, codes.slice(len(a)))
    return old, new


def _comparable(old: pa.Table, new: pa.Table, names: list[str]) -> tuple[pa.Table, pa.Table]:
    """Bring columns of different types (a retyped field) to one type so they can be joined and compared:
    the new type where the old values convert exactly, else text on both sides."""
    for name in names:
        a, b = old.column(name), new.column(name)
        if a.type == b.type:
            continue
        try:
            old = old.set_column(old.schema.get_field_index(name), name, pc.cast(a, b.type))
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            old = old.set_column(old.schema.get_field_index(name), name, pc.cast(a, pa.string()))
            new = new.set_column(new.schema.get_field_index(name), name, pc.cast(b, pa.string()))
    return old, new


def _descriptor_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    keys = sorted((set(old) | set(new)) - {"resources", *RELEASE_KEYS})
    return [k for k in keys if old.get(k) != new.get(k)]


def diff_packages(old_path: Path | str, new_path: Path | str, *, limits: Limits | None = None) -> dict[str, Any]:
    """Compare two packages (see the module docstring for the result's shape and the bump rules).

    Each side is read as ``corpack.load`` reads it: the descriptor under ``pkg validate``'s descriptor
    checks, an archive against its SHA256SUMS, every file as a regular file and within ``limits``
    (default :class:`~corpack.bounded.Limits`).

    Raises:
        PackageError: when a side cannot be read, its descriptor is invalid, or a table is past ``limits``.
    """
    with opened(old_path) as old_dir, opened(new_path) as new_dir:
        old_pkg, new_pkg = read_package(old_dir), read_package(new_dir)
        old_desc, new_desc = old_pkg.descriptor, new_pkg.descriptor
        old_res = {name: spec.resource.schema for name, spec in old_pkg.resources.items()}
        new_res = {name: spec.resource.schema for name, spec in new_pkg.resources.items()}
        resources: dict[str, Any] = {}
        bump = "none"
        for name in sorted(set(old_res) | set(new_res)):
            if name not in new_res:
                resources[name] = {"status": "removed"}
                bump = _max(bump, "major")
                continue
            if name not in old_res:
                resources[name] = {"status": "added", "rows": {"added": read_resource(new_pkg.resources[name], limits).num_rows}}
                bump = _max(bump, "minor")
                continue
            old_table = read_resource(old_pkg.resources[name], limits)
            new_table = read_resource(new_pkg.resources[name], limits)
            schema = schema_changes(old_res[name], new_res[name])
            rows = row_changes(old_table, new_table, _primary_key(new_res[name]), schema["renamed"])
            entry_bump = _resource_bump(schema, rows)
            status = "same" if entry_bump == "none" else "changed"
            resources[name] = {"status": status, "rows": rows, "schema": schema}
            bump = _max(bump, entry_bump)
        descriptor = _descriptor_changes(old_desc, new_desc)
        if descriptor:
            bump = _max(bump, "patch")
        return {
            "bump": bump,
            "old": {"path": str(old_path), "version": old_desc.get("version")},
            "new": {"path": str(new_path), "version": new_desc.get("version")},
            "descriptor": {"changed": descriptor},
            "resources": resources,
        }


def _max(a: str, b: str) -> str:
    return a if BUMPS.index(a) >= BUMPS.index(b) else b


def _resource_bump(schema: dict[str, Any], rows: dict[str, Any]) -> str:
    if schema["removed"] or schema["renamed"] or schema["retyped"] or schema["primary_key"] or schema["foreign_keys"] or rows["removed"]:
        return "major"
    if schema["added"] or rows["added"] or schema["constraints"]:
        return "minor"
    if rows["changed"]:
        return "patch"
    return "none"


def render(result: dict[str, Any]) -> str:
    """A readable summary of :func:`diff_packages`'s result."""
    lines = [f"{result['old']['path']} ({result['old']['version']}) -> {result['new']['path']} ({result['new']['version']})"]
    for name, entry in result["resources"].items():
        if entry["status"] in ("added", "removed"):
            lines.append(f"  {name}: resource {entry['status']}")
            continue
        if entry["status"] == "same":
            lines.append(f"  {name}: same")
            continue
        rows, schema = entry["rows"], entry["schema"]
        parts = [f"rows +{rows['added']} -{rows['removed']} ~{rows['changed']}"]
        if rows["changed_cells"]:
            parts.append("cells " + ", ".join(f"{k} {v}" for k, v in sorted(rows["changed_cells"].items())))
        for label in ("added", "removed", "constraints"):
            if schema[label]:
                parts.append(f"fields {label}: {', '.join(schema[label])}")
        if schema["renamed"]:
            parts.append("renamed: " + ", ".join(f"{a} -> {b}" for a, b in schema["renamed"].items()))
        if schema["retyped"]:
            parts.append("retyped: " + ", ".join(f"{a} {t[0]} -> {t[1]}" for a, t in schema["retyped"].items()))
        if schema["primary_key"] or schema["foreign_keys"]:
            parts.append("keys changed")
        lines.append(f"  {name}: " + "; ".join(parts))
    if result["descriptor"]["changed"]:
        lines.append("  descriptor: " + ", ".join(result["descriptor"]["changed"]))
    lines.append(f"bump: {result['bump']}")
    return "\n".join(lines) + "\n"
