"""Release archives, special files and hostile packages against `pkg validate`, `corpack.load` and `pkg diff` (#11).

Every case ends in one line naming the file and what happened: a report finding for `validate`, an
`IntegrityError` / `PackageError` for `load` and `diff`; never a hang, a crash or a silently wrong table.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import corpack
from corpack.bounded import Limits
from corpack.cli import cli
from corpack.diff import diff_packages
from corpack.errors import PackageError
from corpack.loading import IntegrityError
from corpack.release import write_archive
from corpack.checking import validate_package  # corpack packages declare corpack's checks (#14)

DATE = "2026-01-01T00:00:00Z"
SUMS_CODES = {"archive-hash", "member-hash", "member-missing", "member-unlisted", "sums-error"}


def release_zip(package: Path, target: Path, extra: dict[str, Path] | None = None) -> Path:
    """Write ``package`` as ``pkg release`` writes its archive (with SHA256SUMS)."""
    files = {p.relative_to(package).as_posix(): p for p in sorted(package.rglob("*")) if p.is_file()}
    write_archive(target, "demo-1.0.0", {**files, **(extra or {})}, DATE)
    return target


def rewrite_zip(source: Path, target: Path, change) -> Path:
    """Copy archive ``source`` to ``target`` entry by entry; ``change(name, data)`` returns new bytes or None to drop."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def codes(report) -> set[str]:
    return {finding.code for finding in report.findings}


@pytest.fixture
def package(built: Path, tmp_path: Path) -> Path:
    target = tmp_path / "pkg"
    shutil.copytree(built, target)
    return target


@pytest.fixture
def release(package: Path, tmp_path: Path) -> Path:
    return release_zip(package, tmp_path / "demo-1.0.0.zip")


# --- release integrity: SHA256SUMS and the expected checksum (#11 item 4) -------------------------------------


def test_a_release_archive_checks_against_its_sums_11(release: Path) -> None:
    report = validate_package(release)
    assert report.valid and not codes(report), report.findings
    assert set(corpack.load(release)) == set(corpack.load(release.parent / "pkg"))


@pytest.mark.parametrize("added", ["payload.sh", "data/evil.parquet"])
def test_a_file_added_to_a_release_is_reported_11(release: Path, tmp_path: Path, added: str) -> None:
    tampered = tmp_path / "tampered.zip"
    shutil.copy(release, tampered)
    with zipfile.ZipFile(tampered, "a") as zf:
        zf.writestr(f"demo-1.0.0/{added}", b"#!/bin/sh\necho owned\n")
    report = validate_package(tampered)
    assert not report.valid and codes(report) == {"member-unlisted"}
    assert report.findings[0].file == added and "not listed in SHA256SUMS" in report.findings[0].message
    with pytest.raises(IntegrityError, match=r"^error\[member-unlisted\] ") as info:
        corpack.load(tampered)
    assert added in str(info.value) and "\n" not in str(info.value)
    result = CliRunner().invoke(cli, ["validate", str(tampered)])
    assert result.exit_code == 1 and "member-unlisted" in result.stdout


