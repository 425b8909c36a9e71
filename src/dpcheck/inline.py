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
from collections.abc import Callable, Iterator, Mapping
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

    def objects(self, rows: list[Any]) -> bool:
        """Whether ``rows`` are read as objects: as ``itemType`` says, else when every one is an object."""
        if self.item_type is not None:
            return self.item_type == "object"
        return bool(rows) and all(isinstance(row, Mapping) for row in rows)


def misfit(rows: list[Any], structure: Structure) -> str | None:
    """What is wrong when a row is not of the kind the dialect's ``itemType`` declares, else None."""
    if structure.item_type is None:
        return None
    kind = Mapping if structure.item_type == "object" else list
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, kind):
            return f"item {number} is not an {structure.item_type}, as the dialect's itemType says the rows are"
    return None


class InlineSource:
    """The rows of an inline ``data`` list, given out as :class:`dpcheck.csvfile.Batch` es like a CSV source's."""

    encoding = "utf-8"

    def __init__(self, data: list[Any], names: list[str], structure: Structure = Structure()) -> None:
        """``data`` is the resource's ``data`` list; ``names`` the schema's field names (for rows that are objects);
        ``structure`` what the dialect says of them (:func:`misfit` holds them to it beforehand)."""
        objects = structure.objects(data)
        self.dialect = csvfile.Dialect(header_rows=(1,) if structure.header or objects else ())
        self._data = data
        self._names = names
        self._structure = structure
        self._objects = objects

    @classmethod
    def of(cls, spec: ResourceSpec, rows: list[Any]) -> InlineSource:
        """The source of resource ``spec``'s ``rows`` (its inline data, or its JSON file's rows), read as its
        schema's fields and its dialect (:class:`Structure`) say.

        Raises:
            ValueError: saying which row is not of the kind the dialect's ``itemType`` declares.
        """
        structure = Structure.from_dialect(spec.descriptor.get("dialect"))
        wrong = misfit(rows, structure)
        if wrong:
            raise ValueError(wrong)
        return cls(rows, [f.name for f in spec.resource.schema.fields] if spec.resource.schema else [], structure)

    def arrow_ok(self) -> bool:
        return False  # (there are no bytes to give Arrow's reader)

    def _header(self) -> tuple[list[str], int, Callable[[Any], list[str | None]]]:
        """The header's labels, the index of the first data row, and how a row becomes its cells."""
        rows = self._data
        if self._objects:
            if self._structure.item_keys is not None:
                labels = list(self._structure.item_keys)
            else:
                labels = list(self._names)
                known = set(labels)
                for row in rows:
                    for key in row:
                        if key not in known:
                            labels.append(key)
                            known.add(key)
            return labels, 0, lambda row: [_cell(row.get(label)) for label in labels]

        def cells(row: Any) -> list[str | None]:
            return [_cell(v) for v in row] if isinstance(row, list) else [_cell(row)]

        if not self.dialect.header or not rows:
            return [], 0, cells
        first = rows[0] if isinstance(rows[0], list) else [rows[0]]
        return ["" if label is None else str(label) for label in first], 1, cells

    def open(self, python: bool, report: Report, name: str | None, file: str | None) -> tuple[list[str], Iterator[csvfile.Batch]]:
        """The header's labels and the rows in batches (see :meth:`dpcheck.csvfile.Source.open`); each batch's
        rows become cells as it is given out, so the cells of one batch at a time are held."""
        labels, start, cells_of = self._header()
        rows = self._data

        def batches() -> Iterator[csvfile.Batch]:
            for first in range(start, len(rows), csvfile.BATCH_ROWS):
                held = [cells_of(row) for row in rows[first:first + csvfile.BATCH_ROWS]]
                row_len = np.fromiter((len(r) for r in held), dtype=np.int64, count=len(held))
                width = int(row_len.max(initial=0))
                cells = [pa.array([r[i] if i < len(r) else None for r in held], pa.string()) for i in range(width)]
                yield csvfile.Batch(cells, row_len, len(held))

        return labels, batches()
