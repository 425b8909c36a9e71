"""Reports stay small whatever a package holds (#11): labels, values, names and paths copied into findings are
cut to a few hundred characters, with an ellipsis and the full length."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpack.cli import cli
from dpcheck import render_html, render_text, validate_package
from dpcheck.report import MAX_MESSAGE, MAX_TEXT, Finding, clip, quote

BIG = 3_000_000  # characters: enough to show a label is copied whole (the was 500 MB)
SMALL = 20_000  # bytes: a report of a few findings, whatever the package holds


def write(folder: Path, resource: dict, data: dict[str, bytes | pa.Table]) -> Path:
    folder.mkdir()
    for name, content in data.items():
        if isinstance(content, pa.Table):
            pq.write_table(content, folder / name)
        else:
            (folder / name).write_bytes(content)
    (folder / "datapackage.json").write_text(json.dumps({"resources": [resource]}), encoding="utf-8")
    return folder


def assert_small(folder: Path) -> list[Finding]:
    report = validate_package(folder)
    assert not report.valid
    assert len(render_text(report)) < SMALL
    assert len(json.dumps(report.to_dict())) < SMALL
    assert len(render_html(report)) < SMALL * 3
    result = CliRunner().invoke(cli, ["validate", "--json", str(folder)])
    assert result.exit_code == 1 and len(result.stdout) < SMALL
    for finding in report.findings:
        assert len(finding.message) <= MAX_MESSAGE + 40
        assert all(value is None or len(value) <= MAX_TEXT + 40 for value in (finding.resource, finding.file, finding.field))
    return report.findings


SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "v", "type": "integer"}]}


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_huge_header_label_is_cut_in_the_report_11(tmp_path: Path, fmt: str) -> None:
    label = "L" * BIG
    data = pa.table({"id": [1], label: [2], "L" + label: [3]}) if fmt == "parquet" else f"id,{label},L{label}\n1,2,3\n".encode()
    findings = assert_small(write(tmp_path / "pkg", {"name": "t", "path": f"t.{fmt}", "schema": SCHEMA}, {f"t.{fmt}": data}))
    incorrect = next(f for f in findings if f.code == "incorrect-label")
    assert f"({BIG:,} characters)" in incorrect.message and "…" in incorrect.message
    extra = next(f for f in findings if f.code == "extra-label")
    assert f"({BIG + 1:,} characters)" in extra.message and extra.field is not None and extra.field.startswith("LLL")


def test_huge_cell_value_is_cut_in_the_report_11(tmp_path: Path) -> None:
    content = f"id,v\n1,{'9' * BIG}x\n".encode()
    findings = assert_small(write(tmp_path / "pkg", {"name": "t", "path": "t.csv", "schema": SCHEMA}, {"t.csv": content}))
    [finding] = findings
    assert finding.code == "type-error" and f"({BIG + 1:,} characters)" in finding.message


def test_huge_names_and_paths_in_the_descriptor_are_cut_11(tmp_path: Path) -> None:
    name, path = "n" * BIG, "../" + "p" * BIG
    folder = write(tmp_path / "pkg", {"name": name, "path": path, "schema": SCHEMA}, {})
    findings = assert_small(folder)
    assert any(f.code == "unsafe-path" for f in findings)
    assert all(f.resource is None or f.resource.endswith(f"… ({BIG:,} characters)") for f in findings)


def test_clip_and_quote_11() -> None:
    assert clip("abc") == "abc" and quote("abc") == "'abc'"
    assert clip("x" * 300, 5) == "xxxxx… (300 characters)"
    assert quote("x" * 300, 5) == "'xxxxx…' (300 characters)"
    finding = Finding("extra-label", "m" * (MAX_MESSAGE + 1), field="f" * (MAX_TEXT + 1))
    assert finding.message.endswith(f"… ({MAX_MESSAGE + 1:,} characters)") and len(finding.field or "") < MAX_TEXT + 40
