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


_UNFIT = (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeError, OverflowError, TypeError, ValueError)


def _convertible(name: str, listed: list[dict[str, Any]]) -> pa.Schema | None:
    """The schema to convert rows of resource ``name`` to, or None to keep them as dicts (none, no schema, or
    rows whose keys are not the schema's fields: the writer says so)."""
    schema = _schemas().get(name)
    return schema if listed and schema is not None and list(listed[0]) == schema.names else None


def _converted(name: str, listed: list[dict[str, Any]]) -> pa.Table | list[dict[str, Any]]:
    """One document's rows of resource ``name`` as an Arrow table, or as they are when they do not fit."""
    schema = _convertible(name, listed)
    if schema is None:
        return listed
    try:
        return to_table(listed, schema)
    except _UNFIT:
        return listed  # the writer says what does not fit


class PackedRows:
    """The rows of one document, as :class:`~corpack.tables.DocumentRows` gives them, with the paragraph and
    fact rows held as Arrow tables (see the module docstring).

    Attributes:
        document: the ``documents`` row (a dict).
        skipped: the spans the extractors passed over on purpose ``(extractor, quote, reason)``.
    """

    def __init__(self, rows: DocumentRows, *, convert: bool = True) -> None:
        self.document = rows.document
        self.skipped = rows.skipped
        self._facts = list(rows.facts)  # the fact resources the document had rows for, in their order
        self._order = ["paragraphs", *self._facts]
        self._held: dict[str, pa.Table | list[dict[str, Any]]] = {name: rows.rows(name) for name in self._order}
        self._fresh = set(self._order)  # the resources whose rows are held as built, not converted yet
        if convert:
            self._convert()

    def _convert(self) -> None:
        """Each resource's rows held as dicts as an Arrow table, where they fit their schema."""
        for name in self._order:
            if name in self._fresh:
                self._held[name] = _converted(name, self._held[name])
        self._fresh.clear()

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


def _convert_together(name: str, items: list[PackedRows]) -> tuple[pa.Table | None, int]:
    """Convert the rows of resource ``name`` that ``items`` hold as built (not converted yet) to Arrow, all of
    them in one conversion, each item then holding its slice of the one table; when they do not all fit, each
    item's alone, as :meth:`PackedRows._convert` converts them (those that do not fit stay as they are).

    Returns:
        ``(together, converted)``: the one table (None when each item's rows were converted alone or there was
        at most one) and how many items' rows were converted.
    """
    fresh = []
    for item in items:
        if name in item._fresh:
            item._fresh.discard(name)
            if _convertible(name, item._held[name]):
                fresh.append(item)
    together = None
    if len(fresh) > 1:
        try:
            together = to_table([row for item in fresh for row in item._held[name]], _schemas()[name])
        except _UNFIT:
            pass  # each item's rows alone: those that fit become a table, the others stay as they are
    at = 0
    for item in fresh:
        listed = item._held[name]
        if together is None:
            item._held[name] = _converted(name, listed)
        else:
            item._held[name] = together.slice(at, len(listed))
            at += len(listed)
    return together, len(fresh)


class PackedChunk:
    """The items of one chunk of files, :class:`PackedRows` or failures in file order, as a worker sends them to
    the build: each resource's Arrow tables joined into one for the trip, since pickling a few large tables costs
    a fraction of pickling many small ones (48 reports: 0.003 s against 0.1-0.19 s to pickle, and as much
    less to load). Iterating gives the items back, each document's tables as slices of the joined ones (no
    copy), so the build sees what :func:`corpack.dispatch.process_document` gave, packed.

    An item may also be given unpacked (:class:`~corpack.tables.DocumentRows`): the rows of all such items are
    then converted one resource at a time, in one conversion, which gives the tables packing each and joining
    them gives at about half the CPU (see :meth:`_join`).

    With ``defer``, the items given unpacked are converted only when the chunk is pickled (sent to another
    process); iterated in the process that made it, it gives them holding their rows as built, and
    :func:`joined` converts a batch's rows of each resource at once. A chunk of one document (``-j 1`` runs
    one a chunk, in the build's process) then costs no conversion of its own: each conversion has a fixed cost
    of some 15 us and 3 us a field, which outweighs a small document's rows.
    """

    def __init__(self, items: Iterable[PackedRows | DocumentRows | Any], *, defer: bool = False) -> None:
        self._items: list[PackedRows | Any] = [PackedRows(item, convert=False) if isinstance(item, DocumentRows) else item for item in items]
        self._counts: list[dict[str, int]] = [{} for _ in self._items]  # per item, the rows it gave each joined table
        self._tables: dict[str, pa.Table] = {}
        self._packed = False
        if not defer:
            self._pack()

    def _pack(self) -> None:
        """Convert the items' rows not converted yet and join each resource's tables (see the class docstring)."""
        self._packed = True
        documents = [index for index, item in enumerate(self._items) if isinstance(item, PackedRows)]
        if len(documents) < 2:  # one document's go as they are
            for index in documents:
                self._items[index]._convert()
            return
        for name in dict.fromkeys(name for index in documents for name in self._items[index]._order):
            self._join(name, documents)

    def __getstate__(self) -> dict[str, Any]:
        if not self._packed:  # (a deferred chunk leaving its process travels packed)
            self._pack()
        return self.__dict__

    def _join(self, name: str, documents: list[int]) -> None:
        """Hold the rows of resource ``name`` of every document that has them as one Arrow table: the rows of
        the documents given unpacked converted at once (one conversion instead of one a document, each with a
        fixed cost: the 4.7 MB generated corpus's chunks of some 15 documents packed in 0.20-0.24 s against
        0.43-0.53 s), or each document's alone when those do not all fit."""
        together, converted = _convert_together(name, [self._items[index] for index in documents])
        held = [(index, self._items[index]._held.get(name)) for index in documents]
        tables = [(index, table) for index, table in held if isinstance(table, pa.Table)]
        if not tables:
            return
        only_together = together is not None and len(tables) == converted  # (no document packed before)
        self._tables[name] = together if only_together else pa.concat_tables([table for _, table in tables]).combine_chunks()
        for index, table in tables:
            self._counts[index][name] = table.num_rows
            del self._items[index]._held[name]

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
    else all of them as dicts (for the writer to judge). Rows held as built (a deferred :class:`PackedChunk`'s)
    are packed first, those of all the batch's documents in one conversion (:func:`_convert_together`)."""
    holding = [rows for rows in batch if rows.count(resource)]
    together, converted = _convert_together(resource, holding)
    parts = [rows.table(resource) for rows in holding]
    if parts and all(isinstance(part, pa.Table) for part in parts):
        if together is not None and converted == len(parts):
            return together  # (one table already, of every part)
        return pa.concat_tables(parts).combine_chunks()
    return [row for part in parts for row in (part.to_pylist() if isinstance(part, pa.Table) else part)]
