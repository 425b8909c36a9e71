"""A deferred chunk converts its rows only when it leaves its process; in the build's process its documents hold
their rows as built and a batch's rows are converted at once when the batch is joined, giving the tables and
the bytes that packing each document gives (#13)."""

from __future__ import annotations

import pickle

import pyarrow as pa
import pytest

from corpack.discovery import BadFile
from corpack.errors import EmptyDocumentError
from corpack.rowpack import PackedChunk, PackedRows, joined, pack
from corpack.schemas import RESOURCES, load_schema
from corpack.tables import DocumentRows, TableWriter
from tests.helpers import generated_rows


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[DocumentRows]:
    return generated_rows(tmp_path_factory.mktemp("corpus"), seed=12)


def _copy(rows: DocumentRows) -> DocumentRows:
    return DocumentRows(dict(rows.document), [dict(r) for r in rows.paragraphs], {k: [dict(r) for r in v] for k, v in rows.facts.items()}, list(rows.skipped))


def _written(table: pa.Table | list, name: str, path) -> bytes:
    writer = TableWriter(path, load_schema(name))
    writer.write(table)
    writer.close()
    return path.read_bytes()


def _joined_alike(got: list[PackedRows], expected: list[PackedRows], tmp_path) -> None:
    """Each resource of the batch ``got`` joins to the table (schema, metadata, rows, one chunk) and the Parquet
    bytes ``expected`` joins to."""
    for name in RESOURCES:
        a, b = joined(got, name), joined(expected, name)
        if isinstance(b, list):
            assert a == b
            continue
        assert isinstance(a, pa.Table) and a.schema.equals(b.schema, check_metadata=True)
        assert a.column(0).num_chunks == 1 and a.to_pylist() == b.to_pylist()
        assert _written(a, name, tmp_path / f"{name}-a.parquet") == _written(b, name, tmp_path / f"{name}-b.parquet")


def test_a_deferred_chunk_keeps_its_rows_as_built_in_its_process_13(built) -> None:
    items = list(PackedChunk([_copy(rows) for rows in built[:3]], defer=True))
    for item, rows in zip(items, built):
        assert isinstance(item, PackedRows)
        assert all(isinstance(item._held[name], list) for name in item._order)  # no conversion yet
        assert all(item.rows(name) == rows.rows(name) and item.count(name) == len(rows.rows(name)) for name in RESOURCES)


@pytest.mark.parametrize("size", [1, 2, 5])
def test_a_deferred_chunk_pickled_travels_as_the_chunk_packed_at_once_13(built, size) -> None:
    bad = BadFile("x.txt", EmptyDocumentError("the file is empty"))
    given = [*built[:size], bad]
    chunk = PackedChunk([_copy(rows) if isinstance(rows, DocumentRows) else rows for rows in given], defer=True)
    got = list(pickle.loads(pickle.dumps(chunk)))
    expected = list(PackedChunk([_copy(rows) if isinstance(rows, DocumentRows) else rows for rows in given]))
    assert chunk._tables.keys() == PackedChunk([_copy(rows) for rows in built[:size]])._tables.keys()
    for a, b in zip(got, expected, strict=True):
        if isinstance(b, BadFile):
            assert a.record() == b.record()
            continue
        assert [(n, type(t), t.to_pylist() if isinstance(t, pa.Table) else t) for n, t in a._held.items()] == [
            (n, type(t), t.to_pylist() if isinstance(t, pa.Table) else t) for n, t in b._held.items()]
        assert all(t.schema.equals(b._held[n].schema, check_metadata=True) for n, t in a._held.items() if isinstance(t, pa.Table))


def test_a_batch_of_deferred_documents_joins_as_a_batch_of_packed_ones_13(built, tmp_path) -> None:
    deferred = [item for rows in built for item in PackedChunk([_copy(rows)], defer=True)]  # -j 1: a chunk a file
    _joined_alike(deferred, [pack(_copy(rows)) for rows in built], tmp_path)


def test_deferred_and_packed_documents_mixed_in_a_batch_13(built, tmp_path) -> None:
    """(A batch holds rows read from the row cache, packed, beside rows computed in a deferred chunk.)"""
    def batch(deferring: bool) -> list[PackedRows]:
        out = []
        for index, rows in enumerate(built):
            out.extend(PackedChunk([_copy(rows)], defer=deferring and index % 2 == 0) if index != 3 else [pack(_copy(rows))])
        return out

    _joined_alike(batch(True), batch(False), tmp_path)


def test_a_deferred_batch_holding_rows_that_do_not_fit_is_joined_as_dicts_13(built) -> None:
    odd = _copy(built[0])
    odd.paragraphs[0]["para_no"] = "first"  # not an integer: the writer refuses it, as it always did
    for deferring in (True, False):
        batch = [item for rows in (built[1], odd, built[2]) for item in PackedChunk([_copy(rows)], defer=deferring)]
        assert joined(batch, "paragraphs") == built[1].paragraphs + odd.paragraphs + built[2].paragraphs
        assert isinstance(joined(batch, "statistics"), pa.Table)


def test_a_deferred_document_packed_alone_is_what_pack_gives_13(built) -> None:
    [item] = PackedChunk([_copy(built[0])], defer=True)
    item._convert()
    expected = pack(_copy(built[0]))
    assert list(item._held) == list(expected._held)
    for name, held in item._held.items():
        if isinstance(held, list):  # (a resource the document has no rows for)
            assert held == expected._held[name] == []
            continue
        assert held.equals(expected._held[name]) and held.schema.equals(expected._held[name].schema, check_metadata=True)
