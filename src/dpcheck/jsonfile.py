"""JSON and NDJSON table files, read as inline ``data`` is.

Data Package v2 leaves a resource's format open: a table may be any file the implementation reads. A
resource with a Table Schema whose file is JSON (``format`` ``json``, or a ``.json`` path) holds what inline
``data`` holds: an array of rows, each an array (the first one the header) or an object keyed by field name.
Table Dialect v2's ``property`` names the key of a top-level object that holds the rows instead, and its
``header``, ``itemType`` and ``itemKeys`` are read as for inline data (:class:`~dpcheck.inline.Structure`).
An NDJSON file (``ndjson`` or ``jsonl``) holds one such row per line; blank lines are skipped. Both are handed
to :class:`~dpcheck.inline.InlineSource`, so their cells are read as CSV cells are and their rows numbered as
inline rows are (the first row after the header is row 2; an NDJSON file's row is then not its line).

A JSON file is parsed whole, so one of more than :data:`MAX_JSON_BYTES` is not read (a ``not-checked`` notice
says so): its rows are held whole once parsed (16.0 MB of rows of an integer and a string: a peak of 325 MB,
2.6 s). An NDJSON file of any size is read :data:`LINES_BYTES` at a time, its rows a batch at a time, in two
passes: the first finds a line that is not JSON (reported before any row is checked) and what the header is
read from (the kinds of the rows, the keys of objects); the second, and any later one (a key column read
again), gives the rows (1M rows of three-key objects, 52 MB: 8.2 s, a peak of 230 MB of which 150 MB is the
libraries; 8.4M one-number lines, 16 MiB: 19 s and 171 MB, where reading it whole took 25 s and 307 MB). Only an NDJSON file in an
encoding whose newline is one byte that no other character holds (UTF-8 and the other ASCII-compatible ones)
is split so; in UTF-16 it is read whole, as a JSON file is.

Without a schema a JSON file is no table (frictionless reads it as a JSON resource) and is not read here.
A compressed file (``compression``, or a path such as ``rows.ndjson.gz``) is inflated as it is read, as a CSV
file is (:mod:`~dpcheck.bytestream`). An NDJSON table split over several paths is read as their lines one
after the other (line numbers and byte offsets count through them all, as for CSV); a JSON one gets a
``not-checked`` notice, since two arrays one after the other are no JSON.
"""

from __future__ import annotations

import codecs
import functools
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from dpcheck.bytestream import CsvError, joined_parts
from dpcheck.csvfile import BATCH_ROWS
from dpcheck.descriptor import ResourceSpec
from dpcheck.inline import InlineSource
from dpcheck.regularfile import open_file
from dpcheck.report import Finding, Report

JSON = frozenset({"json"})
NDJSON = frozenset({"ndjson", "jsonl"})
FORMATS = JSON | NDJSON
#: The largest JSON or NDJSON file read as a table (its parsed rows are held whole; see the module docstring).
MAX_JSON_BYTES = 16 << 20
LINES_BYTES = 1 << 20  # bytes of an NDJSON file read at a time


class JsonError(Exception):
    """A JSON table file that is not what its format says; the message says where and why."""


def open_json(spec: ResourceSpec, report: Report, fmt: str | None = None, compression: str | None = None) -> InlineSource | None:
    """The rows of ``spec``'s JSON or NDJSON file (``fmt``, its format; ``compression``, what it is compressed
    with, if anything) as an inline source; None after a finding saying why they are not read (a ``not-checked``
    notice, or an ``encoding-error``).

    Raises:
        JsonError: when the file is not JSON (NDJSON), or not an array of rows.
        OSError: when it cannot be read; an error of :data:`dpcheck.csvfile.READ_ERRORS` when it cannot be inflated.
    """
    name, file = spec.name, spec.file
    fmt = fmt or spec.format
    if len(spec.paths) != 1 and fmt not in NDJSON:  # (the parts' arrays, joined, are no JSON)
        report.add(Finding("not-checked", "a JSON table split over several files is not read; its rows are not checked", name, file))
        return None
    declared = spec.descriptor.get("encoding")
    encoding = declared if isinstance(declared, str) and declared else "utf-8"
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        report.add(Finding("encoding-error", f"unknown encoding {encoding!r}", name, file))
        return None
    innerpath = spec.descriptor.get("innerpath")
    opened = functools.partial(_open, spec.paths, compression, innerpath if isinstance(innerpath, str) else None)
    try:
        if fmt in NDJSON and _lines_split_as_bytes(codec):
            return _streamed(spec, opened, codec)
        with opened() as handle:
            raw = handle.read(MAX_JSON_BYTES + 1)
        if len(raw) > MAX_JSON_BYTES:
            report.add(Finding("not-checked", f"the file holds more than {MAX_JSON_BYTES:,} bytes of JSON, more than is read as "
                               "a table; its rows are not checked", name, file))
            return None
        text = _decoded(raw, codec, 0)
        dialect = spec.descriptor.get("dialect")
        key = dialect.get("property") if isinstance(dialect, dict) else None
        rows = _ndjson_rows(text) if fmt in NDJSON else _json_rows(text, key if isinstance(key, str) else None)
        return InlineSource.of(spec, rows)
    except _Undecodable as exc:
        report.add(Finding("encoding-error", f"the file is not valid {encoding} at byte {exc.offset}", name, file, offset=exc.offset))
        return None
    except CsvError as exc:  # (inflating: a compression bomb, a zip without the entry)
        raise JsonError(str(exc)) from None
    except ValueError as exc:
        raise JsonError(f"the file's {exc}") from None


