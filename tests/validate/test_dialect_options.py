"""Dialect options with no test of their own before (#14): ``skipInitialSpace`` and ``lineTerminator``.

``skipInitialSpace`` is false unless declared, as the spec says, and never sniffed: frictionless sniffs it
from the file even when the dialect declares the delimiter and the quote, so the same file is valid or not
under frictionless as its sniffer guesses (``1, "a,b"`` is sniffed as true). Declared, both validators agree;
undeclared, we read the spaces as part of the cells, as Python's csv module does.

``lineTerminator`` is not applied: rows end at a line break, as Python's csv module (and so frictionless)
reads them. A terminator that is not a line break gets a ``not-checked`` notice saying so, since the spec asks
an implementation to tell its users what it does not support.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dpcheck import validate_package
from dpcheck.report import Report

_FIELDS = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string", "constraints": {"pattern": "[a-z,]+"}}]


def _report(folder: Path, text: str, dialect: dict[str, Any] | None) -> Report:
    folder.mkdir()
    (folder / "t.csv").write_text(text, encoding="utf-8", newline="")
    resource: dict[str, Any] = {"name": "t", "path": "t.csv", "format": "csv", "schema": {"fields": _FIELDS}}
    if dialect is not None:
        resource["dialect"] = dialect
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}), encoding="utf-8")
    return validate_package(folder)


def _findings(folder: Path, text: str, dialect: dict[str, Any] | None) -> list[tuple[str, int | None, str | None]]:
    return [(f.code, f.row, f.field) for f in _report(folder, text, dialect).findings]


@pytest.mark.parametrize("dialect", [None, {"skipInitialSpace": False}, {"delimiter": ",", "quoteChar": '"'}])
def test_a_space_before_a_quote_is_part_of_the_cell_unless_declared_otherwise_14(dialect: dict[str, Any] | None, tmp_path: Path) -> None:
    # (the quote after the space does not open a quoted value: the comma inside splits the cell)
    found = _findings(tmp_path / "p", 'id,name\n1, "a,b"\n2,c\n', dialect)
    assert found == [("extra-cell", 2, None), ("constraint-error", 2, "name")]


def test_skip_initial_space_drops_the_spaces_and_lets_the_quote_open_a_value_14(tmp_path: Path) -> None:
    assert _findings(tmp_path / "p", 'id,name\n1, "a,b"\n2,c\n', {"skipInitialSpace": True}) == []


@pytest.mark.parametrize(("dialect", "found"), [
    (None, [("constraint-error", 2, "name"), ("constraint-error", 3, "name")]),
    ({"skipInitialSpace": True}, []),
])
def test_a_leading_space_breaks_a_pattern_only_when_spaces_are_kept_14(dialect: dict[str, Any] | None,
                                                                      found: list[Any], tmp_path: Path) -> None:
    assert _findings(tmp_path / "p", "id,name\n1, x\n2,  y\n", dialect) == found


@pytest.mark.parametrize("terminator", [None, "\r\n", "\n", "\r"])
def test_a_line_break_as_line_terminator_gets_no_notice_whichever_break_the_file_uses_14(terminator: str | None, tmp_path: Path) -> None:
    dialect = None if terminator is None else {"lineTerminator": terminator}
    assert _findings(tmp_path / "p", "id,name\r\n1,a\n2,b\r3,c\n", dialect) == []


def test_a_line_terminator_that_is_no_line_break_is_a_notice_and_rows_still_end_at_line_breaks_14(tmp_path: Path) -> None:
    report = _report(tmp_path / "p", "id,name\n1,a\n2,b\n", {"lineTerminator": ";"})
    assert report.valid
    assert [(f.code, f.resource, f.file, f.message) for f in report.findings] == [
        ("not-checked", "t", "t.csv", "the dialect's lineTerminator ';' is not applied: rows are split at line breaks "
         "(\\n, \\r\\n or \\r), as frictionless splits them")]
