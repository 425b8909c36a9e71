"""A document's rows packed as Arrow tables for the trip from a worker and the wait for their batch.

:func:`corpack.tables.document_rows` gives a document's rows as Python dicts, about 25 times the document's raw
bytes in memory (a 5 MB report: some 120 MB of fact rows). The build holds them from the moment a worker
returns them until their batch is written, so each worker packs them (:func:`pack`): every table's rows become
one Arrow table of its schema's types, a few times smaller, and cheap to send between processes. The batch
writer takes a batch's tables joined as they are (:func:`joined`), without turning them back into dicts: the
values are those of the rows as built, so the bytes written are too. Rows that do not fit their schema are
kept as they are, and a batch holding any is handed to the writer as dicts, so it refuses them with the error
it always gave.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from typing import Any

import pyarrow as pa

from corpack.schemas import RESOURCES, arrow_schema, load_schema
from corpack.tables import DocumentRows


@functools.cache
def _schemas() -> dict[str, pa.Schema]:
    return {name: arrow_schema(load_schema(name)) for name in RESOURCES}


_STRUCTS: dict[int, tuple[pa.Schema, pa.DataType]] = {}


def _struct(schema: pa.Schema) -> pa.DataType:
    """The struct type of ``schema``'s fields, kept per schema object (hashing a schema takes 20 us)."""
    held = _STRUCTS.get(id(schema))
    if held is None or held[0] is not schema:
        held = _STRUCTS[id(schema)] = (schema, pa.struct(list(schema)))
    return held[1]


def to_table(rows: list[dict[str, Any]], schema: pa.Schema) -> pa.Table:
    """``rows`` as an Arrow table of ``schema``: what ``pa.Table.from_pylist(rows, schema=schema)`` gives (the
    same values, nulls for missing keys, the same errors), converted as one array of structs when every row is
    a dict: one conversion a table instead of one a column, each with a fixed cost that outweighs a document's
    few rows (the 4.7 MB generated corpus: 0.38 against 0.55 s for its 2,674 tables).

    Raises:
        pa.ArrowInvalid, pa.ArrowTypeError, ...: what ``from_pylist`` raises for rows that do not fit.
    """
    if all(type(row) is dict for row in rows):  # (from_pylist takes any mapping and refuses other rows)
        try:
            batch = pa.RecordBatch.from_struct_array(pa.array(rows, type=_struct(schema)))
            return pa.Table.from_batches([batch]).replace_schema_metadata(schema.metadata)
        except Exception:  # noqa: BLE001 - from_pylist decides what does not fit, and says so
            pass
    return pa.Table.from_pylist(rows, schema=schema)


class PackedRows:
    """The rows of one document, as :class:`~corpack.tables.DocumentRows` gives them, with the paragraph and
    fact rows held as Arrow tables (see the module docstring).

    Attributes:
        document: the ``documents`` row (a dict).
        skipped: the spans the extractors passed over on purpose ``(extractor, quote, reason)``.
    """

    def __init__(self, rows: DocumentRows) -> None:
        self.document = rows.document
        self.skipped = rows.skipped
        self._facts = list(rows.facts)  # the fact resources the document had rows for, in their order
        self._held: dict[str, pa.Table | list[dict[str, Any]]] = {}
        self._order = ["paragraphs", *self._facts]
        schemas = _schemas()
        for name in self._order:
            listed = rows.rows(name)
            schema = schemas.get(name)
            held: pa.Table | list[dict[str, Any]] = listed
            if listed and schema is not None and list(listed[0]) == schema.names:
                try:
                    held = to_table(listed, schema)
                except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError, OverflowError, TypeError, ValueError):
                    held = listed  # the writer says what does not fit
            self._held[name] = held

    def rows(self, resource: str) -> list[dict[str, Any]]:
        """The rows this document contributes to ``resource``, as dicts (unpacked on each call)."""
        if resource == "documents":
            return [self.document]
        held = self._held.get(resource, [])
        return held.to_pylist() if isinstance(held, pa.Table) else held

    def table(self, resource: str) -> pa.Table | list[dict[str, Any]]:
        """The rows this document contributes to ``resource`` as held: an Arrow table of the resource's schema,
        or dicts (the ``documents`` row; rows that do not fit their schema; none)."""
        if resource == "documents":
            return [self.document]
        return self._held.get(resource, [])

    def count(self, resource: str) -> int:
        """How many rows this document contributes to ``resource``, without unpacking them."""
        return 1 if resource == "documents" else len(self._held.get(resource, []))

    @property
    def paragraphs(self) -> list[dict[str, Any]]:
        """The ``paragraphs`` rows (unpacked)."""
        return self.rows("paragraphs")

    @property
    def facts(self) -> dict[str, list[dict[str, Any]]]:
        """The fact rows per fact resource (unpacked), as :attr:`corpack.tables.DocumentRows.facts`."""
        return {name: self.rows(name) for name in self._facts}


class PackedChunk:
    """The items of one chunk of files, :class:`PackedRows` or failures in file order, as a worker sends them to
    the build: each resource's Arrow tables joined into one for the trip, since pickling a few large tables costs
    a fraction of pickling many small ones (48 reports: 0.003 s against 0.1-0.19 s to pickle, and as much
    less to load). Iterating gives the items back, each document's tables as slices of the joined ones (no
    copy), so the build sees what :func:`corpack.dispatch.process_document` gave, packed.
    """

    def __init__(self, items: Iterable[PackedRows | Any]) -> None:
        self._items = list(items)
        parts: dict[str, list[pa.Table]] = {}
        self._counts: list[dict[str, int]] = []  # per item, the rows it gave each joined table
        joining = sum(isinstance(item, PackedRows) for item in self._items) > 1  # (one document's go as they are)
        for item in self._items:
            counts: dict[str, int] = {}
            if joining and isinstance(item, PackedRows):
                for name, held in item._held.items():
                    if isinstance(held, pa.Table):
                        parts.setdefault(name, []).append(held)
                        counts[name] = held.num_rows
                for name in counts:
                    del item._held[name]
            self._counts.append(counts)
        self._tables = {name: pa.concat_tables(tables).combine_chunks() for name, tables in parts.items()}

    def __iter__(self) -> Iterator[PackedRows | Any]:
        at = dict.fromkeys(self._tables, 0)
        for item, counts in zip(self._items, self._counts):
            if counts:
                for name, rows in counts.items():
                    item._held[name] = self._tables[name].slice(at[name], rows)
                    at[name] += rows
                item._held = {name: item._held[name] for name in item._order}  # (the order rows were packed in)
            yield item


def pack(rows: DocumentRows | PackedRows) -> PackedRows:
    """``rows`` packed (rows already packed are returned as they are)."""
    return rows if isinstance(rows, PackedRows) else PackedRows(rows)


def joined(batch: list[PackedRows], resource: str) -> pa.Table | list[dict[str, Any]]:
    """The rows a batch of documents contributes to ``resource``, in batch order: one Arrow table (its chunks
    combined, so it is written as one table built at once would be) when every document holds them packed,
    else all of them as dicts (for the writer to judge)."""
    parts = [rows.table(resource) for rows in batch if rows.count(resource)]
    if parts and all(isinstance(part, pa.Table) for part in parts):
        return pa.concat_tables(parts).combine_chunks()
    return [row for part in parts for row in (part.to_pylist() if isinstance(part, pa.Table) else part)]
