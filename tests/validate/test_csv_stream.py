"""CSV read batch by batch (#5): the report does not depend on where batches end; multipart and compressed
resources read as frictionless reads them; bad compressed data is a finding, never a traceback."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dpcheck import bytestream, csvfile, validate_package
from tests.validate.test_differential import (
    corpack_errors,
    frictionless_errors,
    generate,
)


def _small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvfile, "BATCH_ROWS", 2)
    monkeypatch.setattr(csvfile, "ARROW_BATCH_ROWS", 2)
    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 64)


@pytest.mark.parametrize("seed", range(40))
@pytest.mark.parametrize("limit", [1, 1000])
def test_report_is_the_same_whatever_the_batch_size_5(seed: int, limit: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(seed, tmp_path)
    whole = validate_package(tmp_path, limit=limit).to_dict()
    with monkeypatch.context() as m:
        _small_batches(m)
        batched = validate_package(tmp_path, limit=limit).to_dict()
    assert batched == whole


def _rewrite(folder: Path, change: dict) -> None:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"][0].update(change)
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


@pytest.mark.parametrize("seed", [1, 3, 8, 12])
def test_multipart_csv_joins_parts_and_numbers_rows_across_them_5(seed: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate(seed, tmp_path)
    single = corpack_errors(tmp_path)
    lines = (tmp_path / "child.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    cut = 1 + (len(lines) - 1) // 2
    (tmp_path / "child-1.csv").write_text("".join(lines[:cut]), encoding="utf-8")
    (tmp_path / "child-2.csv").write_text(lines[0] + "".join(lines[cut:]), encoding="utf-8")  # repeats the header
    _rewrite(tmp_path, {"path": ["child-1.csv", "child-2.csv"]})
    (tmp_path / "child.csv").unlink()
    assert corpack_errors(tmp_path) == single == frictionless_errors(tmp_path)
    _small_batches(monkeypatch)
    assert corpack_errors(tmp_path) == single


def _compress(path: Path, kind: str) -> Path:
    data = path.read_bytes()
    if kind == "zip":
        target = path.with_name(path.name + ".zip")
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("inner/child.csv", data)
        return target
    target = path.with_name(path.name + "." + kind)
    target.write_bytes({"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress}[kind](data))
    return target


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # frictionless leaves the archive open
@pytest.mark.parametrize("kind", ["gz", "zip", "bz2", "xz"])
@pytest.mark.parametrize("declared", [False, True])
def test_compressed_csv_gives_the_report_of_the_plain_file_5(kind: str, declared: bool, tmp_path: Path) -> None:
    generate(5, tmp_path)
    plain = corpack_errors(tmp_path)
    assert plain  # case 5 has findings, so the comparison means something
    packed = _compress(tmp_path / "child.csv", kind)
    if declared:  # a name that does not say it: the descriptor's ``compression`` does
        packed = packed.rename(tmp_path / f"child-{kind}.csv")
        _rewrite(tmp_path, {"path": packed.name, "compression": kind})
    else:
        _rewrite(tmp_path, {"path": packed.name})
    (tmp_path / "child.csv").unlink()
    assert corpack_errors(tmp_path) == plain
    if kind in ("gz", "zip"):  # the ones frictionless 5 reads without extra packages
        assert frictionless_errors(tmp_path) == plain


def test_zip_innerpath_chooses_the_entry_5(tmp_path: Path) -> None:
    generate(5, tmp_path)
    plain = corpack_errors(tmp_path)
    with zipfile.ZipFile(tmp_path / "child.csv.zip", "w") as archive:
        archive.writestr("readme.txt", "not the data\n")
        archive.write(tmp_path / "child.csv", "data/child.csv")
    _rewrite(tmp_path, {"path": "child.csv.zip", "innerpath": "data/child.csv"})
    (tmp_path / "child.csv").unlink()
    assert corpack_errors(tmp_path) == plain
    _rewrite(tmp_path, {"innerpath": "data/absent.csv"})
    report = validate_package(tmp_path)
    assert [(f.code, f.resource) for f in report.findings if f.code == "source-error"] == [("source-error", "child")]
    assert "no entry 'data/absent.csv'" in report.findings[0].message


@pytest.mark.parametrize("damage", ["truncated", "not-gzip"])
def test_broken_compressed_data_is_a_source_error_5(damage: str, tmp_path: Path) -> None:
    generate(0, tmp_path)
    packed = _compress(tmp_path / "child.csv", "gz")
    raw = packed.read_bytes()
    packed.write_bytes(raw[: len(raw) // 2] if damage == "truncated" else b"plain text, not gzip\n" * 10)
    _rewrite(tmp_path, {"path": packed.name})
    report = validate_package(tmp_path)
    assert report.exit_code == 1
    assert [f.resource for f in report.findings if f.code == "source-error"] == ["child"]


def test_compression_bomb_stops_at_the_limit_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "big.csv.gz").write_bytes(gzip.compress(b"a,b\n" + b"1,2\n" * 200_000))  # 800 kB from 1 kB
    descriptor = {"name": "bomb", "resources": [{"name": "big", "path": "big.csv.gz", "schema": {
        "fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert validate_package(tmp_path).valid
    monkeypatch.setattr(bytestream, "MAX_INFLATED", 100_000)
    report = validate_package(tmp_path)
    assert [f.code for f in report.findings] == ["source-error"]
    assert "inflates past the limit of 100000 bytes" in report.findings[0].message


def test_encoding_error_in_a_late_batch_names_its_byte_and_checks_no_row_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    body = "".join(f"{i},x\n" for i in range(50)).encode()
    raw = b"a,b\n" + body + b"51,\xff\n"
    (tmp_path / "t.csv").write_bytes(raw)
    descriptor = {"name": "enc", "resources": [{"name": "t", "path": "t.csv", "schema": {
        "fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "integer"}]}}]}  # b is never an integer
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    _small_batches(monkeypatch)
    report = validate_package(tmp_path)
    assert [(f.code, f.offset) for f in report.findings] == [("encoding-error", raw.index(b"\xff"))]


def test_columns_not_kept_are_read_again_as_their_type_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The corpus and fact checks ask for whole columns after the batches have gone; they get them typed."""
    from dpcheck import csvcheck, descriptor, reading
    from dpcheck.report import Report

    (tmp_path / "t.csv").write_text("id,n,when\n" + "".join(f"{i},{i * 2},2021-01-0{1 + i % 9}\n" for i in range(30)), encoding="utf-8")
    resource = {"name": "t", "path": "t.csv", "schema": {"fields": [
        {"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}, {"name": "when", "type": "date"}], "primaryKey": ["id"]}}
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}), encoding="utf-8")
    _small_batches(monkeypatch)
    report = Report(package="p")
    spec = descriptor.resources({"name": "p", "resources": [resource]}, tmp_path, report, trusted=False)[0]
    opened = reading.open_table(spec, report)
    assert opened is not None and opened.source is not None
    data = csvcheck.check_csv(spec, opened.source, report)
    assert data is not None
    # the primary key was hashed batch by batch and found distinct, so no column was kept
    assert data.num_rows == 30 and not data.parsed and ("id",) in data.distinct_keys
    assert data.column("id").to_pylist() == list(range(30))
    assert data.column("n").to_pylist() == [i * 2 for i in range(30)]
    assert str(data.column("when").type) == "date32[day]"


@pytest.mark.parametrize("header", [True, False])
@pytest.mark.parametrize("child_type", ["integer", "string"])
def test_single_field_foreign_key_by_value_reports_what_the_join_reports_5(
        header: bool, child_type: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kept foreign-key column (a dictionary per batch for strings) is tested once per distinct value;
    keys of different types are compared as text; rows are numbered from the file's first data row."""
    from dpcheck import keys

    rows = [f"{i},{'' if i % 7 == 0 else (i % 9 if i % 5 else 40 + i)}\n" for i in range(60)]
    (tmp_path / "child.csv").write_text(("id,ref\n" if header else "") + "".join(rows), encoding="utf-8")
    (tmp_path / "parent.csv").write_text("key\n" + "".join(f"{i}\n" for i in range(9)), encoding="utf-8")
    dialect = {} if header else {"dialect": {"header": False}}
    descriptor = {"name": "fk", "resources": [
        {"name": "child", "path": "child.csv", **dialect, "schema": {
            "fields": [{"name": "id", "type": "integer"}, {"name": "ref", "type": child_type}],
            "foreignKeys": [{"fields": "ref", "reference": {"resource": "parent", "fields": "key"}}]}},
        {"name": "parent", "path": "parent.csv", "schema": {"fields": [{"name": "key", "type": "string"}]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    _small_batches(monkeypatch)
    by_value = validate_package(tmp_path, limit=4).to_dict()
    monkeypatch.setattr(keys, "_check_by_value", lambda *args: False)
    joined = validate_package(tmp_path, limit=4).to_dict()
    assert by_value == joined
    orphans = [f for f in by_value["findings"] if f["code"] == "foreign-key"]
    first_row = 2 if header else 1
    assert [f["row"] for f in orphans] == [i + first_row for i in (5, 10, 15, 20)]
    assert orphans[0]["message"] == "foreign key (ref) = '45' has no match in parent.key"
    counts = {(c["resource"], c["code"]): c["count"] for c in by_value["summary"]["counts"]}
    assert counts[("child", "foreign-key")] == sum(1 for i in range(60) if i % 7 and not i % 5)


@pytest.mark.parametrize("header", [True, False])
def test_repeated_csv_keys_are_listed_through_a_spooled_parquet_file_5(header: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CSV key whose hashes repeat is written to a temporary Parquet file and checked by DuckDB there
    (bounded memory); the report is the one the Arrow check gives, rows numbered from the file's first row."""
    from dpcheck import sqlkeys

    rows = [f"k{i % 40},{i % 25 if i % 3 else ''},{i}\n" for i in range(90)]
    (tmp_path / "t.csv").write_text(("id,code,n\n" if header else "") + "".join(rows), encoding="utf-8")
    dialect = {} if header else {"dialect": {"header": False}}
    descriptor = {"name": "keys", "resources": [{"name": "t", "path": "t.csv", **dialect, "schema": {
        "fields": [{"name": "id", "type": "string"}, {"name": "code", "type": "integer", "constraints": {"unique": True}},
                   {"name": "n", "type": "integer"}], "primaryKey": ["id", "n"] if header else ["id"]}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    _small_batches(monkeypatch)
    seen = []
    repeats = sqlkeys.repeats
    monkeypatch.setattr(sqlkeys, "repeats", lambda data, names, limit, *known: seen.append((names, data.paths[0].endswith("keys.parquet")))
                        or repeats(data, names, limit, *known))
    with monkeypatch.context() as m:
        m.setattr(sqlkeys, "MIN_ROWS", 0)
        by_duckdb = validate_package(tmp_path, limit=3).to_dict()
    assert seen and all(spooled for _, spooled in seen)
    with monkeypatch.context() as m:
        m.setattr(sqlkeys, "MIN_ROWS", 10**12)
        by_arrow = validate_package(tmp_path, limit=3).to_dict()
    assert by_duckdb == by_arrow
    codes = {f["code"] for f in by_duckdb["findings"]}
    assert "unique-error" in codes and ("primary-key" in codes) == (not header)
    first = 2 if header else 1
    unique_rows = [f["row"] for f in by_duckdb["findings"] if f["code"] == "unique-error"]
    assert unique_rows[0] == 26 + first  # row 26 repeats code 1 of row 1 (0-based), as numbered in the file


@given(parts=st.lists(st.lists(st.text(alphabet="ab,\"\n中", max_size=30), min_size=1, max_size=4), min_size=1, max_size=4),
       size=st.integers(1, 9), drop=st.booleans(), gz=st.booleans())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_parts_read_in_any_sizes_join_as_frictionless_joins_them_14(parts: list[list[str]], size: int, drop: bool,
                                                                     gz: bool, tmp_path: Path) -> None:
    # Parts are read straight into the reader's buffer, a few bytes at a time here, so a repeated header
    # line spans several reads; the stream must still be the parts joined, later parts' first line dropped.
    paths = []
    for i, lines in enumerate(parts):
        data = "\n".join(lines).encode("utf-8")
        path = tmp_path / f"p{i}-{size}-{drop}-{gz}.csv"
        path.write_bytes(gzip.compress(data) if gz else data)
        paths.append(path)
    expected = b""
    for i, lines in enumerate(parts):
        data = "\n".join(lines).encode("utf-8")
        if drop and i and b"\n" in data:
            data = data[data.index(b"\n") + 1:]
        elif drop and i:
            data = b""
        expected += data
    stream = bytestream.joined_parts(paths, "gz" if gz else None, None, drop)
    got = bytearray()
    buffer = bytearray(size)
    while n := stream.raw.readinto(buffer):  # (the buffered stream would ask its parts for 1 MB at a time)
        got += buffer[:n]
    stream.close()
    assert bytes(got) == expected
