"""UTF-16 and UTF-32 without a byte order mark: the same verdict for every format and size (#14).

Found by the JSON differential fuzz (tests/validate/test_json_damage.py): Python decodes a UTF-16 file without
a byte order mark in the machine's byte order when it decodes it whole, and refuses it when it decodes it a
piece at a time. So such a file declared ``utf-16`` was valid as a small JSON table, a ``source-error`` as
NDJSON, and as CSV stopped ``pkg validate`` with an internal error. RFC 2781 reads it big-endian; which order
the file means is not known, so it is now an ``encoding-error`` that says what to declare, everywhere.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dpcheck import jsonfile, validate_package

FIELDS = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]
ROWS = [["id", "name"], [1, "a"], [2, "名"]]


def _text(fmt: str) -> str:
    if fmt == "csv":
        return "".join(",".join(str(v) for v in row) + "\n" for row in ROWS)
    if fmt == "ndjson":
        return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS)
    return json.dumps(ROWS, ensure_ascii=False)


def _report(folder: Path, fmt: str, content: bytes, encoding: str):
    folder.mkdir()
    (folder / f"t.{fmt}").write_bytes(content)
    resource = {"name": "t", "path": f"t.{fmt}", "encoding": encoding, "schema": {"fields": FIELDS}}
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}), encoding="utf-8")
    return validate_package(folder)


@pytest.mark.parametrize("fmt", ["csv", "ndjson", "json", "large json"])
@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_a_file_without_a_byte_order_mark_in_utf16_or_utf32_is_an_encoding_error_saying_what_to_declare_14(
        fmt: str, encoding: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if fmt == "large json":
        monkeypatch.setattr(jsonfile, "MAX_JSON_BYTES", 0)
        fmt = "json"
    content = _text(fmt).encode(f"{encoding}-le")
    report = _report(tmp_path / "p", fmt, content, encoding)
    assert [(f.code, f.offset, f.message) for f in report.findings] == [
        ("encoding-error", 0, f"the file is {encoding} without a byte order mark, so the order of its bytes is not known: "
                              f"declare its encoding {encoding}le or {encoding}be")]
    # declared with its byte order, or written with a mark, the same bytes are read
    assert _report(tmp_path / "le", fmt, content, f"{encoding}le").valid
    assert _report(tmp_path / "mark", fmt, _text(fmt).encode(encoding), encoding).valid
    assert _report(tmp_path / "be", fmt, _text(fmt).encode(f"{encoding}-be"), f"{encoding}be").valid
