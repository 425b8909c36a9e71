"""A CSV header against its schema, and the shape of each row: what frictionless checks before types.

:func:`layout` pairs the header's labels with the schema's fields as Table Schema v2's ``fieldsMatch`` says
(``exact``, the default: by position; ``equal``, ``subset``, ``superset``, ``partial``: by name) and reports
what the mode does not allow, with frictionless's error names: ``blank-label``, ``duplicate-label``,
``incorrect-label``, ``extra-label``, ``missing-label``. Repeated field names (v2 allows them) are paired by
position in ``exact`` mode, so a header repeating a label where the schema repeats the name is fine.
:func:`structure` finds ``extra-cell``, ``missing-cell`` and ``blank-row`` in a batch of rows.

The delimiter is never guessed (frictionless sniffs one): a header that splits into fewer labels than the
schema has fields, but into the schema's fields at another common delimiter, gets its first
``incorrect-label`` finding told so, with the dialect to declare (:func:`delimiter_hint`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pyarrow as pa

from dpcheck.cells import absent
from dpcheck.flagging import any_set
from dpcheck.model import Schema
from dpcheck.report import Finding, quote

#: Delimiters a header is tried with when it splits into fewer labels than the schema has fields.
OTHER_DELIMITERS = (";", "\t", "|", ",")

#: fieldsMatch modes that pair labels and fields by name; those tolerating labels without a field, and
#: those tolerating fields without a label (but for required ones: frictionless's reading of the v2 text).
BY_NAME = ("equal", "subset", "superset", "partial")
EXTRA_OK = ("subset", "partial")
MISSING_OK = ("superset", "partial")


@dataclass(frozen=True)
class Layout:
    """Where each field's cells are in a row, and how many cells a row should have.

    Attributes:
        positions: for each schema field, in order, the column holding it, or None when no column does.
        expected: the name of each cell a row should have (a label without a field is expected under its
            own name, ``name2`` when that repeats a name); without a header, one per field.
    """

    positions: tuple[int | None, ...]
    expected: tuple[str, ...]

    def present(self, names: list[str]) -> list[str]:
        """The names of the fields that have a column, in schema order."""
        return [name for name, position in zip(names, self.positions) if position is not None]


def required(schema: Schema | None) -> set[str]:
    """The fields that must have a column whatever ``fieldsMatch`` tolerates: required ones and the primary key's."""
    if schema is None:
        return set()
    return {f.name for f in schema.fields if f.required} | set(schema.primary_key)


def _unique_name(base: str, taken: list[str]) -> str:
    name, number = base, 2
    while name in taken:
        name, number = f"{base}{number}", number + 1
    return name


def delimiter_hint(labels: list[str], names: list[str], delimiter: str) -> str:
    """What to tell a user whose header, split at ``delimiter``, has fewer labels than the schema has fields
    but splits into them at another common delimiter (at least half of them by name, in place); else "".

    >>> print(delimiter_hint(["a;b;c"], ["a", "b", "c"], ","))
    ; split at ';', the header holds the schema's 3 fields: if the file is delimited so, declare "dialect": {"delimiter": ";"} (it was read with ",")
    """
    if len(labels) >= len(names) or len(names) < 2:
        return ""
    header = delimiter.join(labels).lstrip("\ufeff")
    for other in OTHER_DELIMITERS:
        if other == delimiter or other not in header:
            continue
        split = [label.strip().strip('"') for label in header.split(other)]
        if len(split) == len(names) and 2 * sum(a == b for a, b in zip(split, names)) >= len(names):
            return (f"; split at {other!r}, the header holds the schema's {len(names)} fields: if the file is delimited so, "
                    f"declare \"dialect\": {{\"delimiter\": {json.dumps(other)}}} (it was read with {json.dumps(delimiter)})")
    return ""


class _Hinted:
    """A report whose first ``incorrect-label`` finding (the one quoting the header run together) gets ``hint``
    after its message."""

    def __init__(self, report: Any, hint: str) -> None:
        self._report, self._hint = report, hint

    def add(self, finding: Finding) -> None:
        if self._hint and finding.code == "incorrect-label":
            finding, self._hint = replace(finding, message=finding.message + self._hint), ""
        self._report.add(finding)


