"""A CSV file gets the same findings from either reader (#14): Arrow's, for UTF-8, and Python's ``csv``, which
reads every other encoding (and what Arrow gives up on).

A property over random files: cells typed well and badly, quoted ones with commas, quotes and line breaks,
rows shorter and longer than the header, blank rows, LF or CRLF, with or without a final newline, a primary
key or not. The same text as UTF-8 and as UTF-16 (with its byte order mark) must give the same findings, rows,
fields and words. A differential of 2,300 such files found no difference (2026-12-04); this keeps it so.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from dpcheck import validate_package

CELLS = ["", "1", "-2", "3.5", "1e3", "a", "名", " x", "true", "2020-01-02", "NA", '"q"', '"a,b"', '"l1\nl2"', '"l1\r\nl2"',
         '""', "x y", '"he said ""hi"""']
FIELDS = [{"name": "id", "type": "integer"}, {"name": "n", "type": "number"},
          {"name": "s", "type": "string", "constraints": {"maxLength": 3}}, {"name": "d", "type": "date"},
          {"name": "b", "type": "boolean"}]


@st.composite
def _files(draw: Any) -> tuple[str, int, bool]:
    width = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(st.sampled_from(CELLS), max_size=width + 2), max_size=10))
    rows = [row if draw(st.integers(0, 4)) else row[:width] for row in rows]  # (mostly as wide as the header, or less)
    rows = [row if len(row) >= width or not draw(st.booleans()) else row + ["1"] * (width - len(row)) for row in rows]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    lines = [",".join(f["name"] for f in FIELDS[:width])] + [",".join(row) for row in rows]
    return newline.join(lines) + (newline if draw(st.booleans()) else ""), width, draw(st.booleans())


def _found(folder: Path, text: str, encoding: str, width: int, key: bool) -> list[tuple[Any, ...]]:
    folder.mkdir()
    (folder / "t.csv").write_bytes(text.encode(encoding))
    schema: dict[str, Any] = {"fields": FIELDS[:width], **({"primaryKey": ["id"]} if key else {})}
    resource = {"name": "t", "path": "t.csv", "schema": schema, **({"encoding": encoding} if encoding != "utf-8" else {})}
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}), encoding="utf-8")
    return [(f.code, f.row, f.field, f.message) for f in validate_package(folder).findings]


@settings(max_examples=60, deadline=None)
@given(_files())
def test_arrows_reader_and_pythons_give_a_csv_file_the_same_findings_14(drawn: tuple[str, int, bool]) -> None:
    text, width, key = drawn
    with tempfile.TemporaryDirectory() as temp:
        assert _found(Path(temp) / "u8", text, "utf-8", width, key) == _found(Path(temp) / "u16", text, "utf-16", width, key)
