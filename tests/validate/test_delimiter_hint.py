"""A CSV file delimited otherwise than its dialect says is told so, with the dialect to declare (#14).

The delimiter is never guessed: without a dialect a CSV file is split at commas, as the spec's default says,
where frictionless sniffs one. Published packages do hold semicolon-separated files without a dialect (Brazilian
and other decimal-comma tables, found when checking real packages side by side with frictionless); split at
commas, such a header is one label, and the findings that follow (a missing label per field, extra cells where
decimal commas split a row) do not say why. So the ``incorrect-label`` finding that quotes the header run
together says which delimiter splits it into the schema's fields, and what to declare.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dpcheck import validate_package
from dpcheck.csvlabels import delimiter_hint

FIELDS = [{"name": "year", "type": "integer"}, {"name": "quarter", "type": "integer"},
          {"name": "value", "type": "number", "decimalChar": ","}]


def _package(folder: Path, text: str, dialect: dict[str, Any] | None = None, fields: list[dict] = FIELDS) -> Path:
    folder.mkdir()
    (folder / "t.csv").write_text(text, encoding="utf-8")
    resource: dict[str, Any] = {"name": "t", "path": "t.csv", "schema": {"fields": fields}}
    if dialect is not None:
        resource["dialect"] = dialect
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}), encoding="utf-8")
    return folder


def _messages(folder: Path, code: str) -> list[str]:
    return [f.message for f in validate_package(folder).findings if f.code == code]


def test_a_semicolon_file_without_a_dialect_is_told_the_dialect_to_declare_14(tmp_path: Path) -> None:
    text = "\ufeffyear;quarter;value\n2002;1;77,7\n2002;2;143,5\n"
    report = validate_package(_package(tmp_path / "p", text))
    assert not report.valid
    [message] = [f.message for f in report.findings if f.code == "incorrect-label"]
    assert message.startswith("column 1 is named 'year;quarter;value' but the schema's field 1 is 'year'; split at ';'")
    assert 'declare "dialect": {"delimiter": ";"} (it was read with ",")' in message
    # the advice is right: declared so, the same file is valid
    assert validate_package(_package(tmp_path / "q", text, {"delimiter": ";"})).valid


def test_a_tab_or_a_comma_file_read_with_another_declared_delimiter_is_told_too_14(tmp_path: Path) -> None:
    tabbed = _messages(_package(tmp_path / "tab", "year\tquarter\tvalue\n2002\t1\t7\n"), "incorrect-label")
    assert len(tabbed) == 1 and '{"delimiter": "\\t"}' in tabbed[0]
    commas = _messages(_package(tmp_path / "comma", "year,quarter,value\n2002,1,7\n", {"delimiter": ";"}), "incorrect-label")
    assert len(commas) == 1 and commas[0].endswith('declare "dialect": {"delimiter": ","} (it was read with ";")')


def test_no_hint_where_no_other_delimiter_gives_the_schema_fields_14(tmp_path: Path) -> None:
    # a file that lacks columns, and one whose other split does not give the fields' names: no hint
    assert all("split at" not in m for m in _messages(_package(tmp_path / "short", "year\n2002\n"), "missing-label"))
    wrong = _messages(_package(tmp_path / "wrong", "a;b;c\n1;2;3\n"), "incorrect-label")
    assert wrong == ["column 1 is named 'a;b;c' but the schema's field 1 is 'year'"]
    # as many labels as fields: the delimiter is not in question
    assert delimiter_hint(["year", "quarter;x", "value"], ["year", "quarter", "value"], ",") == ""


def test_half_the_names_in_place_are_enough_and_fewer_are_not_14() -> None:
    names = ["a", "b", "c", "d"]
    assert delimiter_hint(["a|b|x|y"], names, ",").startswith("; split at '|'")
    assert delimiter_hint(["a|x|y|z"], names, ",") == ""
    assert delimiter_hint(['"a";"b";"c";"d"'], names, ",").startswith("; split at ';'")
