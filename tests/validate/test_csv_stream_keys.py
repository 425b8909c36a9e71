"""CSV keys settled while the rows stream (#14), as Parquet's are: a foreign key into a resource already
checked is looked up batch by batch (its column is not held for a check after the loop), and a key whose
values increase is found distinct by their order (not hashed, nor written out for the full check). The
findings are the ones the checks after the loop give."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from dpcheck import csvfile, driver, hashing, keys, keystream, sqlkeys, validate_package
from dpcheck.keystream import KeepCheck, LookupCheck

DOCS = {"fields": [{"name": "id", "type": "string"}, {"name": "title", "type": "string"}], "primaryKey": ["id"]}
FACTS = {"fields": [{"name": "fact_id", "type": "integer"}, {"name": "doc_id", "type": "string"}],
         "primaryKey": ["fact_id"], "foreignKeys": [{"fields": ["doc_id"], "reference": {"resource": "docs", "fields": ["id"]}}]}


def _package(folder: Path, fact_ids: list[int], doc_ids: list[str], docs_first: bool = True) -> Path:
    folder.mkdir()
    (folder / "docs.csv").write_text("id,title\n" + "".join(f"d{i},t{i}\n" for i in range(5)), encoding="utf-8")
    (folder / "facts.csv").write_text("fact_id,doc_id\n" + "".join(f"{f},{d}\n" for f, d in zip(fact_ids, doc_ids)), encoding="utf-8")
    resources = [{"name": "docs", "path": "docs.csv", "schema": DOCS}, {"name": "facts", "path": "facts.csv", "schema": FACTS}]
    descriptor = {"name": "p", "resources": resources if docs_first else resources[::-1]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder / "datapackage.json"


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches of a few rows, so that keys and lookups are settled over many batches."""
    monkeypatch.setattr(csvfile, "BATCH_ROWS", 8)
    monkeypatch.setattr(csvfile, "ARROW_BATCH_ROWS", 8)
    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 64)


def _run(descriptor: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[set[tuple[Any, ...]], list[list[Any]], list[str]]:
    """The findings; the checks each call of the one loop drove; the keys hashed in some batch or given the
    full check after the loop."""
    driven: list[list[Any]] = []
    full: list[str] = []
    run, keyed, hash_key = driver.run, keys.keyed, keystream.hash_key

    def spy_run(read: driver.Read, checks: Any, limit: int) -> Any:
        driven.append(list(checks))
        return run(read, checks, limit)

    def spy_keyed(data: Any, names: list[str]) -> Any:
        full.append(",".join(names))
        return keyed(data, names)

    def spy_hash(key: tuple[str, ...], *args: Any) -> Any:
        full.append("hashed " + ",".join(key))
        return hash_key(key, *args)

    with monkeypatch.context() as m:
        m.setattr(driver, "run", spy_run)
        m.setattr(keys, "keyed", spy_keyed)
        m.setattr(keystream, "hash_key", spy_hash)
        report = validate_package(descriptor, limit=10)
    return {(f.resource, f.code, f.field, f.row, f.message) for f in report.findings}, driven, full


def test_a_csv_foreign_key_into_a_checked_resource_is_looked_up_while_streaming_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    doc_ids = [f"d{i % 5}" for i in range(60)]
    doc_ids[13], doc_ids[41] = "d9", "x"  # orphans, in different batches
    doc_ids[20] = ""  # a missing value: skipped, as frictionless skips it
    looked_up, driven, _ = _run(_package(tmp_path / "a", list(range(60)), doc_ids), monkeypatch)
    facts_checks = driven[1]
    assert any(isinstance(check, LookupCheck) for check in facts_checks)
    kept = next(check for check in facts_checks if isinstance(check, KeepCheck))
    assert "doc_id" not in kept.columns  # (not held for a check after the loop)
    # the child listed before its parent: nothing to look up yet, so the key is checked after the loop
    after, driven, _ = _run(_package(tmp_path / "b", list(range(60)), doc_ids, docs_first=False), monkeypatch)
    assert not any(isinstance(check, LookupCheck) for checks in driven for check in checks)
    assert looked_up == after
    assert {(f[1], f[2], f[3]) for f in looked_up} == {("foreign-key", "doc_id", 15), ("foreign-key", "doc_id", 43)}
    assert any("'d9' has no match in docs.id" in f[4] for f in looked_up)


def test_an_increasing_csv_key_is_settled_by_its_order_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    findings, _, full = _run(_package(tmp_path / "p", list(range(0, 120, 2)), ["d0"] * 60), monkeypatch)
    assert findings == set()
    assert full == []  # neither key hashed nor written out for the full check


@pytest.mark.parametrize("where", [
    pytest.param(lambda ids: ids.__setitem__(8, ids[7]), id="across-a-batch-boundary"),
    pytest.param(lambda ids: ids.__setitem__(50, ids[3]), id="batches-apart"),
])
def test_a_repeated_csv_key_is_still_reported_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: Any) -> None:
    ids = list(range(0, 120, 2))
    where(ids)
    findings, _, _ = _run(_package(tmp_path / "p", ids, ["d0"] * 60), monkeypatch)
    assert [(f[1], f[2]) for f in findings] == [("primary-key", "fact_id")]
    assert "repeats row" in next(iter(findings))[4]


