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

import contextlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpack.errors import PackageError

BUMPS = ("none", "patch", "minor", "major")
RELEASE_KEYS = ("version", "created", "corpack:build")


@contextlib.contextmanager
def opened(path: Path | str) -> Iterator[Path]:
    """Yield the package folder of ``path`` (a folder, a ``datapackage.json`` or a zip archive).

    Raises:
        PackageError: when there is no package there, or the archive is unsafe.
    """
    from corpack.validate.archive import is_zip, unpacked

    path = Path(path)
    if is_zip(path):
        with unpacked(path) as folder:
            yield folder
        return
    folder = path.parent if path.name == "datapackage.json" else path
    if not (folder / "datapackage.json").is_file():
        raise PackageError("no datapackage.json here", file=path, hint="give a package folder or a release archive")
    yield folder


def read_descriptor(folder: Path) -> dict[str, Any]:
    """The descriptor of the package in ``folder``.

    Raises:
        PackageError: when it is not readable JSON.
    """
    try:
        return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PackageError(f"cannot read the descriptor: {exc}", file=folder / "datapackage.json") from None


def resource_path(folder: Path, resource: dict[str, Any]) -> Path:
    """The file of a resource, refusing paths that are absolute, climb out with ``..``, are URLs or lists.

    Raises:
        PackageError: for such a path.
    """
    path = resource.get("path")
    if not isinstance(path, str) or path.startswith("/") or ".." in Path(path).parts or "://" in path:
        raise PackageError(f"resource {resource.get('name')!r} has a path this tool will not open: {path!r}", file=folder)
    target = (folder / path).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise PackageError(f"resource {resource.get('name')!r} leads outside the package", file=folder / path)
    return target


def read_table(folder: Path, resource: dict[str, Any]) -> pa.Table:
    """Read one resource's data (Parquet or CSV) as an Arrow table.

    Raises:
        PackageError: when the file is missing, unsafe or unreadable.
    """
    target = resource_path(folder, resource)
    try:
        if str(resource.get("format", target.suffix.lstrip("."))).lower() == "csv":
            import pyarrow.csv as pacsv

            return pacsv.read_csv(target)
        return pq.read_table(target)
    except (OSError, pa.ArrowInvalid) as exc:
        raise PackageError(f"cannot read resource {resource.get('name')!r}: {exc}", file=target) from None


def _fields(resource: dict[str, Any]) -> list[dict[str, Any]]:
    return resource.get("schema", {}).get("fields", [])


def schema_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Compare two resources' schemas (see the module docstring)."""
    old_fields = {f["name"]: (i, f) for i, f in enumerate(_fields(old))}
    new_fields = {f["name"]: (i, f) for i, f in enumerate(_fields(new))}
    removed = [name for name in old_fields if name not in new_fields]
    added = [name for name in new_fields if name not in old_fields]
    renamed: dict[str, str] = {}
    for name in list(removed):
        position, field = old_fields[name]
        match = next(
            (a for a in added if new_fields[a][0] == position and new_fields[a][1].get("type", "string") == field.get("type", "string")),
            None,
        )
        if match is not None:
            renamed[name] = match
            removed.remove(name)
            added.remove(match)
    retyped, constraints = {}, []
    for name, (_, field) in old_fields.items():
        target = new_fields.get(renamed.get(name, name))
        if target is None:
            continue
        if field.get("type", "string") != target[1].get("type", "string"):
            retyped[name] = [field.get("type", "string"), target[1].get("type", "string")]
        if field.get("constraints", {}) != target[1].get("constraints", {}):
            constraints.append(name)
    old_schema, new_schema = old.get("schema", {}), new.get("schema", {})
    old_key = [renamed.get(k, k) for k in old_schema.get("primaryKey", [])]
    return {
        "added": added,
        "removed": removed,
        "renamed": renamed,
        "retyped": retyped,
        "constraints": constraints,
        "primary_key": old_key != new_schema.get("primaryKey", []),
        "foreign_keys": old_schema.get("foreignKeys", []) != new_schema.get("foreignKeys", []),
    }


def row_changes(old_table: pa.Table, new_table: pa.Table, key: list[str], renamed: dict[str, str]) -> dict[str, Any]:
    """Rows added, removed and changed between two tables, matched by ``key`` (fields of the new table).

    Changed cells are counted per field over the fields both sides have (old names mapped through
    ``renamed``). Without a key, whole rows are compared as sets and nothing counts as changed.
    """
    old_table = old_table.rename_columns([renamed.get(n, n) for n in old_table.column_names])
    common = [n for n in new_table.column_names if n in old_table.column_names]
    old_table, new_table = _comparable(old_table, new_table, common)
    if not key or any(k not in common for k in key):
        key = common
    old_k = old_table.select(common).append_column("__old", pa.array(range(old_table.num_rows), pa.int64()))
    new_k = new_table.select(common).append_column("__new", pa.array(range(new_table.num_rows), pa.int64()))
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


def diff_packages(old_path: Path | str, new_path: Path | str) -> dict[str, Any]:
    """Compare two packages (see the module docstring for the result's shape and the bump rules).

    Raises:
        PackageError: when a side cannot be read.
    """
    with opened(old_path) as old_dir, opened(new_path) as new_dir:
        old_desc, new_desc = read_descriptor(old_dir), read_descriptor(new_dir)
        old_res = {r["name"]: r for r in old_desc.get("resources", [])}
        new_res = {r["name"]: r for r in new_desc.get("resources", [])}
        resources: dict[str, Any] = {}
        bump = "none"
        for name in sorted(set(old_res) | set(new_res)):
            if name not in new_res:
                resources[name] = {"status": "removed"}
                bump = _max(bump, "major")
                continue
            if name not in old_res:
                resources[name] = {"status": "added", "rows": {"added": read_table(new_dir, new_res[name]).num_rows}}
                bump = _max(bump, "minor")
                continue
            old_table, new_table = read_table(old_dir, old_res[name]), read_table(new_dir, new_res[name])
            schema = schema_changes(old_res[name], new_res[name])
            rows = row_changes(old_table, new_table, new_res[name].get("schema", {}).get("primaryKey", []), schema["renamed"])
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
