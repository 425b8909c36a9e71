"""Hostile input (#5): every case gets a clear error and exit 1 or 2; none a traceback, a hang or a read outside.

Cases already covered elsewhere: malformed JSON, '..' and absolute paths, symlinks out of the folder, URLs
(test_descriptor.py), a non-Parquet file behind a .parquet path (test_integrity.py). The fuzz test is in
test_fuzz.py. The same dangers through a schema or dialect given as a path are tested here.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import shutil
import socket
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpack.cli import cli
from corpack.errors import PackageError
from dpcheck import archive, descriptor, validate_package


def zip_folder(folder: Path, target: Path, prefix: str = "") -> Path:
    """Zip every file below ``folder`` into ``target``, entry names prefixed with ``prefix``."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, prefix + path.relative_to(folder).as_posix())
    return target


def add_entry(target: Path, name: str, data: bytes = b"x", mode: int | None = None) -> None:
    with zipfile.ZipFile(target, "a", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        if mode is not None:
            info.external_attr = mode << 16
        zf.writestr(info, data)


def cli_run(*args: str):
    return CliRunner().invoke(cli, ["validate", *args])


def test_zipped_package_is_validated_5(package: Path, tmp_path: Path) -> None:
    flat = zip_folder(package, tmp_path / "release.zip")
    nested = zip_folder(package, tmp_path / "nested.zip", prefix="release-1.0/")
    for target in (flat, nested):
        report = validate_package(target)
        assert report.valid, report.findings
        assert report.package == str(target)
    assert cli_run(str(flat)).exit_code == 0


def test_zipped_invalid_package_exits_1_5(package: Path, tmp_path: Path, kit) -> None:
    kit.rewrite_descriptor(package, lambda d: d["resources"][0].update(hash="sha256:" + "0" * 64))
    result = cli_run(str(zip_folder(package, tmp_path / "release.zip")))
    assert result.exit_code == 1 and "hash-count" in result.stdout


def test_archive_is_removed_after_validation_5(package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    validate_package(zip_folder(package, tmp_path / "release.zip"))
    assert list((tmp_path / "tmp").iterdir()) == []


@pytest.mark.parametrize("name, words", [
    ("../escape.txt", "zip slip"),
    ("data/../../escape.txt", "zip slip"),
    ("/etc/escape.txt", "absolute"),
    ("C:/escape.txt", "absolute"),
    ("data\\..\\..\\escape.txt", "absolute or non-portable"),
])
def test_zip_entry_escaping_the_folder_is_refused_5(package: Path, tmp_path: Path, name: str, words: str) -> None:
    target = zip_folder(package, tmp_path / "release.zip")
    add_entry(target, name)
    with pytest.raises(PackageError, match=words):
        validate_package(target)
    result = cli_run(str(target))
    assert result.exit_code == 2 and result.stderr.startswith("error[package-error]")
    assert "Traceback" not in result.output
    assert not (tmp_path / "escape.txt").exists() and not Path("/etc/escape.txt").exists()


def test_zip_symlink_entry_is_refused_5(package: Path, tmp_path: Path) -> None:
    target = zip_folder(package, tmp_path / "release.zip")
    add_entry(target, "data/link.parquet", b"/etc/passwd", mode=stat.S_IFLNK | 0o777)
    with pytest.raises(PackageError, match="symbolic link"):
        validate_package(target)


def test_zip_bomb_stops_at_the_size_limit_5(package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = zip_folder(package, tmp_path / "release.zip")
    add_entry(target, "bomb.bin", bytes(4 << 20))  # 4 MiB of zeros deflate to a few KiB
    assert target.stat().st_size < 200_000
    monkeypatch.setattr(archive, "MAX_UNPACKED", 1 << 20)
    result = cli_run(str(target))
    assert result.exit_code == 2 and "more than the limit" in result.stderr


def test_zip_bomb_with_lying_sizes_stops_while_inflating_5(package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = zip_folder(package, tmp_path / "release.zip")
    add_entry(target, "bomb.bin", bytes(4 << 20))
    real = zipfile.ZipFile.infolist

    def lying(self: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
        infos = real(self)
        for info in infos:
            info.file_size = 1  # headers can claim anything
        return infos

    monkeypatch.setattr(zipfile.ZipFile, "infolist", lying)
    monkeypatch.setattr(archive, "MAX_UNPACKED", 1 << 20)
    with pytest.raises(PackageError):
        validate_package(target)


def test_too_many_zip_entries_5(package: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archive, "MAX_ENTRIES", 2)
    with pytest.raises(PackageError, match="entries"):
        validate_package(zip_folder(package, tmp_path / "release.zip"))


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated", b"not a zip at all"])
def test_broken_zip_is_a_clear_error_5(tmp_path: Path, content: bytes) -> None:
    target = tmp_path / "release.zip"
    target.write_bytes(content)
    result = cli_run(str(target))
    assert result.exit_code == 2 and result.stderr.startswith("error[package-error]")
    assert "Traceback" not in result.output


def test_zip_without_a_descriptor_5(tmp_path: Path) -> None:
    target = tmp_path / "release.zip"
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr("a/datapackage.json", "{}")
        zf.writestr("b/datapackage.json", "{}")
    with pytest.raises(PackageError, match="no datapackage.json"):
        validate_package(target)


def test_huge_descriptor_is_not_read_5(package: Path, monkeypatch: pytest.MonkeyPatch, kit) -> None:
    monkeypatch.setattr(descriptor, "MAX_DESCRIPTOR_BYTES", 1000)
    report = validate_package(package)
    assert kit.codes(report) == {"package-error"} and "larger than the limit" in report.findings[0].message


@pytest.mark.parametrize("text", [
    '{"resources": [' + "[" * 100_000 + "]" * 100_000 + "]}",
    '{"resources": [], "x": ' + "[" * 500 + "]" * 500 + "}",
    '{"resources": [], "x": ' + "9" * 10_000 + "}",
    '{"resources": [], "x": 1e999999, "y": NaN}',
])
def test_pathological_json_is_a_package_error_5(package: Path, kit, text: str) -> None:
    (package / "datapackage.json").write_text(text, encoding="utf-8")
    report = validate_package(package)
    assert "package-error" in kit.codes(report) and report.exit_code == 1


@pytest.mark.parametrize("key, value, code", [
    ("$schema", "https://datapackage.org/profiles/9.0/datapackage.json", "package-error"),
    ("$schema", 12, "package-error"),
    ("$schema", ["x"], "package-error"),
    ("profile", "weird-profile", "not-checked"),
    ("$schema", "../../etc/passwd", "not-checked"),
    ("$schema", "https://example.com/profile.json", "not-checked"),
])
def test_unknown_profile_5(package: Path, kit, key: str, value, code: str) -> None:
    kit.rewrite_descriptor(package, lambda d: d.update({key: value}))
    report = validate_package(package)
    assert code in kit.codes(report)


def test_both_profile_versions_are_accepted_5(package: Path, kit) -> None:
    kit.rewrite_descriptor(package, lambda d: d.update({"$schema": "https://datapackage.org/profiles/1.0/datapackage.json"}))
    assert validate_package(package).valid
    kit.rewrite_descriptor(package, lambda d: (d.pop("$schema"), d.update(profile="data-package")))
    assert validate_package(package).valid


@pytest.mark.parametrize("cut", [0.5, 0.9, 0.99])
def test_truncated_parquet_is_a_source_error_5(package: Path, kit, cut: float) -> None:
    path = package / "data" / "documents.parquet"
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * cut)])
    kit.refresh_hash(package, "documents")
    report = validate_package(package)
    assert kit.codes(report) == {"source-error"}


def test_csv_with_broken_encoding_is_an_error_5(tmp_path: Path, kit) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "t.csv").write_bytes("id,name\n1,中文\n2,".encode() + b"\xff\xfe\xc3\n")
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}
    resource = {"name": "t", "path": "t.csv", "schema": schema}
    (folder / "datapackage.json").write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
    report = validate_package(folder)
    assert report.exit_code == 1
    assert kit.codes(report) & {"source-error", "encoding-error"}
    result = cli_run(str(folder))
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_directory_behind_a_resource_path_5(package: Path, kit) -> None:
    (package / "data" / "documents.parquet").unlink()
    (package / "data" / "documents.parquet").mkdir()
    assert kit.codes(validate_package(package)) == {"source-error"}
    shutil.rmtree(package / "data" / "documents.parquet")


SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}


def schema_package(tmp_path: Path, schema_path: str, text: str | None = None) -> Path:
    """A one-resource CSV package whose schema is given as ``schema_path``; ``text``, if any, is written there."""
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "t.csv").write_text("id,name\n1,a\n", encoding="utf-8")
    if text is not None:
        (folder / schema_path).write_text(text, encoding="utf-8")
    resource = {"name": "t", "path": "t.csv", "schema": schema_path}
    (folder / "datapackage.json").write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
    return folder


@pytest.mark.parametrize("kind, code, words", [
    ("dotdot", "unsafe-path", "'..' component"),
    ("absolute", "unsafe-path", "absolute"),
    ("file-url", "unsafe-path", "file: URL"),
    ("symlink", "unsafe-path", "outside the package folder"),
    ("url", "scheme-error", "is a URL"),
])
def test_schema_path_out_of_the_package_is_never_opened_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kit,
                                                           kind: str, code: str, words: str) -> None:
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps(SCHEMA), encoding="utf-8")
    value = {"dotdot": "../outside.json", "absolute": str(outside), "file-url": outside.as_uri(),
             "symlink": "link.json", "url": "https://example.com/schema.json"}[kind]
    folder = schema_package(tmp_path, value)
    if kind == "symlink":
        (folder / "link.json").symlink_to(outside)
    opened: list[str] = []
    real_open = io.open

    def watch(file, *args, **kwargs):
        opened.append(os.path.realpath(file) if isinstance(file, (str, os.PathLike)) else repr(file))
        return real_open(file, *args, **kwargs)

    def refuse(*args, **kwargs):
        raise AssertionError("the validator tried the network")

    monkeypatch.setattr(io, "open", watch)  # what Path.open calls
    monkeypatch.setattr(builtins, "open", watch)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    report = validate_package(folder)
    assert kit.codes(report) == {code} and report.exit_code == 1
    [finding] = report.findings
    assert finding.resource == "t" and finding.file == value and words in finding.message
    # Trusted accepts a URL without fetching it (a notice: the schema is unknown); never an unsafe path.
    trusted = validate_package(folder, trusted=True)
    assert kit.codes(trusted) == ({"not-checked"} if kind == "url" else {code})
    assert trusted.valid == (kind == "url")
    result = cli_run(str(folder))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert opened and os.path.realpath(outside) not in opened


