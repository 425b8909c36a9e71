"""A resource without a name (a profile error) is still told apart from the others by its file (#14).

Published packages do leave out a resource's ``name`` (found checking packages from the wild, see
docs/validation.md); the profile says it is required, and frictionless says only that: "'name' is a required
property", which does not tell which of a package's resources is meant. Its findings belong to no named
resource, so the report names its file instead.
"""

from __future__ import annotations

import json
from pathlib import Path

from dpcheck import render_text, validate_package


def _package(folder: Path) -> Path:
    folder.mkdir()
    (folder / "a.csv").write_text("id,n\n1,2\n", encoding="utf-8")
    (folder / "b.csv").write_text("id,m\n1,x\n", encoding="utf-8")
    fields = [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}]
    resources = [{"name": "a", "path": "a.csv", "schema": {"fields": fields}}, {"path": "b.csv", "schema": {"fields": fields}}]
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": resources}), encoding="utf-8")
    return folder


def test_the_profile_error_of_a_nameless_resource_names_its_path_14(tmp_path: Path) -> None:
    report = validate_package(_package(tmp_path / "p"))
    [finding] = [f for f in report.findings if f.code == "resource-error"]
    assert finding.resource is None and finding.file == "b.csv"
    assert finding.message == "not valid against the Data Package profile (the resource at 'b.csv'): 'name' is a required property"


def test_the_text_report_names_the_file_of_a_nameless_resources_data_findings_14(tmp_path: Path) -> None:
    text = render_text(validate_package(_package(tmp_path / "p")))
    assert "    file b.csv, field n: column 2 is named 'm' but the schema's field 2 is 'n'\n" in text
    assert "    file b.csv, row 2, field n: cell 'x' is not a valid integer\n" in text
    assert "file a.csv" not in text  # a named resource's findings sit under its name and file already
