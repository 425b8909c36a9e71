"""The spec's spellings of cells where frictionless's readers, which are Python's, read more.

frictionless reads a cell with Python's ``int``, ``Decimal``, ``strptime``, ``base64`` and ``json``, which
also take:

- the digits of any script (``int("１２")`` is 12, ``int("٣")`` is 3) and an underscore between digits
  (``Decimal("1_000")``), where Table Schema spells numbers, integers and years as XML Schema does, and
  dates, times and year-months as ISO 8601 does, in the digits 0-9;
- ``Infinity``, ``+inf``, ``-nan`` and ``sNaN``, where a number's special values are NaN, INF and -INF, in any
  case;
- one-digit months and days (``2021-1-5``, ``2020-1``), where ISO 8601 writes two, and a date and time
  joined by a space, a lower-case ``t``, or an offset without its colon (``+0800``, ``+08``), where a
  datetime's default format is XML Schema's ``dateTime``;
- any text as ``binary`` (``base64.b64decode`` drops what is not of its alphabet: ``###`` is b""), where the
  spec asks for base64;
- ``NaN``, ``Infinity`` and ``-Infinity`` in an array, object or GeoJSON cell (``json.loads`` reads them),
  where the spec asks for JSON, which has no such values.

A column of full-width digits, common in Chinese tables, would pass, and then be read as text by pandas,
Arrow, R and DuckDB. :func:`guard` wraps a frictionless reader so that it refuses these cells as not of the
type. Only cells the vectorised tier of :mod:`~dpcheck.cells` did not accept reach such a reader. A date or
time read by a strptime pattern stays Python's to read.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

# Types whose cells spell their digits 0-9; the dates and times only in their default format.
_DIGITS = {"integer", "number", "year", "yearmonth", "geopoint"}
_DIGITS_DEFAULT = {"date", "time", "datetime"}
_UNDERSCORED = re.compile(r"\d_\d")
_SPECIAL = re.compile(r"[+-]?(?:s?nan|inf(?:inity)?)", re.IGNORECASE)
_SPEC_SPECIAL = ("nan", "inf", "-inf")
# The whole cell as the spec spells it: yyyy-mm-dd; XML Schema's gYearMonth and dateTime (a T between date and
# time, seconds, an optional fraction, Z or an offset with its colon).
_WHOLE = {"date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"), "yearmonth": re.compile(r"[0-9]{4}-[0-9]{2}"),
          "datetime": re.compile(r"-?[0-9]{4,}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})?")}
_JSON = {"array", "object", "geojson"}

Reader = Callable[[str], tuple[Any, "dict[str, str] | None"]]


def guard(reader: Reader, type_: str | None, fmt: str, descriptor: Mapping[str, Any]) -> Reader:
    """``reader`` (a frictionless cell reader: cell -> (value, notes)), refusing the cells only Python reads
    as the field's type (see the module docstring); ``reader`` itself for a field with no such cells.

    Args:
        type_: the type the cells are read as.
        fmt: the field's format.
        descriptor: the field's descriptor (for a list, its ``itemType`` and ``delimiter``).
    """
    if type_ == "list":
        item, delimiter = descriptor.get("itemType", "string"), descriptor.get("delimiter", ",")
        if not isinstance(item, str) or not isinstance(delimiter, str) or not delimiter or not _applies(item, "default"):
            return reader

        def read_list(cell: str) -> tuple[Any, dict[str, str] | None]:
            # (an item is judged without the spaces around it, which the spec neither asks for nor forbids)
            why = next((why for part in cell.split(delimiter) if (why := _why(item, "default", part.strip()))), None)
            return (None, {"type": why}) if why else reader(cell)

        return read_list
    if not _applies(type_, fmt):
        return reader

    def read(cell: str) -> tuple[Any, dict[str, str] | None]:
        why = _why(type_, fmt, cell)
        return (None, {"type": why}) if why else reader(cell)

    return read


def _applies(type_: str | None, fmt: str) -> bool:
    """Whether a rule of :func:`_why` applies to cells of ``type_`` in format ``fmt``."""
    return ((type_ == "string" and fmt == "binary") or type_ in _DIGITS or type_ in _JSON
            or (type_ in _DIGITS_DEFAULT and fmt == "default"))


def _why(type_: str | None, fmt: str, cell: str) -> str | None:
    """Why ``cell`` is not spelled as the spec spells ``type_`` in format ``fmt`` (for which :func:`_applies`),
    or None when it is, or when Python's reader will tell."""
    if type_ == "string":
        try:
            base64.b64decode(cell, validate=True)
        except (binascii.Error, ValueError):
            return "not base64"
        return None
    if type_ in _JSON:
        return "NaN or Infinity, which JSON does not have" if ("NaN" in cell or "Infinity" in cell) and _not_json(cell) else None
    if (not cell.isascii() or "_" in cell) and _other_digits(cell):
        return "digits other than 0-9, or an underscore between digits"
    if type_ == "number" and _SPECIAL.fullmatch(cell.strip()) and cell.strip().lower() not in _SPEC_SPECIAL:
        return "a special value other than NaN, INF or -INF"
    whole = _WHOLE.get(type_ or "")
    if whole is not None and not whole.fullmatch(cell):
        return "not spelled as ISO 8601 spells it"
    return None


def _other_digits(cell: str) -> bool:
    """Whether ``cell`` holds a digit of another script or an underscore between digits."""
    return any(c.isdecimal() for c in cell if not c.isascii()) or _UNDERSCORED.search(cell) is not None


def _not_json(cell: str) -> bool:
    """Whether Python's ``json.loads`` meets NaN or an infinity in ``cell`` (JSON has neither)."""
    def refuse(name: str) -> Any:
        raise _Constant(name)

    try:
        json.loads(cell, parse_constant=refuse)
    except _Constant:
        return True
    except ValueError:  # (not JSON at all: frictionless's reader says so)
        return False
    return False


class _Constant(Exception):
    """NaN, Infinity or -Infinity met in a JSON text."""
