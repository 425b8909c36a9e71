"""Stage 3a: a table's columns against its Table Schema: labels, physical types, field constraints.

Every check is a pyarrow.compute expression over a whole column, giving a mask of bad rows; only the first
``limit`` bad rows are turned into Python values (see :func:`flag`). Columns are read one at a time; for
Parquet, :mod:`~dpcheck.stream` runs the same checks on each chunk of row groups instead.
Constraints that compare values (enum, minimum, maximum, lengths, pattern) are skipped for a column whose
physical type does not fit its field, since its values mean something else; ``required`` and ``unique``
still run.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dpcheck import cells, hashing, jsoncells, patterns, reading, recorder
from dpcheck.descriptor import ResourceSpec
from dpcheck.model import Field
from dpcheck.reading import FIRST_ROW, TableData
from dpcheck.report import Finding, Report, quote

Mask = pa.Array | pa.ChunkedArray

# Table Schema type -> test on the Arrow type; types not listed (any, object, array, geopoint...) take anything.
_COMPATIBLE: dict[str, Callable[[pa.DataType], bool]] = {
    "string": lambda t: pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t),
    "integer": pa.types.is_integer,
    "number": lambda t: pa.types.is_floating(t) or pa.types.is_integer(t) or pa.types.is_decimal(t),
    "boolean": pa.types.is_boolean,
    "date": pa.types.is_date,
    "datetime": pa.types.is_timestamp,
    "time": pa.types.is_time,
    "year": pa.types.is_integer,
}


def show(value: Any, width: int = 60) -> str:
    """Return ``repr(value)`` cut to ``width`` characters, for messages; a cut string says its full length.

    A huge value is cut before ``repr`` sees it, so a 500 MB cell costs nothing to show.
    """
    if isinstance(value, (str, bytes)) and len(value) > width:
        size = f" ({len(value):,} {'characters' if isinstance(value, str) else 'bytes'})"
        return repr(value[:width])[: width - 1] + "…" + size
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def flag(
    report: Report,
    code: str,
    mask: Mask,
    spec: ResourceSpec,
    field: str | None,
    describe: str | Callable[[list[int]], list[str]],
    rows: pa.ChunkedArray | pa.Array | None = None,
) -> int:
    """Report the rows where ``mask`` is true (null counts as false); return how many there were.

    Args:
        describe: one message for all rows, or a function from the first bad positions (0-based, at most
            ``report.limit``) to one message each; only those few positions are ever looked at in Python.
        rows: the frictionless row number of each position, when the table was filtered or reordered;
            by default position i is row i + 2.
    """
    hits = pc.indices_nonzero(mask)  # nulls are not counted
    total = len(hits)
    if total == 0:
        # Said even when nothing is bad, so a batch recorder (see recorder.py) lines up checks across batches.
        report.add_rows(code, [], resource=spec.name, file=spec.file, field=field, rows=[], total=0)
        return 0
    first = hits.slice(0, recorder.room(report, code, field)).to_pylist()
    numbers = [i + FIRST_ROW for i in first] if rows is None else rows.take(first).to_pylist()
    messages = describe if isinstance(describe, str) else describe(first)
    report.add_rows(code, messages, resource=spec.name, file=spec.file, field=field, rows=numbers, total=total)
    return total


def values_at(col: pa.ChunkedArray | pa.Array, positions: Sequence[int]) -> list[Any]:
    """Return the Python values of ``col`` at a few positions."""
    return col.take(pa.array(list(positions), pa.int64())).to_pylist()


def fields_of(schema: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A plain JSON schema's usable field descriptors (dicts with a string name); [] for an unusable schema.
    (For callers holding a schema as JSON, such as an inferred one; dpcheck's checks read :func:`fields`.)"""
    if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
        return []
    return [f for f in schema["fields"] if isinstance(f, dict) and isinstance(f.get("name"), str)]


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


def _comparable(value: Any, arrow_type: pa.DataType) -> pa.Scalar:
    """Turn a constraint value into a scalar that compares with a column (dates or numbers given as strings)."""
    scalar = pa.scalar(value)
    if pa.types.is_string(scalar.type) and not _COMPATIBLE["string"](arrow_type):
        scalar = scalar.cast(arrow_type)
    return scalar