def layout(labels: list[str] | None, names: list[str], needed: set[str], mode: str,
           name: str | None, file: str | None, report: Any, delimiter: str | None = None) -> Layout:
    """Pair ``labels`` (None without a header) with the fields ``names``; report label findings to ``report``.

    Args:
        needed: fields that must have a column even in the modes that tolerate missing ones (see
            :func:`required`).
        mode: the schema's ``fieldsMatch`` (anything else than the modes :data:`BY_NAME` is ``exact``).
        delimiter: the CSV file's, when the labels come from one: the first label finding then says so when
            the header splits into the schema's fields at another (:func:`delimiter_hint`).
    """
    if labels is None:
        return Layout(tuple(range(len(names))), tuple(names))
    if delimiter is not None:
        report = _Hinted(report, delimiter_hint(labels, names, delimiter))
    if mode not in BY_NAME:
        _exact_labels(labels, names, name, file, report)
        expected: list[str] = []
        for i, label in enumerate(labels):
            expected.append(names[i] if i < len(names) else _unique_name(label or f"field{i + 1}", expected + names))
        return Layout(tuple(i if i < len(labels) else None for i in range(len(names))), tuple(expected))
    first: dict[str, int] = {}
    for i, label in enumerate(labels):
        if label in first:
            report.add(Finding("duplicate-label", f"column {i + 1} repeats the label {quote(label)} of column {first[label] + 1}; "
                               f"fieldsMatch {mode!r} pairs columns with fields by name", name, file, field=label or None))
        first.setdefault(label, i)
    positions = tuple(first.get(field) for field in names)
    known = set(names)
    expected = []
    for i, label in enumerate(labels):
        if label not in known and mode not in EXTRA_OK:
            report.add(Finding("extra-label", f"column {quote(label)} (position {i + 1}) is not a field of the schema", name, file, field=label or None))
        expected.append(label if label in known and first[label] == i else _unique_name(label or f"field{i + 1}", expected + names))
    for i, (field, position) in enumerate(zip(names, positions)):
        if position is None and (mode not in MISSING_OK or field in needed):
            report.add(Finding("missing-label", f"field {quote(field)} has no column in the file (fieldsMatch {mode!r})", name, file, field=field))
    if mode == "partial" and names and all(position is None for position in positions):
        report.add(Finding("incorrect-label", "no column is named as a field of the schema; fieldsMatch 'partial' needs at least one",
                           name, file))
    return Layout(positions, tuple(expected))


def _exact_labels(labels: list[str], names: list[str], name: str | None, file: str | None, report: Any) -> None:
    """The header against the schema's field names, position by position, as frictionless checks it."""
    seen: dict[str, int] = {}
    for i in range(max(len(labels), len(names))):
        if i >= len(labels):
            report.add(Finding("missing-label", f"field {quote(names[i])} (position {i + 1}) has no column in the file", name, file, field=names[i]))
            continue
        label = labels[i]
        if i >= len(names):
            report.add(Finding("extra-label", f"column {quote(label)} (position {i + 1}) is not a field of the schema", name, file, field=label or None))
        elif label == "":
            report.add(Finding("blank-label", f"column {i + 1} has a blank label; the schema's field {i + 1} is {quote(names[i])}", name, file, field=names[i]))
        elif label in seen and (label != names[i] or label not in names[:i]):  # v2: a repeated field name may repeat
            report.add(Finding("duplicate-label", f"column {i + 1} repeats the label {quote(label)} of column {seen[label]}", name, file, field=names[i]))
        elif label != names[i]:
            report.add(Finding("incorrect-label", f"column {i + 1} is named {quote(label)} but the schema's field {i + 1} is {quote(names[i])}", name, file, field=names[i]))
        seen.setdefault(label, i + 1)


def blank_rows(cells: list[pa.Array | pa.ChunkedArray | None], missing: list[str], n: int) -> np.ndarray:
    """Rows whose every field's cell is missing (absent or a missing value); ``cells`` has one entry per field."""
    blank = None
    for col in cells:
        if col is not None:
            gone = absent(col, missing)  # (never null)
            if not any_set(gone):
                return np.zeros(n, dtype=bool)  # no row is blank: the other columns cannot make one
            here = gone.to_numpy(zero_copy_only=False)
            blank = here if blank is None else blank & here
            if not blank.any():
                break
    return np.ones(n, dtype=bool) if blank is None else blank


def structure(row_len: np.ndarray | int, n_fields: int, names: list[str], blank: np.ndarray) -> dict[tuple[int, int], tuple[str, str | None, str, np.ndarray]]:
    """extra-cell / missing-cell per row (not on blank rows), and blank-row, of one batch.

    ``row_len`` is the cells of each row, or one number when every row has as many; ``n_fields`` and
    ``names`` are the cells a row should have (see :func:`expected_names`).

    Returns:
        {(kind, position): (code, field, message, 0-based rows)} with kind 0 extra-cell, 1 missing-cell,
        2 blank-row, so batches merge key by key and the report keeps this order.
    """
    out = {}
    keep = ~blank
    if isinstance(row_len, int):  # every row as long: each extra or missing cell is in every row not blank
        if row_len == n_fields and not blank.any():
            return out
        row_len = np.full(len(blank), row_len, dtype=np.int64)
    for position in range(n_fields + 1, int(row_len.max(initial=0)) + 1):
        rows = np.flatnonzero(keep & (row_len >= position))
        if len(rows):
            out[(0, position)] = ("extra-cell", None, f"row has a cell at position {position}, beyond the {n_fields} expected", rows)
    for i in range(n_fields):
        rows = np.flatnonzero(keep & (row_len <= i))
        if len(rows):
            out[(1, i)] = ("missing-cell", names[i], f"row has no cell for field {quote(names[i])} (position {i + 1})", rows)
    rows = np.flatnonzero(blank)
    if len(rows):
        out[(2, 0)] = ("blank-row", None, "row is blank: every cell is missing", rows)
    return out


