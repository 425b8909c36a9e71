"""Stage 1: the descriptor parses, fits the Data Package profile, and its paths stay inside the package."""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from typing import Any

import pytest

from corpack.validate import validate_package


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
