"""The report: limits and counts, the JSON shape, the text rendering, the code catalogue."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dpcheck import CODES, NOTICES, Finding, Report, render_text, validate_package


def test_add_keeps_limit_per_group_but_counts_all() -> None:
    report = Report("pkg", limit=2)
    for row in range(2, 9):
        report.add(Finding("constraint-error", "bad", "documents", "data/d.parquet", row, "n_chars"))
    report.add(Finding("constraint-error", "bad", "documents", "data/d.parquet", 2, "n_paragraphs"))
    assert [f.row for f in report.findings if f.field == "n_chars"] == [2, 3]
    assert report.counts == {("documents", "constraint-error"): 8}
    assert report.errors == 8 and not report.valid and report.exit_code == 1


def test_add_rows_counts_the_total_and_tops_up_the_group() -> None:
    report = Report("pkg", limit=3)
    report.add(Finding("foreign-key", "first", "paragraphs", None, 2, "doc_id"))
    report.add_rows("foreign-key", ["a", "b", "c"], resource="paragraphs", file=None, field="doc_id", rows=[5, 6, 7], total=1000)
    assert [(f.row, f.message) for f in report.findings] == [(2, "first"), (5, "a"), (6, "b")]
    assert report.counts[("paragraphs", "foreign-key")] == 1001


_GROUPS = [("documents", "constraint-error", "n"), ("documents", "resource-error", None), (None, "package-error", None)]


@given(st.lists(st.tuples(st.integers(0, 2), st.integers(1, 4)), max_size=30), st.integers(0, 30), st.integers(0, 4))
def test_extend_keeps_and_counts_as_one_report_given_every_finding_in_order_14(added, cut, limit) -> None:
    # The validator checks the profile on a thread beside the tables, each into its own report, and extends the
    # descriptor's report with them: what it shows and counts must be what one report would have.
    def fill(report: Report, entries: list[tuple[int, tuple[int, int]]]) -> Report:
        for i, (group, total) in entries:
            resource, code, field = _GROUPS[group]
            if total == 1:
                report.add(Finding(code, f"m{i}", resource, None, None, field))
            else:
                report.add_rows(code, f"m{i}", resource=resource, file=None, field=field, rows=list(range(total)), total=total)
        return report

    added = list(enumerate(added))
    whole = fill(Report("pkg", limit=limit), added)
    parts = fill(Report("pkg", limit=limit), added[:cut])
    parts.extend(fill(Report("pkg", limit=limit), added[cut:]))
    assert parts.findings == whole.findings
    assert parts.to_dict() == whole.to_dict()


def test_notices_do_not_make_a_package_invalid() -> None:
    report = Report("pkg")
    report.add(Finding("not-checked", "remote resource not fetched", "documents"))
    assert report.valid and report.exit_code == 0 and report.notices == 1
    assert render_text(report).splitlines()[-1] == "valid: 0 resources, 0 errors (1 notice)"


def test_to_dict_is_stable_json_without_absolute_paths(make_package, kit, monkeypatch: pytest.MonkeyPatch) -> None:
    documents, paragraphs = kit.corpus_rows()
    paragraphs[1]["para_no"] = 1
    paragraphs[4]["doc_id"] = "news/missing"
    folder = make_package(documents, paragraphs)
    monkeypatch.chdir(folder.parent)
    report = validate_package("datapackage")
    data = report.to_dict()
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2)
    assert json.loads(text) == data
    assert str(folder.parent) not in text and "/tmp" not in text
    assert data["package"] == "datapackage" and data["valid"] is False
    assert set(data) == {"valid", "package", "summary", "findings", "truncated"}
    assert data["summary"]["counts"] == [
        {"resource": "paragraphs", "code": "foreign-key", "count": 1},
        {"resource": "paragraphs", "code": "primary-key", "count": 1},
    ]
    assert set(data["findings"][0]) == {"code", "message", "resource", "file", "row", "field", "offset"}
    # Same package, same report: nothing depends on time or the run.
    assert validate_package("datapackage").to_dict() == data


def test_render_text_groups_by_resource_and_code(make_package, kit) -> None:
    documents, paragraphs = kit.corpus_rows()
    paragraphs[2]["kind"] = "footer"
    paragraphs[3]["kind"] = "footer"
    documents[0]["encoding"] = "UTF-8"
    text = render_text(validate_package(make_package(documents, paragraphs), limit=1))
    lines = text.splitlines()
    assert lines[1] == "documents (data/documents.parquet)"
    assert "  constraint-error: 2, showing 1" in lines
    assert any(line.startswith("    row 4, field kind: ") for line in lines)
    assert lines[-1] == "INVALID: 3 errors in 1 check"


def test_every_code_is_documented_once() -> None:
    assert NOTICES <= set(CODES)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", code) and CODES[code] for code in CODES)


def test_codes_used_in_the_source_are_in_the_catalogue() -> None:
    source = Path(__file__).resolve().parents[2] / "src" / "dpcheck"
    used = set()
    for module in source.glob("*.py"):
        text = module.read_text(encoding="utf-8")
        used |= set(re.findall(r'Finding\(\s*"([a-z-]+)"', text))
        used |= set(re.findall(r'(?:add_rows|flag)\(\s*(?:report,\s*)?"([a-z-]+)"', text))
    assert used and used <= set(CODES), used - set(CODES)


def test_add_rows_takes_arrays_without_walking_them() -> None:
    import numpy as np
    import pyarrow as pa

    report = Report("pkg", limit=2)
    rows = np.arange(2, 1_000_002)
    report.add_rows("type-error", "bad", resource="r", file=None, field="a", rows=rows, total=len(rows))
    report.add_rows("type-error", "bad", resource="r", file=None, field="b", rows=pa.array(rows), total=len(rows))
    assert [(f.field, f.row) for f in report.findings] == [("a", 2), ("a", 3), ("b", 2), ("b", 3)]
    assert all(type(f.row) is int for f in report.findings)
    assert report.counts == {("r", "type-error"): 2_000_000}
