"""Data Package v2 / Table Schema v2 at the descriptor level (#14): each feature has a valid and an invalid case.

Data-level checks of the same features (cells in categories, rows against uniqueKeys, values against a
jsonSchema) are tested in test_spec_v2_data.py; here the package is judged on what its descriptor says.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dpcheck import Report, descriptor, schemarules, validate_package

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
FIELDS = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]


def _package(folder: Path, schema: dict[str, Any], csv: str = "id,name\n1,a\n2,b\n", *, v2: bool = True,
             name: str = "datapackage.json") -> Path:
    folder.mkdir()
    (folder / "t.csv").write_text(csv, encoding="utf-8")
    package: dict[str, Any] = {"resources": [{"name": "t", "path": "t.csv", "schema": schema}]}
    if v2:
        package["$schema"] = V2
    (folder / name).write_text(json.dumps(package), encoding="utf-8")
    return folder


def _errors(report: Report) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.field, f.message) for f in report.findings if f.code != "not-checked"]


def _descriptor_findings(folder: Path) -> list[tuple[str, str | None, str]]:
    """What the descriptor stage alone (profile, paths, schema rules) finds: no row is read."""
    report = Report(package=str(folder))
    parsed = descriptor.load(folder / "datapackage.json", report)
    assert parsed is not None
    schemarules.check(descriptor.resources(parsed, folder, report, trusted=False), report)
    return _errors(report)


# --- v1 forms still accepted -------------------------------------------------------------------------------

@pytest.mark.parametrize("v2", [False, True])
def test_string_primary_key_is_accepted_and_checked_14(tmp_path: Path, v2: bool) -> None:
    assert validate_package(_package(tmp_path / "ok", {"fields": FIELDS, "primaryKey": "id"}, v2=v2)).valid
    report = validate_package(_package(tmp_path / "dup", {"fields": FIELDS, "primaryKey": "id"}, "id,name\n1,a\n1,b\n", v2=v2))
    assert [(f.code, f.row) for f in report.findings] == [("primary-key", 3)]


def test_string_primary_key_naming_no_field_is_a_schema_error_14(tmp_path: Path) -> None:
    report = validate_package(_package(tmp_path / "p", {"fields": FIELDS, "primaryKey": "nope"}))
    assert {code for code, _, _ in _errors(report)} == {"schema-error"}


@pytest.mark.parametrize("reference", [{"fields": "id"}, {"resource": "", "fields": ["id"]}, {"resource": "t", "fields": "id"}])
def test_foreign_key_without_resource_is_a_self_reference_14(tmp_path: Path, reference: dict[str, Any]) -> None:
    schema = {"fields": [*FIELDS, {"name": "parent", "type": "integer"}], "foreignKeys": [{"fields": "parent", "reference": reference}]}
    assert validate_package(_package(tmp_path / "ok", schema, "id,name,parent\n1,a,\n2,b,1\n")).valid
    report = validate_package(_package(tmp_path / "bad", schema, "id,name,parent\n1,a,\n2,b,7\n"))
    assert [(f.code, f.row) for f in report.findings] == [("foreign-key", 3)]


def test_self_reference_without_resource_to_an_unknown_field_is_a_schema_error_14(tmp_path: Path) -> None:
    schema = {"fields": [*FIELDS, {"name": "parent"}], "foreignKeys": [{"fields": ["parent"], "reference": {"fields": ["nope"]}}]}
    report = validate_package(_package(tmp_path / "p", schema, "id,name,parent\n1,a,\n"))
    assert [(code, "'nope'" in message) for code, _, message in _errors(report)] == [("schema-error", True)]


# --- YAML descriptors -------------------------------------------------------------------------------------

YAML = """\
resources:
  - name: t
    path: t.csv
    schema:
      fields:
        - name: id
          type: integer
        - name: name
      primaryKey: id
