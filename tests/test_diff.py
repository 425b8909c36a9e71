"""`pkg diff`: one value changed is a patch, a row added a minor, a field renamed a major (#6)."""

from __future__ import annotations

import gzip
import json
import shutil
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpack.cli import cli
from corpack.diff import diff_packages
from corpack.pipeline import build
from tests.helpers import write_corpus

A = "甲市新的社会阶层人士工作综述\n\n2020年，甲市成立联谊组织12家，吸纳会员500余人。\n".encode()
B = "乙市统战工作\n\n乙市建成实践创新基地8个。\n".encode()


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("diff")
    build(write_corpus(root / "corpus", {"a.txt": A, "b.txt": B}), root / "pkg", validate=False)
    return root / "pkg"


def _copy(base: Path, tmp_path: Path) -> Path:
    target = tmp_path / "new"
    shutil.copytree(base, target)
    return target


def _rewrite(pkg: Path, resource: str, change) -> None:
    path = pkg / "data" / f"{resource}.parquet"
    pq.write_table(change(pq.read_table(path)), path)


def test_identical_packages_need_no_bump(base):
    result = diff_packages(base, base)
    assert result["bump"] == "none"
    assert all(entry["status"] == "same" for entry in result["resources"].values())


def test_one_corrected_value_is_a_patch(base, tmp_path):
    new = _copy(base, tmp_path)
    index = pq.read_schema(new / "data" / "documents.parquet").get_field_index("title")

    def change(table):
        titles = table.column(index).to_pylist()
        titles[0] = titles[0] + "（更正）"
        return table.set_column(index, table.schema.field(index), pa.array(titles, pa.string()))

    _rewrite(new, "documents", change)
    result = diff_packages(base, new)
    assert result["bump"] == "patch"
    assert result["resources"]["documents"]["rows"] == {"added": 0, "removed": 0, "changed": 1, "changed_cells": {"title": 1}}


def test_an_added_row_is_a_minor(base, tmp_path):
    new = _copy(base, tmp_path)
    _rewrite(new, "statistics", lambda t: pa.concat_tables([t, t.slice(0, 1).set_column(0, t.schema.field(0), pa.array(["a:9999999-9999999"]))]))
    result = diff_packages(base, new)
    assert result["bump"] == "minor"
    assert result["resources"]["statistics"]["rows"]["added"] == 1


