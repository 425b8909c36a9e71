"""A damaged JSON or NDJSON table file is judged the same however it is read (#14).

A JSON file up to :data:`dpcheck.jsonfile.MAX_JSON_BYTES` is decoded and parsed whole; a larger one, and any
NDJSON file, is read a piece at a time (:mod:`dpcheck.jsonstream`). Found by a differential fuzz of the two
(3,000 damaged files, 50 told apart): read in pieces, a file that was not JSON was said to hold "a JSON null"
because it began with an ``n``; a JSON syntax error met before a byte out of the encoding was reported in its
place, where the whole file, decoded first, gets the ``encoding-error``, so that which of the two a user saw
depended on the size of the pieces read; and the dialect's property missing was reported before the extra data
after the object. The file is now read to its end before it is judged, whatever the pieces.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from dpcheck import jsonfile, jsonstream, validate_package

FIELDS = [{"name": "id", "type": "integer"}, {"name": "名", "type": "any"}]


def _findings(folder: Path, name: str, content: bytes, extra: dict[str, Any], *, piece: int | None) -> list[tuple]:
    """The findings of a package of one table file (``extra``: more of its resource's properties); read whole
    (``piece`` None) or in pieces of ``piece`` bytes."""
    folder.mkdir()
    (folder / name).write_bytes(content)
    resource = {"name": "t", "path": name, "schema": {"fields": FIELDS}, **extra}
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}), encoding="utf-8")
    original = (jsonfile.MAX_JSON_BYTES, jsonstream.PIECE_BYTES)
    if piece is not None:
        jsonfile.MAX_JSON_BYTES, jsonstream.PIECE_BYTES = 0, piece
    try:
        report = validate_package(folder)
    finally:
        jsonfile.MAX_JSON_BYTES, jsonstream.PIECE_BYTES = original
    return [(f.code, f.row, f.field, f.message, f.offset) for f in report.findings]


@pytest.mark.parametrize("name", ["t.ndjson", "t.json"])
@pytest.mark.parametrize("piece", [1, 5, 1 << 20])
def test_a_byte_out_of_the_encoding_is_the_error_wherever_a_syntax_error_lies_before_it_14(name: str, piece: int,
                                                                                          tmp_path: Path) -> None:
    lines = [b'["id", "\xe5\x90\x8d"]', b"[1, 2 3]", b'[2, "a"]', b'[3, "\xff"]']
    content = b"\n".join(lines) + b"\n" if name.endswith("ndjson") else b"[" + b",\n".join(lines) + b"]"
    found = _findings(tmp_path / "p", name, content, {}, piece=piece)
    bad = content.index(b"\xff")
    assert found == [("encoding-error", None, None, f"the file is not valid utf-8 at byte {bad}", bad)]


_VALUE = (st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False, allow_infinity=False)
          | st.sampled_from(["", "a", "名", "x\ny", "1"]))
_ROW = st.dictionaries(st.sampled_from(["id", "名", "z"]), _VALUE, max_size=3) | st.lists(_VALUE, max_size=3)
# (op, where in the file as a fraction of its length, the byte): a byte put in, taken out or changed, or the file cut
_EDIT = st.tuples(st.sampled_from(["insert", "delete", "replace", "cut"]), st.floats(0, 1),
                  st.sampled_from(list(b'[]{},:"\\ \n0e-+.tfn') + [0xFF, 0xE4, 0x80]))


def _damaged(content: bytes, edits: list[tuple[str, float, int]]) -> bytes:
    data = bytearray(content)
    for op, where, byte in edits:
        at = min(int(where * len(data)), len(data))
        if op == "insert":
            data[at:at] = bytes([byte])
        elif op == "cut":
            del data[at:]
        elif at < len(data):
            if op == "delete":
                del data[at]
            else:
                data[at] = byte
    return bytes(data)


@given(rows=st.lists(_ROW, max_size=5), fmt=st.sampled_from(["json", "json under a property", "ndjson"]),
       encoding=st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16"]), indent=st.sampled_from([None, 1]),
       edits=st.lists(_EDIT, max_size=3), piece=st.integers(1, 9))
def test_a_damaged_json_file_read_in_pieces_gets_the_findings_it_gets_read_whole_14(rows: list[Any], fmt: str, encoding: str,
                                                                                   indent: int | None, edits: list, piece: int) -> None:
    # (UTF-16's two-byte units and a UTF-8 file's byte order mark cut by the pieces as well as by the edits)
    if fmt == "ndjson":
        text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    else:
        text = json.dumps({"meta": [1, {"a": 2}], "rows": rows} if fmt != "json" else rows, ensure_ascii=False, indent=indent)
    content = _damaged(text.encode(encoding), edits)
    assume(content.count(b'"rows"') <= 1)  # (a property met twice: json.loads keeps the last, read in pieces it is an error)
    name = "t.ndjson" if fmt == "ndjson" else "t.json"
    extra = {"dialect": {"property": "rows"}} if fmt == "json under a property" else {}
    if encoding == "utf-16":
        extra["encoding"] = encoding
    with tempfile.TemporaryDirectory() as temp:
        whole = _findings(Path(temp) / "w", name, content, extra, piece=None)
        pieces = _findings(Path(temp) / "p", name, content, extra, piece=piece)
    assert pieces == whole
