"""Deliberate differences from frictionless 5.21 on Parquet (#5), each shown against frictionless itself.

frictionless reads Parquet through pandas and (1) reports a false ``type-error`` for every null in a
nullable integer column, (2) reports a false ``byte-count`` when a correct ``bytes`` is declared, and
(3) never checks ``hash``, so a wrong sha256 validates. pkg validate reports none of the false ones and
catches the wrong hash. If a frictionless upgrade fixes one, its test fails here and docs/validation.md
needs updating.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dpcheck import validate_package
from tests.validate.conftest import sha256


def _package(folder: Path, **resource_extra) -> Path:
    folder.mkdir()
    table = pa.table({"id": pa.array([1, 2, 3], pa.int64()), "n": pa.array([5, None, 7], pa.int64())})
    pq.write_table(table, folder / "t.parquet")
    resource = {"name": "t", "path": "t.parquet", "format": "parquet",
                "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}]}}
    resource.update({k: v(folder / "t.parquet") if callable(v) else v for k, v in resource_extra.items()})
    (folder / "datapackage.json").write_text(json.dumps({"name": "t", "resources": [resource]}), encoding="utf-8")
    return folder


def _frictionless(folder: Path) -> set[tuple[str, int | None, str | None]]:
    from frictionless import validate

    report = validate(str(folder / "datapackage.json"))
    return {(e.type, getattr(e, "row_number", None), getattr(e, "field_name", None)) for t in report.tasks for e in t.errors} | \
        {(e.type, None, None) for e in report.errors}


def test_null_in_nullable_integer_is_no_error_5(tmp_path: Path) -> None:
    folder = _package(tmp_path / "p")
    assert ("type-error", 3, "n") in _frictionless(folder)  # the false positive
    assert validate_package(folder).valid


def test_correct_bytes_is_no_error_5(tmp_path: Path) -> None:
    folder = _package(tmp_path / "p", bytes=lambda p: p.stat().st_size)
    assert any(code == "byte-count" for code, _, _ in _frictionless(folder))  # the false positive
    report = validate_package(folder)
    assert "byte-count" not in {code for _, code in report.counts}


@pytest.mark.parametrize("declared", ["sha256:" + "0" * 64, "0" * 32])
def test_wrong_hash_is_caught_5(tmp_path: Path, declared: str) -> None:
    folder = _package(tmp_path / "p", hash=declared)
    assert not any(code == "hash-count" for code, _, _ in _frictionless(folder))  # frictionless misses it
    assert "hash-count" in {code for _, code in validate_package(folder).counts}


def test_right_hash_is_valid_5(tmp_path: Path) -> None:
    folder = _package(tmp_path / "p", hash=lambda p: f"sha256:{sha256(p)}")
    assert validate_package(folder).valid
