"""Every resource loads in pandas, polars, DuckDB, Hugging Face datasets and frictionless, with the same
row counts and the same checksum of values (#6)."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pandas as pd
import polars as pl
import pytest

from corpack.schemas import RESOURCES

pytestmark = pytest.mark.slow


def _fields(built, name):
    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    return next(r["schema"] for r in descriptor["resources"] if r["name"] == name)


def _checksum(ids: list, integers: dict[str, int]) -> str:
    """A checksum of values: the sorted first-key column and the sums of the required integer columns."""
    payload = json.dumps([sorted(str(i) for i in ids), sorted(integers.items())], ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def _spec(built, name):
    schema = _fields(built, name)
    key = schema["primaryKey"][0]
    ints = [f["name"] for f in schema["fields"] if f["type"] == "integer" and f.get("constraints", {}).get("required")]
    return key, ints


def by_pandas(built, name):
    key, ints = _spec(built, name)
    frame = pd.read_parquet(built / "data" / f"{name}.parquet")
    return len(frame), _checksum(frame[key].tolist(), {c: int(frame[c].sum()) for c in ints})


def by_polars(built, name):
    key, ints = _spec(built, name)
    frame = pl.read_parquet(built / "data" / f"{name}.parquet")
    return frame.height, _checksum(frame[key].to_list(), {c: int(frame[c].sum()) for c in ints})


def by_duckdb(built, name):
    key, ints = _spec(built, name)
    path = str(built / "data" / f"{name}.parquet")
    con = duckdb.connect()
    count = con.execute("SELECT count(*) FROM read_parquet(?)", [path]).fetchone()[0]
    ids = [row[0] for row in con.execute(f'SELECT "{key}" FROM read_parquet(?)', [path]).fetchall()]
    sums = {c: int(con.execute(f'SELECT coalesce(sum("{c}"), 0) FROM read_parquet(?)', [path]).fetchone()[0]) for c in ints}
    return count, _checksum(ids, sums)


def by_datasets(built, name, tmp_path_factory, monkeypatch):
    datasets = pytest.importorskip("datasets")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    cache = tmp_path_factory.mktemp("hf")
    key, ints = _spec(built, name)
    split = datasets.load_dataset(str(built), name, cache_dir=str(cache))["train"]
    return split.num_rows, _checksum(split[key], {c: int(sum(split[c])) for c in ints})


def by_frictionless(built, name):
    frictionless = pytest.importorskip("frictionless")
    key, ints = _spec(built, name)
    package = frictionless.Package(str(built / "datapackage.json"))
    rows = package.get_resource(name).read_rows()
    return len(rows), _checksum([row[key] for row in rows], {c: int(sum(row[c] for row in rows)) for c in ints})


@pytest.mark.parametrize("name", RESOURCES)
def test_every_engine_agrees_on_every_resource(built, name, tmp_path_factory, monkeypatch):
    results = {
        "pandas": by_pandas(built, name),
        "polars": by_polars(built, name),
        "duckdb": by_duckdb(built, name),
        "datasets": by_datasets(built, name, tmp_path_factory, monkeypatch),
        "frictionless": by_frictionless(built, name),
    }
    assert len(set(results.values())) == 1, results
    assert results["pandas"][0] > 0


@pytest.mark.slow
def test_pandas_keeps_nullable_integers_as_integers_and_frictionless_finds_nothing(built):
    from tests.frictionless_check import check

    descriptor = json.loads((built / "datapackage.json").read_text(encoding="utf-8"))
    nullable = 0
    for resource in descriptor["resources"]:
        frame = pd.read_parquet(built / resource["path"])
        for field in resource["schema"]["fields"]:
            if field["type"] == "integer" and not field.get("constraints", {}).get("required"):
                nullable += 1
                assert str(frame[field["name"]].dtype) == "Int64", (resource["name"], field["name"])
    assert nullable and pd.read_parquet(built / "data" / "statistics.parquet")["year"].isna().any()  # nulls really occur
    assert check(built) == []
