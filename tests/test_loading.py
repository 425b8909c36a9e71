"""`corpack.load`: folders and release archives as Arrow tables, checksums verified (#6)."""

from __future__ import annotations

import zipfile

import pytest

import corpack
from corpack.loading import IntegrityError
from corpack.schemas import RESOURCES


def test_load_folder_and_archive_agree(built, tmp_path):
    data = corpack.load(built)
    assert list(data) == list(RESOURCES)
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(built.rglob("*")):
            if path.is_file():
                zf.write(path, f"release/{path.relative_to(built).as_posix()}")
    from_zip = corpack.load(archive)
    assert all(from_zip[name].equals(data[name]) for name in RESOURCES)
    frames = data.to_pandas()
    assert len(frames["documents"]) == data["documents"].num_rows == 5


def test_changed_file_fails_the_checksum_unless_verify_is_off(built, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    target = copy / "data" / "people.parquet"
    data = bytearray(target.read_bytes())
    data[10] ^= 1
    target.write_bytes(bytes(data))
    with pytest.raises(IntegrityError) as info:
        corpack.load(copy)
    assert "people.parquet" in str(info.value)
    assert corpack.load(copy, verify=False, resources=["documents"])["documents"].num_rows == 5


def csv_twin(package, target, *, delimiter=",", encoding="utf-8"):
    """Copy ``package`` to ``target`` with every Parquet resource rewritten as CSV in ``delimiter`` and ``encoding``
    (declared in its dialect and encoding; hashes recomputed)."""
    import hashlib
    import json
    import shutil

    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    shutil.copytree(package, target)
    descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    for entry in descriptor["resources"]:
        source = target / entry["path"]
        text = target / "plain.csv"
        pcsv.write_csv(pq.read_table(source), text, pcsv.WriteOptions(delimiter=delimiter))
        csv = source.with_suffix(".csv")
        csv.write_bytes(text.read_text(encoding="utf-8").encode(encoding))
        text.unlink()
        source.unlink()
        entry.update(path=entry["path"].replace(".parquet", ".csv"), format="csv", mediatype="text/csv", encoding=encoding,
                     dialect={"delimiter": delimiter}, hash="sha256:" + hashlib.sha256(csv.read_bytes()).hexdigest())
    (target / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    return target


def test_a_csv_package_loads_as_its_parquet_twin_through_dpchecks_reader_14(built, tmp_path):
    """The CSV is read with its declared dialect and encoding, each cell as its field's type."""
    csv = csv_twin(built, tmp_path / "csv", delimiter=";", encoding="gb18030")
    parquet, loaded = corpack.load(built), corpack.load(csv)
    for name in RESOURCES:
        assert loaded[name].schema.names == parquet[name].schema.names, name
        for column in parquet[name].column_names:
            want, got = parquet[name].column(column), loaded[name].column(column)
            if got.type != want.type:  # CSV has no nullable-integer flavours or dictionaries: compare the values
                got = got.cast(want.type)
            assert got.to_pylist() == want.to_pylist(), (name, column)
    assert str(loaded["documents"].schema.field("doc_id").type) == "string"
    assert str(loaded["paragraphs"].schema.field("char_start").type) == "int64"


def test_a_headerless_csv_with_a_schema_loads_its_rows_14(tmp_path):
    import json

    folder = tmp_path / "bare"
    folder.mkdir()
    (folder / "t.csv").write_text("001\t3\n002\t\n", encoding="utf-8")
    schema = {"fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}]}
    resource = {"name": "t", "path": "t.csv", "format": "tsv", "dialect": {"header": False}, "schema": schema}
    (folder / "datapackage.json").write_text(json.dumps({"name": "t", "resources": [resource]}), encoding="utf-8")
    assert corpack.load(folder)["t"].to_pylist() == [{"id": "001", "n": 3}, {"id": "002", "n": None}]


def test_a_yaml_descriptor_is_read_as_pkg_validate_reads_it_14(tmp_path):
    from corpack.diff import diff_packages

    folder = tmp_path / "yaml"
    folder.mkdir()
    (folder / "t.csv").write_text("id,n\na,1\nb,2\n", encoding="utf-8")
    (folder / "datapackage.yaml").write_text(
        "name: t\nresources:\n  - name: t\n    path: t.csv\n    schema:\n      fields:\n"
        "        - {name: id, type: string}\n        - {name: n, type: integer}\n      primaryKey: id\n", encoding="utf-8")
    data = corpack.load(folder)
    assert data["t"].to_pylist() == [{"id": "a", "n": 1}, {"id": "b", "n": 2}]
    assert data.descriptor["resources"][0]["schema"]["primaryKey"] == "id"
    assert diff_packages(folder, folder / "datapackage.yaml")["bump"] == "none"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_multipart_resource_loads_as_one_table_with_its_hash_over_the_parts_14(tmp_path, fmt):
    import hashlib
    import json

    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "parts"
    folder.mkdir()
    rows = [[{"id": "001", "n": 1}, {"id": "002", "n": 2}], [{"id": "003", "n": 3}]]
    paths = [f"part{i}.{fmt}" for i in (1, 2)]

    def write(path, part):
        if fmt == "csv":
            (folder / path).write_text("id,n\n" + "".join(f"{r['id']},{r['n']}\n" for r in part), encoding="utf-8")
        else:
            pq.write_table(pa.Table.from_pylist(part, schema=pa.schema([("id", pa.string()), ("n", pa.int64())])), folder / path)

    for path, part in zip(paths, rows):
        write(path, part)
    digest = hashlib.sha256(b"".join((folder / path).read_bytes() for path in paths)).hexdigest()
    schema = {"fields": [{"name": "id", "type": "string"}, {"name": "n", "type": "integer"}], "primaryKey": ["id"]}
    resource = {"name": "t", "path": paths, "format": fmt, "schema": schema, "hash": f"sha256:{digest}"}
    (folder / "datapackage.json").write_text(json.dumps({"name": "t", "resources": [resource]}), encoding="utf-8")
    assert corpack.load(folder)["t"].to_pylist() == rows[0] + rows[1]
    write(paths[1], [{"id": "003", "n": 4}])  # the second part changed
    with pytest.raises(IntegrityError):
        corpack.load(folder)
    assert corpack.load(folder, verify=False)["t"].column("n").to_pylist() == [1, 2, 4]


def test_a_csv_without_schema_loads_with_the_schema_pkg_validate_infers_14(tmp_path):
    import json

    folder = tmp_path / "schemaless"
    folder.mkdir()
    (folder / "t.csv").write_text("id;n;when\n001;3;2024-01-02\n002;;2024-01-03\n", encoding="utf-8")
    resource = {"name": "t", "path": "t.csv", "dialect": {"delimiter": ";"}}
    (folder / "datapackage.json").write_text(json.dumps({"name": "t", "resources": [resource]}), encoding="utf-8")
    table = corpack.load(folder)["t"]
    assert table.column_names == ["id", "n", "when"]
    assert table.column("n").to_pylist() == [3, None]  # integer, as frictionless infers it
    assert str(table.schema.field("n").type) == "int64"
