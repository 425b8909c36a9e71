"""Read a CSV resource: decode, split with its dialect, check the header and the row structure.

What frictionless checks before types, with its error names: ``encoding-error`` (the bytes are not in the
declared encoding, UTF-8 by default; we never guess one), ``blank-label``, ``duplicate-label``,
``incorrect-label``, ``extra-label``, ``missing-label`` (header against the schema, position by position),
``extra-cell`` and ``missing-cell`` (a row longer or shorter than the schema) and ``blank-row`` (every cell
missing; such a row gets no other finding). Cells are matched to fields by position, as frictionless does.

Two readers give the same result: Arrow's multithreaded CSV reader for the usual case (UTF-8, a dialect
Arrow supports, every row as wide as the header), and Python's ``csv`` module for everything else (other
encodings, ``commentChar``, ``skipInitialSpace``, ragged rows, no header).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from corpack.validate.report import Finding, Report

FIRST_ROW = 2


class CsvError(Exception):
    """The file cannot be read as CSV at all; the message says why."""


@dataclass
class Dialect:
    """The CSV dialect of a resource (Table Dialect v1 and v2 properties we honour)."""

    delimiter: str = ","
    quote_char: str = '"'
    double_quote: bool = True
    escape_char: str | None = None
    skip_initial_space: bool = False
    header: bool = True
    header_row: int = 1
    comment_char: str | None = None

    @classmethod
    def of(cls, descriptor: dict[str, Any], fmt: str | None) -> "Dialect":
        """The dialect a resource declares (``dialect`` object; TSV defaults to tab)."""
        raw = descriptor.get("dialect")
        raw = raw if isinstance(raw, dict) else {}
        d = cls(delimiter="\t" if fmt == "tsv" else ",")

        def text(key: str, default: str | None) -> str | None:
            value = raw.get(key, default)
            return value if isinstance(value, str) and len(value) == 1 else default

        d.delimiter = text("delimiter", d.delimiter) or ","
        d.quote_char = text("quoteChar", '"') or '"'
        d.escape_char = text("escapeChar", None)
        d.comment_char = text("commentChar", None)
        d.double_quote = raw.get("doubleQuote", True) is not False
        d.skip_initial_space = raw.get("skipInitialSpace", False) is True
        d.header = raw.get("header", True) is not False
        rows = raw.get("headerRows")
        if isinstance(rows, list) and rows and isinstance(rows[0], int) and not isinstance(rows[0], bool) and rows[0] >= 1:
            d.header_row = rows[0]
        return d

    def arrow_ok(self) -> bool:
        return self.header and self.header_row == 1 and self.comment_char is None and not self.skip_initial_space


@dataclass
class CsvTable:
    """A CSV file split into cells: the header's labels and one text column per schema field."""

    labels: list[str]
    columns: dict[str, pa.ChunkedArray]
    num_rows: int
    skip: np.ndarray  # rows (0-based) that get no cell findings: blank rows


def _decode(raw: bytes, encoding: str, spec_name: str | None, file: str | None, report: Report) -> str | None:
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        report.add(Finding("encoding-error", f"the file is not valid {encoding} at byte {exc.start}", spec_name, file, offset=exc.start))
        return None
    except LookupError:
        report.add(Finding("encoding-error", f"unknown encoding {encoding!r}", spec_name, file))
        return None
    return text[1:] if text.startswith("\ufeff") else text


def _arrow_rows(raw: bytes, dialect: Dialect) -> tuple[list[str], pa.Table] | None:
    """Split with Arrow; None when a row is not as wide as the header (the Python reader then says which)."""
    parse = pcsv.ParseOptions(delimiter=dialect.delimiter, quote_char=dialect.quote_char, double_quote=dialect.double_quote,
                              escape_char=dialect.escape_char or False, newlines_in_values=True,
                              ignore_empty_lines=False)
    read = pcsv.ReadOptions(autogenerate_column_names=True, block_size=16 << 20)
    try:
        table = pcsv.read_csv(io.BytesIO(raw), read_options=read, parse_options=parse,
                              convert_options=pcsv.ConvertOptions(column_types={}, strings_can_be_null=False, null_values=[],
                                                                  quoted_strings_can_be_null=False, check_utf8=True,
                                                                  auto_dict_encode=False, include_missing_columns=False))
    except (pa.ArrowException, ValueError):  # ragged rows, bad quoting: left to the Python reader
        return None
    if table.num_rows == 0:
        return None
    if not all(pa.types.is_string(t) for t in table.schema.types):
        return None  # a column of bytes that are not UTF-8: the Python reader reports where
    table = table.cast(pa.schema([(name, pa.string()) for name in table.column_names]))
    labels = [str(v) if v is not None else "" for v in table.slice(0, 1).to_pylist()[0].values()]
    return labels, table.slice(1)


def _python_rows(text: str, dialect: Dialect) -> list[list[str]]:
    kwargs: dict[str, Any] = {"delimiter": dialect.delimiter, "quotechar": dialect.quote_char, "doublequote": dialect.double_quote,
                              "skipinitialspace": dialect.skip_initial_space, "strict": False}
    if dialect.escape_char:
        kwargs["escapechar"] = dialect.escape_char
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), **kwargs))
    except csv.Error as exc:
        raise CsvError(f"not a readable CSV file: {exc}") from None
    if dialect.comment_char:
        rows = [row for row in rows if not (row and row[0].startswith(dialect.comment_char))]
    return rows