def test_a_changed_value_with_a_recomputed_descriptor_hash_is_caught_11(package: Path, release: Path, tmp_path: Path) -> None:
    """The attacker rewrites a table and its hash in datapackage.json, but cannot make SHA256SUMS match."""
    people = package / "data" / "people.parquet"
    table = pq.read_table(people)
    pq.write_table(table.slice(1), people)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "people":
            resource["hash"] = "sha256:" + hashlib.sha256(people.read_bytes()).hexdigest()
            resource["bytes"] = people.stat().st_size
    (package / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    new = {"demo-1.0.0/data/people.parquet": people.read_bytes(), "demo-1.0.0/datapackage.json": (package / "datapackage.json").read_bytes()}
    tampered = rewrite_zip(release, tmp_path / "tampered.zip", lambda name, data: new.get(name, data))
    report = validate_package(tampered)
    assert codes(report) == {"member-hash"}
    assert sorted(f.file for f in report.findings) == ["data/people.parquet", "datapackage.json"]
    with pytest.raises(IntegrityError, match=r"member-hash.*\(2 problems in all\)"):
        corpack.load(tampered)
    with pytest.raises(IntegrityError):
        diff_packages(release, tampered)


def test_a_listed_file_missing_from_the_release_is_reported_11(release: Path, tmp_path: Path) -> None:
    tampered = rewrite_zip(release, tmp_path / "tampered.zip", lambda name, data: None if name.endswith("README.md") else data)
    report = validate_package(tampered)
    assert codes(report) == {"member-missing"} and report.findings[0].file == "README.md"
    with pytest.raises(IntegrityError, match="member-missing"):
        corpack.load(tampered)


def test_a_malformed_sums_line_is_reported_11(release: Path, tmp_path: Path) -> None:
    tampered = rewrite_zip(release, tmp_path / "tampered.zip",
                           lambda name, data: data + b"not a checksum line\n" + b"0" * 64 + b"  ../escape\n" if name.endswith("SHA256SUMS") else data)
    report = validate_package(tampered)
    assert codes(report) == {"sums-error"} and report.counts[(None, "sums-error")] == 2


def test_an_archive_without_sums_is_valid_with_a_notice_11(package: Path, tmp_path: Path) -> None:
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as zf:
        for path in sorted(package.rglob("*")):
            if path.is_file():
                zf.write(path, path.relative_to(package).as_posix())
    report = validate_package(plain)
    assert report.valid and codes(report) == {"not-checked"} and "no SHA256SUMS" in report.findings[0].message
    assert corpack.load(plain)["documents"].num_rows == 5


def test_an_expected_checksum_pins_the_release_11(release: Path, package: Path) -> None:
    good = hashlib.sha256(release.read_bytes()).hexdigest()
    bad = "0" * 64
    assert validate_package(release, sha256=good.upper()).valid
    report = validate_package(release, sha256=bad)
    assert codes(report) == {"archive-hash"} and good in report.findings[0].message
    assert CliRunner().invoke(cli, ["validate", str(release), "--sha256", good]).exit_code == 0
    result = CliRunner().invoke(cli, ["validate", str(release), "--sha256", bad])
    assert result.exit_code == 1 and "archive-hash" in result.stdout
    result = CliRunner().invoke(cli, ["validate", str(release), "--sha256", "xyz"])
    assert result.exit_code == 2 and "64 hexadecimal digits" in result.stderr
    assert corpack.load(release, sha256=f"sha256:{good}")["documents"].num_rows == 5
    with pytest.raises(IntegrityError, match="archive-hash"):
        corpack.load(release, sha256=bad, verify=False)
    with pytest.raises(PackageError, match="applies to a zip archive"):
        corpack.load(package, sha256=good)
    with pytest.raises(PackageError, match="applies to a zip archive"):
        validate_package(package, sha256=good)


# --- special files: no read may block (#11 item 3) ------------------------------------------------------------


# Ends a child once its result is printed: native thread pools can abort at interpreter teardown (apache/arrow#34314),
# which is not what these tests are about; ``pkg`` itself ends this way (corpack.ending.end_process).
_WITHOUT_TEARDOWN = "import os\nsys.stdout.flush()\nsys.stderr.flush()\nos._exit(0)\n"


def _load_in_child(path: Path) -> str:
    """Run corpack.load(path) in a child process (so a hang fails the test instead of stopping the suite)."""
    code = ("import sys, corpack\nfrom corpack.errors import CorpackError\n"
            "try:\n    corpack.load(sys.argv[1])\nexcept CorpackError as exc:\n    print(exc)\nelse:\n    print('loaded')\n"
            + _WITHOUT_TEARDOWN)
    try:
        done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail(f"corpack.load({path}) hung")
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
@pytest.mark.parametrize("which", ["data/people.parquet", "datapackage.json"])
def test_a_fifo_in_the_package_does_not_hang_load_11(package: Path, which: str) -> None:
    (package / which).unlink()
    os.mkfifo(package / which)
    line = _load_in_child(package)
    assert line.startswith("error[package-error]") and which in line and "named pipe (FIFO)" in line


def test_a_character_device_in_the_package_is_not_read_11(package: Path) -> None:
    target = package / "data" / "people.parquet"
    target.unlink()
    try:
        os.mknod(target, 0o600 | 0o020000, os.makedev(1, 5))  # what /dev/zero is
    except (PermissionError, AttributeError, OSError):
        pytest.skip("cannot create a device file here")
    line = _load_in_child(package)
    assert line.startswith("error[package-error]") and "character device" in line


def test_a_symlink_to_a_device_is_refused_11(package: Path) -> None:
    target = package / "data" / "people.parquet"
    target.unlink()
    target.symlink_to("/dev/zero")
    with pytest.raises(PackageError, match="unsafe-path"):
        corpack.load(package)


def test_a_resource_that_is_a_folder_is_one_line_11(package: Path, built: Path) -> None:
    target = package / "data" / "people.parquet"
    target.unlink()
    target.mkdir()
    with pytest.raises(PackageError, match="is a folder, not a regular file") as info:
        corpack.load(package)
    assert "people.parquet" in str(info.value)
    with pytest.raises(PackageError, match="is a folder"):
        diff_packages(built, package)
    result = CliRunner().invoke(cli, ["diff", str(built), str(package)])
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "internal" not in result.stderr


# --- hostile descriptors: diff and load read them as validate does (#11 item 8) --------------------------------


def _write_descriptor(package: Path, text: str) -> None:
    (package / "datapackage.json").write_text(text, encoding="utf-8")


def _descriptor(package: Path) -> dict:
    return json.loads((package / "datapackage.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("text, words", [
    ("[" * 10_000 + "]" * 10_000, "cannot be read as JSON"),
    ('{"resources": [], "x": ' + "9" * 5_000 + "}", "cannot be read as JSON"),
    ('{"resources": [], "x": ' + "[" * 100 + "]" * 100 + "}", "deeper than 64 levels"),
    ('[{"name": "documents", "path": "data/documents.parquet"}]', "must hold a JSON object, not list"),
])
def test_a_pathological_descriptor_is_a_package_error_11(package: Path, built: Path, text: str, words: str) -> None:
    _write_descriptor(package, text)
    for call in (lambda: corpack.load(package), lambda: diff_packages(built, package), lambda: diff_packages(package, built)):
        with pytest.raises(PackageError, match="package-error") as info:
            call()
        assert words in str(info.value) and "datapackage.json" in str(info.value)
    result = CliRunner().invoke(cli, ["diff", str(built), str(package)])
    assert result.exit_code == 2 and result.stderr.startswith("error[package-error]") and result.stderr.count("\n") == 1


def test_duplicate_resource_names_are_refused_11(package: Path, built: Path) -> None:
    descriptor = _descriptor(package)
    people = next(r for r in descriptor["resources"] if r["name"] == "people")
    descriptor["resources"].append({**people, "path": "data/documents.parquet", "hash": None})
    descriptor["resources"][-1].pop("hash")
    _write_descriptor(package, json.dumps(descriptor, ensure_ascii=False))
    assert "package-error" in codes(validate_package(package))
    with pytest.raises(PackageError, match="'people' is used more than once"):
        corpack.load(package, resources=["people"])
    with pytest.raises(PackageError, match="'people' is used more than once"):
        diff_packages(built, package)


@pytest.mark.parametrize("path, code", [
    ("https://example.org/people.parquet", "scheme-error"),
    ("file:data/people.parquet", "unsafe-path"),
    ("data/../../people.parquet", "unsafe-path"),
])
def test_resource_paths_are_vetted_as_validate_vets_them_11(package: Path, built: Path, path: str, code: str) -> None:
    descriptor = _descriptor(package)
    next(r for r in descriptor["resources"] if r["name"] == "people")["path"] = path
    _write_descriptor(package, json.dumps(descriptor, ensure_ascii=False))
    assert code in codes(validate_package(package))
    for call in (lambda: corpack.load(package), lambda: diff_packages(built, package)):
        with pytest.raises(PackageError, match=rf"^error\[{code}\] .*: resource 'people'") as info:
            call()
        assert info.value.code == code


# --- bounded reads (#11 item 8) --------------------------------------------------------------------------------


def one_table_package(folder: Path, table: pa.Table | None = None, csv_text: str | None = None, **parquet_options) -> Path:
    """A package with one resource ``t``: ``table`` as Parquet, or ``csv_text`` as CSV."""
    folder.mkdir(parents=True)
    if csv_text is not None:
        (folder / "t.csv").write_text(csv_text, encoding="utf-8")
        resource = {"name": "t", "path": "t.csv", "format": "csv"}
    else:
        pq.write_table(table, folder / "t.parquet", **parquet_options)
        resource = {"name": "t", "path": "t.parquet", "format": "parquet"}
    (folder / "datapackage.json").write_text(json.dumps({"name": "t", "resources": [resource]}), encoding="utf-8")
    return folder


def test_a_huge_compressed_value_is_refused_from_the_parquet_footer_11(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 16 MiB string compresses to a few KB; with a 1 MiB cell limit it is refused before it is decoded."""
    big = one_table_package(tmp_path / "big", pa.table({"id": [1, 2], "text": ["x" * (16 << 20), "y"]}), compression="zstd")
    assert (big / "t.parquet").stat().st_size < 64 << 10
    small = one_table_package(tmp_path / "small", pa.table({"id": [1, 2], "text": ["x", "y"]}))
    decoded = []
    monkeypatch.setattr(pq.ParquetFile, "iter_batches", lambda *a, **k: decoded.append(1) or iter(()))
    limits = Limits(cell_bytes=1 << 20)
    with pytest.raises(PackageError, match=r"column 'text' holds a value larger than the limit of 1048576 bytes") as info:
        diff_packages(small, big, limits=limits)
    assert "big/t.parquet" in str(info.value) and "limits=Limits" in str(info.value)
    decoded.clear()
    with pytest.raises(PackageError, match="holds a value larger than the limit"):
        corpack.load(big, limits=limits)
    assert decoded == []  # refused from the footer: no column was decoded


def test_a_repeated_value_is_counted_decoded_without_decoding_it_11(tmp_path: Path) -> None:
    """A 256 KiB string repeated 1,000 times is stored once (dictionary) but takes 256 MB decoded."""
    value = "y" * (256 << 10)
    table = pa.table({"text": pa.DictionaryArray.from_arrays(pa.array([0] * 1000, pa.int32()), pa.array([value]))})
    folder = one_table_package(tmp_path / "dict", table, compression="zstd")
    assert (folder / "t.parquet").stat().st_size < 64 << 10
    with pytest.raises(PackageError, match=r"more than the limit of 16777216 bytes once decoded \(at column 'text'\)"):
        corpack.load(folder, limits=Limits(table_bytes=16 << 20))
    assert corpack.load(folder, limits=Limits(table_bytes=1 << 30))["t"].equals(pq.read_table(folder / "t.parquet"))


def test_parquet_tables_read_within_limits_equal_pyarrows_11(built: Path) -> None:
    data = corpack.load(built)
    for name in data:
        assert data[name].equals(pq.read_table(built / "data" / f"{name}.parquet")), name


def test_a_csv_with_100000_columns_is_refused_from_its_header_11(tmp_path: Path, built: Path) -> None:
    header = ",".join(f"c{i}" for i in range(100_000))
    folder = one_table_package(tmp_path / "wide", csv_text=header + "\n" + ",".join("1" * 100_000) + "\n")
    with pytest.raises(PackageError, match="the CSV header has 100000 columns, more than the limit of 1000"):
        corpack.load(folder)
    with pytest.raises(PackageError, match="more than the limit of 1000"):
        diff_packages(folder, folder)


def test_csv_cells_and_size_are_bounded_11(tmp_path: Path) -> None:
    folder = one_table_package(tmp_path / "csv", csv_text="id,text\n1," + "z" * 4096 + "\n2,b\n" + "3,c\n" * 2000)
    assert corpack.load(folder)["t"].num_rows == 2002
    with pytest.raises(PackageError, match="column 'text' holds a value of 4096 bytes"):
        corpack.load(folder, limits=Limits(cell_bytes=1024))
    with pytest.raises(PackageError, match="more than the limit of 8192 bytes"):
        corpack.load(folder, limits=Limits(table_bytes=8192))
    with pytest.raises(PackageError, match="has 2 columns, more than the limit of 1;"):
        diff_packages(folder, folder, limits=Limits(columns=1))


def test_a_compressed_csv_is_read_and_bounded_while_inflating_11(tmp_path: Path) -> None:
    import gzip

    folder = tmp_path / "gz"
    folder.mkdir()
    (folder / "t.csv.gz").write_bytes(gzip.compress(("id,text\n" + "1,aaaaaaaaaaaaaaaa\n" * 400_000).encode()))  # 7.2 MB in 30 KB
    (folder / "datapackage.json").write_text(json.dumps({"name": "t", "resources": [{"name": "t", "path": "t.csv.gz"}]}), encoding="utf-8")
    assert corpack.load(folder)["t"].num_rows == 400_000
    with pytest.raises(PackageError, match="the CSV holds more than the limit of 1048576 bytes"):
        corpack.load(folder, limits=Limits(table_bytes=1 << 20))


def test_nested_and_prefix_encoded_parquet_columns_are_read_as_pyarrow_reads_them_11(tmp_path: Path) -> None:
    table = pa.table({"tags": [["a", "b"], None, ["c" * 100]], "s": ["prefix-" + "x" * 1000 + str(i) for i in range(3)]})
    folder = one_table_package(tmp_path / "p", table, use_dictionary=False, column_encoding={"s": "DELTA_BYTE_ARRAY"})
    assert corpack.load(folder)["t"].equals(pq.read_table(folder / "t.parquet"))
    with pytest.raises(PackageError, match="holds a value of 1008 bytes, more than the limit of 1000"):
        corpack.load(folder, limits=Limits(cell_bytes=1000))


def test_the_checksum_pkg_release_prints_pins_its_archive_11(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import re

    from tests.test_release import project

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")
    root = project(tmp_path / "p")
    result = CliRunner().invoke(cli, ["release", "--root", str(root)])
    assert result.exit_code == 0, result.output
    archive, printed = re.search(r": (\S+\.zip) sha256 ([0-9a-f]{64})", result.stdout).groups()
    assert printed == hashlib.sha256(Path(archive).read_bytes()).hexdigest()
    assert CliRunner().invoke(cli, ["validate", archive, "--sha256", printed]).exit_code == 0
    assert corpack.load(archive, sha256=printed)["documents"].num_rows == 1
