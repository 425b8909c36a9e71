"""A Parquet table of long texts is checked a few megabytes at a time (#13, #14): a batch of whole row groups
ends at CHUNK_ROWS rows or at CHUNK_BYTES of data, whichever comes first, so a documents table of a few
thousand reports is not one batch of hundreds of MB; the findings do not depend on where batches end."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dpcheck import driver, stream, validate_package


def _package(folder: Path) -> Path:
    texts = [("文" * (2_000 + i)) if i != 37 else "x" * 5 for i in range(60)]  # row 39 (doc 37) breaks minLength
    table = pa.table({"doc_id": [f"d{i:03}" for i in range(60)], "text": texts})
    pq.write_table(table, folder / "documents.parquet", row_group_size=6)  # 10 row groups of about 36 KB
    fields = [{"name": "doc_id", "type": "string"}, {"name": "text", "type": "string", "constraints": {"minLength": 100}}]
    descriptor = {"name": "p", "resources": [{"name": "documents", "path": "documents.parquet",
                                              "schema": {"fields": fields, "primaryKey": ["doc_id"]}}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder / "datapackage.json"


def _batches_and_findings(descriptor: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[int], list[tuple[str, int | None]]]:
    sizes: list[int] = []
    run = driver.run

    def spy(read: driver.Read, checks, limit: int):  # type: ignore[no-untyped-def]
        loads = list(read.batches)

        def counted(load):  # type: ignore[no-untyped-def]
            def inner() -> driver.Batch:
                batch = load()
                sizes.append(batch.num_rows)
                return batch
            return inner

        return run(driver.Read([counted(load) for load in loads], 1), checks, limit)

    with monkeypatch.context() as m:
        m.setattr(driver, "run", spy)
        report = validate_package(descriptor)
    return sizes, [(f.code, f.row) for f in report.findings]


def test_a_table_of_long_texts_is_checked_a_few_row_groups_at_a_time_13(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    descriptor = _package(tmp_path)
    whole, found_whole = _batches_and_findings(descriptor, monkeypatch)
    assert whole == [60]  # 60 rows, under CHUNK_ROWS and CHUNK_BYTES: one batch
    monkeypatch.setattr(stream, "CHUNK_BYTES", 50_000)  # more than one row group's text, less than two
    cut, found_cut = _batches_and_findings(descriptor, monkeypatch)
    assert cut == [12] * 5
    assert found_cut == found_whole == [("constraint-error", 39)]
