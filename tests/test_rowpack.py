"""A document's rows packed as Arrow between a worker and their batch give back the rows as built (#13)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from corpack import dispatch
from corpack.errors import SchemaError
from corpack.rowpack import PackedRows, joined, pack
from corpack.schemas import RESOURCES, load_schema
from corpack.tables import DocumentRows, TableWriter
from tests.helpers import benchmark_corpus, generated_rows


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> list[DocumentRows]:
    return generated_rows(tmp_path_factory.mktemp("corpus"), seed=7)


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


def test_a_batch_is_written_from_its_packed_tables_with_the_bytes_of_its_rows_13(built, tmp_path) -> None:
    batch = [pack(rows) for rows in built]
    for name in RESOURCES:
        table = joined(batch, name)
        if name == "documents" or not any(rows.rows(name) for rows in built):
            assert table == [row for rows in built for row in rows.rows(name)]
            continue
        assert isinstance(table, pa.Table) and table.num_columns and table.column(0).num_chunks == 1
        assert table.to_pylist() == [row for rows in built for row in rows.rows(name)]
        from_dicts, from_table = TableWriter(tmp_path / f"{name}-dicts.parquet", load_schema(name)), TableWriter(tmp_path / f"{name}-table.parquet", load_schema(name))
        from_dicts.write(table.to_pylist())
        from_table.write(table)
        from_dicts.close(), from_table.close()
        assert (tmp_path / f"{name}-table.parquet").read_bytes() == (tmp_path / f"{name}-dicts.parquet").read_bytes()
        assert from_table.rows == len(table)
    assert all(isinstance(joined(batch, name), pa.Table) for name in ("paragraphs", "statistics"))


def test_a_batch_holding_rows_that_do_not_fit_is_joined_as_dicts_13(built) -> None:
    odd = DocumentRows(built[0].document, [dict(row) for row in built[0].paragraphs], built[0].facts, built[0].skipped)
    odd.paragraphs[0]["para_no"] = "first"
    rows = joined([pack(built[1]), pack(odd)], "paragraphs")
    assert rows == built[1].paragraphs + odd.paragraphs


def test_the_writer_refuses_a_table_of_another_schema_13(tmp_path) -> None:
    writer = TableWriter(tmp_path / "events.parquet", load_schema("events"))
    with pytest.raises(SchemaError, match="not of the schema"):
        writer.write(pa.table({"doc_id": ["a"]}))
    writer.abandon()


def test_the_build_does_not_unpack_the_workers_rows_13(tmp_path, monkeypatch) -> None:
    from corpack.pipeline import build

    corpus = tmp_path / "corpus"
    benchmark_corpus().generate(corpus, 30_000, seed=9)

    def unpacked(self, resource):
        raise AssertionError(f"{resource} rows unpacked to dicts")

    monkeypatch.setattr(PackedRows, "rows", unpacked)
    result = build(corpus, tmp_path / "pkg", jobs=1, progress=False, validate=False)
    assert result.written["statistics"] > 0
