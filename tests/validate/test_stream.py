"""Parquet checked row group by row group, keys with DuckDB: the same report as whole columns and Arrow keys (#5).

Seeded packages with many small row groups, a resource in two parts, single and composite keys, a
self-reference and bad cells everywhere are validated twice: as streamed (every row group its own chunk,
DuckDB for every key) and the whole-column way (``tables.check`` and the Arrow keys); the JSON reports
must be identical, findings order included.
"""

from __future__ import annotations

import datetime
import json
import random
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dpcheck import constraints, driver, flagging, sqlkeys, stream, tables, validate_package

SCHEMAS: dict[str, dict[str, Any]] = {
    "docs": {"fields": [
        {"name": "doc_id", "type": "string", "constraints": {"required": True, "pattern": "d[0-9]{2}"}},
        {"name": "region", "type": "string", "constraints": {"enum": ["东", "西"]}},
    ], "primaryKey": ["doc_id"]},
    "facts": {"fields": [
        {"name": "fact_id", "type": "string", "constraints": {"required": True, "pattern": "f[0-9]{3}"}},
        {"name": "doc_id", "type": "string"},
        {"name": "value", "type": "number", "constraints": {"minimum": 0}},
        {"name": "label", "type": "string", "constraints": {"maxLength": 3, "unique": True}},
        {"name": "year", "type": "integer", "constraints": {"minimum": 1949, "maximum": 2030, "required": True}},
        {"name": "day", "type": "date", "constraints": {"minimum": "2000-01-01"}},
        {"name": "spent", "type": "duration"},
    ], "primaryKey": ["fact_id"],
        "foreignKeys": [{"fields": ["doc_id"], "reference": {"resource": "docs", "fields": ["doc_id"]}}]},
    "pairs": {"fields": [
        {"name": "a", "type": "string"},
        {"name": "b", "type": "integer"},
        {"name": "up_a", "type": "string"},
        {"name": "up_b", "type": "integer"},
    ], "primaryKey": ["a", "b"],
        "foreignKeys": [{"fields": ["up_a", "up_b"], "reference": {"resource": "", "fields": ["a", "b"]}}]},
}


def _bad(rng: random.Random, good: Any, bad: Any, rate: float) -> Any:
    return bad if rng.random() < rate else good


def _tables(seed: int, rate: float) -> dict[str, list[pa.Table]]:
    rng = random.Random(seed)
    docs = pa.table({
        "doc_id": [_bad(rng, f"d{i:02d}", rng.choice([None, "d01", "x"]), rate) for i in range(30)],
        "region": [_bad(rng, "东", "北", rate) for _ in range(30)],
    })
    n = 200
    facts = pa.table({
        "fact_id": [_bad(rng, f"f{i:03d}", rng.choice([None, "f001", "f1"]), rate) for i in range(n)],
        "doc_id": [_bad(rng, f"d{rng.randrange(30):02d}", rng.choice([None, "d99"]), rate) for _ in range(n)],
        "value": [_bad(rng, rng.random() * 9, rng.choice([None, -1.5]), rate) for _ in range(n)],
        "label": [_bad(rng, f"{i:03d}", rng.choice(["toolong", "007", None]), rate) for i in range(n)],
        "year": pa.array([_bad(rng, 2000 + i % 20, rng.choice([None, 1800, 2099]), rate) for i in range(n)], pa.int64()),
        "day": [_bad(rng, datetime.date(2001, 1, 1 + i % 28), datetime.date(1999, 1, 1), rate) for i in range(n)],
        "spent": [_bad(rng, "P1D", "soon", rate) for _ in range(n)],
    })
    pairs = pa.table({
        "a": [_bad(rng, f"p{i // 3}", rng.choice([None, "p0"]), rate) for i in range(60)],
        "b": pa.array([_bad(rng, i % 3, 0, rate) for i in range(60)], pa.int64()),
        "up_a": [_bad(rng, f"p{i // 6}", "p99", rate) for i in range(60)],
        "up_b": pa.array([_bad(rng, 0, rng.choice([None, 7]), rate) for _ in range(60)], pa.int64()),
    })
    return {"docs": [docs], "facts": [facts.slice(0, 120), facts.slice(120)], "pairs": [pairs]}