def test_a_csv_key_out_of_order_but_distinct_is_valid_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = list(range(60))[::-1]
    findings, _, _ = _run(_package(tmp_path / "p", ids, ["d1"] * 60), monkeypatch)
    assert findings == set()


@given(rows=st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["a", "b", "ab"]), st.integers(0, 2)), min_size=1, max_size=40),
       order=st.booleans())
@example(rows=[(1, "a", 0), (0, "b", 0), (1, "a", 0)], order=False)  # each row above the last in some column, not as a tuple
@example(rows=[(1, "a", 0), (0, "a", 1), (1, "a", 0)], order=False)  # above in the last column, tied in the second only
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_a_composite_key_is_distinct_only_when_python_finds_no_repeat_14(rows: list[tuple[int, str, int]], order: bool,
                                                                        tmp_path_factory: pytest.TempPathFactory) -> None:
    # Rows sorted or not (ties in one or two columns, whole rows repeated): a batch counts as increasing only
    # when each row is above the one before it as a tuple, so a repeat is never settled away by the order.
    rows = sorted(rows) if order else rows
    folder = tmp_path_factory.mktemp("key")
    schema = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}, {"name": "c", "type": "integer"}],
              "primaryKey": ["a", "b", "c"]}
    (folder / "t.csv").write_text("a,b,c\n" + "".join(f"{a},{b},{c}\n" for a, b, c in rows), encoding="utf-8")
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [{"name": "t", "path": "t.csv", "schema": schema}]}),
                                             encoding="utf-8")
    report = validate_package(folder / "datapackage.json", limit=100)  # (in batches of 8 rows: small_batches)
    repeats = [i + 2 for i in range(1, len(rows)) if rows[i] in rows[:i]]
    assert sorted(f.row for f in report.findings if f.code == "primary-key") == repeats
    assert {f.code for f in report.findings} <= {"primary-key"}


@pytest.fixture(params=["duckdb", "arrow"])
def full_hashing(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The full key check over DuckDB (its hashes sorted in numpy) or over Arrow (the key hashed in numpy, for
    tables under sqlkeys.MIN_ROWS rows), spied on: the rows hashed at each call. The loop hashes batches of 8
    rows; only the full check hashes the whole column."""
    rows: list[int] = []
    if request.param == "duckdb":
        monkeypatch.setattr(sqlkeys, "MIN_ROWS", 0)
        hashes_repeat = sqlkeys._hashes_repeat
        monkeypatch.setattr(sqlkeys, "_hashes_repeat", lambda con, n, query: rows.append(n) or hashes_repeat(con, n, query))
    else:
        key_hashes = hashing.key_hashes
        monkeypatch.setattr(hashing, "key_hashes", lambda cols: rows.append(len(cols[0])) or key_hashes(cols))
    return rows


def test_a_key_whose_hashes_repeated_while_streaming_is_not_hashed_again_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                            full_hashing: list[int]) -> None:
    ids = list(range(60))[::-1]  # out of order, so every batch hashes the key
    ids[50] = ids[3]
    findings, _, _ = _run(_package(tmp_path / "p", ids, ["d0"] * 60), monkeypatch)
    assert [(f[1], f[2], f[3]) for f in findings] == [("primary-key", "fact_id", 52)]
    assert "repeats row 5" in next(iter(findings))[4]
    assert 60 not in full_hashing  # the loop's repeated hashes were enough to go straight to the values


def test_a_key_with_a_missing_value_is_still_hashed_by_the_full_check_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                         full_hashing: list[int]) -> None:
    # A null in a primary key leaves the loop's hashes unmade: the full check hashes the key itself.
    ids: list[Any] = list(range(60))[::-1]
    ids[20] = ""
    findings, _, _ = _run(_package(tmp_path / "p", ids, ["d0"] * 60), monkeypatch)
    assert {(f[1], f[3]) for f in findings} == {("primary-key", 22)}
    assert full_hashing.count(60) == 1


@pytest.mark.parametrize("over", ["duckdb", "arrow"])
def test_hashes_that_collide_are_not_reported_as_a_repeated_key_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, over: str) -> None:
    # Every row hashing alike (a collision of all of them) sends the key to the full check, which compares
    # the values themselves and finds them distinct.
    if over == "duckdb":
        monkeypatch.setattr(sqlkeys, "MIN_ROWS", 0)
    monkeypatch.setattr(hashing, "key_hashes", lambda cols: np.zeros(len(cols[0]), np.uint64))
    findings, _, full = _run(_package(tmp_path / "p", list(range(60))[::-1], ["d0"] * 60), monkeypatch)
    assert findings == set()
    assert "fact_id" in full  # (the full check ran)
