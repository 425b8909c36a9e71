"""The frozen descriptor model (#14): every alternative spelling the specs allow is normalised once."""

from __future__ import annotations

import dataclasses

import pytest

from dpcheck.model import Category, Dialect, Field, ForeignKey, Package, Resource, Schema, freeze, thaw


def test_v1_string_primary_key_is_a_one_field_tuple_14() -> None:
    assert Schema.from_descriptor({"fields": [{"name": "id"}], "primaryKey": "id"}).primary_key == ("id",)
    assert Schema.from_descriptor({"fields": [{"name": "a"}, {"name": "b"}], "primaryKey": ["a", "b"]}).primary_key == ("a", "b")
    assert Schema.from_descriptor({"fields": []}).primary_key == ()


@pytest.mark.parametrize("reference", [{"fields": "id"}, {"resource": "", "fields": ["id"]}])
def test_foreign_key_without_resource_or_empty_is_a_self_reference_14(reference: dict) -> None:
    schema = Schema.from_descriptor({"fields": [{"name": "id"}, {"name": "parent"}],
                                     "foreignKeys": [{"fields": "parent", "reference": reference}]})
    (key,) = schema.foreign_keys
    assert key == ForeignKey(("parent",), "", ("id",))
    assert key.self_reference and key.target("tree") == "tree"


def test_foreign_key_to_another_resource_keeps_its_name_14() -> None:
    key = ForeignKey.from_descriptor({"fields": ["a", "b"], "reference": {"resource": "parent", "fields": ["x", "y"]}})
    assert key is not None and key.target("child") == "parent" and not key.self_reference


def test_malformed_pieces_are_read_as_absent_never_raise_14() -> None:
    schema = Schema.from_descriptor({"fields": [{"name": 3}, "x", {"name": "ok", "constraints": []}],
                                     "primaryKey": 7, "foreignKeys": [{"fields": "a"}, 5], "uniqueKeys": "a",
                                     "fieldsMatch": ["exact"], "missingValues": "NA"})
    assert schema.field_names == ("ok",)
    assert schema.fields[0].constraints == {}
    assert (schema.primary_key, schema.foreign_keys, schema.unique_keys) == ((), (), ())
    assert schema.fields_match == "exact" and schema.missing_values == ("",)
    assert Schema.from_descriptor("not a schema").fields == ()  # type: ignore[arg-type]


def test_unique_keys_fields_match_and_missing_value_objects_14() -> None:
    schema = Schema.from_descriptor({"fields": [{"name": "a"}, {"name": "b", "missingValues": ["-"]}],
                                     "uniqueKeys": [["a", "b"], ["a"], []], "fieldsMatch": "subset",
                                     "missingValues": ["", {"value": "NA", "label": "not available"}]})
    assert schema.unique_keys == (("a", "b"), ("a",))
    assert schema.fields_match == "subset"
    assert schema.missing_values == ("", "NA")
    assert schema.missing_for(schema.fields[0]) == ("", "NA")
    assert schema.missing_for(schema.fields[1]) == ("-",)


def test_duplicate_field_names_are_kept_and_keys_mean_the_first_14() -> None:
    schema = Schema.from_descriptor({"fields": [{"name": "x", "type": "integer"}, {"name": "x", "type": "string"}]})
    assert schema.field_names == ("x", "x")
    assert schema.field("x") is schema.fields[0]
    assert schema.field("y") is None


def test_field_defaults_categories_and_json_schema_14() -> None:
    field = Field.from_descriptor({"name": "f"})
    assert field is not None and (field.type, field.format, field.bare_number, field.categories) == ("any", "default", True, None)
    coloured = Field.from_descriptor({"name": "c", "type": "string", "categories": ["red", {"value": "b", "label": "blue"}],
                                      "categoriesOrdered": True})
    assert coloured is not None and coloured.categories == (Category("red"), Category("b", "blue")) and coloured.categories_ordered
    number = Field.from_descriptor({"name": "n", "type": "integer", "groupChar": ",", "bareNumber": False,
                                    "constraints": {"required": True, "unique": True}})
    assert number is not None and number.group_char == "," and not number.bare_number and number.required and number.unique
    obj = Field.from_descriptor({"name": "o", "type": "object", "constraints": {"jsonSchema": {"type": "object", "required": ["a"]}}})
    assert obj is not None and thaw(obj.json_schema) == {"type": "object", "required": ["a"]}
    assert Field.from_descriptor({"type": "string"}) is None


def test_dialect_v1_v2_and_nested_csv_forms_14() -> None:
    assert Dialect.from_descriptor(None) == Dialect()
    assert Dialect().header and Dialect().header_rows == (1,)
    assert Dialect.from_descriptor({"header": False}).header_rows == ()
    assert not Dialect.from_descriptor({"header": False}).header
    two = Dialect.from_descriptor({"headerRows": [1, 2], "headerJoin": "-", "commentRows": [4], "nullSequence": "\\N"})
    assert (two.header_rows, two.header_join, two.comment_rows, two.null_sequence) == ((1, 2), "-", (4,), "\\N")
    assert Dialect.from_descriptor({"delimiter": ",", "csv": {"delimiter": ";"}}).delimiter == ";"
    assert Dialect.from_descriptor({}, "tsv").delimiter == "\t"
    assert Dialect.from_descriptor({"delimiter": ";;", "headerRows": [0]}) == Dialect.from_descriptor({"delimiter": ";;", "headerRows": [0]})
    assert Dialect.from_descriptor({"delimiter": ";;", "headerRows": [0]}).delimiter == ","