def test_huge_schema_file_is_not_read_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kit) -> None:
    folder = schema_package(tmp_path, "s.json", json.dumps({**SCHEMA, "description": "x" * 2000}))
    monkeypatch.setattr(descriptor, "MAX_DESCRIPTOR_BYTES", 1000)
    report = validate_package(folder)
    assert kit.codes(report) == {"schema-error"}
    assert "schema file 's.json' is larger than the limit of 1000 bytes" in report.findings[0].message


def test_schema_files_together_stay_under_the_descriptor_limit_5(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kit) -> None:
    # One 600-byte schema named by three resources: read as often as it is named, it passes 1000 bytes at the second.
    folder = schema_package(tmp_path, "s.json", json.dumps({**SCHEMA, "description": "x" * 500}))
    path = folder / "datapackage.json"
    resources = json.loads(path.read_text(encoding="utf-8"))["resources"]
    resources += [{**resources[0], "name": name} for name in ("u", "v")]
    path.write_text(json.dumps({"resources": resources}), encoding="utf-8")
    monkeypatch.setattr(descriptor, "MAX_DESCRIPTOR_BYTES", 1000)
    report = validate_package(folder)
    assert kit.codes(report) == {"schema-error"}
    assert [f.resource for f in report.findings] == ["u", "v"]
    assert all("in all" in f.message for f in report.findings)


@pytest.mark.parametrize("text, words", [
    ('{"fields": ' + "[" * 100_000 + "]" * 100_000 + "}", "cannot be read as JSON"),
    ('{"fields": [], "x": ' + "[" * 500 + "]" * 500 + "}", "deeper than 64 levels"),
    ('{"fields": [], "x": ' + "9" * 10_000 + "}", "cannot be read as JSON"),
])
def test_pathological_schema_file_is_a_schema_error_5(tmp_path: Path, kit, text: str, words: str) -> None:
    report = validate_package(schema_package(tmp_path, "s.json", text))
    assert kit.codes(report) == {"schema-error"} and words in report.findings[0].message


def test_schema_file_that_is_not_valid_utf8_5(tmp_path: Path, kit) -> None:
    folder = schema_package(tmp_path, "s.json")
    (folder / "s.json").write_bytes(b'{"fields": [], "title": "\xff"}')
    report = validate_package(folder)
    assert kit.codes(report) == {"schema-error"} and "not UTF-8 at byte 25" in report.findings[0].message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_fifo_behind_a_schema_path_does_not_hang_5(tmp_path: Path, kit) -> None:
    folder = schema_package(tmp_path, "s.json")
    os.mkfifo(folder / "s.json")  # opening it for reading would block until a writer came
    report = validate_package(folder)
    assert kit.codes(report) == {"schema-error"} and "not a regular file" in report.findings[0].message


def test_dialect_path_out_of_the_package_is_refused_like_a_schema_path_5(tmp_path: Path, kit) -> None:
    folder = schema_package(tmp_path, "s.json", json.dumps(SCHEMA))
    (tmp_path / "d.json").write_text('{"delimiter": ";"}', encoding="utf-8")
    path = folder / "datapackage.json"
    parsed = json.loads(path.read_text(encoding="utf-8"))
    parsed["resources"][0]["dialect"] = "../d.json"
    path.write_text(json.dumps(parsed), encoding="utf-8")
    report = validate_package(folder)
    assert kit.codes(report) == {"unsafe-path"}
    assert report.findings[0].file == "../d.json" and "rows are not checked" in report.findings[0].message