# The constraints each type supports, as frictionless reads them; any other constraint on a field is ignored.
_SUPPORTED = {
    "string": {"required", "unique", "minLength", "maxLength", "pattern", "enum"},
    "array": {"required", "unique", "minLength", "maxLength", "enum"},
    "list": {"required", "unique", "minLength", "maxLength"},
    "object": {"required", "unique", "minLength", "maxLength", "enum"},
    "boolean": {"required", "unique", "enum"},
    "any": {"required", "unique", "enum"},
    "geojson": {"required", "unique", "enum"},
    "geopoint": {"required", "unique", "enum"},
}
_ORDERED = {"required", "unique", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "enum"}


def supported(field: Field) -> dict[str, Any]:
    """The constraints of ``field`` its type honours (numbers, dates, times: the ordered ones)."""
    allowed = _SUPPORTED.get(cells.kind(field) or "string", _ORDERED)
    return {k: v for k, v in field.constraints.items() if k in allowed}


def _bounds(col: pa.ChunkedArray, name: str, constraints: dict[str, Any]) -> list[tuple[str, Any, Mask]]:
    """Return (constraint, limit, mask of rows breaking it) for each bound the field declares."""
    is_string = _COMPATIBLE["string"](col.type)
    lengths = pc.utf8_length(col) if is_string else pc.list_value_length(col) if pa.types.is_list(col.type) else None
    tests = [
        ("minimum", pc.less, col),
        ("maximum", pc.greater, col),
        ("exclusiveMinimum", pc.less_equal, col),
        ("exclusiveMaximum", pc.greater_equal, col),
        ("minLength", pc.less, lengths),
        ("maxLength", pc.greater, lengths),
    ]
    out = []
    for constraint, breaks, values in tests:
        if constraint not in constraints or values is None:
            continue
        limit = constraints[constraint]
        scalar = _comparable(limit, values.type) if values is col else pa.scalar(limit)
        out.append((constraint, limit, breaks(values, scalar)))
    return out


def by_value(col: pa.ChunkedArray) -> tuple[pa.ChunkedArray | pa.Array, Callable[[Mask], Mask]]:
    """The values to test a column's constraints on, and how to turn a mask over them into one over its rows.

    A dictionary column is tested once per dictionary entry (a Parquet column of repeated strings is read as
    one, see stream.py), then each row takes its entry's result; any other column is tested as it is.
    """
    if not pa.types.is_dictionary(col.type):
        return col, lambda mask: mask
    unified = col.unify_dictionaries()
    if unified.num_chunks == 0:
        return pa.array([], col.type.value_type), lambda mask: pa.chunked_array([], pa.bool_())
    entries = unified.chunk(0).dictionary

    def expand(mask: Mask) -> Mask:
        mask = mask.combine_chunks() if isinstance(mask, pa.ChunkedArray) else mask
        if not pc.any(mask).as_py():  # (nulls are skipped; all null gives None)
            return pa.array([], pa.bool_())  # no entry is bad, so no row is: nothing to spread
        return pa.chunked_array([pc.take(mask, chunk.indices) for chunk in unified.chunks], pa.bool_())

    return entries, expand