def _write(folder: Path, seed: int, rate: float) -> Path:
    resources = []
    for name, parts in _tables(seed, rate).items():
        paths = []
        for i, part in enumerate(parts):
            path = f"{name}-{i}.parquet"
            pq.write_table(part, folder / path, row_group_size=7)
            paths.append(path)
        resources.append({"name": name, "path": paths if len(paths) > 1 else paths[0], "format": "parquet",
                          "schema": SCHEMAS[name]})
    (folder / "datapackage.json").write_text(json.dumps({"name": "streamed", "resources": resources}), encoding="utf-8")
    return folder


def _whole_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    # plain columns, foreign keys by the Arrow join (no lookups while streaming), keys by Arrow
    monkeypatch.setattr(stream, "check", lambda spec, data, report, lookups=(): tables.check(spec, data, report))
    monkeypatch.setattr(sqlkeys, "MIN_ROWS", 10**12)


def _streamed(monkeypatch: pytest.MonkeyPatch, dictionaries: bool = False) -> None:
    monkeypatch.setattr(stream, "CHUNK_ROWS", 1)
    monkeypatch.setattr(sqlkeys, "MIN_ROWS", 0)
    if dictionaries:  # read every string column as a dictionary, whatever its first row group holds
        monkeypatch.setattr(stream, "_repeating", lambda data, names: {
            path: [n for n in names if pa.types.is_string(data.types[n])] for path in data.paths})


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("limit", [2, 5])
@pytest.mark.parametrize("dictionaries", [False, True])
def test_streamed_report_equals_whole_column_report_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int, limit: int,
                                                      dictionaries: bool) -> None:
    folder = _write(tmp_path, seed, rate=[0.02, 0.1, 0.5][seed % 3])
    with monkeypatch.context() as m:
        _whole_columns(m)
        expected = validate_package(folder, limit=limit).to_dict()
    with monkeypatch.context() as m:
        _streamed(m, dictionaries)
        got = validate_package(folder, limit=limit).to_dict()
    assert got == expected
    assert expected["valid"] == (seed % 3 == 0 and expected["summary"]["errors"] == 0)
    assert seed % 3 == 0 or expected["summary"]["errors"] > 20


def test_streamed_rows_are_numbered_across_parts_and_row_groups_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _write(tmp_path, 0, rate=0.0)
    facts = pq.read_table(folder / "facts-1.parquet")  # rows 122.. of the resource (part 0 has 120 rows)
    ids = facts.column("fact_id").to_pylist()
    ids[30] = "f000"  # part 1, row group 4: repeats row 2
    years = facts.column("year").to_pylist()
    years[45] = 2099
    facts = facts.set_column(0, "fact_id", pa.array(ids)).set_column(4, "year", pa.array(years, pa.int64()))
    pq.write_table(facts, folder / "facts-1.parquet", row_group_size=7)
    _streamed(monkeypatch)
    report = validate_package(folder)
    found = {(f.code, f.field, f.row) for f in report.findings}
    assert found == {("primary-key", "fact_id", 152), ("constraint-error", "year", 167)}
    assert any("repeats row 2" in f.message for f in report.findings)


def test_duckdb_is_not_used_for_float_keys_or_small_tables_5(tmp_path: Path) -> None:
    folder = _write(tmp_path, 0, rate=0.0)
    report = validate_package(folder)
    assert report.valid
    from dpcheck import reading
    from dpcheck.descriptor import ResourceSpec  # noqa: F401 - the type the reader takes

    data = reading.TableData(["x"], {"x": pa.float64()}, 10**7, lambda name: pa.chunked_array([]),
                             parts=[object()], paths=["/abs/x.parquet"])
    assert not sqlkeys.usable(data, ["x"])
    data.types["x"] = pa.string()
    assert sqlkeys.usable(data, ["x"])
    data.paths = ["/abs/x[1].parquet"]  # DuckDB would read it as a glob
    assert not sqlkeys.usable(data, ["x"])
    data.paths, data.num_rows = ["/abs/x.parquet"], 10
    assert not sqlkeys.usable(data, ["x"])
    assert sqlkeys.usable(data, ["x"], min_rows=0)  # a small parent of a foreign key still goes to DuckDB


def test_repeat_across_a_row_group_boundary_of_a_sorted_key_is_found_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _write(tmp_path, 0, rate=0.0)
    facts = pq.read_table(folder / "facts-0.parquet")
    ids = facts.column("fact_id").to_pylist()
    ids[7] = ids[6]  # first row of row group 2 repeats the last of row group 1; the key is still sorted
    pq.write_table(facts.set_column(0, "fact_id", pa.array(ids)), folder / "facts-0.parquet", row_group_size=7)
    for streamed in (False, True):
        with monkeypatch.context() as m:
            (_streamed if streamed else _whole_columns)(m)
            report = validate_package(folder)
        assert [(f.code, f.row, f.message) for f in report.findings] == [
            ("primary-key", 9, "primary key (fact_id) = 'f006' repeats row 8")]


