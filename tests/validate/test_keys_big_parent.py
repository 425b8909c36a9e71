"""A foreign key into a large parent is joined by DuckDB within its memory limit, whatever the child's size (#13).

The Arrow join holds the parent's key columns and their distinct values whole: on a 10x corpack package
(3.25M paragraphs) the composite key (doc_id, para_no) of a 40,000-row fact table took the validation from
about 490 to 1,100 MB. These tests use a small ``MIN_ROWS`` so that a few rows stand for a large parent.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dpcheck import keys, reading, sqlkeys, validate_package

PARENT_ROWS = 60
KEY = {"fields": ["doc", "no"], "reference": {"resource": "paras", "fields": ["doc", "no"]}}
FIELDS = [{"name": "doc", "type": "string"}, {"name": "no", "type": "integer"}]


def _package(folder: Path, child_rows: list[tuple[str | None, int | None]]) -> Path:
    paras = pa.table({"doc": [f"d{i // 6}" for i in range(PARENT_ROWS)], "no": pa.array([i % 6 + 1 for i in range(PARENT_ROWS)], pa.int64())})
    facts = pa.table({"fact": [f"f{i}" for i in range(len(child_rows))], "doc": [d for d, _ in child_rows],
                      "no": pa.array([n for _, n in child_rows], pa.int64())})
    pq.write_table(paras, folder / "paras.parquet", row_group_size=7)
    pq.write_table(facts, folder / "facts.parquet", row_group_size=2)
    pq.write_table(facts.slice(0, 0), folder / "empty.parquet")
    child = {"fields": [{"name": "fact", "type": "string"}, *FIELDS], "primaryKey": ["fact"], "foreignKeys": [KEY]}
    descriptor = {"name": "big-parent", "resources": [
        {"name": "paras", "path": "paras.parquet", "format": "parquet", "schema": {"fields": FIELDS, "primaryKey": ["doc", "no"]}},
        {"name": "facts", "path": "facts.parquet", "format": "parquet", "schema": child},
        {"name": "empty", "path": "empty.parquet", "format": "parquet", "schema": child}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


CHILD = [("d0", 1), ("d3", 9), (None, 2), ("d9", 6), ("x", 1), ("d2", None), ("d1", 3), ("d9", 7)]


@pytest.mark.parametrize("limit", [1, 5])
@pytest.mark.parametrize("partition_rows", [10**9, 7])
def test_small_child_of_a_large_parent_is_joined_by_duckdb_not_arrow_13(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                        limit: int, partition_rows: int) -> None:
    """And a parent of more than PARTITION_ROWS rows is joined a part at a time, with the same report."""
    folder = _package(tmp_path, CHILD)
    with monkeypatch.context() as m:
        m.setattr(sqlkeys, "MIN_ROWS", 10**12)  # every key by Arrow: the report to match
        expected = validate_package(folder, limit=limit).to_dict()
    orphans = [f for f in expected["findings"] if f["code"] == "foreign-key"]
    assert [f["row"] for f in orphans] == [3, 6, 9][:limit]
    assert orphans[0]["message"] == "foreign key (doc, no) = ('d3', 9) has no match in paras (doc, no)"

    def refuse(*args: Any) -> None:
        raise AssertionError("the Arrow join ran")

    joined: list[tuple[str, int]] = []
    found = sqlkeys.orphans
    monkeypatch.setattr(sqlkeys, "MIN_ROWS", PARENT_ROWS)  # the parent is large, the children are small
    monkeypatch.setattr(keys, "_same_types", refuse)
    monkeypatch.setattr(sqlkeys, "orphans", lambda child, *a: joined.append((child.paths[0], child.num_rows)) or found(child, *a))
    monkeypatch.setattr(sqlkeys, "PARTITION_ROWS", partition_rows)
    parts: list[tuple[int, int]] = []
    in_part = sqlkeys._in_part
    monkeypatch.setattr(sqlkeys, "_in_part", lambda keys, part, of: parts.append((part, of)) or in_part(keys, part, of))
    assert validate_package(folder, limit=limit).to_dict() == expected
    assert [(Path(path).name, rows) for path, rows in joined] == [("facts.parquet", len(CHILD))]  # (no row: no join)
    of = -(-PARENT_ROWS // partition_rows)
    assert sorted(set(parts)) == [(part, of) for part in range(of)]


def test_child_and_parent_both_small_are_still_joined_by_arrow_13(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _package(tmp_path, CHILD)
    monkeypatch.setattr(sqlkeys, "MIN_ROWS", PARENT_ROWS + 1)
    arrow: list[int] = []
    same_types = keys._same_types
    monkeypatch.setattr(keys, "_same_types", lambda child, parent, fields: arrow.append(child.num_rows) or same_types(child, parent, fields))
    report = validate_package(folder)
    assert arrow == [len(CHILD) - 2]  # (rows with a null in the key are left out before the join; an empty child is not joined)
    assert [f.row for f in report.findings if f.code == "foreign-key"] == [3, 6, 9]


def test_arrow_hands_back_its_freed_memory_before_duckdb_joins_13(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """DuckDB allocates its own memory: the blocks Arrow's allocator kept after the table checks are released
    before a join, so they are not held beside DuckDB's (a design guard, not a measurement)."""
    folder = _package(tmp_path, CHILD)
    events: list[str] = []
    pool = pa.default_memory_pool()

    class Pool:
        def release_unused(self) -> None:
            events.append("released")
            pool.release_unused()

    import duckdb

    connect = duckdb.connect
    monkeypatch.setattr(pa, "default_memory_pool", lambda: Pool())
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: events.append("connected") or connect(*a, **k))
    monkeypatch.setattr(sqlkeys, "MIN_ROWS", PARENT_ROWS)
    validate_package(folder)
    assert "connected" in events and all(events[i - 1] == "released" for i, e in enumerate(events) if e == "connected")


def test_children_of_one_parent_key_read_and_join_it_once_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two fact tables referring to the same paragraph key: the parent's key columns are read once, and each
    child's orphans are those a join of its own finds."""
    folder = _package(tmp_path, CHILD)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    second = pa.table({"fact": ["g0", "g1", "g2"], "doc": ["d0", "d4", "q"], "no": pa.array([1, 99, 1], pa.int64())})
    pq.write_table(second, folder / "more.parquet")
    descriptor["resources"].append({**descriptor["resources"][1], "name": "more", "path": "more.parquet"})
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    reads: list[tuple[str, str]] = []
    column = reading.TableData.column
    monkeypatch.setattr(reading.TableData, "column", lambda self, name: reads.append((self.paths[0], name)) or column(self, name))
    report = validate_package(folder)
    orphans = [(f.resource, f.row) for f in report.findings if f.code == "foreign-key"]
    assert orphans == [("facts", 3), ("facts", 6), ("facts", 9), ("more", 3), ("more", 4)]
    assert sorted(name for path, name in reads if Path(path).name == "paras.parquet") == ["doc", "no"]
