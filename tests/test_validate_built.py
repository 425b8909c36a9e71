"""`pkg validate` on mutated copies of the real built package: one defect class each, right code and exit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpack.cli import cli
from corpack.package import file_hash

pytestmark = pytest.mark.slow


def _descriptor(pkg: Path) -> dict:
    return json.loads((pkg / "datapackage.json").read_text(encoding="utf-8"))


def _save(pkg: Path, descriptor: dict) -> None:
    (pkg / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def _rewrite(pkg: Path, resource: str, change) -> None:
    """Rewrite one resource's Parquet with ``change(table) -> table`` and re-declare its hash."""
    path = pkg / "data" / f"{resource}.parquet"
    pq.write_table(change(pq.read_table(path)), path)
    descriptor = _descriptor(pkg)
    for res in descriptor["resources"]:
        if res["name"] == resource:
            res["hash"] = file_hash(path)
    _save(pkg, descriptor)


def flipped_byte(pkg):
    path = pkg / "data" / "paragraphs.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def duplicate_key(pkg):
    _rewrite(pkg, "documents", lambda t: pa.concat_tables([t, t.slice(0, 1)]))


def dangling_foreign_key(pkg):
    def change(t):
        ids = t.column("doc_id").to_pylist()
        ids[-1] = "no-such-document"
        return t.set_column(0, "doc_id", pa.array(ids))

    _rewrite(pkg, "paragraphs", change)


def wrong_offset(pkg):
    index = pq.read_table(pkg / "data" / "paragraphs.parquet").schema.get_field_index("char_start")
    _rewrite(pkg, "paragraphs", lambda t: t.set_column(index, t.schema.field(index), pc.add(t.column(index), 1)))


def dotdot_path(pkg):
    descriptor = _descriptor(pkg)
    descriptor["resources"][0]["path"] = "../documents.parquet"
    _save(pkg, descriptor)


def url_path(pkg):
    descriptor = _descriptor(pkg)
    descriptor["resources"][0]["path"] = "https://example.org/documents.parquet"
    _save(pkg, descriptor)


def malformed_json(pkg):
    path = pkg / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"resources": [', '"resources": [,', 1), encoding="utf-8")


def wrong_type(pkg):
    index = pq.read_table(pkg / "data" / "paragraphs.parquet").schema.get_field_index("para_no")
    _rewrite(pkg, "paragraphs", lambda t: t.set_column(index, "para_no", pc.cast(t.column(index), pa.string())))


def wrong_quote(pkg):
    index = pq.read_table(pkg / "data" / "statistics.parquet").schema.get_field_index("quote")

    def change(t):
        quotes = t.column(index).to_pylist()
        quotes[0] = quotes[0] + "x"
        return t.set_column(index, t.schema.field(index), pa.array(quotes))

    _rewrite(pkg, "statistics", change)


def wrong_list_count(pkg):
    index = pq.read_table(pkg / "data" / "designations.parquet").schema.get_field_index("stated_count")
    _rewrite(pkg, "designations", lambda t: t.set_column(index, t.schema.field(index), pc.add(t.column(index), 1)))


def fact_in_missing_paragraph(pkg):
    index = pq.read_table(pkg / "data" / "events.parquet").schema.get_field_index("para_no")
    _rewrite(pkg, "events", lambda t: t.set_column(index, t.schema.field(index), pc.add(t.column(index), 1000)))


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        (flipped_byte, "hash-count"),
        (duplicate_key, "primary-key"),
        (dangling_foreign_key, "foreign-key"),
        (wrong_offset, "paragraph-offset"),
        (dotdot_path, "unsafe-path"),
        (url_path, "scheme-error"),
        (malformed_json, "package-error"),
        (wrong_type, "type-error"),
        (wrong_quote, "quote-mismatch"),
        (wrong_list_count, "list-count"),
        (fact_in_missing_paragraph, "foreign-key"),
    ],
)
def test_each_defect_is_reported_with_its_code_and_exit_1(built, tmp_path, mutate, code):
    pkg = tmp_path / "pkg"
    shutil.copytree(built, pkg)
    mutate(pkg)
    result = CliRunner().invoke(cli, ["validate", str(pkg), "--json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert not report["valid"]
    assert code in {finding["code"] for finding in report["findings"]}


def test_malformed_json_names_line_and_column(built, tmp_path):
    pkg = tmp_path / "pkg"
    shutil.copytree(built, pkg)
    malformed_json(pkg)
    result = CliRunner().invoke(cli, ["validate", str(pkg)])
    assert result.exit_code == 1
    assert "line" in result.stdout and "column" in result.stdout
