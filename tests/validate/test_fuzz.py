"""Fuzz (#5): mutated descriptors and data files never escape as anything but a report or a PackageError.

Bounded: a fixed number of hypothesis examples per test (about 10 s in all). Set ``CORPACK_FUZZ_EXAMPLES``
for a longer run, e.g. ``CORPACK_FUZZ_EXAMPLES=5000 pytest tests/validate/test_fuzz.py``.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpack.errors import PackageError
from dpcheck import CODES, validate_package
from tests.validate.conftest import corpus_rows, write_package

EXAMPLES = int(os.environ.get("CORPACK_FUZZ_EXAMPLES", "60"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize="CORPACK_FUZZ_EXAMPLES" not in os.environ)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["", "..", "/etc/passwd", "../x.csv", "data/documents.parquet", "t.csv", "http://x", "file:///etc",
                       "integer", "string", "date", "any", "list", "geopoint", "parquet", "csv", "$schema", "fields"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid package with two Parquet resources and one CSV resource with a foreign key into documents."""
    folder = write_package(tmp_path_factory.mktemp("fuzz") / "pkg", *corpus_rows())
    (folder / "data" / "extra.csv").write_text("doc_id,n,when\nnews/2021/001,1,2021-01-02\nnews/2021/002,2,\n", encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({
        "name": "extra", "path": "data/extra.csv", "format": "csv",
        "schema": {"fields": [{"name": "doc_id", "type": "string"}, {"name": "n", "type": "integer", "constraints": {"minimum": 0}},
                              {"name": "when", "type": "date"}],
                   "foreignKeys": [{"fields": "doc_id", "reference": {"resource": "documents", "fields": "doc_id"}}]},
    })
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (tuple of keys and indexes) to a node of a JSON value."""
    out = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            out += _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            out += _paths(child, prefix + (i,))
    return out


def _replace(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    value[path[0]] = _replace(value[path[0]], path[1:], new)
    return value


def _check(folder: Path) -> None:
    try:
        report = validate_package(folder)
    except PackageError:
        return
    assert report.exit_code in (0, 1)
    assert {code for _, code in report.counts} <= set(CODES)
    json.dumps(report.to_dict())


@FUZZ
@given(data=st.data())
def test_mutated_descriptor_never_crashes_5(base: Path, data: st.DataObject) -> None:
    descriptor = json.loads((base / "datapackage.json").read_text(encoding="utf-8"))
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(descriptor)))
        descriptor = _replace(descriptor, path, data.draw(json_values))
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(shutil.copytree(base, Path(temp) / "pkg"))
        (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        _check(folder)


@FUZZ
@given(data=st.data())
def test_mutated_files_never_crash_5(base: Path, data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(shutil.copytree(base, Path(temp) / "pkg"))
        name = data.draw(st.sampled_from(["data/documents.parquet", "data/paragraphs.parquet", "data/extra.csv", "datapackage.json"]))
        path = folder / name
        raw = bytearray(path.read_bytes())
        for _ in range(data.draw(st.integers(1, 4))):
            action = data.draw(st.sampled_from(["flip", "cut", "insert", "zero"]))
            at = data.draw(st.integers(0, max(len(raw) - 1, 0)))
            if action == "flip" and raw:
                raw[at] ^= 1 << data.draw(st.integers(0, 7))
            elif action == "cut":
                del raw[at:]
            elif action == "insert":
                raw[at:at] = data.draw(st.binary(min_size=1, max_size=16))
            elif raw:
                raw[at : at + 64] = bytes(len(raw[at : at + 64]))
        path.write_bytes(bytes(raw))
        _check(folder)


@FUZZ
@given(values=st.lists(st.one_of(st.none(), st.text(max_size=20), st.integers(-(2**63), 2**63 - 1).map(str)), min_size=1, max_size=30),
       kind=st.sampled_from(["string", "integer", "number", "boolean", "date", "datetime", "time", "year", "yearmonth",
                             "duration", "geopoint", "geojson", "array", "object", "list", "any"]))
def test_any_csv_cell_against_any_type_never_crashes_5(values: list[str | None], kind: str) -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        table = pa.table({"v": pa.array(values, pa.string())})
        pq.write_table(table, folder / "t.parquet")
        lines = ["v"] + [json.dumps(v) if v is not None else "" for v in values]
        (folder / "t.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        field = {"name": "v", "type": kind, "constraints": {"minimum": 1} if kind in ("integer", "number", "date") else {"maxLength": 3}}
        resources = [{"name": f"r{i}", "path": path, "schema": {"fields": [field]}} for i, path in enumerate(["t.csv", "t.parquet"])]
        (folder / "datapackage.json").write_text(json.dumps({"resources": resources}), encoding="utf-8")
        _check(folder)
