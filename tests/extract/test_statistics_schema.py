"""The statistics schema change of #12 (new nullable body column, population and share indicators) is a
minor version for `pkg diff`, shown field by field."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpack.diff import diff_packages
from corpack.pipeline import build
from tests.helpers import write_corpus

TEXT = "某市新的社会阶层人士工作\n\n2021年，全市新的社会阶层人士约12万人，占从业人员的15%，市新联会发展会员300人。\n".encode()


@pytest.fixture(scope="module")
def new(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("labels")
    build(write_corpus(root / "corpus", {"a.txt": TEXT}), root / "pkg", validate=False)
    return root / "pkg"


def _as_before_12(new: Path, target: Path) -> Path:
    """The same package as the release before #12 shaped it: no body column, the old indicator vocabulary."""
    shutil.copytree(new, target)
    descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "statistics":
            fields = resource["schema"]["fields"]
            resource["schema"]["fields"] = [f for f in fields if f["name"] != "body"]
            for f in resource["schema"]["fields"]:
                if f["name"] == "indicator":
                    f["constraints"]["enum"] = [v for v in f["constraints"]["enum"] if v not in ("population", "share")]
    (target / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    path = target / "data" / "statistics.parquet"
    table = pq.read_table(path)
    pq.write_table(table.drop_columns(["body"]), path)
    return target


def test_new_body_column_and_wider_indicator_vocabulary_are_a_minor_12(new, tmp_path):
    rows = pq.read_table(new / "data" / "statistics.parquet").to_pylist()
    assert {r["quote"]: r["indicator"] for r in rows} == {"约12万人": "population", "15%": "share", "300人": "members"}
    assert [r["body"] for r in rows if r["quote"] == "300人"] == ["新联会"]
    result = diff_packages(_as_before_12(new, tmp_path / "old"), new)
    schema = result["resources"]["statistics"]["schema"]
    assert schema["added"] == ["body"] and "indicator" in schema["constraints"]
    assert result["bump"] == "minor"
