"""Stage 3b: primary keys and foreign keys, single-field or composite: DuckDB over Parquet files where it
applies (see :mod:`~dpcheck.sqlkeys`), else by sorting and joining in Arrow.

A primary key must be present in every key field and occur once. A foreign key (rows with a null in any of
its fields are skipped, as frictionless does) must match a row of the referenced resource, or of the same
resource when the reference names ``""``; unmatched rows are found with a left anti join. A single-field
foreign key into another resource of at most :data:`LOOKUP_ROWS` rows (a Parquet one, or one of any format
already checked) is checked while the child streams instead (:func:`lookups`): each batch tests its values
against the parent's distinct keys, once per distinct value when the column is read as a dictionary, and
the child's key column is neither held nor read a second time.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dpcheck import hashing, reading, sqlkeys
from dpcheck.constraints import by_value
from dpcheck.descriptor import ResourceSpec
from dpcheck.flagging import any_set, duplicates, flag, report_duplicates, show
from dpcheck.frozen import thaw
from dpcheck.model import Schema
from dpcheck.reading import FIRST_ROW, SourceError, TableData
from dpcheck.recorder import room
from dpcheck.report import Finding, Report


def _key_text(values: list[Any]) -> str:
    return show(values[0]) if len(values) == 1 else "(" + ", ".join(show(v) for v in values) + ")"


def _rows_of(table: pa.Table, keys: list[str], rows: list[int], first_row: int) -> list[list[Any]]:
    """Return the key values of a few rows (frictionless numbering, from ``first_row``) of an unfiltered table."""
    taken = table.take(pa.array([r - first_row for r in rows], pa.int64()))
    return [list(values) for values in zip(*(taken.column(k).to_pylist() for k in keys))]


def distinct_keys(schema: Schema | None) -> list[tuple[str, ...]]:
    """The keys whose values must not repeat: each ``unique`` field alone, the primary key, then each of the
    v2 ``uniqueKeys`` (hashed while the rows stream, so a key found distinct is not read again)."""
    if schema is None:
        return []
    found = [(field.name,) for field in schema.fields if field.unique]
    if schema.primary_key:
        found.append(schema.primary_key)
    found.extend(schema.unique_keys)
    return list(dict.fromkeys(found))


def referenced_fields(specs: list[ResourceSpec]) -> dict[str | None, set[str]]:
    """The fields each resource is referred to by, from the foreign keys of the others (and its own)."""
    out: dict[str | None, set[str]] = {}
    for spec in specs:
        schema = spec.resource.schema
        for fk in schema.foreign_keys if schema is not None else ():
            out.setdefault(fk.target(spec.name), set()).update(fk.reference_fields)
    return out


def keyed(data: TableData, names: list[str]) -> AbstractContextManager[TableData]:
    """The table to check the key ``names`` of ``data`` over: ``data`` itself, or for a CSV resource its key
    columns written to a temporary Parquet file (``TableData.spool``)."""
    return data.spool(names) if data.spool is not None else nullcontext(data)


def hash_key(key: tuple[str, ...], primary: tuple[str, ...], cols: list[pa.ChunkedArray]) -> np.ndarray | None:
    """The 64-bit hashes of one batch of a key (see hashing.py): None for a primary key with a null (the full
    check reports the null); rows with a null in a unique field or unique key are not compared, so they are
    left out."""
    if key == primary or not any(col.null_count for col in cols):
        return hashing.key_hashes(cols)
    complete = pc.is_valid(cols[0])
    for col in cols[1:]:
        complete = pc.and_(complete, pc.is_valid(col))
    return hashing.key_hashes([col.filter(complete) for col in cols])


LOOKUP_ROWS = 1_000_000  # a parent of at most this many rows has its keys held in memory (see lookups)


@dataclass
class Lookup:
    """A foreign key to check while its resource streams: the child's field and the parent's distinct keys."""

    index: int  # the foreign key's position in the model's Schema.foreign_keys
    field: str
    keys: pa.Array  # the parent's key values, distinct, without nulls, of the child column's type
    where: str  # the parent's resource and field, for messages


def orphan_message(fields: list[str], values: list[Any], where: str) -> str:
    """The message for a row whose foreign key ``fields`` = ``values`` matches no row of ``where``."""
    return f"foreign key ({', '.join(fields)}) = {_key_text(values)} has no match in {where}"


def lookups(spec: ResourceSpec, types: dict[str, pa.DataType], specs: list[ResourceSpec],
            cache: dict[tuple[str, str], pa.Array | None] | None = None,
            found: dict[str, tuple[ResourceSpec, TableData]] | None = None) -> list[Lookup]:
    """The foreign keys of a resource that can be checked while it streams.

    Those are single-field references to another resource (named by one resource only) of at most
    :data:`LOOKUP_ROWS` rows whose key values have the type ``types`` gives the child's values (by field
    name): a Parquet parent's keys are read here, from a fresh opening of its files; a parent of another
    format is looked up only once checked (in ``found``, by name), from the key column kept for it. ``cache``
    (by resource and field) keeps the keys for other children. A parent that cannot be read is left to the
    usual check, which reports it.
    """
    cache = {} if cache is None else cache
    by_name: dict[str, list[ResourceSpec]] = {}
    for other in specs:
        if other.name is not None:
            by_name.setdefault(other.name, []).append(other)
    schema = spec.resource.schema
    out = []
    for index, fk in enumerate(schema.foreign_keys if schema is not None else ()):
        target = fk.resource
        if len(fk.fields) != 1 or len(fk.reference_fields) != 1 or fk.self_reference or target == spec.name \
                or len(by_name.get(target, [])) != 1:
            continue
        parent, name, ref_name = by_name[target][0], fk.fields[0], fk.reference_fields[0]
        if name not in types or not parent.paths:
            continue
        if (target, ref_name) not in cache:
            if parent.format in reading.PARQUET:
                cache[(target, ref_name)] = _parent_keys(parent, ref_name)
            elif found is not None and target in found and found[target][0] is parent:
                cache[(target, ref_name)] = _checked_keys(found[target][1], ref_name)
            else:
                continue  # (not checked yet: its keys are not to be had without reading it twice)
        keys = cache[(target, ref_name)]
        if keys is not None and keys.type == types[name]:
            out.append(Lookup(index, name, keys, f"{target}.{ref_name}"))
    return out


def _checked_keys(data: TableData, name: str) -> pa.Array | None:
    """The distinct non-null values of column ``name`` of a small table already checked (kept as its type);
    None if it has no such column or too many rows."""
    if name not in data.types or data.num_rows > LOOKUP_ROWS:
        return None
    try:
        return pc.unique(pc.drop_null(data.column(name)))
    except SourceError:
        return None


def _parent_keys(parent: ResourceSpec, name: str) -> pa.Array | None:
    """The distinct non-null values of column ``name`` of a small Parquet resource; None if not to be had."""
    table = None
    try:
        table = reading.open_table(parent, Report(package=""))
        if table is None or name not in table.types or table.num_rows > LOOKUP_ROWS:
            return None
        return pc.unique(pc.drop_null(table.column(name)))
    except MemoryError:
        raise
    except (SourceError, pa.ArrowException, OSError):
        return None
    finally:
        if table is not None:
            table.close()


def check_primary_key(spec: ResourceSpec, data: TableData, report: Report) -> None:
    """Report rows whose primary key has a null, and rows repeating an earlier row's key.

    Raises:
        SourceError: when a key column cannot be read.
    """
    keys = list(spec.resource.schema.primary_key) if spec.resource.schema is not None else []
    if not keys or any(k not in data.types for k in keys):
        return  # no key, or a key field without a column (reported as a label or schema error)
    if tuple(keys) in data.distinct_keys:
        return  # no null and no repeat (seen while streaming)
    repeated = tuple(keys) in data.repeated_keys  # (so its hashes need not be sorted again)
    with keyed(data, keys) as table:  # a CSV key: checked over its columns written to Parquet
        _check_primary_key(spec, table, keys, repeated, report)


def _check_primary_key(spec: ResourceSpec, data: TableData, keys: list[str], repeated: bool, report: Report) -> None:
    """:func:`check_primary_key` over the table of the key's columns; ``repeated``: the key's hashes were seen
    to repeat while streaming, with no null."""
    field = keys[0] if len(keys) == 1 else None
    label = ", ".join(keys)
    found = sqlkeys.repeats(data, keys, report.limit, repeated) if sqlkeys.usable(data, keys) else None
    if found is not None:
        nulls, null_rows, total, shown = found
        if nulls:
            report.add_rows("primary-key", f"primary key ({label}) has a missing value", resource=spec.name,
                            file=spec.file, field=field, rows=null_rows, total=nulls)
        if total:
            messages = [f"primary key ({label}) = {_key_text(values)} repeats row {first}" for _, first, values in shown]
            report.add_rows("primary-key", messages, resource=spec.name, file=spec.file, field=field,
                            rows=[row for row, _, _ in shown], total=total)
        return
    found_hashes = None if repeated else hashing.key_hashes([data.column(k) for k in keys])
    if found_hashes is not None and not hashing.repeats(found_hashes):
        return  # no null, and no repeated hash so no repeated key: settled without sorting the key
    table = data.table(keys)
    has_null = pc.is_null(table.column(keys[0]))
    for key in keys[1:]:
        has_null = pc.or_(has_null, pc.is_null(table.column(key)))
    flag(report, "primary-key", has_null, spec, field, f"primary key ({label}) has a missing value")
    rows, first_rows = duplicates(table.filter(pc.invert(has_null)), keys)

    def what(shown: list[int]) -> list[str]:
        return [f"primary key ({label}) = {_key_text(v)}" for v in _rows_of(table, keys, shown, data.first_row)]

    report_duplicates(report, "primary-key", spec, field, rows, first_rows, what)


def check_unique_keys(spec: ResourceSpec, data: TableData, report: Report) -> None:
    """Report rows repeating an earlier row's values of a Table Schema v2 ``uniqueKeys`` key (``unique-error``).

    As in SQL, and as the spec's "unique constraints" pattern says, a row with a null in any of the key's
    fields is not compared: several rows may lack a value. A key naming a field the file has no column for
    is not checked (the label checks report the column).

    Raises:
        SourceError: when a key column cannot be read.
    """
    schema = spec.resource.schema
    for key in schema.unique_keys if schema is not None else ():
        names = list(key)
        if any(name not in data.types for name in names) or tuple(names) in data.distinct_keys:
            continue
        table = data.table(names)
        complete = pc.is_valid(table.column(names[0]))
        for name in names[1:]:
            complete = pc.and_(complete, pc.is_valid(table.column(name)))
        rows, first_rows = duplicates(table.filter(complete), names)
        label = ", ".join(names)

        def what(shown: list[int], names: list[str] = names, label: str = label, table: pa.Table = table) -> list[str]:
            return [f"unique key ({label}) = {_key_text(v)}" for v in _rows_of(table, names, shown, data.first_row)]

        report_duplicates(report, "unique-error", spec, names[0] if len(names) == 1 else None, rows, first_rows, what)


def _check_by_value(spec: ResourceSpec, data: TableData, name: str, parent: pa.ChunkedArray, where: str, report: Report) -> bool:
    """Check a single-field foreign key by testing the child's values against the parent's distinct keys.

    A child column kept as a dictionary (CSV, see csvcheck.check_csv) is tested once per distinct value.

    Returns:
        False, reporting nothing, when the key is a float and the caller should join instead (NaN).
    """
    col = data.stored(name)
    if any(pa.types.is_floating(reading.value_type(t)) for t in (col.type, parent.type)):
        return False
    flag_orphans(report, spec, name, col, pc.unique(pc.drop_null(parent)), where, data.first_row)
    return True


def flag_orphans(report: Report, spec: ResourceSpec, name: str, col: pa.ChunkedArray, keys: pa.Array, where: str,
                 first_row: int = FIRST_ROW) -> None:
    """Report the rows of ``col`` (one foreign-key field) whose value, not null, is not among ``keys``.

    A dictionary column is tested once per entry. Keys of a different type than the column are compared
    as text, as the join compares them. Rows are numbered from ``first_row``; ``report`` may be a chunk's
    recorder (see recorder.py), which shifts them by the chunk's offset.
    """
    values, expand = by_value(col)
    as_text = values.type != keys.type
    if as_text:
        values, keys = pc.cast(values, pa.string()), pc.cast(keys, pa.string())

    def describe(positions: list[int]) -> list[str]:
        taken = col.take(pa.array(positions, pa.int64()))
        taken = pc.cast(taken, pa.string()) if as_text else taken  # the values as compared
        return [orphan_message([name], [v], where) for v in taken.to_pylist()]

    outside = expand(pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=keys))))
    hits = pc.indices_nonzero(outside) if any_set(outside) else pa.array([], pa.uint64())
    first = hits.slice(0, room(report, "foreign-key", name)).to_pylist()
    report.add_rows("foreign-key", describe(first), resource=spec.name, file=spec.file, field=name,
                    rows=[i + first_row for i in first], total=len(hits))


def _same_types(child: pa.Table, parent: pa.Table, fields: list[str]) -> tuple[pa.Table, pa.Table]:
    """Cast the join keys to strings where the two sides disagree on a key's type."""
    for name in fields:
        if child.column(name).type != parent.column(name).type:
            i, j = child.column_names.index(name), parent.column_names.index(name)
            child = child.set_column(i, name, pc.cast(child.column(name), pa.string()))
            parent = parent.set_column(j, name, pc.cast(parent.column(name), pa.string()))
    return child, parent


