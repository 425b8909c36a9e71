"""JSON and NDJSON table files, read as inline ``data`` is.

Data Package v2 leaves a resource's format open: a table may be any file the implementation reads. A
resource with a Table Schema whose file is JSON (``format`` ``json``, or a ``.json`` path) holds what inline
``data`` holds: an array of rows, each an array (the first one the header) or an object keyed by field name.
Table Dialect v2's ``property`` names the key of a top-level object that holds the rows instead, and its
``header``, ``itemType`` and ``itemKeys`` are read as for inline data (:class:`~dpcheck.inline.Structure`).
An NDJSON file (``ndjson`` or ``jsonl``) holds one such row per line; blank lines are skipped. Both are read
whole and handed to :class:`~dpcheck.inline.InlineSource`, so their cells are read as CSV cells are and their
rows numbered as inline rows are (the first row after the header is row 2; an NDJSON file's row is then not
its line).

Without a schema a JSON file is no table (frictionless reads it as a JSON resource) and is not read here.
A file of more than :data:`MAX_JSON_BYTES` is not read either (a ``not-checked`` notice says so): its rows
are held whole once parsed (16.0 MB of rows of an integer and a string: a peak of 325 MB, 2.6 s; 16 MiB
of NDJSON lines of one number each, 8.4M rows: 307 MB, 25 s).
Neither is a JSON table split over several paths or compressed: each gets a ``not-checked`` notice.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

from dpcheck.descriptor import ResourceSpec
from dpcheck.inline import InlineSource
from dpcheck.regularfile import open_file
from dpcheck.report import Finding, Report

JSON = frozenset({"json"})
NDJSON = frozenset({"ndjson", "jsonl"})
FORMATS = JSON | NDJSON
#: The largest JSON or NDJSON file read as a table (its parsed rows are held whole; see the module docstring).
MAX_JSON_BYTES = 16 << 20


class JsonError(Exception):
    """A JSON table file that is not what its format says; the message says where and why."""


def open_json(spec: ResourceSpec, report: Report) -> InlineSource | None:
    """The rows of ``spec``'s JSON or NDJSON file as an inline source; None after a finding saying why they are
    not read (a ``not-checked`` notice, or an ``encoding-error``).

    Raises:
        JsonError: when the file is not JSON (NDJSON), or not an array of rows.
        OSError: when it cannot be read.
    """
    name, file = spec.name, spec.file
    if len(spec.paths) != 1 or spec.descriptor.get("compression"):
        what = "split over several files" if len(spec.paths) != 1 else "compressed"
        report.add(Finding("not-checked", f"a JSON table {what} is not read; its rows are not checked", name, file))
        return None
    with open_file(spec.paths[0]) as handle:
        raw = handle.read(MAX_JSON_BYTES + 1)
    if len(raw) > MAX_JSON_BYTES:
        report.add(Finding("not-checked", f"the file holds more than {MAX_JSON_BYTES:,} bytes of JSON, more than is read as "
                           "a table; its rows are not checked", name, file))
        return None
    declared = spec.descriptor.get("encoding")
    encoding = declared if isinstance(declared, str) and declared else "utf-8"
    try:
        codec = codecs.lookup(encoding).name
        text = raw.decode("utf-8-sig" if codec == "utf-8" else codec)
    except LookupError:
        report.add(Finding("encoding-error", f"unknown encoding {encoding!r}", name, file))
        return None
    except UnicodeDecodeError as exc:
        report.add(Finding("encoding-error", f"the file is not valid {encoding} at byte {exc.start}", name, file, offset=exc.start))
        return None
    dialect = spec.descriptor.get("dialect")
    key = dialect.get("property") if isinstance(dialect, dict) else None
    rows = _ndjson_rows(text) if spec.format in NDJSON else _json_rows(text, key if isinstance(key, str) else None)
    try:
        return InlineSource.of(spec, rows)
    except ValueError as exc:
        raise JsonError(f"the file's {exc}") from None


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
    return [_parse(line, f" on line {number}") for number, line in enumerate(lines, start=1) if line.strip()]


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
