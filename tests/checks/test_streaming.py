"""corpack's checks read a package in doc_id order a few documents at a time, never a whole column (#13)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

import corpack.checks.corpus as corpus
import corpack.checks.spans as spans
import corpack.checks.windows as windows
from corpack.checking import validate_package
from dpcheck.plugins import Table
from tests.checks.conftest import record_reads
from tests.checks.test_facts import FACT_SCHEMA, LIST_SCHEMA, add_resource, fact
from tests.validate.conftest import refresh_hash

CODES = {"text-defect", "duplicate-paragraph", "paragraph-order", "paragraph-offset", "quote-mismatch", "list-count"}


def _texts() -> dict[str, list[str]]:
    texts = {}
    for i in range(12):
        body = [f"标题{i}", f"第一段{i}。", f"第二段{i}。", "同一段。", f"第三段{i}。", "同一段。"]
        if i % 2 == 0:
            body[2] = f"第二段{i}</span>。"
        if i % 3 == 1:
            body[4] = f"第三段\ufffd{i}。"
        texts[f"d{i:02}"] = body
    return texts


def _defective(make_package: Any, kit: Any, group_rows: int, places_reversed: bool = False) -> Path:
    """A package with more than five findings of every code of corpack's checks, spread over the documents,
    in two fact tables (people, places: rows out of doc_id order when ``places_reversed``), each table written
    in row groups of ``group_rows`` rows (a document spans several)."""
    documents, paragraphs = kit.corpus_rows(_texts())
    for row in paragraphs:
        n = int(row["doc_id"][1:])
        if row["para_no"] == 5 and n % 2:
            row["char_start"] += 1  # no longer its slice
        if row["para_no"] == 6 and n % 4 == 2:
            row["char_end"] = 999  # out of its document
        if row["para_no"] in (2, 3) and n % 2 == 0:
            row["para_no"] = 5 - row["para_no"]  # para_no 3 before 2
    folder = make_package(documents, paragraphs)
    facts, places, lists = [], [], []
    for i, doc in enumerate(documents):
        text = doc["text"]
        facts += [fact(3 * i, 0, 2, text[0:2], doc["doc_id"]), fact(3 * i + 1, 1, 3, "错" if i % 2 else text[1:3], doc["doc_id"]),
                  fact(3 * i + 2, 2, 900 if i % 3 else 4, text[2:4], doc["doc_id"])]
        places += [fact(2 * i, 1, 2, text[1:2] if i % 3 else "错", doc["doc_id"]), fact(2 * i + 1, 3, 5, text[3:5], doc["doc_id"])]
        if i % 2:
            places.append(fact(2 * i + 1000, 4, 3, "x", doc["doc_id"]))  # start after end
        lists += [{"designation_id": f"g{i}-{k}", "doc_id": doc["doc_id"], "list_title": "名单", "item": f"项{k}",
                   "stated_count": 3 if i % 2 else 2} for k in range(2)]
    add_resource(folder, "people", facts, FACT_SCHEMA)
    add_resource(folder, "places", places[::-1] if places_reversed else places, FACT_SCHEMA)
    add_resource(folder, "designations", lists, LIST_SCHEMA)
    for name in ("documents", "paragraphs", "people", "places", "designations"):
        path = folder / "data" / f"{name}.parquet"
        pq.write_table(pq.read_table(path), path, row_group_size=group_rows, compression="zstd")
        refresh_hash(folder, name)
    return folder


def _seen(report: Any) -> tuple[list[tuple[Any, ...]], dict[Any, int]]:
    return [(f.code, f.resource, f.row, f.field, f.offset, f.message) for f in report.findings], dict(report.counts)


@pytest.mark.parametrize("group_rows", [1, 4, 1000])
def test_checks_of_a_package_in_document_order_read_no_whole_column_13(make_package, kit, monkeypatch, group_rows: int) -> None:
    folder = _defective(make_package, kit, group_rows)

    def whole(self: Table, names: Any) -> None:
        raise AssertionError(f"a check read whole columns {names} of {self.name}")

    monkeypatch.setattr(Table, "prefetch", whole)  # (Table.column and Table.table read through it)
    read: list[int] = []
    original = windows.batches

    def batches(table: Table, names: Any) -> Any:
        for batch in original(table, names):
            read.append(batch.num_rows)
            yield batch

    monkeypatch.setattr(windows, "batches", batches)
    monkeypatch.setattr(corpus, "batches", batches)
    report = validate_package(folder)
    assert kit.codes(report) == CODES
    assert all(report.counts[(resource, code)] > 5 for resource, code in report.counts)
    assert read and max(read) <= group_rows  # a row group at a time


@pytest.mark.parametrize("group_rows", [1, 3, 7, 1000])
def test_findings_read_a_few_documents_at_a_time_are_those_of_the_whole_tables_13(make_package, kit, monkeypatch, group_rows: int) -> None:
    folder = _defective(make_package, kit, group_rows)
    streamed = _seen(validate_package(folder))

    def unsorted(*_args: Any) -> Any:
        raise windows.Unsorted

    monkeypatch.setattr(windows, "doc_windows", unsorted)
    monkeypatch.setattr(spans, "doc_windows", unsorted)
    assert _seen(validate_package(folder)) == streamed
    assert {code for code, *_ in streamed[0]} == CODES


def test_a_package_out_of_document_order_is_judged_on_its_whole_tables_13(make_package, kit) -> None:
    documents, paragraphs = kit.corpus_rows()
    assert len(documents) > 1
    paragraphs[1]["char_start"] += 1  # no longer its slice
    report = validate_package(make_package(documents, list(reversed(paragraphs))))
    assert [(f.code, f.row) for f in report.findings] == [("paragraph-offset", len(paragraphs))]  # second to last


@pytest.mark.parametrize("group_rows", [1, 5, 1000])
def test_document_texts_are_read_once_for_all_fact_tables_13(make_package, kit, monkeypatch, group_rows: int) -> None:
    folder = _defective(make_package, kit, group_rows)
    read = record_reads(monkeypatch)
    report = validate_package(folder)
    assert {(f.resource, f.code) for f in report.findings} >= {("people", "quote-mismatch"), ("places", "quote-mismatch")}
    # once for the paragraphs and the text defects (corpack.corpus), once for people and places together (corpack.facts)
    assert sorted(names for name, names in read if name == "documents") == [("doc_id", "text"), ("doc_id", "text", "title")]
    assert sorted(name for name, names in read if "quote" in names) == ["people", "places"]


@pytest.mark.parametrize("group_rows", [1, 4, 1000])
def test_a_fact_table_out_of_order_is_judged_whole_beside_those_in_order_13(make_package, kit, monkeypatch, group_rows: int) -> None:
    folder = _defective(make_package, kit, group_rows, places_reversed=True)
    streamed = _seen(validate_package(folder))
    assert ("places", "quote-mismatch") in streamed[1] and ("people", "quote-mismatch") in streamed[1]

    def unsorted(*_args: Any) -> Any:
        raise windows.Unsorted

    monkeypatch.setattr(spans, "doc_windows", unsorted)  # every span table judged whole
    assert _seen(validate_package(folder)) == streamed
