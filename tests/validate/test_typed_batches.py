"""dpcheck.batches.typed_batches (#14): one resource, as Parquet or CSV, gives the same typed columns and the
row numbers findings give; where batches end and which CSV reader splits the rows change nothing."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from dpcheck import batches, csvfile, descriptor, validate_package
from dpcheck.batches import typed_batches
from dpcheck.reading import SourceError
from dpcheck.report import Report

FIELDS = [
    {"name": "id", "type": "integer"},
    {"name": "start", "type": "integer"},
    {"name": "share", "type": "number"},
    {"name": "ok", "type": "boolean"},
    {"name": "day", "type": "date"},
    {"name": "text", "type": "string"},
]
TABLE = pa.table({
    "id": pa.array(range(1, 8), pa.int64()),
    "start": pa.array([0, 5, None, 12, 30, 31, 40], pa.int64()),
    "share": pa.array([0.5, 1.0, 2.25, None, 3.0, 0.0, 1.5], pa.float64()),
    "ok": pa.array([True, False, None, True, True, False, True]),
    "day": pa.array([datetime.date(2021, 1, i) for i in range(1, 8)], pa.date32()),
    "text": ["a", "b,c", "", "d", "e", "f", "g"],
})


def _package(folder: Path, fmt: str, dialect: dict[str, Any] | None = None) -> list[descriptor.ResourceSpec]:
    folder.mkdir(parents=True, exist_ok=True)
    item: dict[str, Any] = {"name": "t", "schema": {"fields": FIELDS}}
    if fmt == "parquet":
        pq.write_table(TABLE, folder / "t.parquet", row_group_size=3)
        item.update(path="t.parquet", format="parquet")
    else:
        header = (dialect or {}).get("header", True)
        options = pcsv.WriteOptions(include_header=header)
        pcsv.write_csv(TABLE.set_column(5, "text", pa.array(["a", "b,c", None, "d", "e", "f", "g"])), folder / "t.csv", options)
        item.update(path="t.csv")
        if dialect:
            item["dialect"] = dialect
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [item]}), encoding="utf-8")
    report = Report(package=str(folder))
    parsed = descriptor.load(folder / "datapackage.json", report)
    assert parsed is not None
    return descriptor.resources(parsed, folder, report, trusted=False)


def _whole(spec: descriptor.ResourceSpec, columns: list[str] | None = None) -> tuple[pa.Table, list[int]]:
    batches = list(typed_batches(spec, columns))
    rows = [n for b in batches for n in b.row_numbers().to_pylist()]
    return pa.concat_tables([b.table for b in batches]), rows


def test_csv_and_parquet_give_the_same_typed_columns_and_row_numbers_14(tmp_path: Path) -> None:
    parquet, rows_p = _whole(_package(tmp_path / "pq", "parquet")[0])
    csv, rows_c = _whole(_package(tmp_path / "csv", "csv")[0])
    assert csv.schema == parquet.schema
    assert csv.column("start").type == pa.int64()
    assert csv.to_pylist() == parquet.set_column(5, "text", pa.array(["a", "b,c", None, "d", "e", "f", "g"])).to_pylist()
    assert rows_p == rows_c == list(range(2, 9))


def test_rows_are_numbered_as_findings_number_them_in_headerless_csv_14(tmp_path: Path) -> None:
    spec = _package(tmp_path, "csv", {"header": False})[0]
    table, rows = _whole(spec, ["id", "start"])
    assert table.column_names == ["id", "start"]
    assert rows == list(range(1, 8))
    # a wrong value's row in a finding is the row the reader gives it
    text = (tmp_path / "t.csv").read_text(encoding="utf-8").replace("\n4,12,", "\n4,x,")
    (tmp_path / "t.csv").write_text(text, encoding="utf-8")
    report = validate_package(tmp_path)
    row_of_4 = rows[table.column("id").to_pylist().index(4)]
    assert [(f.code, f.row) for f in report.findings] == [("type-error", row_of_4)]
    assert list(typed_batches(spec, ["start"]))[0].table.column("start")[3].as_py() is None  # not of the type: null


@pytest.mark.parametrize("python", [False, True])
def test_batch_boundaries_and_the_reader_change_nothing_14(python: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _package(tmp_path, "csv")[0]
    expected = _whole(spec)
    monkeypatch.setattr(csvfile, "BATCH_ROWS", 2)
    monkeypatch.setattr(csvfile, "ARROW_BATCH_ROWS", 2)
    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 32)
    if python:
        monkeypatch.setattr(csvfile.Source, "arrow_ok", lambda self: False)
    batches = list(typed_batches(spec))
    assert len(batches) > 2
    assert [b.first_row for b in batches] == [2 + sum(b.num_rows for b in batches[:i]) for i in range(len(batches))]
    got = (pa.concat_tables([b.table for b in batches]), [n for b in batches for n in b.row_numbers().to_pylist()])
    assert got[0].equals(expected[0]) and got[1] == expected[1]


def test_a_ragged_row_late_in_the_file_gives_every_row_once_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Arrow's reader gives out batches, then meets a short row; Python's reader starts again from the top and
    the rows already given are not given twice."""
    spec = _package(tmp_path, "csv")[0]
    lines = ["id,start,share,ok,day,text"] + [f"{i},{i},0.5,true,2021-01-01,x" for i in range(1, 500)] + ["500,40"]
    (tmp_path / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(csvfile, "BATCH_ROWS", 50)
    monkeypatch.setattr(csvfile, "ARROW_BATCH_ROWS", 50)
    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 256)
    passes = []
    real = batches._csv_pass
    monkeypatch.setattr(batches, "_csv_pass", lambda *a: passes.append(a[-2:]) or real(*a))
    table, rows = _whole(spec, ["id", "share"])
    assert passes[0] == (False, 0) and passes[1][0] is True and passes[1][1] > 0  # Arrow gave rows out first
    assert table.column("id").to_pylist() == list(range(1, 501))
    assert rows == list(range(2, 502))
    assert table.column("share").to_pylist()[-1] is None


def test_bytes_out_of_the_encoding_are_a_source_error_naming_the_byte_14(tmp_path: Path) -> None:
    spec = _package(tmp_path, "csv")[0]
    raw = (tmp_path / "t.csv").read_bytes()
    (tmp_path / "t.csv").write_bytes(raw[:-3] + b"\xff\n")
    with pytest.raises(SourceError, match=f"not valid utf-8 at byte {len(raw) - 3}"):
        list(typed_batches(spec))


def test_a_resource_without_schema_or_files_is_a_source_error_14(tmp_path: Path) -> None:
    spec = _package(tmp_path, "parquet")[0]
    with pytest.raises(SourceError, match="no usable schema"):
        list(typed_batches(descriptor.ResourceSpec("t", "t.parquet", spec.paths, None, "parquet")))
    with pytest.raises(SourceError, match="no local file"):
        list(typed_batches(descriptor.ResourceSpec("t", None, [], spec.schema, "parquet")))


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_no_columns_still_gives_the_rows_and_their_numbers_14(tmp_path: Path, fmt: str) -> None:
    """A plug-in may ask for no column, to learn the row count or the first row's number."""
    batches = list(typed_batches(_package(tmp_path, fmt)[0], columns=[]))
    assert [b.table.num_columns for b in batches] == [0] * len(batches)
    assert sum(b.num_rows for b in batches) == 7 and batches[0].first_row == 2
    assert [n for b in batches for n in b.row_numbers().to_pylist()] == list(range(2, 9))