def _distinct_keys(name: str | None, data: TableData, names: list[str],
                   parents: dict[tuple[str, tuple[str, ...]], pa.Table] | None) -> pa.Table:
    """The distinct values of the columns ``names`` of ``data`` (resource ``name``), from ``parents`` when
    they are there (put there otherwise, when ``parents`` is given and the resource has a name)."""
    key = (name, tuple(names)) if name is not None else None
    if parents is not None and key is not None and key in parents:
        return parents[key]
    columns = list(dict.fromkeys(names))  # (a name given twice is one column, selected twice below)
    distinct = pa.table({n: data.column(n) for n in columns})
    if not any(set(found) == set(columns) for found in data.distinct_keys):  # (a key the loop found distinct is)
        distinct = distinct.group_by(columns).aggregate([])
    distinct = distinct.select(names)
    if parents is not None and key is not None:
        parents.clear()  # (one held at a time: memory holds no more than it did, for no longer than a call)
        parents[key] = distinct
    return distinct


def check_foreign_keys(spec: ResourceSpec, data: TableData, tables: dict[str, tuple[ResourceSpec, TableData]],
                       names: set[str], report: Report, parents: dict[tuple[str, tuple[str, ...]], pa.Table] | None = None) -> None:
    """Report rows whose foreign key has no match in the referenced resource.

    A reference to a resource that is in the package but could not be read (already reported) is skipped;
    one to a resource the package does not have is a ``schema-error``.

    Args:
        tables: every readable table of the package by resource name, for looking up references.
        names: the names of all the package's resources.
        parents: the distinct keys of the resource last joined to in Arrow, by (resource, fields): filled
            here and read again by the next call given the same dict, so that resources referring to the
            same key one after the other (every fact table to its paragraph) read and group it once.

    Raises:
        SourceError: when a key column cannot be read.
    """
    schema = spec.resource.schema
    for raw, why in schema.malformed_foreign_keys if schema is not None else ():
        what = "is malformed" if why == "malformed" else "names its resource with a non-string"
        report.add(Finding("schema-error", f"foreign key {show(thaw(raw))} {what}; not checked", spec.name, spec.file))
    for index, fk in enumerate(schema.foreign_keys if schema is not None else ()):
        fields, ref_fields = list(fk.fields), list(fk.reference_fields)
        if len(fields) != len(ref_fields):
            continue  # (a malformed key, reported above)
        target = fk.target(spec.name)
        if target == spec.name:
            ref_spec, ref_data = spec, data
        elif target in tables:
            ref_spec, ref_data = tables[target]
        elif target in names:
            continue
        else:
            message = f"foreign key ({', '.join(fields)}) refers to resource {show(target)}, which the package does not have"
            report.add(Finding("schema-error", message, spec.name, spec.file))
            continue
        if any(f not in data.types for f in fields) or any(f not in ref_data.types for f in ref_fields):
            continue  # a missing column is already reported as a label error
        where = f"{ref_spec.name}.{', '.join(ref_fields)}" if len(ref_fields) == 1 else f"{ref_spec.name} ({', '.join(ref_fields)})"
        field = fields[0] if len(fields) == 1 else None
        if index in data.orphans:  # checked while streaming
            rows, messages, total = data.orphans[index]
            if total:
                report.add_rows("foreign-key", messages, resource=spec.name, file=spec.file, field=field, rows=rows, total=total)
            continue
        if data.num_rows == 0:
            continue  # (no row, no orphan)
        found = sqlkeys.orphans(data, fields, ref_data, ref_fields, report.limit)
        if found is not None:
            total, shown_rows = found
            if total:
                messages = [orphan_message(fields, v, where) for _, v in shown_rows]
                report.add_rows("foreign-key", messages, resource=spec.name, file=spec.file, field=field,
                                rows=[row for row, _ in shown_rows], total=total)
            continue
        if len(fields) == 1 and _check_by_value(spec, data, fields[0], ref_data.column(ref_fields[0]), where, report):
            continue
        child = data.table(fields)
        complete = pc.is_valid(child.column(fields[0]))
        for name in fields[1:]:
            complete = pc.and_(complete, pc.is_valid(child.column(name)))
        child = child.filter(complete)
        parent = _distinct_keys(ref_spec.name, ref_data, ref_fields, parents).rename_columns(fields)
        child, parent = _same_types(child, parent, fields)
        orphans = child.join(parent, keys=fields, join_type="left anti").sort_by("__row")
        if orphans.num_rows == 0:
            continue
        shown = orphans.slice(0, report.limit)
        values = zip(*(shown.column(f).to_pylist() for f in fields))
        messages = [orphan_message(fields, list(v), where) for v in values]
        report.add_rows("foreign-key", messages, resource=spec.name, file=spec.file, field=field,
                        rows=shown.column("__row").to_pylist(), total=orphans.num_rows)
