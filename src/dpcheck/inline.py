"""Inline ``data`` resources read as CSV rows are, so they are checked like files (Data Package v2).

A resource may hold its rows in the descriptor instead of a file: ``data`` is a list of rows, each a list
of values (the first row is the header, as in a CSV file with a header) or an object keyed by field name
(its header is then the schema's field names, followed by any other key the objects use, in the order
first seen). Values become the text cells a CSV file would hold — strings as they are, ``null`` a missing
cell, booleans ``true``/``false``, numbers as JSON writes them, objects and arrays as JSON text — and
are read as their field's type by the same code as CSV cells, so a finding on inline data is the one the
same rows in a CSV file get, row numbers included (the first row after the header is row 2).

Table Dialect v2's properties of structured formats shape the reading (:class:`Structure`): ``header: false``
makes every array a row (numbered from 1, as a CSV file without a header), ``itemType`` says whether the rows
are arrays or objects (a row of the other kind is an error, :func:`misfit`), and ``itemKeys`` names the keys
read from objects, in order, as the header.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from dpcheck import csvfile
from dpcheck.report import Report

if TYPE_CHECKING:
    from dpcheck.descriptor import ResourceSpec


_SPECIAL = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}  # (floats as json.dumps writes them)


def _cell(value: Any) -> str | None:
    """A JSON value as the text of a CSV cell: as ``json.dumps`` writes it (numbers without its cost, some 5 us
    a call)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if type(value) is int:
        return str(value)
    if type(value) is float:
        text = repr(value)
        return _SPECIAL.get(text, text)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


_TEXT = {str, type(None)}
_WHOLE = {int, type(None)}


def _column(values: list[Any]) -> pa.Array:
    """The text cells of one column's JSON values (see :func:`_cell`): strings and whole numbers in bulk."""
    kinds = set(map(type, values))
    if kinds <= _TEXT:
        return pa.array(values, pa.string())
    if kinds <= _WHOLE:
        try:
            return pa.array(values, pa.int64()).cast(pa.string())  # (as str() writes them)
        except (pa.ArrowInvalid, OverflowError):  # (past 64 bits)
            pass
    return pa.array([_cell(v) for v in values], pa.string())


@dataclass(frozen=True)
class Structure:
    """How rows held as JSON are read (Table Dialect v2, structured formats).

    Attributes:
        header: whether the first array is the header (``header``, true by default; objects carry their keys).
        item_type: ``"array"`` or ``"object"`` when the dialect says which the rows are, else None.
        item_keys: the keys read from objects, in order, as the header (``itemKeys``), else None.
    """

    header: bool = True
    item_type: str | None = None
    item_keys: tuple[str, ...] | None = None

    @classmethod
    def from_dialect(cls, raw: Any) -> Structure:
        """The structure a resource's ``dialect`` describes; what is malformed there is left at its default (the
        profile check reports it)."""
        raw = raw if isinstance(raw, Mapping) else {}
        kind = raw.get("itemType")
        keys = raw.get("itemKeys")
        return cls(header=raw.get("header") is not False, item_type=kind if kind in ("array", "object") else None,
                   item_keys=tuple(keys) if isinstance(keys, list) and all(isinstance(k, str) for k in keys) else None)


@dataclass(frozen=True)
class Survey:
    """What one pass over rows held as JSON learns, for their header (see :meth:`InlineSource.open`).

    Attributes:
        objects: whether the rows are read as objects: as ``itemType`` says, else when every one is an object
            (so when there is none).
        keys: the keys of the rows that are objects, in the order first seen.
        first: the first row (None when there is none).
        rows: how many rows there are.
    """

    objects: bool
    keys: tuple[Any, ...]
    first: Any
    rows: int


def survey(rows: Iterable[Any], structure: Structure) -> Survey:
    """Read ``rows`` once for their :class:`Survey`.

    Raises:
        ValueError: saying which row is not of the kind the dialect's ``itemType`` declares.
    """
    kind = None if structure.item_type is None else (Mapping if structure.item_type == "object" else list)
    keys: dict[Any, None] = {}
    first, count, every_object = None, 0, True
    for count, row in enumerate(rows, start=1):
        if count == 1:
            first = row
        if kind is not None and not isinstance(row, kind):
            raise ValueError(f"item {count} is not an {structure.item_type}, as the dialect's itemType says the rows are")
        if isinstance(row, Mapping):
            keys.update(dict.fromkeys(row))  # (a key seen before keeps its place)
        else:
            every_object = False
    # (with no row at all the rows are taken for objects: a table of no rows whose header is the schema's field
    # names, as `[]` or an empty NDJSON file writes one, where arrays would need a header row)
    objects = structure.item_type == "object" if structure.item_type is not None else every_object
    return Survey(objects, tuple(keys), first, count)


