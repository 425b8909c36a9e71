"""The table checks return what they found instead of writing it into the table they were given (#14)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dpcheck import descriptor, reading, stream, tables
from dpcheck.report import Report

RESOURCE = {"name": "t", "path": "t.parquet", "format": "parquet", "schema": {"fields": [
    {"name": "id", "type": "integer"}, {"name": "took", "type": "duration"}], "primaryKey": ["id"]}}


def _opened(folder: Path) -> tuple[descriptor.ResourceSpec, reading.TableData, Report]:
    table = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "took": ["P1D", "PT2H", "P3D"]})
    pq.write_table(table, folder / "t.parquet", row_group_size=2)
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [RESOURCE]}), encoding="utf-8")
    report = Report(package="p")
    spec = descriptor.resources({"name": "p", "resources": [RESOURCE]}, folder, report, trusted=False)[0]
    data = reading.open_table(spec, report)
    assert data is not None
    return spec, data, report


def test_stream_check_returns_the_checked_table_and_leaves_the_one_it_was_given_alone_14(tmp_path: Path) -> None:
    spec, data, report = _opened(tmp_path)
    try:
        checked = stream.check(spec, data, report)
        assert report.valid
        assert data.parsed == {} and data.distinct_keys == set() and data.orphans == {}
        assert ("id",) in checked.distinct_keys and set(checked.parsed) == {"took"}
        assert checked.column("took").to_pylist() == ["P1D", "PT2H", "P3D"] and checked.num_rows == 3
    finally:
        data.close()


def test_the_whole_column_check_returns_the_typed_text_fields_too_14(tmp_path: Path) -> None:
    spec, data, report = _opened(tmp_path)
    try:
        checked = tables.check(spec, data, report)
        assert report.valid and data.parsed == {} and set(checked.parsed) == {"took"}
    finally:
        data.close()


def test_check_text_field_returns_the_typed_values_without_writing_them_into_the_table_14(tmp_path: Path) -> None:
    spec, data, report = _opened(tmp_path)
    try:
        field = spec.resource.schema.fields[1]
        values = tables.check_text_field(spec, field, data.column("took"), report)
        assert values is not None and values.to_pylist() == ["P1D", "PT2H", "P3D"] and data.parsed == {}
    finally:
        data.close()


def test_the_keys_hashed_while_rows_stream_come_from_the_model_14() -> None:
    from dpcheck.keys import distinct_keys
    from dpcheck.tableschema import Schema

    schema = Schema.from_descriptor({"fields": [{"name": "id"}, {"name": "a", "constraints": {"unique": True}}, {"name": "b"}],
                                     "primaryKey": "id", "uniqueKeys": [["a", "b"], ["a"]]})
    assert distinct_keys(schema) == [("a",), ("id",), ("a", "b")]
    assert distinct_keys(None) == []
