"""JSON and NDJSON table files, read as inline ``data`` is.

Data Package v2 leaves a resource's format open: a table may be any file the implementation reads. A
resource with a Table Schema whose file is JSON (``format`` ``json``, or a ``.json`` path) holds what inline
``data`` holds: an array of rows, each an array (the first one the header) or an object keyed by field name.
Table Dialect v2's ``property`` names the key of a top-level object that holds the rows instead, and its
``header``, ``itemType`` and ``itemKeys`` are read as for inline data (:class:`~dpcheck.inline.Structure`).
An NDJSON file (``ndjson`` or ``jsonl``) holds one such row per line; blank lines are skipped. Both are handed
to :class:`~dpcheck.inline.InlineSource`, so their cells are read as CSV cells are and their rows numbered as
inline rows are (the first row after the header is row 2; an NDJSON file's row is then not its line).

An NDJSON file, and a JSON file of more than :data:`MAX_JSON_BYTES`, are read a piece and a batch of rows at a
time (:mod:`~dpcheck.jsonstream`), in two passes: the first finds where the file is not JSON (reported before
any row is checked) and what the header is read from (the kinds of the rows, the keys of objects); the second,
and any later one (a key column read again), gives the rows (NDJSON, 1M rows of three-key objects, 52 MB:
4.2 s, a peak of 223 MB of which 150 MB is the libraries; 8.4M one-number lines, 16 MiB: 19 s and 171 MB,
where reading it whole took 25 s and 307 MB). Of a large JSON file, the top-level array, or the array under
the dialect's ``property``, is read so (the object's other members are read and left; a ``property`` met twice
is an error, where ``json.loads`` would keep the last). A smaller JSON file is parsed whole by ``json.loads``.

Without a schema a JSON file is no table (frictionless reads it as a JSON resource) and is not read here.
A compressed file (``compression``, or a path such as ``rows.ndjson.gz``) is inflated as it is read, as a CSV
file is (:mod:`~dpcheck.bytestream`). An NDJSON table split over several paths is read as their lines one
after the other (line numbers and byte offsets count through them all, as for CSV); a JSON one gets a
``not-checked`` notice, since two arrays one after the other are no JSON.
"""

from __future__ import annotations

import codecs
import functools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from dpcheck import jsonstream
from dpcheck.bytestream import CsvError, joined_parts, unordered
from dpcheck.csvfile import Undecodable
from dpcheck.descriptor import ResourceSpec
from dpcheck.inline import InlineSource
from dpcheck.jsonstream import JsonError, decoded, kind, no_property, no_rows, parse
from dpcheck.regularfile import open_file
from dpcheck.report import Finding, Report

__all__ = ["FORMATS", "JSON", "MAX_JSON_BYTES", "NDJSON", "JsonError", "open_json"]

JSON = frozenset({"json"})
NDJSON = frozenset({"ndjson", "jsonl"})
FORMATS = JSON | NDJSON
#: The largest JSON file parsed whole (larger ones are read a piece at a time; see the module docstring).
MAX_JSON_BYTES = 16 << 20


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
    dialect = spec.descriptor.get("dialect")
    key = dialect.get("property") if isinstance(dialect, dict) else None
    key = key if isinstance(key, str) else None
    try:
        said = unordered(encoding, opened)
        if said is not None:
            report.add(Finding("encoding-error", said, name, file, offset=0))
            return None
        if fmt in NDJSON:
            return _streamed(spec, lambda: jsonstream.ndjson_batches(opened, codec), opened, codec)
        with opened() as handle:
            raw = handle.read(MAX_JSON_BYTES + 1)
        if len(raw) > MAX_JSON_BYTES:
            return _streamed(spec, lambda: jsonstream.array_batches(opened, codec, key), opened, codec)
        return InlineSource.of(spec, _json_rows(decoded(raw, codec, 0), key))
    except Undecodable as exc:
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


def _streamed(spec: ResourceSpec, batches: Callable[[], Iterator[list[Any]]], opened: Callable[[], IO[bytes]],
              codec: str) -> InlineSource:
    """A file's rows as ``batches`` reads them: once through, for what the header is read from and for where
    the file is not JSON (raised before any row is checked), then each time the rows are read.

    A file not JSON is decoded to its end before that is said: a byte out of its encoding anywhere in it is the
    error a file parsed whole gets, whichever comes first, and so it is here, whatever the pieces read.
    """

    def again() -> Iterator[list[Any]]:
        try:
            yield from batches()
        except JsonError as exc:
            raise CsvError(f"the file changed while it was read: {exc}") from None
        except Undecodable as exc:
            raise CsvError(f"the file changed while it was read: bytes out of the encoding at byte {exc.offset}") from None

    try:
        return InlineSource.over(spec, again, (row for rows in batches() for row in rows))
    except (JsonError, ValueError):
        jsonstream.read_through(opened, codec)
        raise


def _json_rows(text: str, key: str | None) -> list[Any]:
    """The rows of a JSON file: the top-level array, or the one under ``key`` (the dialect's ``property``)."""
    rows = parse(text, "")
    if key is not None:
        if not isinstance(rows, dict) or key not in rows:
            raise no_property(key, f"an object without {key!r}" if isinstance(rows, dict) else f"a JSON {kind(rows)}")
        rows = rows[key]
    if not isinstance(rows, list):
        raise no_rows(kind(rows), key)
    return rows
