"""A document's rows packed as Arrow between a worker and their batch give back the rows as built (#13)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from corpack import dispatch
from corpack.errors import SchemaError
from corpack.rowpack import PackedRows, pack
from corpack.schemas import RESOURCES, load_schema
from corpack.tables import DocumentRows, TableWriter
from tests.helpers import benchmark_corpus


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[DocumentRows]:
    corpus = tmp_path_factory.mktemp("corpus")
    benchmark_corpus().generate(corpus, 80_000, seed=7)
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt"))[:6]
    rows = [dispatch.process_document(corpus, rel, {}) for rel in files]
    return [r for r in rows if isinstance(r, DocumentRows)]


def test_packed_rows_unpack_to_the_rows_as_built_13(built) -> None:
    assert len(built) >= 4
    for rows in built:
        packed = pack(rows)
        assert pack(packed) is packed
        for name in RESOURCES:
            assert packed.rows(name) == rows.rows(name)
            assert packed.count(name) == len(rows.rows(name))
        assert packed.paragraphs == rows.paragraphs and packed.facts == rows.facts
        assert (packed.document, packed.skipped) == (rows.document, rows.skipped)
        assert isinstance(packed._held["paragraphs"], pa.Table)  # held as Arrow, not as dicts


def test_rows_that_do_not_fit_their_schema_are_kept_for_the_writer_to_refuse_13(built, tmp_path) -> None:
    rows = DocumentRows(built[0].document, [dict(row) for row in built[0].paragraphs], built[0].facts, built[0].skipped)
    rows.paragraphs[0]["para_no"] = "first"  # not an integer
    packed = pack(rows)
    assert packed.rows("paragraphs") is rows.paragraphs
    writer = TableWriter(tmp_path / "paragraphs.parquet", load_schema("paragraphs"))
    with pytest.raises(SchemaError):
        writer.write(packed.rows("paragraphs"))
    writer.abandon()


def test_a_worker_sends_its_rows_packed_13(tmp_path) -> None:
    corpus = tmp_path / "corpus"
    benchmark_corpus().generate(corpus, 30_000, seed=8)
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt"))[:3]
    assert all(isinstance(item, PackedRows) for item in dispatch.process_chunk(corpus, files, {}))