def test_a_renamed_field_is_a_major(base, tmp_path):
    new = _copy(base, tmp_path)
    _rewrite(new, "events", lambda t: t.rename_columns(["what_happened" if n == "what" else n for n in t.column_names]))
    descriptor = json.loads((new / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "events":
            for field in resource["schema"]["fields"]:
                if field["name"] == "what":
                    field["name"] = "what_happened"
    (new / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    result = diff_packages(base, new)
    assert result["bump"] == "major"
    assert result["resources"]["events"]["schema"]["renamed"] == {"what": "what_happened"}
    assert result["resources"]["events"]["rows"]["changed"] == 0


def test_removed_rows_are_a_major_and_new_documents_a_minor(base, tmp_path):
    new = _copy(base, tmp_path)
    _rewrite(new, "paragraphs", lambda t: t.slice(1))
    assert diff_packages(base, new)["bump"] == "major"
    grown = tmp_path / "grown"
    build(write_corpus(tmp_path / "c", {"a.txt": A, "b.txt": B, "c.txt": "丙市\n\n丙市举办培训班3期。\n".encode()}), grown, validate=False)
    result = diff_packages(base, grown)
    assert result["bump"] == "minor"
    assert result["resources"]["documents"]["rows"]["added"] == 1


def test_retyped_field_and_constraint_changes(base, tmp_path):
    new = _copy(base, tmp_path)
    descriptor = json.loads((new / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "paragraphs":
            resource["schema"]["fields"][1]["type"] = "number"
    (new / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    _rewrite(new, "paragraphs", lambda t: t.set_column(1, "para_no", pc.cast(t.column(1), pa.float64())))
    result = diff_packages(base, new)
    assert result["bump"] == "major" and result["resources"]["paragraphs"]["schema"]["retyped"] == {"para_no": ["integer", "number"]}


def test_archives_compare_like_folders_and_json_has_the_bump(base, tmp_path):
    archive = tmp_path / "old.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(base.rglob("*")):
            if path.is_file():
                zf.write(path, f"pkg-1.0.0/{path.relative_to(base).as_posix()}")
    result = CliRunner().invoke(cli, ["diff", str(archive), str(base), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["bump"] == "none"


def test_unreadable_side_exits_2(base, tmp_path):
    result = CliRunner().invoke(cli, ["diff", str(tmp_path / "missing"), str(base)])
    assert result.exit_code == 2 and result.stderr.startswith("error[package-error]")


def test_a_csv_twin_in_another_dialect_and_encoding_is_the_same_data_14(base, tmp_path):
    """diff reads CSV through dpcheck's reader: the declared dialect and encoding, cells as their field's type."""
    from tests.test_loading import csv_twin

    twin = csv_twin(base, tmp_path / "csv", delimiter="\t", encoding="gb18030")
    result = diff_packages(base, twin)
    assert result["bump"] == "none", result
    assert {entry["status"] for entry in result["resources"].values()} == {"same"}
    fewer = _copy(base, tmp_path)
    _rewrite(fewer, "documents", lambda t: t.slice(0, t.num_rows - 1))  # the last document gone
    result = diff_packages(base, csv_twin(fewer, tmp_path / "csv2", delimiter=";"))
    assert result["resources"]["documents"]["rows"]["removed"] == 1 and result["bump"] == "major"


def test_v1_and_v2_spellings_of_a_key_are_the_same_schema_14(base, tmp_path):
    """diff reads schemas through dpcheck's model: a v1 string primaryKey or foreign key fields, and a
    reference to the resource itself by "" or by omission, mean what their v2 spellings mean."""
    new = _copy(base, tmp_path)
    descriptor = json.loads((new / "datapackage.json").read_text(encoding="utf-8"))
    for entry in descriptor["resources"]:
        schema = entry["schema"]
        if len(schema["primaryKey"]) == 1:
            schema["primaryKey"] = schema["primaryKey"][0]
        for key in schema.get("foreignKeys", []):
            if len(key["fields"]) == 1:
                key["fields"], key["reference"]["fields"] = key["fields"][0], key["reference"]["fields"][0]
    (new / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    result = diff_packages(base, new)
    assert result["bump"] == "none", result
    assert not any(entry["schema"]["foreign_keys"] or entry["schema"]["primary_key"] for entry in result["resources"].values())


def _table_package(folder: Path, files: dict[str, str | bytes], fields: list[dict], **resource) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    item = {"name": "t", "schema": {"fields": fields}, **resource}
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [item]}), encoding="utf-8")
    return folder


def test_a_table_without_a_key_that_holds_nulls_is_the_same_as_itself_14(tmp_path):
    # Without a primary key the whole row is the key, and Arrow's joins match no null: a row holding one was
    # counted as removed and added again, so a package differed from itself and `pkg release` saw a major.
    fields = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]
    text = "id,name\n1,a\n,b\n3,\n"
    old = _table_package(tmp_path / "old", {"t.csv": text}, fields, path="t.csv")
    new = _table_package(tmp_path / "new", {"t.csv": text.replace("3,", "3,c") + ",d\n"}, fields, path="t.csv")
    assert diff_packages(old, old)["bump"] == "none"
    rows = diff_packages(old, new)["resources"]["t"]["rows"]
    assert (rows["added"], rows["removed"]) == (2, 1)  # (3, null) became (3, c); (null, d) is new


@pytest.mark.parametrize(("name", "text", "extra"), [
    ("t.json", '[["id", "name"], [1, "a"], [2, "b"]]', {}),
    ("t.ndjson", '{"id": 1, "name": "a"}\n{"id": 2, "name": "b"}\n', {}),
    ("t.ndjson.gz", gzip.compress(b'{"id": 1, "name": "a"}\n{"id": 2, "name": "b"}\n', mtime=0), {}),
    (None, None, {"data": [["id", "name"], [1, "a"], [2, "b"]]}),
])
def test_json_ndjson_and_inline_tables_are_read_as_pkg_validate_reads_them_14(name, text, extra, tmp_path):
    fields = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]
    where = {"path": name} if name else {}
    old = _table_package(tmp_path / "old", {name: text} if name else {}, fields, **where, **extra)
    same = _table_package(tmp_path / "same", {"t.csv": "id,name\n1,a\n2,b\n"}, fields, path="t.csv")
    other = _table_package(tmp_path / "other", {"t.csv": "id,name\n1,a\n2,c\n"}, fields, path="t.csv")
    assert diff_packages(old, same)["resources"]["t"]["status"] == "same"
    rows = diff_packages(old, other)["resources"]["t"]["rows"]  # (no key: rows compared whole)
    assert (rows["added"], rows["removed"]) == (1, 1)
    table = __import__("corpack").load(old)["t"]
    assert table.column("id").to_pylist() == [1, 2] and table.schema.field("id").type == pa.int64()
