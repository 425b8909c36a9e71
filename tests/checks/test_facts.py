"""Fact-table checks (#5): quotes are the document text they point at; designation lists have their stated count."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpack.checking import validate_package
from tests.validate.conftest import corpus_rows, sha256

# news/2021/001's text is "关于开展安全检查的通知\n各区县：现将有关事项通知如下。\n一、检查范围覆盖全市。"
DOC = "news/2021/001"


def field(name: str, kind: str) -> dict[str, Any]:
    return {"name": name, "type": kind}


FACT_SCHEMA = {"fields": [field("fact_id", "string"), field("doc_id", "string"), field("char_start", "integer"),
                          field("char_end", "integer"), field("quote", "string")], "primaryKey": ["fact_id"]}
LIST_SCHEMA = {"fields": [field("designation_id", "string"), field("doc_id", "string"), field("list_title", "string"),
                          field("item", "string"), field("stated_count", "integer")], "primaryKey": ["designation_id"]}


def add_resource(folder: Path, name: str, rows: list[dict[str, Any]], schema: dict[str, Any]) -> None:
    """Write ``rows`` as data/<name>.parquet and list it in the package's descriptor with its hash."""
    types = {"string": pa.string(), "integer": pa.int64()}
    arrow = pa.schema([(f["name"], types[f["type"]]) for f in schema["fields"]])
    path = folder / "data" / f"{name}.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow), path)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"].append({"name": name, "type": "table", "path": f"data/{name}.parquet", "format": "parquet",
                                    "hash": f"sha256:{sha256(path)}", "schema": schema})
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")


def fact(i: int, start: int, end: int, quote: str, doc_id: str = DOC) -> dict[str, Any]:
    return {"fact_id": f"f{i}", "doc_id": doc_id, "char_start": start, "char_end": end, "quote": quote}


def test_quotes_that_are_their_slice_are_valid_5(package: Path) -> None:
    text = corpus_rows()[0][0]["text"]
    assert text[2:4] == "开展" and text[12:15] == "各区县"
    add_resource(package, "statistics", [fact(1, 2, 4, "开展"), fact(2, 12, 15, "各区县")], FACT_SCHEMA)
    report = validate_package(package)
    assert report.valid, report.findings


def test_quote_mismatch_and_out_of_range_offsets_5(package: Path, kit) -> None:
    rows = [fact(1, 2, 4, "开展"), fact(2, 2, 4, "安全"), fact(3, 40, 99, "x"), fact(4, 5, 3, "x"), fact(5, -1, 2, "x"),
            fact(6, 0, 2, "关于", doc_id="no/such/doc")]
    add_resource(package, "people", rows, FACT_SCHEMA)
    report = validate_package(package)
    assert kit.codes(report) == {"quote-mismatch"}
    found = sorted((f.row, f.field) for f in report.findings)
    # row 3 is fact 2 (a different quote); rows 4-6 have offsets out of range; the unknown doc is skipped.
    assert found == [(3, "quote"), (4, "char_start"), (5, "char_start"), (6, "char_start")]
    mismatch = next(f for f in report.findings if f.field == "quote")
    assert "'安全'" in mismatch.message and "'开展'" in mismatch.message


def test_quote_check_skips_paragraphs_and_tables_without_the_columns_5(package: Path, kit) -> None:
    other = {"fields": [field("fact_id", "string"), field("doc_id", "string"), field("char_start", "integer"),
                        field("char_end", "integer"), field("text", "string")]}
    add_resource(package, "notes", [{"fact_id": "a", "doc_id": DOC, "char_start": 0, "char_end": 1, "text": "wrong"}], other)
    assert validate_package(package).valid


def designation(i: int, title: str | None, stated: int | None, doc_id: str = DOC) -> dict[str, Any]:
    return {"designation_id": f"d{i}", "doc_id": doc_id, "list_title": title, "item": f"item {i}", "stated_count": stated}


def test_list_counts_5(package: Path, kit) -> None:
    rows = [
        designation(1, "名单甲", 2), designation(2, "名单甲", 2),          # right
        designation(3, "名单乙", 3), designation(4, "名单乙", 3),          # says 3, has 2
        designation(5, "名单丙", None), designation(6, "名单丙", None),    # no stated count: nothing to check
        designation(7, "名单丁", 1), designation(8, "名单丁", None),      # says 1, has 2
        designation(9, "名单甲", 1, doc_id="news/2021/002"),               # same title, other document: own group
        designation(10, None, 5),                                          # not in a list
    ]
    add_resource(package, "designations", rows, LIST_SCHEMA)
    report = validate_package(package)
    assert kit.codes(report) == {"list-count"}
    assert [(f.row, f.field) for f in report.findings] == [(4, "stated_count"), (8, "stated_count")]
    assert "states 3 items but has 2 rows" in report.findings[0].message


def test_list_count_only_on_the_designations_resource_5(package: Path) -> None:
    add_resource(package, "lists", [designation(1, "名单", 5)], LIST_SCHEMA)
    assert validate_package(package).valid


def test_many_bad_groups_are_counted_not_kept_5(package: Path) -> None:
    rows = [designation(i, f"list {i}", 2) for i in range(50)]
    add_resource(package, "designations", rows, LIST_SCHEMA)
    report = validate_package(package, limit=3)
    assert report.counts[("designations", "list-count")] == 50
    assert [f.row for f in report.findings] == [2, 3, 4]


def test_an_empty_fact_table_is_valid_14(package: Path) -> None:
    add_resource(package, "events", [], FACT_SCHEMA)  # a build whose corpus mentions no event writes one
    assert validate_package(package).valid