class InlineSource:
    """Rows held as JSON (a resource's inline ``data``, or its JSON or NDJSON file's rows), given out as
    :class:`dpcheck.csvfile.Batch` es like a CSV source's."""

    encoding = "utf-8"

    def __init__(self, batches: Callable[[], Iterable[list[Any]]], surveyed: Survey, names: list[str],
                 structure: Structure = Structure()) -> None:
        """``batches`` gives the rows in lists, from the first, each time it is called; ``surveyed`` is what a
        pass over them found; ``names`` the schema's field names (for rows that are objects); ``structure``
        what the dialect says of them."""
        self.dialect = csvfile.Dialect(header_rows=(1,) if structure.header or surveyed.objects else ())
        self._batches = batches
        self._survey = surveyed
        self._names = names
        self._structure = structure

    @classmethod
    def of(cls, spec: ResourceSpec, rows: list[Any]) -> InlineSource:
        """The source of resource ``spec``'s ``rows`` held in a list (its inline data, or its JSON file's rows).

        Raises:
            ValueError: saying which row is not of the kind the dialect's ``itemType`` declares.
        """
        def batches() -> Iterator[list[Any]]:
            return (rows[at:at + csvfile.BATCH_ROWS] for at in range(0, len(rows), csvfile.BATCH_ROWS))

        return cls.over(spec, batches, rows)

    @classmethod
    def over(cls, spec: ResourceSpec, batches: Callable[[], Iterable[list[Any]]], surveyed: Iterable[Any]) -> InlineSource:
        """The source of resource ``spec``'s rows as ``batches`` gives them, read as its schema's fields and its
        dialect (:class:`Structure`) say, once :func:`survey` has read ``surveyed`` (the same rows).

        Raises:
            ValueError: saying which row is not of the kind the dialect's ``itemType`` declares.
        """
        structure = Structure.from_dialect(spec.descriptor.get("dialect"))
        found = survey(surveyed, structure)
        return cls(batches, found, [f.name for f in spec.resource.schema.fields] if spec.resource.schema else [], structure)

    def arrow_ok(self) -> bool:
        return False  # (there are no bytes to give Arrow's reader)

    def _header(self) -> tuple[list[str], bool]:
        """The header's labels, and whether the first row is the header (not data)."""
        found = self._survey
        if found.objects:
            if self._structure.item_keys is not None:
                return list(self._structure.item_keys), False
            known = set(self._names)
            return list(self._names) + [key for key in found.keys if key not in known], False
        if not self.dialect.header or not found.rows:
            return [], False
        first = found.first if isinstance(found.first, list) else [found.first]
        return ["" if label is None else str(label) for label in first], True

    def open(self, python: bool, report: Report, name: str | None, file: str | None) -> tuple[list[str], Iterator[csvfile.Batch]]:
        """The header's labels and the rows in batches (see :meth:`dpcheck.csvfile.Source.open`); each batch's
        rows become cells as it is given out, so the cells of one batch at a time are held."""
        labels, headed = self._header()
        objects = self._survey.objects

        def batches() -> Iterator[csvfile.Batch]:
            skip = headed
            for rows in self._batches():
                if skip:
                    rows, skip = rows[1:], False
                if not rows:
                    continue
                if objects:  # (a column for each label, None where a row lacks it)
                    yield csvfile.Batch([_column([row.get(label) for row in rows]) for label in labels], None, len(rows))
                    continue
                held = [row if isinstance(row, list) else [row] for row in rows]
                row_len = np.fromiter((len(r) for r in held), dtype=np.int64, count=len(held))
                width = int(row_len.max(initial=0))
                cells = [_column([r[i] if i < len(r) else None for r in held]) for i in range(width)]
                yield csvfile.Batch(cells, row_len, len(held))

        return labels, batches()