def check_constraints(spec: ResourceSpec, field: Field, col: pa.ChunkedArray, report: Report, type_ok: bool,
                      missing: Mask | None = None, unique: bool = True) -> None:
    """Check one column against its field's constraints (see the module docstring for what runs when).

    Args:
        missing: the cells that are missing (for ``required``); by default the nulls of ``col``.
        unique: whether to check a ``unique`` constraint here; False when ``col`` is one batch of a column
            whose uniqueness the caller checks over the whole column.
    """
    name = field.name
    constraints = supported(field)
    if constraints.get("required") is True:
        absent = pc.is_null(col) if missing is None else missing
        flag(report, "constraint-error", absent, spec, name, 'constraint "required" is violated: the value is missing')
    if unique and constraints.get("unique") is True:
        check_unique(spec, name, col, report)
    if not type_ok:
        return
    values, expand = by_value(col)
    try:
        if isinstance(constraints.get("enum"), tuple):  # (the model's read-only list)
            allowed = pa.array(list(constraints["enum"]))
            allowed = allowed.cast(values.type) if allowed.type != values.type else allowed
            choices = ", ".join(map(show, constraints["enum"]))

            def enum_message(positions: list[int]) -> list[str]:
                return [f'constraint "enum" is violated: {show(v)} is not one of {choices}' for v in values_at(col, positions)]

            outside = expand(pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=allowed))))
            flag(report, "constraint-error", outside, spec, name, enum_message)
        for constraint, limit, mask in _bounds(values, name, constraints):
            mask = expand(mask)

            def bound_message(positions: list[int], constraint: str = constraint, limit: Any = limit) -> list[str]:
                return [f'constraint "{constraint}" is {show(limit)}: {show(v)} breaks it' for v in values_at(col, positions)]

            flag(report, "constraint-error", mask, spec, name, bound_message)
        if isinstance(constraints.get("pattern"), str) and _COMPATIBLE["string"](values.type):
            pattern = constraints["pattern"]
            # Table Schema patterns match the whole value, as Python's re.fullmatch decides (see patterns.py).
            mask = expand(patterns.mismatches(values, pattern))

            def pattern_message(positions: list[int]) -> list[str]:
                return [f'constraint "pattern" is {show(pattern)}: {show(v)} does not match' for v in values_at(col, positions)]

            flag(report, "constraint-error", mask, spec, name, pattern_message)
        check_categories(spec, field, col, values, expand, report)
    except MemoryError:
        raise
    except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
        report.add(Finding("schema-error", f"constraints of field {name!r} cannot be checked on this column: {exc}", spec.name, spec.file, field=name))


def check_categories(spec: ResourceSpec, field: Field, col: pa.ChunkedArray, values: pa.ChunkedArray | pa.Array,
                     expand: Callable[[Mask], Mask], report: Report) -> None:
    """Flag cells whose value is not one of the field's v2 ``categories`` (values or {value, label} objects).

    Checked as a constraint (``constraint-error``), since the spec says a field's values MUST be among them;
    ``values`` and ``expand`` are those of :func:`by_value`. Only string and integer fields have categories.
    """
    categories = field.categories
    if not categories or field.type not in ("string", "integer"):
        return  # (v2 allows categories on these two types only; on others they are a schema-error)
    allowed = pa.array([category.value for category in categories])
    allowed = allowed.cast(values.type) if allowed.type != values.type else allowed
    choices = ", ".join(show(category.value) for category in categories[:10]) + (", …" if len(categories) > 10 else "")

    def message(positions: list[int]) -> list[str]:
        return [f"value {show(v)} is not one of the field's categories ({choices})" for v in values_at(col, positions)]

    outside = expand(pc.and_(pc.is_valid(values), pc.invert(pc.is_in(values, value_set=allowed))))
    flag(report, "constraint-error", outside, spec, field.name, message)


