"""One loop for every format (#14): a package as Parquet and as CSV goes through the same driver with the same
checks, and gives the same findings with the same row numbers (a headerless CSV numbers its rows from 1)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from dpcheck import csvfile, driver, stream, validate_package
from dpcheck.fieldcheck import FieldCheck
from dpcheck.keystream import KeyCheck
from dpcheck.tablecheck import ShapeCheck

SCHEMAS: dict[str, dict[str, Any]] = {
    "docs": {"fields": [{"name": "id", "type": "integer"}, {"name": "title", "type": "string"}], "primaryKey": "id"},
    "facts": {"fields": [
        {"name": "fact_id", "type": "string", "constraints": {"pattern": "f[0-9]+"}},
        {"name": "doc_id", "type": "integer", "constraints": {"required": True}},
        {"name": "value", "type": "number", "constraints": {"minimum": 0}},
        {"name": "label", "type": "string", "constraints": {"unique": True}},
    ], "primaryKey": ["fact_id"], "uniqueKeys": [["doc_id", "value"]],
        "foreignKeys": [{"fields": "doc_id", "reference": {"resource": "docs", "fields": "id"}}]},
}


def _tables(rows: int) -> dict[str, pa.Table]:
    ids = [f"f{i}" for i in range(rows)]
    ids[40] = ids[7]  # a repeated primary key
    ids[90] = "x90"  # breaks the pattern
    doc_ids: list[int | None] = [i % 5 for i in range(rows)]
    doc_ids[55] = 99  # an orphan foreign key
    doc_ids[60] = None  # breaks required
    values = [float(i) for i in range(rows)]
    values[70] = -1.0  # breaks the minimum
    values[75] = values[5]  # with doc_id 0 again: a repeated unique key (0, 5.0)
    doc_ids[75] = doc_ids[5]
    labels = [f"l{i}" for i in range(rows)]
    labels[101] = labels[3]  # a repeated unique field
    facts = pa.table({"fact_id": ids, "doc_id": pa.array(doc_ids, pa.int64()), "value": values, "label": labels})
    docs = pa.table({"id": pa.array(range(5), pa.int64()), "title": [f"t{i}" for i in range(5)]})
    return {"docs": docs, "facts": facts}


def _package(folder: Path, fmt: str, header: bool = True) -> Path:
    folder.mkdir()
    resources = []
    for name, table in _tables(130).items():
        path = f"{name}.{fmt}"
        if fmt == "parquet":
            pq.write_table(table, folder / path, row_group_size=16)
        else:
            pcsv.write_csv(table, folder / path, pcsv.WriteOptions(include_header=header, quoting_style="needed"))
        resource = {"name": name, "path": path, "format": fmt, "schema": SCHEMAS[name]}
        if not header:
            resource["dialect"] = {"header": False}
        resources.append(resource)
    (folder / "datapackage.json").write_text(json.dumps({"name": "twin", "resources": resources}), encoding="utf-8")
    return folder


def _findings(folder: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[list[tuple[Any, ...]], list[set[str]]]:
    """The findings, and the kinds of check each call of the one loop drove."""
    driven: list[set[str]] = []
    run = driver.run

    def spy(read: driver.Read, checks: Any, limit: int) -> Any:
        driven.append({type(check).__name__ for check in checks})
        return run(read, checks, limit)

    with monkeypatch.context() as m:
        m.setattr(driver, "run", spy)
        report = validate_package(folder, limit=3)
    return [(f.resource, f.code, f.field, f.row, f.message) for f in report.findings], driven


@pytest.mark.parametrize("small", [False, True])
def test_a_csv_and_a_parquet_twin_give_the_same_findings_through_the_same_loop_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                                 small: bool) -> None:
    if small:  # batches and chunks of a few rows: findings merged over many batches, by check
        monkeypatch.setattr(csvfile, "BATCH_ROWS", 8)
        monkeypatch.setattr(csvfile, "ARROW_BATCH_ROWS", 8)
        monkeypatch.setattr(csvfile, "BLOCK_BYTES", 64)
        monkeypatch.setattr(stream, "CHUNK_ROWS", 1)
    parquet, parquet_driven = _findings(_package(tmp_path / "parquet", "parquet"), monkeypatch)
    csv, csv_driven = _findings(_package(tmp_path / "csv", "csv"), monkeypatch)
    assert csv == parquet
    expected = {("facts", "primary-key", "fact_id", 42), ("facts", "constraint-error", "fact_id", 92),
                ("facts", "foreign-key", "doc_id", 57), ("facts", "constraint-error", "doc_id", 62),
                ("facts", "constraint-error", "value", 72), ("facts", "unique-error", None, 77),
                ("facts", "unique-error", "label", 103)}
    assert {finding[:4] for finding in parquet} == expected
    # one driver call per resource and format, each with the key, row-shape and cell checks
    assert len(parquet_driven) == len(csv_driven) == 2
    for kinds in parquet_driven + csv_driven:
        assert {KeyCheck.__name__, ShapeCheck.__name__, FieldCheck.__name__} <= kinds


def test_a_headerless_csv_twin_numbers_its_rows_from_1_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parquet, _ = _findings(_package(tmp_path / "parquet", "parquet"), monkeypatch)
    headerless, driven = _findings(_package(tmp_path / "csv", "csv", header=False), monkeypatch)
    assert len(driven) == 2

    def shifted(finding: tuple[Any, ...]) -> tuple[Any, ...]:
        resource, code, field, row, message = finding
        return resource, code, field, row - 1, re.sub(r"repeats row (\d+)", lambda m: f"repeats row {int(m[1]) - 1}", message)

    assert headerless == [shifted(finding) for finding in parquet]