def _open(paths: list[Path], compression: str | None, innerpath: str | None) -> IO[bytes]:
    """The file's bytes, inflated as they are read when it is compressed; an NDJSON table's parts one after
    the other (as frictionless joins them: a part that does not end with a newline runs into the next one)."""
    return joined_parts(paths, compression, innerpath, False) if compression or len(paths) > 1 else open_file(paths[0])


class _Undecodable(Exception):
    def __init__(self, offset: int) -> None:
        super().__init__(f"bytes out of the encoding at byte {offset}")
        self.offset = offset


def _decoded(raw: bytes, codec: str, offset: int) -> str:
    """``raw`` (the bytes of the file from byte ``offset``) as text; a UTF-8 file's byte order mark is dropped.

    Raises:
        _Undecodable: at the file's first byte out of the encoding.
    """
    if codec == "utf-8" and offset == 0 and raw.startswith(codecs.BOM_UTF8):  # (not by utf-8-sig: its offsets skip it)
        raw, offset = raw[len(codecs.BOM_UTF8):], len(codecs.BOM_UTF8)
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise _Undecodable(offset + exc.start) from None


def _lines_split_as_bytes(codec: str) -> bool:
    """Whether a file in ``codec`` splits into lines at its newline bytes: a newline is the one byte 0x0A and
    no other character's bytes hold one (UTF-8 and the other ASCII-compatible encodings; not UTF-16 or the
    stateful ones)."""
    return "\n".encode(codec) == b"\n" and not codec.startswith(("utf-7", "utf_7", "iso2022", "hz"))


def _streamed(spec: ResourceSpec, opened: Callable[[], IO[bytes]], codec: str) -> InlineSource:
    """An NDJSON file's rows, read :data:`LINES_BYTES` at a time: once through, for what the header is read from
    and for a line that is not JSON (raised before any row is checked), then each time the rows are read."""

    def again() -> Iterator[list[Any]]:
        try:
            yield from _ndjson_batches(opened, codec)
        except (JsonError, _Undecodable) as exc:
            raise CsvError(f"the file changed while it was read: {exc}") from None

    return InlineSource.over(spec, again, (row for rows in _ndjson_batches(opened, codec) for row in rows))


def _ndjson_batches(opened: Callable[[], IO[bytes]], codec: str) -> Iterator[list[Any]]:
    """The rows of an NDJSON file, in lists of :data:`dpcheck.csvfile.BATCH_ROWS`, with one batch's rows and
    :data:`LINES_BYTES` of the file held at a time (a longer line is held whole).

    Raises:
        JsonError: at a line that is not JSON.
        _Undecodable: at the first byte out of the encoding.
    """
    rows: list[Any] = []
    number = 0  # lines read
    offset = 0  # bytes of the file before ``held``
    held: list[bytes] = []
    with opened() as handle:
        while True:
            block = handle.read(LINES_BYTES)
            cut = block.rfind(b"\n") + 1
            if block and not cut:  # (no line ends in it: read on)
                held.append(block)
                continue
            held.append(block[:cut])
            data = b"".join(held)
            held = [block[cut:]]
            text = _decoded(data, codec, offset)
            offset += len(data)
            lines = text.split("\n")  # (not str.splitlines, which also breaks at U+2028 and the like, see _ndjson_rows)
            if text.endswith("\n"):
                lines.pop()
            for line in lines:
                number += 1
                if line.strip():
                    rows.append(_line(line, number))
                    if len(rows) == BATCH_ROWS:
                        yield rows
                        rows = []
            if not block:
                break
    if rows:
        yield rows


def _json_rows(text: str, key: str | None) -> list[Any]:
    """The rows of a JSON file: the top-level array, or the one under ``key`` (the dialect's ``property``)."""
    rows = _parse(text, "")
    if key is not None:
        if not isinstance(rows, dict) or key not in rows:
            held = f"an object without {key!r}" if isinstance(rows, dict) else f"a JSON {_kind(rows)}"
            raise JsonError(f"the dialect's property is {key!r}, but the file holds {held}")
        rows = rows[key]
    if not isinstance(rows, list):
        where = f" under {key!r}" if key is not None else ""
        raise JsonError(f"the file holds a JSON {_kind(rows)}{where}, not an array of rows")
    return rows


def _ndjson_rows(text: str) -> list[Any]:
    # (lines end at "\n" alone, "\r\n" too; not str.splitlines, which also breaks at U+2028 and others that a
    # JSON string may hold as they are)
    lines = text.split("\n")
    return [_line(line, number) for number, line in enumerate(lines, start=1) if line.strip()]


_SCAN = json.JSONDecoder().scan_once  # (json.loads without its Python layers: half the time a short line)
_SPACE = " \t\r\n"  # what JSON counts as white space


def _line(line: str, number: int) -> Any:
    """The JSON value on line ``number``: read by the scanner, or, when it does not read one value that spans
    the line, by :func:`_parse`, which says why not."""
    text = line.strip(_SPACE)
    try:
        value, end = _SCAN(text, 0)
        if end == len(text):
            return value
    except (StopIteration, RecursionError, ValueError):
        pass
    return _parse(line, f" on line {number}")


def _parse(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"column {exc.colno}" if where else f"line {exc.lineno} column {exc.colno}"
        raise JsonError(f"the file is not valid JSON{where} at {at}: {exc.msg}") from None
    except RecursionError:
        raise JsonError(f"the file nests arrays and objects too deeply to be read{where}") from None
    except ValueError as exc:  # (a number of more digits than Python converts)
        raise JsonError(f"the file cannot be read as JSON{where}: {exc}") from None


def _kind(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")
