"""Table Schema rules the Data Package profile does not enforce (#11): no false "valid".

A foreign key naming a field its own resource or the referenced one does not have, and a constraint whose
value is not a finite number (Python's json reads NaN, Infinity and -Infinity), are ``schema-error``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dpcheck import validate_package


def fk_package(tmp_path: Path, fk: dict[str, Any], *, parent_fields: tuple[str, ...] = ("id",)) -> Path:
    """A CSV package: ``parent`` (fields ``parent_fields``) and ``child`` (id, parent_id) with foreign key ``fk``."""
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "parent.csv").write_text(",".join(parent_fields) + "\n" + ",".join("1" for _ in parent_fields) + "\n", encoding="utf-8")
    (folder / "child.csv").write_text("id,parent_id\n1,1\n", encoding="utf-8")
    integer = [{"name": name, "type": "integer"} for name in parent_fields]
    resources = [
        {"name": "parent", "path": "parent.csv", "schema": {"fields": integer}},
        {"name": "child", "path": "child.csv", "schema": {
            "fields": [{"name": "id", "type": "integer"}, {"name": "parent_id", "type": "integer"}],
            "foreignKeys": [fk]}},
    ]
    (folder / "datapackage.json").write_text(json.dumps({"resources": resources}), encoding="utf-8")
    return folder


def test_valid_foreign_key_stays_valid_11(tmp_path: Path) -> None:
    fk = {"fields": ["parent_id"], "reference": {"resource": "parent", "fields": ["id"]}}
    assert validate_package(fk_package(tmp_path, fk)).valid


@pytest.mark.parametrize("fk, words", [
    ({"fields": ["parent_id"], "reference": {"resource": "parent", "fields": ["nope"]}},
     "refers to field 'nope' of resource 'parent', which has no such field"),
    ({"fields": ["nope"], "reference": {"resource": "parent", "fields": ["id"]}},
     "nope"),  # the profile check already reports a key field its own schema lacks
    ({"fields": ["id", "parent_id"], "reference": {"resource": "parent", "fields": ["id", "nope"]}},
     "refers to field 'nope' of resource 'parent'"),
    ({"fields": ["parent_id"], "reference": {"resource": "", "fields": ["nope"]}},
     "refers to field 'nope' of resource 'child'"),
])
def test_foreign_key_naming_a_missing_field_is_a_schema_error_11(tmp_path: Path, kit, fk: dict[str, Any], words: str) -> None:
    report = validate_package(fk_package(tmp_path, fk))
    assert not report.valid and "schema-error" in kit.codes(report)
    found = [f for f in report.findings if f.code == "schema-error"]
    assert any(words in f.message and f.resource == "child" for f in found), found


def test_foreign_key_into_a_parent_whose_file_lacks_the_column_is_not_doubled_11(tmp_path: Path, kit) -> None:
    # The parent's schema has the field and its file lacks the column: a label error, not a schema error.
    folder = fk_package(tmp_path, {"fields": ["parent_id"], "reference": {"resource": "parent", "fields": ["id"]}})
    (folder / "parent.csv").write_text("other\n1\n", encoding="utf-8")
    report = validate_package(folder)
    assert "schema-error" not in kit.codes(report) and "incorrect-label" in kit.codes(report)


@pytest.mark.parametrize("constraint, value", [
    ("minimum", "NaN"), ("maximum", "Infinity"), ("exclusiveMinimum", "-Infinity"), ("exclusiveMaximum", "NaN"),
    ("enum", "[1, NaN]"), ("minimum", "1e999"),
])
def test_non_finite_constraint_is_a_schema_error_11(tmp_path: Path, kit, constraint: str, value: str) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    kind = "number"
    (folder / "t.csv").write_text("x\n1\n", encoding="utf-8")
    # Written by hand: json.dumps would write NaN too, but the point is what a hostile file holds.
    text = ('{"$schema": "https://datapackage.org/profiles/2.0/datapackage.json", "resources": [{"name": "t", '
            '"path": "t.csv", "schema": {"fields": [{"name": "x", "type": "%s", "constraints": {"%s": %s}}]}}]}'
            % (kind, constraint, value))
    (folder / "datapackage.json").write_text(text, encoding="utf-8")
    report = validate_package(folder)
    assert not report.valid and "schema-error" in kit.codes(report)
    [finding] = [f for f in report.findings if f.code == "schema-error"]
    assert finding.resource == "t" and finding.field == "x"
    assert f'constraint "{constraint}"' in finding.message and "not a finite number" in finding.message


@pytest.mark.parametrize("constraint, value", [("minLength", "NaN"), ("maxLength", "Infinity")])
def test_non_finite_length_is_a_schema_error_of_the_profile_11(tmp_path: Path, kit, constraint: str, value: str) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "t.csv").write_text("x\na\n", encoding="utf-8")
    text = ('{"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "x", "type": "string", '
            '"constraints": {"%s": %s}}]}}]}' % (constraint, value))
    (folder / "datapackage.json").write_text(text, encoding="utf-8")
    report = validate_package(folder)
    assert kit.codes(report) == {"schema-error"} and len(report.findings) == 1  # said once, not twice


def test_finite_constraints_stay_valid_11(tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "t.csv").write_text("x\n1.5\n", encoding="utf-8")
    field = {"name": "x", "type": "number", "constraints": {"minimum": -1e308, "maximum": 1e308, "enum": [1.5, 2]}}
    (folder / "datapackage.json").write_text(json.dumps({"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": [field]}}]}),
                                             encoding="utf-8")
    assert validate_package(folder).valid
