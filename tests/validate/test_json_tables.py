"""JSON and NDJSON files with a Table Schema are checked as tables; other formats get a notice (#14).

Data Package v2 leaves a table's format to the implementation, and frictionless reads JSON and NDJSON tables.
Found checking packages from the wild: a JSON table was a ``resource-error`` ("format 'json' is not supported
yet"), so a package whose rows were fine was invalid, and an Excel table the same. Now a JSON or NDJSON file
with a schema is read as inline ``data`` is (rows of arrays, the first the header, or of objects), and a format
this validator does not read is a ``not-checked`` notice: its rows are not checked, which is no fault of the
package.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dpcheck import jsonfile, jsonstream, validate_package
from dpcheck.bytestream import CsvError
from dpcheck.inline import _cell

FIELDS = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]
ROWS = [["id", "name"], [1, "a"], ["x", "b"], [3, None]]


def _package(folder: Path, files: dict[str, bytes | str], resources: list[dict[str, Any]]) -> Path:
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content.encode() if isinstance(content, str) else content)
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": resources}), encoding="utf-8")
    return folder


def _found(folder: Path) -> set[tuple[str | None, str, int | None, str | None]]:
    return {(f.resource, f.code, f.row, f.field) for f in validate_package(folder).findings}


def _csv(rows: list[list[Any]]) -> str:
    return "\n".join(",".join("" if v is None else str(v) for v in row) for row in rows) + "\n"


@pytest.mark.parametrize("text", [
    pytest.param(json.dumps(ROWS), id="arrays"),
    pytest.param(json.dumps([dict(zip(ROWS[0], row)) for row in ROWS[1:]]), id="objects"),
    pytest.param("\n".join(json.dumps(row) for row in ROWS) + "\n\n", id="ndjson"),
])
def test_a_json_table_gets_the_findings_the_same_rows_get_in_csv_14(text: str, tmp_path: Path) -> None:
    fmt = "ndjson" if "\n" in text else "json"
    schema = {"fields": [*FIELDS[:1], {**FIELDS[1], "constraints": {"required": True}}]}
    as_json = _package(tmp_path / "j", {f"t.{fmt}": text}, [{"name": "t", "path": f"t.{fmt}", "schema": schema}])
    as_csv = _package(tmp_path / "c", {"t.csv": _csv(ROWS)}, [{"name": "t", "path": "t.csv", "schema": schema}])
    assert _found(as_json) == _found(as_csv) == {("t", "type-error", 3, "id"), ("t", "constraint-error", 4, "name")}


def test_keys_reach_across_json_and_csv_tables_14(tmp_path: Path) -> None:
    parent = {"fields": FIELDS, "primaryKey": ["id"]}
    child = {"fields": [{"name": "pid", "type": "integer"}], "foreignKeys": [{"fields": ["pid"], "reference": {"resource": "parent", "fields": ["id"]}}]}
    folder = _package(tmp_path / "p", {"parent.json": json.dumps([["id", "name"], [1, "a"], [1, "b"]]), "child.csv": "pid\n1\n7\n"},
                      [{"name": "parent", "path": "parent.json", "schema": parent}, {"name": "child", "path": "child.csv", "schema": child}])
    assert _found(folder) == {("parent", "primary-key", 3, "id"), ("child", "foreign-key", 3, "pid")}


@pytest.mark.parametrize(("name", "content", "code", "message"), [
    ("t.json", '[["id", "name"], [1, "a"]', "source-error", "the file is not valid JSON at line 1 column 26: Expecting ',' delimiter"),
    ("t.ndjson", '["id", "name"]\n[1, "a"]\n[2, "b"\n', "source-error", "the file is not valid JSON on line 3 at column 8: Expecting ',' delimiter"),
    ("t.json", '{"id": 1}', "source-error", "the file holds a JSON object, not an array of rows"),
    ("t.json", b'[["id", "name"], [1, "\xff"]]', "encoding-error", "the file is not valid utf-8 at byte 22"),
])
def test_a_json_table_that_cannot_be_read_says_where_and_why_14(name: str, content: str | bytes, code: str, message: str,
                                                                 tmp_path: Path) -> None:
    report = validate_package(_package(tmp_path / "p", {name: content}, [{"name": "t", "path": name, "schema": {"fields": FIELDS}}]))
    assert [(f.code, f.message) for f in report.findings] == [(code, message)]


def test_a_json_file_without_a_schema_is_no_table_and_is_not_read_14(tmp_path: Path) -> None:
    report = validate_package(_package(tmp_path / "p", {"meta.json": '{"about": "this package"}'}, [{"name": "meta", "path": "meta.json"}]))
    assert report.valid and report.findings == []


def test_a_large_json_table_is_read_and_a_format_not_read_is_a_notice_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # past the limit a JSON file's rows are read a piece at a time, at its top level or under a property
    monkeypatch.setattr(jsonfile, "MAX_JSON_BYTES", 16)
    files = {"t.json": json.dumps(ROWS), "u.json": json.dumps({"meta": {"rows": [0]}, "rows": ROWS}), "t.xlsx": b"PK\x03\x04 not really a workbook"}
    resources = [{"name": "big", "path": "t.json", "schema": {"fields": FIELDS}},
                 {"name": "under", "path": "u.json", "schema": {"fields": FIELDS}, "dialect": {"property": "rows"}},
                 {"name": "sheet", "path": "t.xlsx", "schema": {"fields": FIELDS}}]
    report = validate_package(_package(tmp_path / "p", files, resources))
    assert [(f.resource, f.code, f.row, f.message) for f in report.findings] == [
        ("big", "type-error", 3, "cell 'x' is not a valid integer"),
        ("under", "type-error", 3, "cell 'x' is not a valid integer"),
        ("sheet", "not-checked", None, "this validator does not read 'xlsx' files (it reads CSV, TSV, Parquet, JSON, NDJSON and "
                                       "inline data); the rows are not checked"),
    ]


@pytest.mark.parametrize("text", [
    '{"meta": {"rows": [0]}, "rows": [["id", "name"], [1, "a"], ["x", "b"]], "more": [1, 2]}', '{"rows": 5}', '{"rows": {"a": 1}}',
    '{"other": []}', "{}", "[1]", '"rows"', '{"rows": [1,]}', '{"rows": [["id", "name"]],}', '{"a" 1}', '{"a": 1 "rows": []}',
    '{1: 2}', '{"rows": [["id"], [1]]} x', '{"rows": [["id", "name"], [1, "a"]]', "",
    # the file's other faults come first, as when it is parsed whole: read to its end, then judged
    "0[", "n{", "[1] x", '{"rows": 5} x', '{"other": []} x', '{"rows": 5, "x": [1,]}', '{"rows": [], "rows": [1]',
])
@pytest.mark.parametrize("piece", [1, 4, 1 << 20])
def test_rows_under_a_property_read_in_pieces_are_judged_as_json_loads_reads_them_14(text: str, piece: int, tmp_path: Path,
                                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    resources = [{"name": "t", "path": "t.json", "schema": {"fields": FIELDS}, "dialect": {"property": "rows"}}]
    whole = [(f.code, f.row, f.message) for f in validate_package(_package(tmp_path / "w", {"t.json": text}, resources)).findings]
    monkeypatch.setattr(jsonfile, "MAX_JSON_BYTES", 0)
    monkeypatch.setattr(jsonstream, "PIECE_BYTES", piece)
    streamed = [(f.code, f.row, f.message) for f in validate_package(_package(tmp_path / "s", {"t.json": text}, resources)).findings]
    assert streamed == whole


def test_a_property_met_twice_in_a_large_json_file_is_an_error_not_a_guess_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (json.loads keeps the last of two equal keys; read a piece at a time, the first is read before the second is met)
    monkeypatch.setattr(jsonfile, "MAX_JSON_BYTES", 0)
    text = json.dumps({"rows": ROWS})[:-1] + ', "rows": []}'
    resources = [{"name": "t", "path": "t.json", "schema": {"fields": FIELDS}, "dialect": {"property": "rows"}}]
    report = validate_package(_package(tmp_path / "p", {"t.json": text}, resources))
    assert [(f.code, f.message) for f in report.findings] == [
        ("source-error", "the file's object holds 'rows', the dialect's property, more than once")]


def test_the_dialects_property_names_where_the_rows_are_14(tmp_path: Path) -> None:
    schema = {"fields": FIELDS}
    files = {"t.json": json.dumps({"meta": {}, "rows": ROWS}), "u.json": json.dumps({"meta": {}})}
    resources = [{"name": "t", "path": "t.json", "schema": schema, "dialect": {"property": "rows"}},
                 {"name": "u", "path": "u.json", "schema": schema, "dialect": {"property": "rows"}}]
    report = validate_package(_package(tmp_path / "p", files, resources))
    assert [(f.resource, f.code, f.row, f.message) for f in report.findings] == [
        ("t", "type-error", 3, "cell 'x' is not a valid integer"),
        ("u", "source-error", None, "the dialect's property is 'rows', but the file holds an object without 'rows'"),
    ]


# Table Dialect v2, structured formats: header, itemType and itemKeys, in a JSON file and in inline data alike.
OBJECTS = [{"name": "a", "id": 1, "extra": True}, {"id": "x", "name": "b", "extra": False}]


@pytest.mark.parametrize(("data", "dialect", "found"), [
    # no header: every array is a row, numbered from 1 as in a CSV file without one
    pytest.param([[1, "a"], ["x", "b"]], {"header": False}, [("type-error", 2, "id")], id="header-false"),
    pytest.param([[1, "a"], ["x", "b"]], {}, [("incorrect-label", None, "id"), ("incorrect-label", None, "name"), ("type-error", 2, "id")],
                 id="header-true"),
    # itemKeys: the keys read, in order, as the header; the others are left out
    pytest.param(OBJECTS, {"itemKeys": ["id", "name"]}, [("type-error", 3, "id")], id="itemKeys"),
    pytest.param(OBJECTS, {}, [("extra-label", None, "extra"), ("type-error", 3, "id")], id="objects-all-keys"),
    pytest.param(OBJECTS, {"itemKeys": ["name", "id"]},  # (so the names sit where the ids should)
                 [("incorrect-label", None, "id"), ("incorrect-label", None, "name"), ("type-error", 2, "id"), ("type-error", 3, "id")],
                 id="itemKeys-order"),
    # itemType: the rows must be of that kind
    pytest.param([["id", "name"], [1, "a"]], {"itemType": "array"}, [], id="itemType-array"),
    pytest.param([["id", "name"], {"id": 1, "name": "a"}], {"itemType": "array"}, [("source-error", None, None)], id="itemType-misfit"),
    # no item at all: a table of no rows, as an array of objects writes one (an array of arrays needs its header)
    pytest.param([], {}, [], id="no-items"),
    pytest.param([], {"header": False}, [], id="no-items-no-header"),
    pytest.param([], {"itemType": "array"}, [("missing-label", None, "id"), ("missing-label", None, "name")], id="no-items-arrays"),
])
@pytest.mark.parametrize("inline", [False, True], ids=["file", "inline"])
def test_header_item_type_and_item_keys_shape_the_rows_14(data: list, dialect: dict, found: list, inline: bool, tmp_path: Path) -> None:
    resource: dict[str, Any] = {"name": "t", "schema": {"fields": FIELDS}, "dialect": dialect}
    files = {}
    if inline:
        resource["data"] = data
    else:
        resource["path"], files = "t.json", {"t.json": json.dumps(data)}
    report = validate_package(_package(tmp_path / "p", files, [resource]))
    assert sorted((f.code, f.row, f.field) for f in report.findings) == sorted(found)
    for finding in report.findings:
        if finding.code == "source-error":
            assert finding.message.endswith("item 2 is not an array, as the dialect's itemType says the rows are")


@given(st.none() | st.booleans() | st.integers() | st.floats(width=64) | st.text(max_size=5)
       | st.lists(st.integers(), max_size=3) | st.dictionaries(st.text(max_size=3), st.floats(), max_size=3))
def test_a_json_value_becomes_the_cell_json_writes_14(value: Any) -> None:
    # numbers skip json.dumps for speed (8.4M one-number NDJSON rows: 29.7 -> 25.3 s) and must still read as it writes them
    if value is None or isinstance(value, (str, bool)):
        assert _cell(value) == (value if not isinstance(value, bool) else json.dumps(value))
    else:
        assert _cell(value) == json.dumps(value, ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("text", ["", "\n\n", "\r\n"], ids=["empty", "blank-lines", "crlf"])
def test_an_ndjson_file_of_no_lines_is_a_table_of_no_rows_14(text: str, tmp_path: Path) -> None:
    # (it was one missing-label per field: no object, so no header, was read as arrays missing their header row)
    schema = {"fields": FIELDS, "primaryKey": ["id"]}
    folder = _package(tmp_path / "p", {"t.ndjson": text}, [{"name": "t", "path": "t.ndjson", "schema": schema}])
    assert validate_package(folder).findings == []


def test_an_ndjson_line_ends_at_a_newline_only_14(tmp_path: Path) -> None:
    # U+2028 and U+0085 may stand in a JSON string as they are; CRLF line ends are line ends
    text = '["id", "name"]\r\n[1, "a\u2028b"]\r\n[2, "c\u0085d\u2029"]\n'
    folder = _package(tmp_path / "p", {"t.ndjson": text}, [{"name": "t", "path": "t.ndjson", "schema": {"fields": FIELDS}}])
    assert validate_package(folder).findings == []


# NDJSON is read a batch of lines at a time, in two passes (a survey, then the rows), with no size cap.
def _ndjson(rows: list[Any]) -> str:
    return "".join(json.dumps(row) + "\n" for row in rows)


@pytest.mark.parametrize("line_bytes", [1, 7, 64, 1 << 20])
@pytest.mark.parametrize("rows", [ROWS, [dict(zip(ROWS[0], row)) for row in ROWS[1:]]], ids=["arrays", "objects"])
def test_an_ndjson_file_of_any_size_is_read_a_batch_at_a_time_with_the_findings_of_csv_14(
        rows: list[Any], line_bytes: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # larger than the JSON cap, read in pieces smaller than a line and in batches of two rows: the same findings
    monkeypatch.setattr(jsonfile, "MAX_JSON_BYTES", 16)
    monkeypatch.setattr(jsonstream, "PIECE_BYTES", line_bytes)
    monkeypatch.setattr(jsonstream, "BATCH_ROWS", 2)
    many = rows + [row for _ in range(30) for row in rows[-3:]]  # (41 rows after the header, so 20 more batches)
    schema = {"fields": [*FIELDS[:1], {**FIELDS[1], "constraints": {"required": True}}], "primaryKey": ["id"]}
    csv_rows = [ROWS[0]] + [list(row.values()) if isinstance(row, dict) else row for row in many if row is not ROWS[0]]
    as_json = _package(tmp_path / "j", {"t.ndjson": "\n" + _ndjson(many)}, [{"name": "t", "path": "t.ndjson", "schema": schema}])
    as_csv = _package(tmp_path / "c", {"t.csv": _csv(csv_rows)}, [{"name": "t", "path": "t.csv", "schema": schema}])
    found, expected = validate_package(as_json), validate_package(as_csv)
    assert _found(as_json) == _found(as_csv)
    # every row checked: 31 ids "x", 31 names missing, and 91 rows of a key that is null or repeats (1 and 3
    # are each first met once; "x" is no integer, so a null in the key)
    assert found.counts == expected.counts == {("t", "type-error"): 31, ("t", "constraint-error"): 31, ("t", "primary-key"): 91}


@pytest.mark.parametrize("line_bytes", [5, 1 << 20])
def test_an_ndjson_line_that_is_not_json_is_named_before_a_row_is_checked_14(line_bytes: int, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonstream, "PIECE_BYTES", line_bytes)
    monkeypatch.setattr(jsonstream, "BATCH_ROWS", 2)
    text = _ndjson([ROWS[0], ["x", "a"]] + [[i, "b"] for i in range(9)]) + "\n" + '[9, "c"] [10, "d"]\n' + _ndjson([[11, "e"]])
    report = validate_package(_package(tmp_path / "p", {"t.ndjson": text}, [{"name": "t", "path": "t.ndjson", "schema": {"fields": FIELDS}}]))
    # (the type-error in row 2 is not reported: no row is checked in a file that cannot be read)
    assert [(f.code, f.message) for f in report.findings] == [
        ("source-error", "the file is not valid JSON on line 13 at column 10: Extra data")]


@pytest.mark.parametrize("name", ["t.ndjson", "t.json"])
def test_an_encoding_error_in_a_json_file_gives_its_byte_in_the_file_bom_included_14(name: str, tmp_path: Path,
                                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonstream, "PIECE_BYTES", 8)
    content = b"\xef\xbb\xbf" + (b'[["id", "name"], [1, "\xff"]]' if name == "t.json" else b'["id", "name"]\n[1, "\xff"]\n')
    report = validate_package(_package(tmp_path / "p", {name: content}, [{"name": "t", "path": name, "schema": {"fields": FIELDS}}]))
    assert [(f.code, f.offset) for f in report.findings] == [("encoding-error", content.index(b"\xff"))]


@pytest.mark.parametrize("piece", [1, 3, 1 << 20])
def test_an_ndjson_file_in_utf16_is_read_in_pieces_too_14(piece: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # (its newline is two bytes: pieces of an odd size cut characters, which the decoder carries over)
    monkeypatch.setattr(jsonstream, "PIECE_BYTES", piece)
    resource = {"name": "t", "path": "t.ndjson", "encoding": "utf-16", "schema": {"fields": FIELDS}}
    report = validate_package(_package(tmp_path / "p", {"t.ndjson": _ndjson(ROWS + [[5, "名"]]).encode("utf-16")}, [resource]))
    assert [(f.code, f.row) for f in report.findings] == [("type-error", 3)]
    broken = _ndjson(ROWS).encode("utf-16") + b"\x00\xd8" + '"x"]\n'.encode("utf-16-le")  # (a lone surrogate)
    report = validate_package(_package(tmp_path / "q", {"t.ndjson": broken}, [resource]))
    assert [(f.code, f.offset) for f in report.findings] == [("encoding-error", len(_ndjson(ROWS).encode("utf-16")))]


def test_an_ndjson_file_holds_one_batch_of_rows_in_memory_not_all_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import tracemalloc

    from dpcheck import descriptor, reading
    from dpcheck.report import Report

    monkeypatch.setattr(jsonstream, "BATCH_ROWS", 500)
    monkeypatch.setattr(jsonstream, "PIECE_BYTES", 1 << 16)
    rows = [{"id": i, "name": f"a name of some length {i}"} for i in range(40_000)]
    resource = {"name": "t", "path": "t.ndjson", "schema": {"fields": FIELDS}}
    folder = _package(tmp_path / "p", {"t.ndjson": _ndjson(rows)}, [resource])
    del rows
    spec = descriptor.resources({"name": "p", "resources": [resource]}, folder, Report(package=""), trusted=False)[0]
    tracemalloc.start()
    try:
        table = reading.open_table(spec, Report(package=""))  # (the survey: one pass)
        assert table is not None and table.source is not None
        _, batches = table.source.open(False, Report(package=""), "t", "t.ndjson")
        assert sum(batch.num_rows for batch in batches) == 40_000
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # the 40,000 rows held as Python objects take 16.0 MB (measured); a batch of 500 and 64 KiB of text, 0.9 MB
    assert peak < 4_000_000, peak


def test_an_ndjson_file_changed_between_its_two_reads_is_a_source_error_14(tmp_path: Path) -> None:
    from dpcheck import descriptor, reading
    from dpcheck.report import Report

    resource = {"name": "t", "path": "t.ndjson", "schema": {"fields": FIELDS}}
    folder = _package(tmp_path / "p", {"t.ndjson": _ndjson(ROWS)}, [resource])
    spec = descriptor.resources({"name": "p", "resources": [resource]}, folder, Report(package=""), trusted=False)[0]
    table = reading.open_table(spec, Report(package=""))
    assert table is not None and table.source is not None
    (folder / "t.ndjson").write_text(_ndjson(ROWS[:2]) + "[1,\n", encoding="utf-8")
    _, batches = table.source.open(False, Report(package=""), "t", "t.ndjson")
    with pytest.raises(CsvError, match=r"^the file changed while it was read: the file is not valid JSON on line 3"):
        list(batches)


@pytest.mark.parametrize(("path", "extra"), [
    ("t.ndjson.gz", {}), ("t.jsonl.bz2", {}), ("rows.gz", {"format": "ndjson", "compression": "gz"}),
    ("t.json.gz", {}), ("t.zip", {"format": "json", "compression": "zip", "innerpath": "t.json"}),
])
def test_a_compressed_json_or_ndjson_table_is_inflated_as_it_is_read_14(path: str, extra: dict[str, str], tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import bz2
    import gzip
    import io
    import zipfile

    monkeypatch.setattr(jsonstream, "PIECE_BYTES", 8)
    ndjson = "ndjson" in path or "jsonl" in path or extra.get("format") == "ndjson"
    text = (_ndjson(ROWS) if ndjson else json.dumps(ROWS)).encode()
    if path.endswith(".zip"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("other.txt", "not the rows")
            archive.writestr("t.json", text)
        content = buffer.getvalue()
    else:
        content = bz2.compress(text) if path.endswith(".bz2") else gzip.compress(text, mtime=0)
    resource = {"name": "t", "path": path, "schema": {"fields": FIELDS}, **extra}
    report = validate_package(_package(tmp_path / "p", {path: content}, [resource]))
    assert [(f.code, f.row, f.field) for f in report.findings] == [("type-error", 3, "id")]


def test_a_compressed_ndjson_file_that_does_not_inflate_is_a_source_error_14(tmp_path: Path) -> None:
    import gzip

    content = gzip.compress(_ndjson(ROWS).encode(), mtime=0)[:-12]  # (cut short: no end of stream)
    resource = {"name": "t", "path": "t.ndjson.gz", "schema": {"fields": FIELDS}}
    report = validate_package(_package(tmp_path / "p", {"t.ndjson.gz": content}, [resource]))
    assert [(f.code, f.message.split(":")[0]) for f in report.findings] == [("source-error", "the file cannot be read")]


_VALUE = st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=4)


_OBJECT = st.dictionaries(st.sampled_from(["id", "name", "x", "名"]), _VALUE, max_size=3)


@given(rows=st.lists(_OBJECT, max_size=12) | st.lists(st.lists(_VALUE, max_size=3) | _OBJECT, max_size=12).map(lambda rows: [["id", "名"], *rows]),
       line_bytes=st.integers(1, 64), batch_rows=st.integers(1, 5), blank=st.booleans())
def test_an_ndjson_file_read_in_pieces_is_judged_as_the_same_rows_inline_14(rows: list[Any], line_bytes: int, batch_rows: int,
                                                                           blank: bool) -> None:
    # pieces of any size (cutting characters of several bytes), batches of any size, blank lines: as inline data
    # (rows all objects, or arrays under a header with objects among them)
    import tempfile

    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string", "constraints": {"required": True}}]}
    text = "".join(json.dumps(row, ensure_ascii=False) + ("\n\r\n" if blank else "\n") for row in rows)
    original = (jsonstream.PIECE_BYTES, jsonstream.BATCH_ROWS)
    jsonstream.PIECE_BYTES, jsonstream.BATCH_ROWS = line_bytes, batch_rows
    try:
        with tempfile.TemporaryDirectory() as temp:
            as_file = _package(Path(temp) / "f", {"t.ndjson": text}, [{"name": "t", "path": "t.ndjson", "schema": schema}])
            inline = _package(Path(temp) / "i", {}, [{"name": "t", "data": rows, "schema": schema}])
            read, held = validate_package(as_file), validate_package(inline)
    finally:
        jsonstream.PIECE_BYTES, jsonstream.BATCH_ROWS = original
    assert [(f.code, f.row, f.field, f.message) for f in read.findings] == [(f.code, f.row, f.field, f.message) for f in held.findings]
    assert read.counts == held.counts


def test_an_ndjson_table_in_parts_is_their_lines_one_after_the_other_and_a_json_one_a_notice_14(tmp_path: Path) -> None:
    lines = _ndjson(ROWS + [[4, None], ["y", "e"]]).splitlines(keepends=True)
    whole = _package(tmp_path / "w", {"t.ndjson": "".join(lines)}, [{"name": "t", "path": "t.ndjson", "schema": {"fields": FIELDS}}])
    files = {"a.ndjson": "".join(lines[:3]), "b.ndjson": "".join(lines[3:])}
    parts = _package(tmp_path / "p", files, [{"name": "t", "path": ["a.ndjson", "b.ndjson"], "schema": {"fields": FIELDS}}])
    assert _found(parts) == _found(whole) == {("t", "type-error", 3, "id"), ("t", "type-error", 6, "id")}
    arrays = _package(tmp_path / "j", {"a.json": json.dumps(ROWS), "b.json": json.dumps(ROWS[1:])},
                      [{"name": "t", "path": ["a.json", "b.json"], "schema": {"fields": FIELDS}}])
    assert [(f.code, f.message) for f in validate_package(arrays).findings] == [
        ("not-checked", "a JSON table split over several files is not read; its rows are not checked")]


# A JSON file past MAX_JSON_BYTES: its top-level array read a piece at a time, judged as when parsed whole.
@given(rows=st.lists(_OBJECT, max_size=10) | st.lists(st.lists(_VALUE, max_size=3) | _OBJECT, max_size=10).map(lambda rows: [["id", "名"], *rows]),
       piece=st.integers(1, 64), batch_rows=st.integers(1, 4), indent=st.sampled_from([None, 0, 2]))
def test_a_json_file_read_in_pieces_is_judged_as_the_same_rows_inline_14(rows: list[Any], piece: int, batch_rows: int,
                                                                         indent: int | None) -> None:
    import tempfile

    schema = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string", "constraints": {"required": True}}]}
    original = (jsonfile.MAX_JSON_BYTES, jsonstream.PIECE_BYTES, jsonstream.BATCH_ROWS)
    jsonfile.MAX_JSON_BYTES, jsonstream.PIECE_BYTES, jsonstream.BATCH_ROWS = 0, piece, batch_rows
    try:
        with tempfile.TemporaryDirectory() as temp:
            text = json.dumps(rows, ensure_ascii=False, indent=indent)
            as_file = _package(Path(temp) / "f", {"t.json": text}, [{"name": "t", "path": "t.json", "schema": schema}])
            inline = _package(Path(temp) / "i", {}, [{"name": "t", "data": rows, "schema": schema}])
            read, held = validate_package(as_file), validate_package(inline)
    finally:
        jsonfile.MAX_JSON_BYTES, jsonstream.PIECE_BYTES, jsonstream.BATCH_ROWS = original
    assert [(f.code, f.row, f.field, f.message) for f in read.findings] == [(f.code, f.row, f.field, f.message) for f in held.findings]
    assert read.counts == held.counts


@pytest.mark.parametrize("text", [
    "", "  ", "[1, 2", "[1 2]", "[1,]", "[1] x", "[1, @]", '[["a", "b"], [1, "\\q"]]', '[\n  [1,\n  "a"\n  ],\n  [2 "b"]\n]',
    '[1, "not ended]', "[1e5, 1e]", "[1, -]", '[{"a": 1} {"b": 2}]', "[" * 100_000, '{"a": 1}', '"text"', "12", "null", "true",
    '[1, 2]\n\n  [3]', "[[1, 2], [3, 4]]   \n",
    # a value of another kind is named only once it is read, and only when nothing but white space follows it
    "n[", "0[", "tru", '"a" x', '{"a": 1} x', '{"a": 1', '{"a": [1,]}', '[[1]]]',
])
@pytest.mark.parametrize("piece", [1, 3, 1 << 20])
def test_a_json_file_read_in_pieces_says_what_json_loads_says_14(text: str, piece: int, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    resources = [{"name": "t", "path": "t.json", "schema": {"fields": FIELDS}}]
    whole = [(f.code, f.message) for f in validate_package(_package(tmp_path / "w", {"t.json": text}, resources)).findings]
    monkeypatch.setattr(jsonfile, "MAX_JSON_BYTES", 0)
    monkeypatch.setattr(jsonstream, "PIECE_BYTES", piece)
    streamed = [(f.code, f.message) for f in validate_package(_package(tmp_path / "s", {"t.json": text}, resources)).findings]
    assert streamed == whole


@pytest.mark.parametrize("content", [b'[["id", "name"], [1, "\xff"]]', b"\xef\xbb\xbf" + b'[["id", "name"], [1, "a\xe4\xb8"]]'])
def test_a_json_file_read_in_pieces_gives_the_byte_out_of_its_encoding_14(content: bytes, tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonfile, "MAX_JSON_BYTES", 0)
    monkeypatch.setattr(jsonstream, "PIECE_BYTES", 2)
    report = validate_package(_package(tmp_path / "p", {"t.json": content}, [{"name": "t", "path": "t.json", "schema": {"fields": FIELDS}}]))
    bad = content.index(b"\xff") if b"\xff" in content else content.index(b"\xe4")
    assert [(f.code, f.offset) for f in report.findings] == [("encoding-error", bad)]


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=3),
                     lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3), max_leaves=8)


@given(rows=st.lists(_JSON, max_size=6), piece=st.integers(1, 9), indent=st.sampled_from([None, 1]), upper=st.booleans())
def test_the_rows_of_a_json_array_read_in_pieces_are_those_json_loads_reads_14(rows: list[Any], piece: int, indent: int | None,
                                                                              upper: bool) -> None:
    import io
    import re

    text = json.dumps(rows, indent=indent)
    text = re.sub(r"(?<=[0-9])e", "E", text) if upper and '"' not in text else text  # (1E+20 as well as 1e+20)
    original = jsonstream.PIECE_BYTES
    jsonstream.PIECE_BYTES = piece
    try:
        read = [row for rows in jsonstream.array_batches(lambda: io.BytesIO(text.encode()), "utf-8") for row in rows]
    finally:
        jsonstream.PIECE_BYTES = original
    assert json.dumps(read) == json.dumps(json.loads(text))