def test_resource_paths_are_a_tuple_never_joined_and_split_14() -> None:
    resource = Resource.from_descriptor({"name": "r", "path": ["a, b.csv", "c.csv"], "schema": {"fields": [{"name": "x"}]}})
    assert resource.paths == ("a, b.csv", "c.csv")
    assert resource.format == "csv" and resource.schema is not None and resource.schema.field_names == ("x",)
    assert Resource.from_descriptor({"name": "p", "path": "t.PARQUET", "bytes": True}).format == "parquet"
    assert Resource.from_descriptor({"name": "p", "path": "t.csv", "bytes": True}).bytes is None
    inline = Resource.from_descriptor({"name": "i", "data": [{"a": 1}]})
    assert inline.inline and inline.paths == () and thaw(inline.data) == [{"a": 1}]
    assert Resource.from_descriptor({"name": "r", "path": "x.csv", "schema": {"fields": []}}, schema_usable=False).schema is None


def test_package_resources_version_and_lookup_14() -> None:
    package = Package.from_descriptor({"$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
                                       "resources": [{"name": "a", "path": "1.csv"}, 3, {"name": "a", "path": "2.csv"}]})
    assert [r.paths for r in package.resources] == [("1.csv",), ("2.csv",)]
    assert package.version == "2.0"
    assert package.resource("a") is package.resources[1]
    assert Package.from_descriptor({"resources": []}).version == "1.0"


def test_the_model_is_frozen_all_the_way_down_14() -> None:
    raw = {"name": "r", "path": "x.csv", "schema": {"fields": [{"name": "x", "constraints": {"enum": ["a"]}}]}}
    resource = Resource.from_descriptor(raw)
    raw["schema"]["fields"][0]["constraints"]["enum"].append("b")  # the model took a copy
    assert resource.schema is not None and resource.schema.fields[0].constraints["enum"] == ("a",)
    with pytest.raises(dataclasses.FrozenInstanceError):
        resource.name = "s"  # type: ignore[misc]
    with pytest.raises(TypeError):
        resource.schema.fields[0].constraints["enum"] = ()  # type: ignore[index]
    assert thaw(freeze(raw)) == raw


def test_descriptor_stage_gives_the_model_with_files_loaded_14(tmp_path) -> None:
    import json

    from dpcheck import Report, descriptor

    (tmp_path / "t.csv").write_text("id\n1\n", encoding="utf-8")
    (tmp_path / "s.json").write_text(json.dumps({"fields": [{"name": "id", "type": "integer"}], "primaryKey": "id"}), encoding="utf-8")
    (tmp_path / "d.json").write_text(json.dumps({"delimiter": ";"}), encoding="utf-8")
    raw = {"name": "p", "resources": [{"name": "t", "path": "t.csv", "schema": "s.json", "dialect": "d.json"},
                                      {"name": "u", "path": "t.csv", "schema": "missing.json"}]}
    report = Report(package="p")
    specs = descriptor.resources(raw, tmp_path, report, trusted=False)
    package = descriptor.package(raw, specs)
    assert package.name == "p" and [r.name for r in package.resources] == ["t", "u"]
    first, second = package.resources
    assert first.schema is not None and first.schema.primary_key == ("id",) and first.dialect.delimiter == ";"
    assert second.schema is None  # its schema file could not be loaded (a schema-error in the report)
    assert specs[0].resource is first


def test_a_missing_part_whose_name_holds_a_comma_is_named_whole_14(tmp_path) -> None:
    import json

    from dpcheck import validate_package

    (tmp_path / "c.csv").write_text("id\n1\n", encoding="utf-8")
    resource = {"name": "t", "path": ["a, b.csv", "c.csv"], "schema": {"fields": [{"name": "id", "type": "integer"}]}}
    (tmp_path / "datapackage.json").write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
    [finding] = validate_package(tmp_path).findings
    assert finding.code == "source-error" and finding.message == "resource file 'a, b.csv' is missing; it is not read"


def test_model_values_hash_and_compare_by_value_14() -> None:
    raw = {"name": "r", "path": "x.csv", "data": [{"a": 1}],
           "schema": {"fields": [{"name": "x", "type": "object", "constraints": {"jsonSchema": {"type": "object"}},
                                  "categories": [{"value": {"odd": 1}}]}], "primaryKey": "x"}}
    first, second = Resource.from_descriptor(raw), Resource.from_descriptor(raw)
    assert first == second and hash(first) == hash(second)
    assert first.schema is not None and len({first.schema.fields[0], second.schema.fields[0]}) == 1  # type: ignore[union-attr]
    assert {first.dialect: 1}[Dialect()] == 1
    assert hash(Package.from_descriptor({"resources": [raw]}))
