"""The committed datapackage/ is what a fresh build of corpus/ gives, and both validators accept it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpack.package import tool_versions
from dpcheck import validate_package
from tests.conftest import COMMITTED

pytestmark = pytest.mark.slow


def _descriptor(folder: Path) -> dict:
    return json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))


def test_committed_package_validates():
    report = validate_package(COMMITTED)
    assert report.valid, report.to_dict()


def test_frictionless_accepts_the_committed_package():
    """No filter: nullable integer columns carry the pandas metadata frictionless needs to read nulls as nulls."""
    from tests.frictionless_check import check

    assert check(COMMITTED) == []


def test_committed_package_is_the_fresh_build(built):
    """Byte-identical when built with the same tool versions (CI pins them); else the same data."""
    committed, fresh = _descriptor(COMMITTED), _descriptor(built)
    files = sorted(p.relative_to(built).as_posix() for p in built.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(COMMITTED).as_posix() for p in COMMITTED.rglob("*") if p.is_file())
    if committed["corpack:build"]["tools"] == tool_versions():
        for name in files:
            assert hashlib.sha256((COMMITTED / name).read_bytes()).digest() == hashlib.sha256((built / name).read_bytes()).digest(), (
                f"datapackage/{name} is stale: run `pkg build` and commit the result"
            )
        return
    for resource in fresh["resources"]:
        assert pq.read_table(COMMITTED / resource["path"]).equals(pq.read_table(built / resource["path"])), resource["name"]
    ignore = ("hash", "fingerprint", "tools")

    def strip(node):
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k not in ignore}
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    assert strip(committed) == strip(fresh)
    pytest.skip(f"data equal; bytes not compared: package built with {committed['corpack:build']['tools']}, running {tool_versions()}")


def test_committed_citation_files_describe_the_committed_package():
    """CITATION.cff, .zenodo.json and datapackage.jsonld are what `pkg release` writes for this package."""
    from corpack import citation
    from tests.conftest import ROOT

    descriptor = _descriptor(COMMITTED)
    data = citation.cff(descriptor)
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == citation.cff_text(data)
    assert json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8")) == citation.zenodo(data)
    assert json.loads((ROOT / "datapackage.jsonld").read_text(encoding="utf-8")) == citation.jsonld(descriptor, data)