def read(path: Path, descriptor: dict[str, Any], fmt: str | None, fields: list[dict[str, Any]], missing: list[str],
         name: str | None, file: str | None, report: Report) -> CsvTable | None:
    """Read and structurally check one CSV file; None (after an ``encoding-error``) when it cannot be decoded.

    Raises:
        CsvError: when the file cannot be split into rows.
        OSError: when it cannot be read.
    """
    raw = path.read_bytes()
    encoding = descriptor.get("encoding") if isinstance(descriptor.get("encoding"), str) else "utf-8"
    dialect = Dialect.of(descriptor, fmt)
    names = [f["name"] for f in fields]
    fast = _arrow_rows(raw, dialect) if dialect.arrow_ok() and encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig") else None
    if fast is not None:
        labels, table = fast
        if labels and labels[0].startswith("\ufeff"):
            labels[0] = labels[0][1:]
        width = len(labels)
        cols = [table.column(i) for i in range(width)]
        lengths = None
        n = table.num_rows
    else:
        text = _decode(raw, encoding, name, file, report)
        if text is None:
            return None
        rows = _python_rows(text, dialect)
        if dialect.header:
            start = dialect.header_row - 1
            labels = rows[start] if len(rows) > start else []
            rows = rows[start + 1 :]
        else:
            labels = []
        n = len(rows)
        width = max([len(names), len(labels)] + [len(r) for r in rows]) if rows or labels else len(names)
        lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=n)
        padded = [r + [None] * (width - len(r)) if len(r) < width else r for r in rows]
        cols = [pa.chunked_array([pa.array([r[i] for r in padded], pa.string())]) for i in range(width)]
    if dialect.header:
        _check_labels(labels, names, name, file, report)
    columns = {field_name: cols[i] for i, field_name in enumerate(names) if i < len(cols)}
    n_fields = len(names)
    row_len = np.full(n, len(labels) if dialect.header else width, dtype=np.int64) if lengths is None else lengths
    # blank row: every field's cell is missing (absent or a missing value)
    blank = np.ones(n, dtype=bool)
    for i in range(n_fields):
        if i < len(cols):
            col = cols[i]
            absent = pc.fill_null(pc.or_(pc.is_null(col), pc.is_in(col, value_set=pa.array(missing, pa.string()))), True)
            blank &= absent.to_numpy(zero_copy_only=False)
    _structure(row_len, n_fields, names, blank, name, file, report)
    return CsvTable(labels, columns, n, blank)


def _structure(row_len: np.ndarray, n_fields: int, names: list[str], blank: np.ndarray, name: str | None, file: str | None, report: Report) -> None:
    """extra-cell / missing-cell per row (not on blank rows), and blank-row."""
    keep = ~blank
    for position in range(n_fields + 1, int(row_len.max(initial=0)) + 1):
        rows = np.flatnonzero(keep & (row_len >= position)) + FIRST_ROW
        if len(rows):
            report.add_rows("extra-cell", f"row has a cell at position {position}, beyond the schema's {n_fields} fields",
                            resource=name, file=file, field=None, rows=rows, total=len(rows))
    for i in range(n_fields):
        rows = np.flatnonzero(keep & (row_len <= i)) + FIRST_ROW
        if len(rows):
            report.add_rows("missing-cell", f"row has no cell for field {names[i]!r} (position {i + 1})",
                            resource=name, file=file, field=names[i], rows=rows, total=len(rows))
    rows = np.flatnonzero(blank) + FIRST_ROW
    if len(rows):
        report.add_rows("blank-row", "row is blank: every cell is missing", resource=name, file=file, field=None, rows=rows, total=len(rows))


def _check_labels(labels: list[str], names: list[str], name: str | None, file: str | None, report: Report) -> None:
    """The header against the schema's field names, position by position, as frictionless checks it."""
    seen: dict[str, int] = {}
    for i in range(max(len(labels), len(names))):
        if i >= len(labels):
            report.add(Finding("missing-label", f"field {names[i]!r} (position {i + 1}) has no column in the file", name, file, field=names[i]))
            continue
        label = labels[i]
        if i >= len(names):
            report.add(Finding("extra-label", f"column {label!r} (position {i + 1}) is not a field of the schema", name, file, field=label or None))
        elif label == "":
            report.add(Finding("blank-label", f"column {i + 1} has a blank label; the schema's field {i + 1} is {names[i]!r}", name, file, field=names[i]))
        elif label in seen:
            report.add(Finding("duplicate-label", f"column {i + 1} repeats the label {label!r} of column {seen[label]}", name, file, field=names[i]))
        elif label != names[i]:
            report.add(Finding("incorrect-label", f"column {i + 1} is named {label!r} but the schema's field {i + 1} is {names[i]!r}", name, file, field=names[i]))
        seen.setdefault(label, i + 1)
