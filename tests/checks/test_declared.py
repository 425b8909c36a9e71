"""corpack's checks run where a package declares them, the same on CSV as on Parquet (#14)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

import dpcheck
from corpack.checking import validate_package
from tests.checks.conftest import as_csv
from tests.checks.test_facts import FACT_SCHEMA, add_resource, fact
from tests.validate.conftest import corpus_rows, write_package


def where(report: dpcheck.Report) -> list[tuple[Any, ...]]:
    return [(f.code, f.resource, f.row, f.field, f.offset, f.message) for f in report.findings]


def test_a_documents_table_is_judged_by_the_spec_alone_unless_the_checks_are_declared_14(tmp_path: Path) -> None:
    documents, paragraphs = corpus_rows({"a": ["<p>标题</p>", "正文<br/>"]})
    paragraphs[1]["char_start"] += 1  # and a wrong offset
    plain = write_package(tmp_path / "plain", documents, paragraphs)
    assert validate_package(plain).valid  # as under frictionless: markup in a text cell is a string
    assert validate_package(plain).findings == []
    declaring = write_package(tmp_path / "declaring", documents, paragraphs,
                              lambda d: d.__setitem__("dpcheck:checks", ["corpack.corpus"]))
    report = validate_package(declaring)
    assert {f.code for f in report.findings} == {"text-defect", "paragraph-offset"}


def test_only_the_declared_checks_run_14(make_package, kit) -> None:
    documents, paragraphs = corpus_rows({"a": ["<p>标题</p>", "正文"]})
    only_facts = make_package(documents, paragraphs, edit=lambda d: d.__setitem__("dpcheck:checks", ["corpack.facts"]))
    assert validate_package(only_facts).valid


def test_a_declared_check_the_validator_lacks_is_a_notice_14(package: Path) -> None:
    report = dpcheck.validate_package(package)  # dpcheck alone has no corpack checks
    assert report.valid
    assert [(f.code, f.file) for f in report.findings] == [("not-checked", "datapackage.json")] * 2
    assert "'corpack.corpus'" in report.findings[0].message and "'corpack.facts'" in report.findings[1].message


def _wrong_offset(documents: list[dict], paragraphs: list[dict]) -> None:
    paragraphs[1]["char_start"] += 1


def _overlap(documents: list[dict], paragraphs: list[dict]) -> None:
    paragraphs[2]["char_start"] -= 3
    paragraphs[2]["text"] = documents[0]["text"][paragraphs[2]["char_start"]:paragraphs[2]["char_end"]]


def _out_of_range(documents: list[dict], paragraphs: list[dict]) -> None:
    paragraphs[-1]["char_end"] = 999


def _defect(documents: list[dict], paragraphs: list[dict]) -> None:
    documents[1]["title"] = "标题</span>"


@pytest.mark.parametrize("mutate", [_wrong_offset, _overlap, _out_of_range, _defect])
def test_a_csv_package_gets_the_findings_of_its_parquet_twin_14(tmp_path: Path, mutate) -> None:
    documents, paragraphs = corpus_rows()
    mutate(documents, paragraphs)
    declare = lambda d: d.__setitem__("dpcheck:checks", ["corpack.corpus", "corpack.facts"])  # noqa: E731
    parquet = validate_package(write_package(tmp_path / "parquet", documents, paragraphs, declare))
    csv = validate_package(as_csv(write_package(tmp_path / "csv", documents, paragraphs, declare)))
    assert parquet.findings and not parquet.valid
    assert where(csv) == where(parquet)
    headerless = validate_package(as_csv(write_package(tmp_path / "bare", documents, paragraphs, declare), header=False))
    # Without a header the first data row is row 1, as the table checks count it (in messages too).
    earlier = [(c, r, row - 1, f, o, re.sub(r"\(row (\d+)\)", lambda m: f"(row {int(m[1]) - 1})", text))
               for c, r, row, f, o, text in where(parquet)]
    assert where(headerless) == earlier


def test_a_csv_fact_table_gets_the_findings_of_its_parquet_twin_14(make_package, tmp_path: Path) -> None:
    rows = [fact(1, 2, 4, "开展"), fact(2, 2, 4, "安全"), fact(3, 40, 99, "x")]
    parquet = make_package()
    add_resource(parquet, "people", rows, FACT_SCHEMA)
    expected = where(validate_package(parquet))
    assert {f[0] for f in expected} == {"quote-mismatch"} and len(expected) == 2
    csv = make_package()
    add_resource(csv, "people", rows, FACT_SCHEMA)
    assert where(validate_package(as_csv(csv))) == expected


def test_pkg_build_declares_corpack_checks_14() -> None:
    from corpack.checks import DECLARED
    from corpack.package import package_descriptor

    descriptor = package_descriptor({"name": "x"}, "2024-01-01T00:00:00Z", [], {})
    assert descriptor["dpcheck:checks"] == list(DECLARED) == ["corpack.corpus", "corpack.facts"]
