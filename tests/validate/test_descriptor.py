"""Stage 1: the descriptor parses, fits the Data Package profile, and its paths stay inside the package."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from dpcheck import validate_package


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Record (and refuse) every attempt to open a network connection."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> None:
        attempts.append(args)
        raise OSError("network disabled in tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_malformed_json_gives_line_and_column(package: Path, kit) -> None:
    (package / "datapackage.json").write_text('{\n  "name": "x",\n  "resources": [}\n', encoding="utf-8")
    report = validate_package(package)
    assert kit.codes(report) == {"package-error"}
    [finding] = report.findings
    assert "line 3 column 17" in finding.message
    assert finding.offset == 33 and finding.file == "datapackage.json"
    assert report.exit_code == 1


def test_descriptor_must_be_an_object(package: Path, kit) -> None:
    (package / "datapackage.json").write_text("[]\n", encoding="utf-8")
    report = validate_package(package)
    assert kit.codes(report) == {"package-error"} and report.exit_code == 1


def test_resources_not_a_list_is_invalid_against_the_profile(package: Path, kit) -> None:
    kit.rewrite_descriptor(package, lambda d: d.update(resources={"documents": {}}))
    report = validate_package(package)
    assert kit.codes(report) == {"package-error"}
    assert any("'resources'" in f.message and "array" in f.message for f in report.findings)
    assert report.exit_code == 1


def test_resource_profile_error_names_the_resource(package: Path, kit) -> None:
    kit.rewrite_descriptor(package, lambda d: kit.resource(d, "paragraphs").update(bytes="12"))
    report = validate_package(package)
    assert kit.codes(report) == {"resource-error"}
    assert all(f.resource == "paragraphs" for f in report.findings)


def test_unknown_field_type_is_a_schema_error(package: Path, kit) -> None:
    kit.rewrite_descriptor(package, lambda d: kit.resource(d, "documents")["schema"]["fields"][2].update(type="strng"))
    report = validate_package(package)
    assert "schema-error" in kit.codes(report)
    assert report.exit_code == 1


def test_duplicate_resource_names_are_a_package_error(package: Path, kit) -> None:
    kit.rewrite_descriptor(package, lambda d: kit.resource(d, "paragraphs").update(name="documents"))
    report = validate_package(package)
    assert "package-error" in kit.codes(report)


def test_dotdot_path_is_unsafe_and_not_opened(package: Path, kit) -> None:
    shutil.copy(package / "data" / "paragraphs.parquet", package.parent / "outside.parquet")
    kit.rewrite_descriptor(package, lambda d: kit.resource(d, "paragraphs").update(path="../outside.parquet"))
    report = validate_package(package)
    assert kit.codes(report) == {"unsafe-path"}
    [finding] = report.findings
    assert finding.resource == "paragraphs" and finding.file == "../outside.parquet"
    assert report.exit_code == 1


def test_absolute_path_is_unsafe(package: Path, kit) -> None:
    target = str((package / "data" / "paragraphs.parquet").resolve())
    kit.rewrite_descriptor(package, lambda d: kit.resource(d, "paragraphs").update(path=target))
    report = validate_package(package)
    assert kit.codes(report) == {"unsafe-path"}
    assert "absolute" in report.findings[0].message
    # The report names the path the descriptor declares, nothing the validator made up.
    assert report.findings[0].file == target


def test_file_url_is_unsafe_even_when_trusted(package: Path, kit) -> None:
    url = (package / "data" / "paragraphs.parquet").resolve().as_uri()
    kit.rewrite_descriptor(package, lambda d: kit.resource(d, "paragraphs").update(path=url))
    assert kit.codes(validate_package(package, trusted=True)) == {"unsafe-path"}


def test_symlink_escaping_the_folder_is_unsafe(package: Path, kit) -> None:
    outside = package.parent / "outside.parquet"
    shutil.move(package / "data" / "paragraphs.parquet", outside)
    (package / "data" / "paragraphs.parquet").symlink_to(outside)
    report = validate_package(package)
    assert kit.codes(report) == {"unsafe-path"}
    assert "outside the package folder" in report.findings[0].message


def test_symlink_inside_the_folder_is_fine(package: Path) -> None:
    data = package / "data"
    shutil.move(data / "paragraphs.parquet", data / "real.parquet")
    (data / "paragraphs.parquet").symlink_to("real.parquet")
    assert validate_package(package).valid


def test_url_path_needs_trusted_and_is_never_fetched(package: Path, kit, no_network: list[Any]) -> None:
    url = "https://example.com/paragraphs.parquet"
    kit.rewrite_descriptor(package, lambda d: kit.resource(d, "paragraphs").update(path=url))
    report = validate_package(package)
    assert kit.codes(report) == {"scheme-error"} and report.exit_code == 1
    assert report.findings[0].file == url

    trusted = validate_package(package, trusted=True)
    assert kit.codes(trusted) == {"not-checked"}
    assert trusted.valid and trusted.exit_code == 0
    assert no_network == []


def test_custom_profile_is_not_fetched(package: Path, kit, no_network: list[Any]) -> None:
    kit.rewrite_descriptor(package, lambda d: d.update(profile="https://example.com/profile.json"))
    report = validate_package(package)
    assert kit.codes(report) == {"not-checked"} and report.valid
    assert no_network == []


def test_schema_given_as_a_path_inside_the_package_is_used(package: Path, kit) -> None:
    def edit(descriptor: dict[str, Any]) -> None:
        schema = kit.resource(descriptor, "paragraphs")
        schema["schema"]["fields"][2]["constraints"]["enum"] = ["title"]  # would fail: rows have "body"
        (package / "paragraphs.schema.json").write_text(json.dumps(schema["schema"]), encoding="utf-8")
        schema["schema"] = "paragraphs.schema.json"

    kit.rewrite_descriptor(package, edit)
    report = validate_package(package)
    assert kit.codes(report) == {"constraint-error"}


SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}


def csv_package(folder: Path, resource: dict[str, Any], files: dict[str, str], *, top: dict[str, Any] | None = None) -> Path:
    """Write a one-resource package around ``t.csv`` (semicolon-separated) plus ``files`` (name -> text)."""
    folder.mkdir()
    (folder / "t.csv").write_text("id;name\n1;english\n2;中文\n", encoding="utf-8")
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    descriptor = {**(top or {}), "resources": [{"name": "t", "path": "t.csv", **resource}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def test_dialect_given_as_a_path_is_used_5(tmp_path: Path) -> None:
    resource = {"schema": "s.json", "dialect": "d.json"}
    dialect = {"delimiter": ";"}
    report = validate_package(csv_package(tmp_path / "p", resource, {"s.json": json.dumps(SCHEMA), "d.json": json.dumps(dialect)}))
    assert report.valid, report.findings
    # Told there is no header, the validator reads the header line as data: "id" is not an integer.
    dialect["header"] = False
    report = validate_package(csv_package(tmp_path / "q", resource, {"s.json": json.dumps(SCHEMA), "d.json": json.dumps(dialect)}))
    [finding] = report.findings
    assert (finding.code, finding.resource, finding.field) == ("type-error", "t", "id")


@pytest.mark.parametrize("key, text, code, words", [
    ("schema", None, "schema-error", "schema file 'ref.json' does not exist"),
    ("schema", '{\n  "fields": [}\n', "schema-error", "schema file 'ref.json' is not valid JSON at line 2 column 14"),
    ("schema", "[1, 2]", "schema-error", "schema file 'ref.json' must hold a JSON object, not list"),
    ("schema", '"other.json"', "schema-error", "must hold a JSON object, not str"),
    ("dialect", None, "resource-error", "dialect file 'ref.json' does not exist"),
    ("dialect", '{"delimiter": }', "resource-error", "dialect file 'ref.json' is not valid JSON at line 1 column 15"),
    ("dialect", "[]", "resource-error", "dialect file 'ref.json' must hold a JSON object, not list"),
])
def test_schema_or_dialect_file_that_cannot_be_loaded_5(tmp_path: Path, kit, key: str, text: str | None, code: str, words: str) -> None:
    resource = {"schema": SCHEMA, "dialect": {"delimiter": ";"}, key: "ref.json"}
    folder = csv_package(tmp_path / "p", resource, {} if text is None else {"ref.json": text})
    report = validate_package(folder)
    # One finding naming the resource, the file and why; the rows, which could only be read wrongly, are not checked.
    [finding] = report.findings
    assert (finding.code, finding.resource, finding.file) == (code, "t", "ref.json")
    assert words in finding.message and "rows are not checked" in finding.message
    assert str(tmp_path) not in finding.message
    assert report.exit_code == 1


def test_json_error_in_a_schema_file_gives_its_offset_5(tmp_path: Path) -> None:
    report = validate_package(csv_package(tmp_path / "p", {"schema": "s.json"}, {"s.json": '{"fields": [}'}))
    [finding] = report.findings
    assert finding.offset == 12 and "line 1 column 13" in finding.message


def test_yaml_schema_and_dialect_files_are_read_as_frictionless_reads_them_14(tmp_path: Path, kit) -> None:
    files = {"s.yaml": "fields:\n  - name: id\n    type: integer\n  - name: name\n", "d.yml": "delimiter: ';'\n"}
    report = validate_package(csv_package(tmp_path / "p", {"schema": "s.yaml", "dialect": "d.yml"}, files))
    assert report.valid, report.findings
    files["s.yaml"] = "fields:\n  - name: id\n    type: integer\n  - name: wrong\n"
    report = validate_package(csv_package(tmp_path / "q", {"schema": "s.yaml", "dialect": "d.yml"}, files))
    assert kit.codes(report) == {"incorrect-label"}


def test_broken_yaml_schema_file_is_a_schema_error_with_line_and_column_14(tmp_path: Path, kit) -> None:
    report = validate_package(csv_package(tmp_path / "p", {"schema": "s.yaml"}, {"s.yaml": "fields: [\n"}))
    [finding] = report.findings
    assert finding.code == "schema-error" and finding.file == "s.yaml"
    assert "schema file 's.yaml' is not a usable YAML descriptor at line 2 column 1" in finding.message


def test_schema_file_is_checked_against_the_table_schema_profile_5(tmp_path: Path, kit) -> None:
    schema = {"fields": [{"name": "id", "type": "strng"}], "primaryKey": 7}
    report = validate_package(csv_package(tmp_path / "p", {"schema": "s.json", "dialect": {"delimiter": ";"}}, {"s.json": json.dumps(schema)}))
    profile = [f for f in report.findings if "Data Package profile" in f.message]
    assert profile and all(f.code == "schema-error" and f.resource == "t" for f in profile)


def test_dialect_file_is_checked_against_the_table_dialect_profile_5(tmp_path: Path, kit) -> None:
    folder = csv_package(tmp_path / "p", {"schema": SCHEMA, "dialect": "d.json"}, {"d.json": json.dumps({"header": "yes"})})
    report = validate_package(folder)
    assert "resource-error" in kit.codes(report)
    assert any("'header'" in f.message for f in report.findings if f.code == "resource-error")


def test_remote_schema_of_a_tabular_data_resource_is_only_a_notice_when_trusted_5(tmp_path: Path, kit, no_network: list[Any]) -> None:
    # A v1 tabular-data-resource must have a schema: one that is given but never fetched still counts.
    resource = {"profile": "tabular-data-resource", "schema": "https://example.com/s.json", "dialect": "https://example.com/d.json"}
    folder = csv_package(tmp_path / "p", resource, {}, top={"profile": "tabular-data-package"})
    report = validate_package(folder)
    assert kit.codes(report) == {"scheme-error"} and len(report.findings) == 2
    trusted = validate_package(folder, trusted=True)
    assert kit.codes(trusted) == {"not-checked"} and trusted.valid
    assert {f.file for f in trusted.findings} == {"https://example.com/s.json", "https://example.com/d.json"}
    assert all("rows are not checked" in f.message for f in trusted.findings)
    assert no_network == []


def test_schema_file_shared_by_resources_in_a_subfolder_5(tmp_path: Path) -> None:
    folder = csv_package(tmp_path / "p", {"schema": "schemas/t.json", "dialect": {"delimiter": ";"}}, {})
    (folder / "schemas").mkdir()
    (folder / "schemas" / "t.json").write_text(json.dumps(SCHEMA), encoding="utf-8")
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({**descriptor["resources"][0], "name": "u"})
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate_package(folder)
    assert report.valid and report.resources == ["t", "u"], report.findings