"""


@pytest.mark.parametrize("name", ["datapackage.yaml", "datapackage.yml", "country.package.yaml"])
def test_yaml_descriptor_is_read_like_json_14(tmp_path: Path, name: str) -> None:
    (tmp_path / "t.csv").write_text("id,name\n1,a\n2,b\n", encoding="utf-8")
    (tmp_path / name).write_text(YAML, encoding="utf-8")
    target = tmp_path if name.startswith("datapackage.") else tmp_path / name
    report = validate_package(target)
    assert report.valid, report.findings
    assert report.resources == ["t"]
    (tmp_path / "t.csv").write_text("id,name\n1,a\n1,b\n", encoding="utf-8")
    assert [(f.code, f.row) for f in validate_package(target).findings] == [("primary-key", 3)]


def test_folder_prefers_datapackage_json_over_yaml_14(tmp_path: Path) -> None:
    _package(tmp_path / "p", {"fields": FIELDS})
    (tmp_path / "p" / "datapackage.yaml").write_text("resources: 7\n", encoding="utf-8")
    assert validate_package(tmp_path / "p").valid


HOSTILE_YAML = {
    "an alias": ("resources: &r []\nagain: *r\n", "anchor or alias"),
    "a list": ("- resources\n", "must hold a YAML mapping, not list"),
    "a number key": ("resources: []\n1: x\n", "not a string"),
    "a syntax error": ("resources: [\n", "line 2 column 1"),
    "10,000 levels deep": ("resources: " + "[" * 10_000 + "]" * 10_000 + "\n", "far deeper than the limit of 64 levels"),
    "65 levels deep": ("resources: []\nx: " + "[" * 65 + "]" * 65 + "\n", "deeper than 64 levels"),
    "a 5,000-digit integer": ("resources: []\nx: " + "7" * 5000 + "\n", "more than 4300 digits"),
    "not UTF-8": ("resources: []\nx: caf\xe9\n", "not UTF-8 at byte"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE_YAML))
def test_hostile_yaml_descriptor_is_one_package_error_14(tmp_path: Path, case: str) -> None:
    text, words = HOSTILE_YAML[case]
    path = tmp_path / "datapackage.yaml"
    path.write_bytes(text.encode("latin-1") if case == "not UTF-8" else text.encode("utf-8"))
    report = Report(package="p")
    assert descriptor.load(path, report) is None
    [finding] = report.findings
    assert finding.code == "package-error" and finding.file == "datapackage.yaml" and words in finding.message


def test_yaml_dates_stay_strings_as_in_json_14(tmp_path: Path) -> None:
    path = tmp_path / "datapackage.yaml"
    path.write_text("created: 2024-01-01T10:00:00Z\nresources: []\n", encoding="utf-8")
    assert descriptor.load(path, Report(package="p")) == {"created": "2024-01-01T10:00:00Z", "resources": []}


# --- duplicate field names (v2 allows them) ---------------------------------------------------------------

def test_duplicate_field_names_are_not_a_schema_error_14(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "x", "type": "integer"}, {"name": "x", "type": "string"}], "primaryKey": "x"}
    report = validate_package(_package(tmp_path / "p", schema, "x,x\n1,a\n2,b\n"))
    assert not [f for f in report.findings if f.code == "schema-error"], report.findings


def test_duplicate_field_names_keep_the_other_profile_rules_14(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "x", "type": "integr"}, {"name": "x", "type": "string"}]}
    [(code, _, message)] = _descriptor_findings(_package(tmp_path / "p", schema, "x,x\n1,a\n"))
    assert code == "schema-error" and "integr" in message and "not unique" not in message


# --- fieldsMatch ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["exact", "equal", "subset", "superset", "partial"])
def test_fields_match_modes_are_accepted_as_strings_14(tmp_path: Path, mode: str) -> None:
    assert not _errors(validate_package(_package(tmp_path / "p", {"fields": FIELDS, "fieldsMatch": mode})))


@pytest.mark.parametrize("value", ["bogus", ["exact"], 1])
def test_fields_match_other_values_are_schema_errors_14(tmp_path: Path, value: Any) -> None:
    report = validate_package(_package(tmp_path / "p", {"fields": FIELDS, "fieldsMatch": value}))
    assert {code for code, _, _ in _errors(report)} == {"schema-error"}


# --- uniqueKeys -------------------------------------------------------------------------------------------

def test_unique_keys_of_known_fields_are_accepted_14(tmp_path: Path) -> None:
    assert not _errors(validate_package(_package(tmp_path / "p", {"fields": FIELDS, "uniqueKeys": [["id"], ["id", "name"]]})))


@pytest.mark.parametrize(("value", "words"), [
    ([["nope"]], "names field 'nope', which the schema does not have"),
    ("id", "must be a list of non-empty lists of field names"),
    ([[]], "must be a list of non-empty lists"),
    ([["id", 3]], "must be a list of non-empty lists"),
])
def test_unique_keys_malformed_or_unknown_are_schema_errors_14(tmp_path: Path, value: Any, words: str) -> None:
    report = validate_package(_package(tmp_path / "p", {"fields": FIELDS, "uniqueKeys": value}))
    [(code, _, message)] = _errors(report)
    assert code == "schema-error" and words in message


# --- categories -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("field", [
    {"name": "name", "type": "string", "categories": ["a", "b"]},
    {"name": "name", "type": "string", "categories": [{"value": "a", "label": "Apple"}, {"value": "b"}], "categoriesOrdered": True},
    {"name": "id", "type": "integer", "categories": [1, 2, {"value": 3}][:2]},
    {"name": "id", "type": "integer", "categories": [{"value": 1, "label": "one"}, {"value": 2, "label": "two"}]},
])
def test_categories_of_the_v2_forms_are_accepted_14(tmp_path: Path, field: dict[str, Any]) -> None:
    fields = [field if f["name"] == field["name"] else f for f in FIELDS]
    assert not _errors(validate_package(_package(tmp_path / "p", {"fields": fields})))


@pytest.mark.parametrize(("field", "words"), [
    ({"name": "name", "type": "string", "categories": "a"}, "must be a list"),
    ({"name": "name", "type": "string", "categories": ["a", {"value": "b"}]}, "mix plain values"),
    ({"name": "name", "type": "string", "categories": [{"label": "A"}]}, "has no \"value\""),
    ({"name": "name", "type": "string", "categories": [{"value": "a", "label": 1}]}, "not a string"),
    ({"name": "id", "type": "integer", "categories": ["1"]}, "not a value of type integer"),
    ({"name": "id", "type": "integer", "categories": [True]}, "not a value of type integer"),
    ({"name": "id", "type": "number", "categories": [1.5]}, "only allowed on string and integer fields"),
    ({"name": "name", "type": "string", "categories": ["a"], "categoriesOrdered": "yes"}, "must be true or false"),
])
def test_categories_not_in_a_v2_form_are_schema_errors_14(tmp_path: Path, field: dict[str, Any], words: str) -> None:
    fields = [field if f["name"] == field["name"] else f for f in FIELDS]
    report = validate_package(_package(tmp_path / "p", {"fields": fields}, "id,name\n1,a\n"))
    [(code, where, message)] = _errors(report)
    assert (code, where) == ("schema-error", field["name"]) and words in message


# --- jsonSchema constraint --------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["object", "array"])
def test_json_schema_constraint_is_accepted_on_object_and_array_fields_14(tmp_path: Path, kind: str) -> None:
    fields = [FIELDS[0], {"name": "name", "type": kind, "constraints": {"jsonSchema": {"type": kind}}}]
    cell = '"{""a"": 1}"' if kind == "object" else '"[1, 2]"'
    assert not _descriptor_findings(_package(tmp_path / "p", {"fields": fields}, f"id,name\n1,{cell}\n"))


@pytest.mark.parametrize(("constraint", "kind", "words"), [
    ({"type": 12}, "object", "is not a valid JSON Schema"),
    ({"properties": {"a": {"minimum": "x"}}}, "object", "at properties/a/minimum"),
    ("object", "object", "must be an object"),
    ({"type": "string"}, "string", 'constraint "jsonSchema" is not supported by type "string"'),
])
def test_json_schema_constraint_that_is_no_schema_is_a_schema_error_14(tmp_path: Path, constraint: Any, kind: str, words: str) -> None:
    fields = [FIELDS[0], {"name": "name", "type": kind, "constraints": {"jsonSchema": constraint}}]
    errors = _descriptor_findings(_package(tmp_path / "p", {"fields": fields}, 'id,name\n1,"{}"\n'))
    assert [(code, field) for code, field, _ in errors] in ([("schema-error", "name")], [("schema-error", None)])
    assert words in errors[0][2]


# --- the list type (v2 prose; the published 2.0 JSON profile lacks it) --------------------------------------

def test_list_field_is_accepted_14(tmp_path: Path) -> None:
    fields = [FIELDS[0], {"name": "name", "type": "list", "itemType": "integer", "delimiter": ";"}]
    assert not _descriptor_findings(_package(tmp_path / "p", {"fields": fields}, "id,name\n1,1;2\n"))


def test_list_field_of_an_item_type_v2_does_not_list_is_a_schema_error_14(tmp_path: Path) -> None:
    fields = [FIELDS[0], {"name": "name", "type": "list", "itemType": "object"}]
    [(code, _, message)] = _descriptor_findings(_package(tmp_path / "p", {"fields": fields}))
    assert code == "schema-error" and "itemType" in message


def test_package_findings_of_a_yaml_descriptor_name_it_14(tmp_path: Path) -> None:
    path = tmp_path / "datapackage.yaml"
    path.write_text("resources: []\nname: 7\n", encoding="utf-8")
    report = Report(package="p")
    parsed = descriptor.load(path, report)
    assert parsed is not None
    descriptor.resources(parsed, tmp_path, report, trusted=False, descriptor_name=path.name)
    assert report.findings and {(f.code, f.file) for f in report.findings} == {("package-error", "datapackage.yaml")}