def duplicates(table: pa.Table, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Find rows repeating an earlier row's ``keys``; ``table`` has the keys and ``__row``, and no null keys.

    Returns:
        (rows, first_rows): the row numbers of every repeat, ascending, and of the first row with its key.
    """
    n = table.num_rows
    if n < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    order = pc.sort_indices(table, sort_keys=[(k, "ascending") for k in keys] + [("__row", "ascending")])
    same = np.ones(n - 1, dtype=bool)
    for key in keys:
        col = table.column(key).take(order)
        same &= pc.fill_null(pc.equal(col.slice(1), col.slice(0, n - 1)), False).to_numpy(zero_copy_only=False)
    repeat = np.concatenate([[False], same])
    start = np.maximum.accumulate(np.where(repeat, 0, np.arange(n)))
    rows = table.column("__row").take(order).to_numpy()
    hits = np.flatnonzero(repeat)
    dup_rows, first_rows = rows[hits], rows[start[hits]]
    by_row = np.argsort(dup_rows, kind="stable")
    return dup_rows[by_row], first_rows[by_row]


def report_duplicates(report: Report, code: str, spec: ResourceSpec, field: str | None, rows: np.ndarray,
                      first_rows: np.ndarray, what: Callable[[list[int]], list[str]]) -> None:
    """Report repeated rows found by :func:`duplicates`; ``what`` describes the repeated value of some rows."""
    if len(rows) == 0:
        return
    shown = rows[: report.limit].tolist()
    messages = [f"{desc} repeats row {first}" for desc, first in zip(what(shown), first_rows[: report.limit].tolist())]
    report.add_rows(code, messages, resource=spec.name, file=spec.file, field=field, rows=shown, total=len(rows))


def check_unique(spec: ResourceSpec, name: str, col: pa.ChunkedArray, report: Report, first_row: int = FIRST_ROW) -> None:
    """Report values of a unique field that occur more than once (nulls are not compared).

    Distinct values, the usual case, are settled by hashing them (8 bytes a row) without sorting the column.
    """
    found = hashing.key_hashes([pc.drop_null(col)])
    if found is not None and not hashing.repeats(found):
        return
    numbers = pa.array(np.arange(first_row, len(col) + first_row, dtype=np.int64))
    table = pa.table({name: col, "__row": numbers}).filter(pc.is_valid(col))
    rows, first_rows = duplicates(table, [name])

    def what(shown: list[int]) -> list[str]:
        return [f"value {show(v)} of a unique field" for v in values_at(col, [r - first_row for r in shown])]

    report_duplicates(report, "unique-error", spec, name, rows, first_rows, what)


def compatible(kind: str, arrow_type: pa.DataType) -> bool:
    """Return whether a column of ``arrow_type`` can hold a Table Schema field of type ``kind``."""
    if pa.types.is_null(arrow_type):  # an all-null column fits any field; ``required`` catches it if needed
        return True
    test = _COMPATIBLE.get(kind)
    return test is None or test(arrow_type)


def check_text_field(spec: ResourceSpec, data: TableData, field: Field, report: Report, unique: bool = True) -> pa.ChunkedArray | None:
    """Read a text column as its field's type (see :mod:`~dpcheck.cells`), then check its cells.

    Args:
        unique: whether to check a ``unique`` constraint here; False when ``data`` is one batch of the rows.

    Returns:
        The values as the field's type (text for types with no Arrow form) for the key checks; None if unreadable.
    """
    name = field.name
    try:
        parsed = cells.parse(data.column(name), field, reading.missing_values(spec, field))
    except cells.FieldError as exc:
        report.add(Finding("schema-error", f"field {name!r} cannot be read: {exc}", spec.name, spec.file, field=name))
        return None
    keep = None if data.skip is None else pa.array(~data.skip)
    bad = parsed.bad if keep is None else pc.and_(parsed.bad, keep)
    missing = parsed.missing if keep is None else pc.and_(parsed.missing, keep)
    kind, fmt = cells.kind(field), field.format

    def type_message(positions: list[int]) -> list[str]:
        raw = data.read(name)
        return [f"cell {show(v)} is not a valid {kind}" + ("" if fmt == "default" else f" in format {show(fmt)}")
                for v in values_at(raw, positions)]

    flag(report, "type-error", bad, spec, name, type_message)
    if parsed.vectorised:
        check_constraints(spec, field, parsed.values, report, True, missing=missing, unique=unique)
        return parsed.values
    constraints = supported(field)
    if constraints.get("required") is True:
        flag(report, "constraint-error", missing, spec, name, 'constraint "required" is violated: the value is missing')
    if unique and constraints.get("unique") is True:
        check_unique(spec, name, parsed.values, report)
    for constraint, mask in parsed.notes:
        if constraint in ("required", "unique"):
            continue
        limit = constraints.get(constraint)
        flag(report, "constraint-error", mask if keep is None else pc.and_(mask, keep), spec, name,
             f'constraint "{constraint}" is {show(limit)}: the value breaks it')
    jsoncells.check(spec, field, parsed.values, bad if keep is None else pc.or_(bad, pc.invert(keep)), report)
    return parsed.values


def stored_as_text(kind: str | None, arrow_type: pa.DataType) -> bool:
    """Whether a Parquet column holds a field as text to be read like CSV cells: Parquet has a physical type
    for the types in _COMPATIBLE; the others (duration, geojson, object...) are stored as strings."""
    return _COMPATIBLE["string"](arrow_type) and kind not in _COMPATIBLE and kind != "any"


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
            if (values := check_text_field(spec, checked, field, report)) is not None:
                parsed[name] = values
            continue
        type_ok = compatible(kind, data.types[name])
        if not type_ok:
            message = f"field {name!r} is declared {kind} but the column is stored as {data.types[name]}"
            report.add(Finding("type-error", message, spec.name, spec.file, field=name))
        check_constraints(spec, field, checked.column(name), report, type_ok)
    return checked
