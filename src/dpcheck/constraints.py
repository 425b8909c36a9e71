"""A column's cells against their field: the physical type, every constraint, ``categories`` and ``jsonSchema``.

Every check is a pyarrow.compute expression over a column (a whole one, or one batch of it: see
:mod:`~dpcheck.driver`), giving a mask of bad rows (see :func:`dpcheck.flagging.flag`). Text cells (CSV, or
Parquet text of a type Parquet lacks) are first read as their field's type (:mod:`~dpcheck.cells`).
Constraints that compare values (enum, minimum, maximum, lengths, pattern) are skipped for a column whose
physical type does not fit its field, since its values mean something else; ``required`` and ``unique``
still run.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dpcheck import cells, jsoncells, patterns, reading
from dpcheck.descriptor import ResourceSpec
from dpcheck.flagging import Mask, check_unique, flag, packed, show, values_at
from dpcheck.model import Field
from dpcheck.report import Finding, Report

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


_NO_ROW = pa.array([], pa.bool_())  # the mask of a check no row breaks


def _most_bytes(col: pa.ChunkedArray | pa.Array) -> int:
    """The most bytes a value of ``col`` (strings, not views) holds, or more: the longest slot, nulls included."""
    most = 0
    for chunk in col.chunks if isinstance(col, pa.ChunkedArray) else [col]:
        if len(chunk):
            width = np.dtype(np.int32 if pa.types.is_string(chunk.type) else np.int64)
            ends = np.frombuffer(chunk.buffers()[1], dtype=width, count=len(chunk) + 1, offset=chunk.offset * width.itemsize)
            most = max(most, int(np.max(ends[1:] - ends[:-1])))
    return most


def _bounds(col: pa.ChunkedArray, name: str, constraints: dict[str, Any]) -> list[tuple[str, Any, Mask]]:
    """Return (constraint, limit, mask of rows breaking it) for each bound the field declares."""
    is_string = _COMPATIBLE["string"](col.type)
    lengths = None
    short = False  # whether no value can break maxLength
    if is_string and ("minLength" in constraints or "maxLength" in constraints):
        limit = constraints.get("maxLength")
        # A value has no more characters than bytes: when no value has more bytes than maxLength allows (read
        # from the offsets, not counted), none breaks it.
        short = ("minLength" not in constraints and isinstance(limit, int) and not isinstance(limit, bool)
                 and not pa.types.is_string_view(col.type) and _most_bytes(col) <= limit)
        lengths = None if short else pc.utf8_length(col)
    elif pa.types.is_list(col.type):
        lengths = pc.list_value_length(col)
    tests = [
        ("minimum", pc.less, col),
        ("maximum", pc.greater, col),
        ("exclusiveMinimum", pc.less_equal, col),
        ("exclusiveMaximum", pc.greater_equal, col),
        ("minLength", pc.less, lengths),
        ("maxLength", pc.greater, lengths),
    ]
    out = []
    ranges: dict[int, Any] = {}  # each tested array's smallest and largest value
    for constraint, breaks, values in tests:
        if constraint == "maxLength" and short:
            out.append((constraint, constraints[constraint], _NO_ROW))
            continue
        if constraint not in constraints or values is None:
            continue
        limit = constraints[constraint]
        scalar = _comparable(limit, values.type) if values is col else pa.scalar(limit)
        if id(values) not in ranges:
            ranges[id(values)] = pc.min_max(values)
        # A bound no value breaks when the smallest (for a lower one) or largest does not: one comparison
        # instead of one per cell, for most batches (nulls and NaN, which break no bound, are left out of both)
        edge = ranges[id(values)]["min" if breaks in (pc.less, pc.less_equal) else "max"]
        out.append((constraint, limit, breaks(values, scalar) if breaks(edge, scalar).as_py() else _NO_ROW))
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


def compatible(kind: str, arrow_type: pa.DataType) -> bool:
    """Return whether a column of ``arrow_type`` can hold a Table Schema field of type ``kind``."""
    if pa.types.is_null(arrow_type):  # an all-null column fits any field; ``required`` catches it if needed
        return True
    test = _COMPATIBLE.get(kind)
    return test is None or test(arrow_type)


def check_text_field(spec: ResourceSpec, field: Field, text: pa.ChunkedArray, report: Report, skip: np.ndarray | None = None,
                     unique: bool = True, parsed: cells.Parsed | cells.FieldError | None = None) -> pa.ChunkedArray | None:
    """Read a text column as its field's type (see :mod:`~dpcheck.cells`), then check its cells.

    Args:
        text: the cells as text (also what type-error messages show).
        skip: rows whose cells are not checked (a CSV batch's blank rows), or None.
        unique: whether to check a ``unique`` constraint here; False when ``text`` is one batch of the rows.
        parsed: ``text`` already read as the field's type (or the error reading it), when the caller has it.

    Returns:
        The values as the field's type (text for types with no Arrow form) for the key checks; None if unreadable.
    """
    name = field.name
    if parsed is None:
        try:
            parsed = cells.parse(text, field, reading.missing_values(spec, field))
        except cells.FieldError as exc:
            parsed = exc
    if isinstance(parsed, cells.FieldError):
        report.add(Finding("schema-error", f"field {name!r} cannot be read: {parsed}", spec.name, spec.file, field=name))
        return None
    keep = None if skip is None or not skip.any() else packed(~skip)
    bad = parsed.bad if keep is None else pc.and_(parsed.bad, keep)
    missing = parsed.missing if keep is None else pc.and_(parsed.missing, keep)
    kind, fmt = cells.kind(field), field.format

    def type_message(positions: list[int]) -> list[str]:
        return [f"cell {show(v)} is not a valid {kind}" + ("" if fmt == "default" else f" in format {show(fmt)}")
                for v in values_at(text, positions)]

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
