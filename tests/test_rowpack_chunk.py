"""A chunk given its documents' rows unpacked converts each resource's rows of all of them at once, and gives
back what packing each document and joining them gives (#13)."""

from __future__ import annotations

import pickle

import pyarrow as pa
import pytest

from corpack.discovery import BadFile
from corpack.errors import EmptyDocumentError
from corpack.rowpack import PackedChunk, PackedRows, pack
from corpack.schemas import RESOURCES
from corpack.tables import DocumentRows
from tests.helpers import generated_rows


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[DocumentRows]:
    return generated_rows(tmp_path_factory.mktemp("corpus"), seed=11)


def _copy(rows: DocumentRows) -> DocumentRows:
    return DocumentRows(dict(rows.document), [dict(r) for r in rows.paragraphs], {k: [dict(r) for r in v] for k, v in rows.facts.items()}, list(rows.skipped))


def _held(item: PackedRows) -> list[tuple[str, object]]:
    """What an item holds, each table as its schema (with metadata) and rows."""
    return [(name, (held.schema.to_string(show_schema_metadata=True), held.to_pylist()) if isinstance(held, pa.Table) else ("dicts", held))
            for name, held in item._held.items()]


def _same(items: list) -> None:
    """``items`` (DocumentRows, ``pack`` marking one to give packed, or failures) given to a chunk unpacked, and
    after a pickle's round trip, give back what the chunk of the same items each packed before gives."""
    def made(unpacked: bool) -> list:
        return [(_copy(i) if unpacked else pack(_copy(i))) if isinstance(i, DocumentRows) else pack(_copy(i[1])) if isinstance(i, tuple) else i
                for i in items]

    for chunk in (PackedChunk(made(True)), pickle.loads(pickle.dumps(PackedChunk(made(True))))):
        got, expected = list(chunk), list(PackedChunk(made(False)))
        assert len(got) == len(expected)
        for a, b in zip(got, expected):
            if isinstance(b, BadFile):
                assert a.record() == b.record()
                continue
            assert isinstance(a, PackedRows)
            assert _held(a) == _held(b)
            assert (a.document, a.skipped, a._order) == (b.document, b.skipped, b._order)
            for name in RESOURCES:
                assert a.count(name) == b.count(name)


def test_a_chunk_of_unpacked_documents_holds_what_packing_each_gives_13(built) -> None:
    assert len(built) >= 4
    _same(list(built))


def test_unpacked_packed_and_failed_items_mixed_13(built) -> None:
    bad = BadFile("x.txt", EmptyDocumentError("the file is empty"))
    _same([built[0], bad, ("pack", built[1]), built[2], built[3]])  # built[1] given packed already


def test_one_unpacked_document_is_packed_as_it_is_13(built) -> None:
    chunk = PackedChunk([_copy(built[0])])
    assert chunk._tables == {}
    (item,) = list(chunk)
    assert _held(item) == _held(pack(_copy(built[0])))


def test_rows_that_do_not_fit_stay_dicts_and_the_other_documents_are_packed_13(built) -> None:
    unfit = _copy(built[1])
    unfit.paragraphs[0]["para_no"] = "first"  # not an integer: the conversion of all paragraphs at once fails
    _same([built[0], unfit, built[2]])
    got = list(PackedChunk([_copy(built[0]), _copy(unfit), _copy(built[2])]))
    assert got[1]._held["paragraphs"] == unfit.paragraphs  # kept for the writer to refuse
    assert isinstance(got[0]._held["paragraphs"], pa.Table) and isinstance(got[2]._held["paragraphs"], pa.Table)
