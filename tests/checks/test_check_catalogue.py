"""corpack's declared checks keep a catalogue as dpcheck's does (#14): every code a check reports is listed
with its meaning in corpack.checks.CODES, documented in docs/validation.md, and produced by a fixture here."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpack.checking import validate_package
from corpack.checks import CODES, PLUGINS
from corpack.cli import cli
from dpcheck import CODES as GENERIC, render_html
from tests.checks.test_facts import FACT_SCHEMA, LIST_SCHEMA, add_resource, designation, fact
from tests.validate.conftest import corpus_rows, write_package

DOCS = Path(__file__).resolve().parents[2] / "docs" / "validation.md"


def _offset(make: Callable[..., Path]) -> Path:
    documents, paragraphs = corpus_rows()
    paragraphs[1]["char_start"] += 1
    return make(documents, paragraphs)


def _order(make: Callable[..., Path]) -> Path:
    documents, paragraphs = corpus_rows()
    paragraphs[0]["para_no"], paragraphs[1]["para_no"] = 2, 1
    return make(documents, paragraphs)


def _defect(make: Callable[..., Path]) -> Path:
    return make(*corpus_rows({"a": ["标题", "正文<br>"]}))


def _duplicate(make: Callable[..., Path]) -> Path:
    return make(*corpus_rows({"a": ["标题", "同一段。", "同一段。"]}))


def _quote(make: Callable[..., Path]) -> Path:
    folder = make()
    add_resource(folder, "people", [fact(1, 2, 4, "安全")], FACT_SCHEMA)
    return folder


def _list_count(make: Callable[..., Path]) -> Path:
    folder = make()
    add_resource(folder, "designations", [designation(1, "名单", 3)], LIST_SCHEMA)
    return folder


FIXTURES = {"paragraph-offset": _offset, "paragraph-order": _order, "text-defect": _defect,
            "duplicate-paragraph": _duplicate, "quote-mismatch": _quote, "list-count": _list_count}


def test_every_code_has_a_fixture_and_none_is_a_generic_code_14() -> None:
    assert set(FIXTURES) == set(CODES)
    assert not set(CODES) & set(GENERIC)
    assert all(plugin.codes for plugin in PLUGINS)


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_code_is_documented_and_produced_by_its_fixture_14(code: str, make_package, kit) -> None:
    plugin = next(plugin for plugin in PLUGINS if code in plugin.codes)
    assert f"| `{code}` | `{plugin.name}` | {CODES[code]} |" in DOCS.read_text(encoding="utf-8").splitlines()
    report = validate_package(FIXTURES[code](make_package))
    assert kit.codes(report) == {code}
    assert report.meaning(code) == CODES[code]
    # The HTML report gives a declared check's finding its meaning, as it does the catalogue's.
    assert f"<td>{escape(CODES[code])}</td>" in render_html(report)


def test_pkg_validate_judges_an_undeclared_package_by_the_spec_alone_14(tmp_path: Path) -> None:
    documents, paragraphs = corpus_rows({"a": ["<p>标题</p>", "正文"]})
    plain = write_package(tmp_path / "plain", documents, paragraphs)
    result = CliRunner().invoke(cli, ["validate", str(plain)])
    assert result.exit_code == 0, result.output
    declaring = write_package(tmp_path / "declaring", documents, paragraphs,
                              lambda d: d.__setitem__("dpcheck:checks", ["corpack.corpus"]))
    result = CliRunner().invoke(cli, ["validate", str(declaring)])
    assert result.exit_code == 1 and "text-defect" in result.output
