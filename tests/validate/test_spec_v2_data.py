"""Data Package v2 / Table Schema v2 at the data level (#14): each feature has a valid and an invalid case.

The descriptor-level side of the same features (is the ``uniqueKeys`` well formed, are the categories of the
field's type) is tested in test_spec_v2_descriptor.py; here rows and cells are judged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dpcheck import Report, validate_package

V2 = "https://datapackage.org/profiles/2.0/datapackage.json"


def _package(folder: Path, schema: dict[str, Any] | None, csv: str | None = None, *, dialect: dict[str, Any] | None = None,
             table: pa.Table | None = None, extra: dict[str, Any] | None = None) -> Path:
    """A v2 package of one resource ``t``: ``csv`` text, a Parquet ``table``, or neither (``extra`` gives data)."""
    folder.mkdir()
    item: dict[str, Any] = {"name": "t"}
    if schema is not None:
        item["schema"] = schema
    if csv is not None:
        (folder / "t.csv").write_text(csv, encoding="utf-8")
        item["path"] = "t.csv"
    if table is not None:
        pq.write_table(table, folder / "t.parquet", row_group_size=2)
        item.update(path="t.parquet", format="parquet")
    if dialect is not None:
        item["dialect"] = dialect
    item.update(extra or {})
    (folder / "datapackage.json").write_text(json.dumps({"$schema": V2, "name": "p", "resources": [item]}), encoding="utf-8")
    return folder


def _found(report: Report) -> list[tuple[str, int | None, str | None]]:
    return [(f.code, f.row, f.field) for f in report.findings if f.code != "not-checked"]


# --- uniqueKeys ---------------------------------------------------------------------------------------------

UNIQUE = {"fields": [{"name": "a", "type": "integer"}, {"name": "b", "type": "string"}], "uniqueKeys": [["a", "b"], ["b"]]}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_unique_keys_allow_repeats_with_a_null_14(tmp_path: Path, fmt: str) -> None:
    rows = {"a": pa.array([1, 1, 2, None, None], pa.int64()), "b": ["x", "y", None, None, "z"]}
    csv = "a,b\n1,x\n1,y\n2,\n,\n,z\n"
    folder = _package(tmp_path / "p", UNIQUE, csv if fmt == "csv" else None, table=pa.table(rows) if fmt == "parquet" else None)
    report = validate_package(folder)
    assert _found(report) == [("blank-row", 5, None)]  # (row 5, every cell missing, is blank in Parquet too)


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_unique_keys_report_the_repeating_row_and_the_row_it_repeats_14(tmp_path: Path, fmt: str) -> None:
    rows = {"a": pa.array([1, 2, 1, 3], pa.int64()), "b": ["x", "y", "x", "y"]}
    csv = "a,b\n1,x\n2,y\n1,x\n3,y\n"
    folder = _package(tmp_path / "p", UNIQUE, csv if fmt == "csv" else None, table=pa.table(rows) if fmt == "parquet" else None)
    report = validate_package(folder)
    assert [(f.code, f.row, f.field, f.message) for f in report.findings] == [
        ("unique-error", 4, None, "unique key (a, b) = (1, 'x') repeats row 2"),
        ("unique-error", 4, "b", "unique key (b) = 'x' repeats row 2"),
        ("unique-error", 5, "b", "unique key (b) = 'y' repeats row 3"),
    ]


# --- categories ---------------------------------------------------------------------------------------------

CATEGORIES = {"fields": [
    {"name": "colour", "type": "string", "categories": ["red", "blue"]},
    {"name": "level", "type": "integer", "categories": [{"value": 1, "label": "low"}, {"value": 2, "label": "high"}]},
]}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_values_among_the_categories_are_valid_14(tmp_path: Path, fmt: str) -> None:
    table = pa.table({"colour": ["red", "blue", None], "level": pa.array([1, 2, 2], pa.int64())})
    folder = _package(tmp_path / "p", CATEGORIES, "colour,level\nred,1\nblue,2\n,2\n" if fmt == "csv" else None,
                      table=table if fmt == "parquet" else None)
    assert validate_package(folder).valid


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_value_outside_the_categories_is_a_constraint_error_14(tmp_path: Path, fmt: str) -> None:
    table = pa.table({"colour": ["red", "green", "blue"], "level": pa.array([1, 2, 3], pa.int64())})
    folder = _package(tmp_path / "p", CATEGORIES, "colour,level\nred,1\ngreen,2\nblue,3\n" if fmt == "csv" else None,
                      table=table if fmt == "parquet" else None)
    report = validate_package(folder)
    assert _found(report) == [("constraint-error", 3, "colour"), ("constraint-error", 4, "level")]
    assert report.findings[0].message == "value 'green' is not one of the field's categories ('red', 'blue')"


# --- jsonSchema ---------------------------------------------------------------------------------------------

JSON_SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "meta", "type": "object", "constraints": {"jsonSchema": {
    "type": "object", "properties": {"size": {"type": "integer"}}, "required": ["size"]}}}]}


def test_objects_fitting_the_json_schema_are_valid_14(tmp_path: Path) -> None:
    csv = 'id,meta\n1,"{""size"": 3}"\n2,"{""size"": 4, ""other"": ""x""}"\n3,\n'
    assert validate_package(_package(tmp_path / "p", JSON_SCHEMA, csv)).valid


def test_an_object_breaking_the_json_schema_is_a_constraint_error_14(tmp_path: Path) -> None:
    csv = 'id,meta\n1,"{""size"": 3}"\n2,"{""size"": ""big""}"\n3,"{}"\n4,"[1]"\n'
    report = validate_package(_package(tmp_path / "p", JSON_SCHEMA, csv))
    assert _found(report) == [("type-error", 5, "meta"), ("constraint-error", 3, "meta"), ("constraint-error", 4, "meta")]
    messages = [f.message for f in report.findings if f.code == "constraint-error"]
    assert messages == ["constraint \"jsonSchema\" is violated by '{\"size\": \"big\"}': 'big' is not of type 'integer' at /size",
                        "constraint \"jsonSchema\" is violated by '{}': 'size' is a required property"]


# --- groupChar on integers ----------------------------------------------------------------------------------

GROUPED = {"fields": [{"name": "n", "type": "integer", "groupChar": " ", "constraints": {"maximum": 1000000}}]}


def test_integers_with_the_group_char_are_valid_14(tmp_path: Path) -> None:
    assert validate_package(_package(tmp_path / "p", GROUPED, "n\n1 000\n12\n999 999\n")).valid


def test_integers_with_a_bad_group_or_over_the_maximum_are_reported_14(tmp_path: Path) -> None:
    report = validate_package(_package(tmp_path / "p", GROUPED, "n\n1 000\n1.000\n2 000 000\n"))
    assert _found(report) == [("type-error", 3, "n"), ("constraint-error", 4, "n")]
    assert report.findings[0].message == "cell '1.000' is not a valid integer"


# --- nullSequence -------------------------------------------------------------------------------------------

NULLS = {"fields": [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer", "constraints": {"required": True}}]}


def test_the_null_sequence_is_a_missing_value_14(tmp_path: Path) -> None:
    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}]}
    assert validate_package(_package(tmp_path / "p", schema, "id,n\n1,\\N\n2,3\n", dialect={"nullSequence": "\\N"})).valid


def test_the_null_sequence_in_a_required_field_is_reported_14(tmp_path: Path) -> None:
    report = validate_package(_package(tmp_path / "p", NULLS, "id,n\n1,\\N\n2,3\n", dialect={"nullSequence": "\\N"}))
    assert [(f.code, f.row, f.message) for f in report.findings] == [
        ("constraint-error", 2, 'constraint "required" is violated: the value is missing')]


# --- duplicate field names ----------------------------------------------------------------------------------

TWICE = {"fields": [{"name": "id", "type": "integer"}, {"name": "v", "type": "integer"}, {"name": "v", "type": "string",
                                                                                          "constraints": {"maxLength": 2}}]}


def test_a_header_repeating_a_repeated_field_name_is_valid_14(tmp_path: Path) -> None:
    assert validate_package(_package(tmp_path / "p", TWICE, "id,v,v\n1,2,ab\n2,3,c\n")).valid


def test_cells_of_repeated_field_names_are_checked_by_position_14(tmp_path: Path) -> None:
    report = validate_package(_package(tmp_path / "p", TWICE, "id,v,v\n1,x,ab\n2,3,abc\n"))
    assert [(f.code, f.row, f.message) for f in report.findings] == [
        ("type-error", 2, "cell 'x' is not a valid integer"),
        ("constraint-error", 3, "constraint \"maxLength\" is 2: 'abc' breaks it")]
    report = validate_package(_package(tmp_path / "q", TWICE, "id,v,id\n1,2,ab\n"))
    assert _found(report) == [("duplicate-label", None, "v")]


# --- fieldsMatch --------------------------------------------------------------------------------------------

MATCH = [{"name": "id", "type": "integer", "constraints": {"required": True}}, {"name": "name", "type": "string"},
         {"name": "n", "type": "integer"}]
# header -> the label findings of each mode (exact, equal, subset, superset, partial)
HEADERS = {
    "id,name,n": ([], [], [], [], []),
    "n,id,name": (["incorrect-label"] * 3, [], [], [], []),
    "id,name,n,extra": (["extra-label"], ["extra-label"], [], ["extra-label"], []),
    "name,id": (["incorrect-label", "incorrect-label", "missing-label"], ["missing-label"], ["missing-label"], [], []),
    "name,n": (["incorrect-label", "incorrect-label", "missing-label"], ["missing-label"], ["missing-label"],
               ["missing-label"], ["missing-label"]),
    "x,y": (["incorrect-label", "incorrect-label", "missing-label"], ["extra-label", "extra-label"] + ["missing-label"] * 3,
            ["missing-label"] * 3, ["extra-label", "extra-label", "missing-label"], ["missing-label", "incorrect-label"]),
}
MODES = ["exact", "equal", "subset", "superset", "partial"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("header", sorted(HEADERS))
def test_fields_match_modes_pair_columns_and_fields_as_the_spec_says_14(tmp_path: Path, header: str, mode: str) -> None:
    """Valid where the mode allows the header, the label findings frictionless gives where it does not."""
    values = {"id": "7", "name": "ann", "n": "3", "extra": "e", "x": "1", "y": "2"}
    row = ",".join(values[label] for label in header.split(","))
    report = validate_package(_package(tmp_path / "p", {"fields": MATCH, "fieldsMatch": mode}, f"{header}\n{row}\n"))
    labels = [f.code for f in report.findings if f.code.endswith("-label")]
    assert labels == HEADERS[header][MODES.index(mode)]
    assert report.valid == (labels == [] and not [f for f in report.findings if f.code not in ("not-checked",)])


@pytest.mark.parametrize("mode", MODES[1:])
def test_fields_matched_by_name_read_their_own_column_14(tmp_path: Path, mode: str) -> None:
    report = validate_package(_package(tmp_path / "p", {"fields": MATCH, "fieldsMatch": mode}, "n,id,name\nx,1,a\n2,y,b\n"))
    assert _found(report) == [("type-error", 3, "id"), ("type-error", 2, "n")]  # in schema order


# --- headerRows, headerJoin, commentRows --------------------------------------------------------------------

TWO_ROW_HEADER = {"fields": [{"name": "id", "type": "integer"}, {"name": "size cm", "type": "integer"}]}


@pytest.mark.parametrize("dialect, csv", [
    ({"headerRows": [1, 2]}, "id,size\nid,cm\n1,20\n2,30\n"),
    ({"headerRows": [2, 3], "headerJoin": " "}, "a title line\nid,size\nid,cm\n1,20\n"),
    ({"headerRows": [1, 2], "headerJoin": "/"}, "id,size\nid,cm\n1,20\n"),
])
def test_a_header_over_several_rows_is_joined_14(tmp_path: Path, dialect: dict[str, Any], csv: str) -> None:
    schema = TWO_ROW_HEADER if dialect.get("headerJoin", " ") == " " else {
        "fields": [{"name": "id", "type": "integer"}, {"name": "size/cm", "type": "integer"}]}
    assert validate_package(_package(tmp_path / "p", schema, csv, dialect=dialect)).valid


def test_rows_below_a_header_of_several_rows_are_numbered_after_it_14(tmp_path: Path) -> None:
    report = validate_package(_package(tmp_path / "p", TWO_ROW_HEADER, "id,size\nid,mm\n1,20\n2,x\n", dialect={"headerRows": [1, 2]}))
    assert [(f.code, f.row, f.field, f.message) for f in report.findings] == [
        ("incorrect-label", None, "size cm", "column 2 is named 'size mm' but the schema's field 2 is 'size cm'"),
        ("type-error", 4, "size cm", "cell 'x' is not a valid integer")]


COMMENTED = {"fields": [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}]}


def test_comment_rows_are_skipped_14(tmp_path: Path) -> None:
    csv = "# exported 2024\nid,n\n1,2\nnot a row,at all,really\n3,4\n"
    assert validate_package(_package(tmp_path / "p", COMMENTED, csv, dialect={"commentRows": [1, 4], "headerRows": [2]})).valid


def test_rows_that_are_not_comment_rows_are_still_checked_14(tmp_path: Path) -> None:
    csv = "# exported 2024\nid,n\n1,2\nnot a row,at all,really\n3,x\n"
    report = validate_package(_package(tmp_path / "p", COMMENTED, csv, dialect={"commentRows": [1], "headerRows": [2]}))
    assert _found(report) == [("extra-cell", 4, None), ("type-error", 4, "id"), ("type-error", 4, "n"), ("type-error", 5, "n")]


# --- inline data --------------------------------------------------------------------------------------------

INLINE = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string", "constraints": {"required": True}},
                     {"name": "ok", "type": "boolean"}], "primaryKey": ["id"]}


@pytest.mark.parametrize("data", [
    [["id", "name", "ok"], [1, "a", True], [2, "b", None]],
    [{"id": 1, "name": "a", "ok": True}, {"id": 2, "name": "b"}],
])
def test_inline_rows_that_fit_the_schema_are_valid_and_checked_14(tmp_path: Path, data: list[Any]) -> None:
    report = validate_package(_package(tmp_path / "p", INLINE, extra={"data": data}))
    assert report.valid


def test_inline_data_gets_no_notice_that_it_is_not_checked_14(tmp_path: Path) -> None:
    report = validate_package(_package(tmp_path / "p", INLINE, extra={"data": [["id", "name", "ok"], [1, "a", True]]}))
    assert report.findings == []


@pytest.mark.parametrize("data", [
    [["id", "name", "ok"], [1, "a", True], [1, None, "maybe"], ["x", "c", False, "extra"]],
    [{"id": 1, "name": "a", "ok": True}, {"id": 1, "ok": "maybe"}, {"id": "x", "name": "c", "ok": False, "more": 1}],
])
def test_inline_rows_get_the_findings_of_the_same_rows_in_a_csv_file_14(tmp_path: Path, data: list[Any]) -> None:
    report = validate_package(_package(tmp_path / "p", INLINE, extra={"data": data}))
    found = _found(report)
    labels = [f for f in found if f[0] == "extra-label"]
    assert [f for f in found if f[0] != "extra-label"] == [
        ("extra-cell", 4, None) if isinstance(data[0], list) else ("type-error", 4, "id"),
        *([("type-error", 4, "id")] if isinstance(data[0], list) else []),
        ("constraint-error", 3, "name"), ("type-error", 3, "ok"),
        ("primary-key", 4, "id"), ("primary-key", 3, "id")]  # ('x' is not an integer: the key is missing), then the repeat
    assert labels == ([] if isinstance(data[0], list) else [("extra-label", None, "more")])


# --- resources without a schema -----------------------------------------------------------------------------

def test_a_resource_without_schema_is_checked_against_the_schema_frictionless_infers_14(tmp_path: Path) -> None:
    csv = "id,name,day\n" + "".join(f"{i},n{i},2021-01-{1 + i % 28:02d}\n" for i in range(150))
    report = validate_package(_package(tmp_path / "p", None, csv))
    assert report.valid
    [notice] = report.findings
    assert notice.code == "not-checked" and "id (integer), name (string), day (date)" in notice.message
    table = pa.table({"id": pa.array([1, 2], pa.int64()), "share": [0.5, None]})
    report = validate_package(_package(tmp_path / "q", None, table=table))
    assert report.valid and "id (integer), share (number)" in report.findings[0].message


def test_rows_the_inferred_schema_did_not_foresee_are_reported_as_frictionless_reports_them_14(tmp_path: Path) -> None:
    from frictionless import validate

    rows = [f"{i},n{i}" for i in range(150)]
    rows[120] = "x,n120"  # beyond frictionless's sample of 100 rows, which says id is an integer
    rows[130] = "131,n130,extra"
    folder = _package(tmp_path / "p", None, "id,name\n" + "\n".join(rows) + "\n")
    report = validate_package(folder)
    theirs = [(e.type, e.row_number) for task in validate(str(folder / "datapackage.json")).tasks for e in task.errors]
    assert _found(report) == [("extra-cell", 132, None), ("type-error", 122, "id")]
    assert sorted(theirs) == sorted((code, row) for code, row, _ in _found(report))


def test_a_file_that_is_no_table_gets_no_inferred_schema_14(tmp_path: Path) -> None:
    folder = _package(tmp_path / "p", None, extra={"path": "notes.txt"})
    (folder / "notes.txt").write_text("not a table\n", encoding="utf-8")
    assert validate_package(folder).findings == []


def test_a_file_without_schema_out_of_its_encoding_is_an_encoding_error_14(tmp_path: Path) -> None:
    folder = _package(tmp_path / "p", None, "id,name\n1,a\n")
    (folder / "t.csv").write_bytes(b"id,name\n1,a\n2,\xff\n")
    assert _found(validate_package(folder)) == [("encoding-error", None, None)]
    (folder / "t.csv").write_bytes(b"id,\xff\n1,a\n")
    assert [f.code for f in validate_package(folder).findings] == ["encoding-error"]  # and no notice of a schema


@pytest.mark.parametrize("mode, labels", [("exact", ["incorrect-label"] * 3),
                                          ("equal", ["extra-label", "missing-label"]), ("subset", ["missing-label"]),
                                          ("superset", ["extra-label"]), ("partial", [])])
def test_fields_match_pairs_parquet_columns_by_name_14(tmp_path: Path, mode: str, labels: list[str]) -> None:
    table = pa.table({"name": ["a", "b"], "id": pa.array([1, 2], pa.int64()), "extra": [1.0, 2.0]})
    report = validate_package(_package(tmp_path / "p", {"fields": MATCH, "fieldsMatch": mode}, table=table))
    assert [f.code for f in report.findings if f.code.endswith("-label")] == labels
    assert report.valid == (labels == [])


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_distinct_unique_keys_are_settled_while_the_rows_stream_14(tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A unique key without repeats is hashed on the way and never read again; one with a repeat still is."""
    from dpcheck import keys

    read_again: list[list[str]] = []
    real = keys.duplicates
    monkeypatch.setattr(keys, "duplicates", lambda table, names: read_again.append(names) or real(table, names))
    rows = {"a": pa.array([1, 1, 2, None, None], pa.int64()), "b": ["x", "y", "x", None, "z"]}
    csv = "a,b\n1,x\n1,y\n2,x\n,\n,z\n"
    folder = _package(tmp_path / "p", {"fields": UNIQUE["fields"], "uniqueKeys": [["a", "b"]]}, csv if fmt == "csv" else None,
                      table=pa.table(rows) if fmt == "parquet" else None)
    validate_package(folder)
    assert read_again == []
    with_repeat = _package(tmp_path / "q", UNIQUE, csv if fmt == "csv" else None, table=pa.table(rows) if fmt == "parquet" else None)
    assert [(f.code, f.row) for f in validate_package(with_repeat).findings if f.code == "unique-error"] == [("unique-error", 4)]
    assert read_again == [["b"]]
