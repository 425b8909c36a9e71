"""Cells are spelled as the spec spells their types: digits 0-9, NaN, INF and -INF, ISO 8601 dates (#14).

Table Schema's lexical forms for numbers, integers and years (XML Schema's decimal, integer and gYear) and for
dates, times and year-months (ISO 8601) are written in ASCII digits, with two-digit months and days.
frictionless reads cells with Python, which also takes any script's digits (``int("１２")`` is 12,
``int("٣")`` is 3), underscores between digits (``Decimal("1_000")``), ``Infinity``, ``+inf`` and ``-nan``,
one-digit months and days (``2021-1-5``, ``2020-1``), datetimes with a space for the ``T`` or an offset without
its colon, and, as ``binary``, text with characters outside
base64's alphabet (``###``), and NaN or Infinity in JSON cells. A column of full-width digits, common in Chinese
tables, is valid under frictionless and then read as text by pandas, Arrow, R or DuckDB. ``pkg validate``
reports such a cell as a ``type-error`` (a deliberate difference, in docs/validation.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dpcheck import validate_package


def _package(folder: Path, field: dict[str, Any], cells: list[str], *, parquet: bool = False) -> Path:
    """A package of one resource ``t`` with one field, its ``cells`` as CSV text or a Parquet string column."""
    folder.mkdir()
    item: dict[str, Any] = {"name": "t", "schema": {"fields": [field]}}
    if parquet:
        pq.write_table(pa.table({field["name"]: pa.array(cells, pa.string())}), folder / "t.parquet")
        item.update(path="t.parquet", format="parquet")
    else:
        quoted = ['"' + cell.replace('"', '""') + '"' for cell in cells]  # (every cell quoted: commas, spaces)
        (folder / "t.csv").write_text("\n".join([field["name"], *quoted]) + "\n", encoding="utf-8")
        item["path"] = "t.csv"
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [item]}), encoding="utf-8")
    return folder


def _bad_rows(folder: Path) -> list[tuple[str, int | None]]:
    return [(f.code, f.row) for f in validate_package(folder).findings if f.code != "not-checked"]


# field, cells of the type in ASCII digits, the same cells in digits of other scripts or with underscores
CASES = [
    ({"name": "n", "type": "integer"}, ["12", "-3", "+7"], ["１２", "-٣", "1_000"]),
    ({"name": "n", "type": "number"}, ["1.5", "-0.25", "1e3"], ["１.５", "٣", "1_000.5"]),
    ({"name": "n", "type": "year"}, ["2020", "1999", "0001"], ["２０２０", "१९९९", "٢٠٠١"]),
    ({"name": "n", "type": "yearmonth"}, ["2020-01", "1999-12", "2001-06"], ["２０２０-01", "1999-１２", "٢٠٠١-06"]),
    ({"name": "n", "type": "date"}, ["2020-01-02", "1999-12-31", "2001-06-30"], ["２０２０-01-02", "1999-12-３１", "٢٠٠١-06-30"]),
    ({"name": "n", "type": "geopoint"}, ["1.5,2", "-3,4", "0,0"], ["１.５,2", "-3,٤", "0,０"]),
]


@pytest.mark.parametrize(("field", "ascii", "other"), CASES, ids=[case[0]["type"] for case in CASES])
def test_cells_in_ascii_digits_are_valid_14(tmp_path: Path, field: dict[str, Any], ascii: list[str], other: list[str]) -> None:
    assert validate_package(_package(tmp_path / "p", field, ascii)).valid


@pytest.mark.parametrize(("field", "ascii", "other"), CASES, ids=[case[0]["type"] for case in CASES])
def test_cells_in_other_digits_or_with_underscores_are_type_errors_14(tmp_path: Path, field: dict[str, Any], ascii: list[str],
                                                                      other: list[str]) -> None:
    assert _bad_rows(_package(tmp_path / "p", field, [ascii[0], *other])) == [("type-error", 3), ("type-error", 4), ("type-error", 5)]


def test_a_year_and_month_stored_as_text_in_parquet_is_held_to_ascii_digits_too_14(tmp_path: Path) -> None:
    folder = _package(tmp_path / "p", {"name": "m", "type": "yearmonth"}, ["2020-01", "２０２０-01"], parquet=True)
    report = validate_package(folder)
    assert [(f.code, f.row) for f in report.findings] == [("type-error", 3)]
    assert report.findings[0].message == "cell '２０２０-01' is not a valid yearmonth"


def test_frictionless_reads_the_other_digits_as_numbers_which_is_the_difference_14(tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    folder = _package(tmp_path / "p", {"name": "n", "type": "integer"}, ["12", "１２", "1_000"])
    assert frictionless.validate(str(folder / "datapackage.json")).valid
    assert not validate_package(folder).valid


@pytest.mark.parametrize(("field", "cells"), [
    ({"name": "n", "type": "number", "bareNumber": False}, ["€95", "95%", "约95元"]),  # text around the number
    ({"name": "n", "type": "integer", "groupChar": " "}, ["1 000", "12"]),
    ({"name": "n", "type": "string"}, ["１２", "1_000"]),  # a string is any text
    ({"name": "n", "type": "date", "format": "%Y年%m月%d日"}, ["２０２０年01月02日"]),  # a pattern is read as Python's strptime reads it
])
def test_other_spellings_the_field_allows_stay_valid_14(tmp_path: Path, field: dict[str, Any], cells: list[str]) -> None:
    assert validate_package(_package(tmp_path / "p", field, cells)).valid


def test_special_numbers_other_than_nan_inf_and_minus_inf_are_type_errors_14(tmp_path: Path) -> None:
    field = {"name": "n", "type": "number"}
    assert validate_package(_package(tmp_path / "ok", field, ["1", "NaN", "inf", "-INF"])).valid
    assert _bad_rows(_package(tmp_path / "bad", field, ["1", "Infinity", "+inf", "-nan"])) == [
        ("type-error", 3), ("type-error", 4), ("type-error", 5)]


@pytest.mark.parametrize(("field", "cells"), [
    ({"name": "d", "type": "date"}, ["2021-01-05", "2021-1-5", "2021-01-5"]),
    ({"name": "m", "type": "yearmonth"}, ["2020-01", "2020-1", " 2020-01"]),
])
def test_months_and_days_of_one_digit_are_type_errors_14(tmp_path: Path, field: dict[str, Any], cells: list[str]) -> None:
    assert _bad_rows(_package(tmp_path / "p", field, cells)) == [("type-error", 3), ("type-error", 4)]


@pytest.mark.parametrize(("field", "good", "bad"), [
    ({"name": "l", "type": "list", "itemType": "integer", "delimiter": ";"}, ["1;2;3", "12"], ["１;2", "3;1_0"]),
    ({"name": "l", "type": "list", "itemType": "date"}, ["2021-01-05,2021-02-03"], ["2021-01-05,2021-2-3", "２０２１-01-05"]),
])
def test_the_items_of_a_list_are_spelled_as_their_item_type_14(tmp_path: Path, field: dict[str, Any], good: list[str],
                                                                bad: list[str]) -> None:
    assert validate_package(_package(tmp_path / "ok", field, good)).valid
    assert _bad_rows(_package(tmp_path / "bad", field, [good[0], *bad])) == [("type-error", 3), ("type-error", 4)]


def test_binary_is_base64_and_nothing_else_14(tmp_path: Path) -> None:
    # (base64.b64decode, which frictionless calls, drops characters outside its alphabet: ### decodes to b"")
    field = {"name": "b", "type": "string", "format": "binary"}
    assert validate_package(_package(tmp_path / "ok", field, ["aGVsbG8=", "AAEC"])).valid
    assert _bad_rows(_package(tmp_path / "bad", field, ["aGVsbG8=", "###", "aGVs bG8="])) == [("type-error", 3), ("type-error", 4)]


@pytest.mark.parametrize(("field", "good", "bad"), [
    ({"name": "a", "type": "array"}, '[1, "NaN"]', "[NaN]"),
    ({"name": "o", "type": "object"}, '{"a": 1e308}', '{"a": Infinity}'),
    ({"name": "g", "type": "geojson"}, '{"type": "Point", "coordinates": [1, 2]}', '{"type": "Point", "coordinates": [-Infinity, 2]}'),
])
def test_json_cells_hold_no_nan_or_infinity_which_json_lacks_14(tmp_path: Path, field: dict[str, Any], good: str, bad: str) -> None:
    # (Python's json.loads reads NaN, Infinity and -Infinity; RFC 8259 has no such values)
    assert validate_package(_package(tmp_path / "ok", field, [good])).valid
    assert _bad_rows(_package(tmp_path / "bad", field, [good, bad])) == [("type-error", 3)]


def test_a_datetime_in_its_default_format_is_spelled_as_xml_schema_spells_it_14(tmp_path: Path) -> None:
    # ("The lexical representation MUST be in a form defined by XML Schema": a T, seconds, Z or +hh:mm)
    field = {"name": "t", "type": "datetime"}
    good = ["2024-01-26T15:00:00", "2024-01-26T15:00:00.300-05:00", "2024-01-26T15:00:00Z"]
    assert validate_package(_package(tmp_path / "ok", field, good)).valid
    bad = ["2024-01-26 15:00:00", "2024-01-26T15:00:00+0800", "2024-01-26t15:00:00"]
    assert _bad_rows(_package(tmp_path / "bad", field, [good[0], *bad])) == [("type-error", 3), ("type-error", 4), ("type-error", 5)]
    pattern = {"name": "t", "type": "datetime", "format": "%Y-%m-%d %H:%M:%S"}
    assert validate_package(_package(tmp_path / "pattern", pattern, ["2024-01-26 15:00:00"])).valid