def _all_bad(folder: Path) -> int:
    """A package of 100 row groups of 10 rows, every row breaking 5 constraints; returns its row count."""
    n = 1000
    table = pa.table({"fact_id": [f"x{i}" for i in range(n)], "doc_id": ["d"] * n, "value": [-1.0] * n,
                      "label": ["toolong"] * n, "year": pa.array([1800] * n, pa.int64()),
                      "day": [datetime.date(1990, 1, 1)] * n, "spent": ["P1D"] * n})
    pq.write_table(table, folder / "facts.parquet", row_group_size=10)
    schema = {k: v for k, v in SCHEMAS["facts"].items() if k != "foreignKeys"}
    descriptor = {"name": "bad", "resources": [{"name": "facts", "path": "facts.parquet", "format": "parquet", "schema": schema}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return n


def _count_described(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    described: list[int] = []
    values_at = constraints.values_at
    monkeypatch.setattr(constraints, "values_at", lambda col, positions: described.append(len(positions)) or values_at(col, positions))
    return described


@pytest.mark.parametrize("window", [1, 3])
def test_every_row_bad_describes_only_the_first_rows_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: int) -> None:
    """At most ``WINDOW`` chunks are ahead of the first unfinished one, so only the chunks started before
    chunk 0 finished describe rows: fewer than ``WINDOW`` chunks' worth, however the threads are scheduled
    (#14: this test counted chunks in flight, which depended on scheduling, and failed once)."""
    n = _all_bad(tmp_path)
    monkeypatch.setattr(driver, "WINDOW", window)
    described = _count_described(monkeypatch)
    _streamed(monkeypatch)
    report = validate_package(tmp_path, limit=3)
    assert report.counts[("facts", "constraint-error")] == 5 * n  # pattern, minimum, maxLength, both year bounds...
    assert sum(described) <= 3 * 5 * window  # ...yet only the chunks of the first window described their first rows
    assert sum(described) == 3 * 5 or window > 1
    assert [f.row for f in report.findings if f.field == "year"] == [2, 3, 4]


def test_chunks_held_back_by_a_slow_first_chunk_are_bounded_by_the_window_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worst order for the bound, forced: chunk 0 waits until chunk WINDOW - 1 has been checked, so every
    chunk of the first window describes its rows, and no later one does (before #14, later chunks kept
    starting while chunk 0 waited, as many as the other threads got through)."""
    import threading

    n = _all_bad(tmp_path)
    window = 3
    monkeypatch.setattr(driver, "WINDOW", window)
    monkeypatch.setattr(driver, "WORKERS", 2)
    described = _count_described(monkeypatch)
    _streamed(monkeypatch)
    last_of_window = threading.Event()
    check = constraints.check_constraints

    def ordered(spec: Any, field: Any, col: Any, recorder: Any, *args: Any, **kwargs: Any) -> None:
        if recorder.offset == 0 and field.name == "fact_id":
            assert last_of_window.wait(timeout=120), "chunk WINDOW - 1 never ran while chunk 0 waited"
        check(spec, field, col, recorder, *args, **kwargs)
        if recorder.offset == 10 * (window - 1) and field.name == "day":  # the last field streamed
            last_of_window.set()

    monkeypatch.setattr(constraints, "check_constraints", ordered)
    report = validate_package(tmp_path, limit=3)
    assert report.counts[("facts", "constraint-error")] == 5 * n
    assert sum(described) == 3 * 5 * window


def test_duckdb_does_the_keys_when_it_applies_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Guard against a silent fallback: with DuckDB in use, the Arrow key checks never run."""
    folder = _write(tmp_path, 1, rate=0.1)
    _streamed(monkeypatch)
    from dpcheck import keys

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the Arrow key check ran")

    monkeypatch.setattr(keys, "duplicates", refuse)
    monkeypatch.setattr(flagging, "duplicates", refuse)
    monkeypatch.setattr(keys, "_same_types", refuse)
    report = validate_package(folder)
    assert {"primary-key", "foreign-key", "unique-error"} <= {f.code for f in report.findings}


def test_foreign_key_into_a_small_parent_is_checked_while_streaming_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """facts.doc_id -> docs.doc_id is tested chunk by chunk against docs' keys (never joined afterwards),
    and reports what the join reports; the composite self-reference of ``pairs`` still goes to DuckDB."""
    from dpcheck import keys

    folder = _write(tmp_path, 1, rate=0.1)
    _streamed(monkeypatch)
    with monkeypatch.context() as m:
        m.setattr(keys, "LOOKUP_ROWS", -1)  # no parent is small enough: every foreign key is joined
        expected = validate_package(folder, limit=3).to_dict()
    joined = []
    orphans = sqlkeys.orphans
    monkeypatch.setattr(sqlkeys, "orphans", lambda child, fields, *a: joined.append(fields) or orphans(child, fields, *a))
    got = validate_package(folder, limit=3).to_dict()
    assert joined == [["up_a", "up_b"]]
    assert got == expected
    assert any(f["code"] == "foreign-key" and f["resource"] == "facts" for f in got["findings"])


@pytest.mark.parametrize("repeat", [False, True])
def test_unsorted_key_is_settled_by_hashes_while_streaming_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repeat: bool) -> None:
    """A shuffled valid key never reaches DuckDB or Arrow; a repeat in it still does, and is listed."""
    rng = random.Random(7)
    ids = [f"f{i:03d}" for i in range(300)]
    rng.shuffle(ids)
    if repeat:
        ids[250] = ids[3]
    table = pa.table({"fact_id": ids, "doc_id": [None] * 300, "value": [1.0] * 300, "label": [None] * 300,
                      "year": pa.array([2000] * 300, pa.int64()), "day": [None] * 300, "spent": [None] * 300},
                     schema=pa.schema([("fact_id", pa.string()), ("doc_id", pa.string()), ("value", pa.float64()),
                                       ("label", pa.string()), ("year", pa.int64()), ("day", pa.date32()),
                                       ("spent", pa.string())]))
    pq.write_table(table, tmp_path / "facts.parquet", row_group_size=7)
    schema = {k: v for k, v in SCHEMAS["facts"].items() if k != "foreignKeys"}
    descriptor = {"name": "shuffled", "resources": [{"name": "facts", "path": "facts.parquet", "format": "parquet", "schema": schema}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    _streamed(monkeypatch)
    from dpcheck import keys

    compared = []
    repeats = sqlkeys.repeats
    monkeypatch.setattr(sqlkeys, "repeats", lambda *a, **k: compared.append(a[1]) or repeats(*a, **k))
    monkeypatch.setattr(keys, "duplicates", lambda *a, **k: compared.append("arrow") or tables.duplicates(*a, **k))
    report = validate_package(tmp_path)
    if repeat:
        assert compared == [["fact_id"]]
        assert [(f.code, f.row, f.message) for f in report.findings] == [
            ("primary-key", 252, f"primary key (fact_id) = {ids[3]!r} repeats row 5")]
    else:
        assert compared == []
        assert report.valid


def test_batches_are_merged_by_check_not_by_position_14() -> None:
    """A batch whose checks say something the others do not (a finding where a column cannot be compared)
    loses nothing and shifts nothing: events are merged by their check's key (before #14, by position, so the
    finding was dropped and the next check's rows were counted as another's)."""
    from dpcheck.recorder import Recorder, Rows, merge
    from dpcheck.report import Finding

    def batch(offset: int, odd: bool) -> list:
        recorder = Recorder(limit=2, offset=offset)
        recorder.add_rows("constraint-error", "required", resource="t", file="t.csv", field="a", rows=[2], total=1)
        if odd:
            recorder.add(Finding("schema-error", "cannot compare", "t", "t.csv", field="a"))
        recorder.add_rows("constraint-error", "enum", resource="t", file="t.csv", field="a", rows=[3, 4], total=2)
        return recorder.events

    merged = merge([batch(0, False), batch(10, True), batch(20, False)], limit=3)
    assert [(type(e).__name__, e.code) for e in merged] == [("Rows", "constraint-error"), ("Finding", "schema-error"),
                                                             ("Rows", "constraint-error")]
    required, _, enum = merged
    assert isinstance(required, Rows) and (required.rows, required.total) == ([2, 12, 22], 3)
    assert isinstance(enum, Rows) and (enum.rows, enum.messages, enum.total) == ([3, 4, 13], ["enum"] * 3, 6)
