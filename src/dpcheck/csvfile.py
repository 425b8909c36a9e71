"""Read a CSV resource batch by batch: decode, split with its dialect, check the header and the row structure.

What frictionless checks before types, with its error names: ``encoding-error`` (the bytes are not in the
declared encoding, UTF-8 by default; we never guess one), ``blank-label``, ``duplicate-label``,
``incorrect-label``, ``extra-label``, ``missing-label`` (header against the schema, position by position),
``extra-cell`` and ``missing-cell`` (a row longer or shorter than the schema) and ``blank-row`` (every cell
missing; such a row gets no other finding). Cells are matched to fields by position, as frictionless does.

The file is never held whole: :meth:`Source.open` yields batches of rows (text cells as Arrow arrays), which
:func:`dpcheck.stream.check_csv` checks one at a time. Two readers give the same batches: Arrow's
streaming CSV reader for the usual case (UTF-8, a dialect Arrow supports, every row as wide as the header),
and Python's ``csv`` module for everything else (other encodings, ``commentChar``, ``skipInitialSpace``, no
header, ragged rows: when Arrow meets one part way, it raises :class:`Restart` and the caller starts again
with the Python reader).

A resource's bytes are its parts joined in order, as frictionless joins them: when the CSV has a header, the
first line of every part after the first is dropped (it repeats the header). Each part may be compressed
(``compression`` of ``gz``, ``zip``, ``bz2`` or ``xz``, or the path's extension, as frictionless reads them;
a zip's ``innerpath`` entry, else its first file) and is inflated while it is read, up to
:data:`MAX_INFLATED` bytes. Byte offsets in findings count the joined, inflated bytes.
"""

from __future__ import annotations

import bz2
import codecs
import csv
import gzip
import io
import lzma
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from dpcheck.regularfile import open_file
from dpcheck.report import Finding, Report, quote

FIRST_ROW = 2
BATCH_ROWS = 65_536  # rows per batch checked (the Python reader's batches; Arrow's blocks are joined up to it)
BLOCK_BYTES = 1 << 20  # bytes per block read by Arrow's reader
MAX_INFLATED = 8 << 30  # a compressed part inflating past this is refused (as archive.MAX_UNPACKED)
COMPRESSIONS = ("gz", "zip", "bz2", "xz")
_ALL_TEXT = {f"f{i}": pa.string() for i in range(4096)}  # Arrow's names for columns: every one read as text


class CsvError(Exception):
    """The file cannot be read as CSV at all; the message says why."""


class Restart(Exception):
    """Arrow's reader met a row it cannot read after batches were given out; read again with Python's."""


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
    def of(cls, descriptor: dict[str, Any], fmt: str | None) -> Dialect:
        """The dialect a resource declares (``dialect`` object; TSV defaults to tab).

        frictionless 5 also writes the CSV properties nested, ``{"csv": {"delimiter": ";"}}``; they mean the
        same as the flat Table Dialect keys and win over them.
        """
        raw = descriptor.get("dialect")
        raw = raw if isinstance(raw, dict) else {}
        if isinstance(raw.get("csv"), dict):
            raw = {**raw, **raw["csv"]}
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

    @property
    def first_row(self) -> int:
        """The number frictionless gives the first data row: rows are counted from 1, the header included."""
        return self.header_row + 1 if self.header else 1


@dataclass
class Batch:
    """Consecutive data rows of a CSV resource.

    Attributes:
        cells: the text cells of each column position (null where a row is too short), at least as many
            positions as the schema has fields when rows are ragged.
        row_len: how many cells each row has, or None when every row has one per label.
        num_rows: how many rows.
    """

    cells: list[pa.Array]
    row_len: np.ndarray | None
    num_rows: int


class _Joined(io.RawIOBase):
    """The parts of a resource as one byte stream, inflated; later parts lose their first line when asked."""

    def __init__(self, opens: list[Callable[[], IO[bytes]]], drop_first_line: bool) -> None:
        self._opens = list(opens)
        self._drop = drop_first_line
        self._current: IO[bytes] | None = None
        self._number = 0
        self._skipping = False
        self.inflated = 0

    def readable(self) -> bool:
        return True

    def _next_part(self) -> bool:
        if self._current is not None:
            self._current.close()
            self._current = None
        if not self._opens:
            return False
        self._current = self._opens.pop(0)()
        self._number += 1
        self._skipping = self._drop and self._number > 1
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        while True:
            if self._current is None and not self._next_part():
                return 0
            assert self._current is not None
            data = self._current.read(len(view))
            if not data:
                if not self._next_part():
                    return 0
                continue
            if self._skipping:
                cut = data.find(b"\n")
                if cut < 0:
                    continue
                self._skipping = False
                data = data[cut + 1:]
                if not data:
                    continue
            self.inflated += len(data)
            if self.inflated > MAX_INFLATED:
                raise CsvError(f"the data inflates past the limit of {MAX_INFLATED} bytes (a compression bomb?)")
            view[: len(data)] = data
            return len(data)

    def close(self) -> None:
        if self._current is not None:
            self._current.close()
            self._current = None
        super().close()


class _Part(io.RawIOBase):
    """One part's (inflated) bytes; closing it closes every layer below, down to the file itself."""

    def __init__(self, stream: IO[bytes], *below: Any) -> None:
        self._stream, self._below = stream, below

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def read(self, size: int = -1) -> bytes:
        return self._stream.read(size)

    def close(self) -> None:
        if not self.closed:
            for layer in (self._stream, *self._below):
                layer.close()
        super().close()


def _open_part(path: Path, compression: str | None, innerpath: str | None) -> IO[bytes]:
    """Open one part for reading, inflating it if it is compressed.

    The file is opened by :func:`~dpcheck.regularfile.open_file`, so a FIFO, socket, device or folder
    is refused (an :class:`OSError`) instead of blocking or reading forever.
    """
    raw = open_file(path)
    try:
        if compression == "gz":
            return _Part(gzip.GzipFile(fileobj=raw, mode="rb"), raw)
        if compression == "bz2":
            return _Part(bz2.BZ2File(raw, "rb"), raw)
        if compression == "xz":
            return _Part(lzma.LZMAFile(raw, "rb"), raw)
        if compression == "zip":
            archive = zipfile.ZipFile(raw)
            files = [info for info in archive.infolist() if not info.is_dir()]
            chosen = [info for info in files if info.filename == innerpath] if innerpath else files[:1]
            if not chosen:
                archive.close()
                raise CsvError(f"the zip file has no entry {innerpath!r}" if innerpath else "the zip file is empty")
            if chosen[0].flag_bits & 0x1:
                archive.close()
                raise CsvError(f"the zip entry {chosen[0].filename!r} is encrypted")
            return _Part(archive.open(chosen[0]), archive, raw)
    except BaseException:
        raw.close()
        raise
    return raw


# What reading or inflating a part can raise: a truncated or corrupt gz, bz2, xz or zip, or an OS error.
READ_ERRORS = (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError, zlib.error)


@dataclass
class Source:
    """Where a CSV resource's bytes come from and how to split them.

    Attributes:
        paths: the parts, in order.
        dialect: the resource's dialect.
        encoding: the declared encoding (UTF-8 by default).
        compression: ``gz``, ``zip``, ``bz2``, ``xz`` or None.
        innerpath: the entry of a zip part to read; its first file when None.
        join_headers: whether later parts start with a header line to drop (frictionless: header and csv).
    """

    paths: list[Path]
    dialect: Dialect
    encoding: str = "utf-8"
    compression: str | None = None
    innerpath: str | None = None
    join_headers: bool = False

    @classmethod
    def of(cls, paths: list[Path], descriptor: dict[str, Any], fmt: str | None, compression: str | None) -> Source:
        """The source of a resource from its descriptor (``encoding``, ``dialect``, ``innerpath``)."""
        encoding = descriptor.get("encoding") if isinstance(descriptor.get("encoding"), str) else "utf-8"
        dialect = Dialect.of(descriptor, fmt)
        innerpath = descriptor.get("innerpath") if isinstance(descriptor.get("innerpath"), str) else None
        return cls(list(paths), dialect, encoding, compression, innerpath, dialect.header and fmt == "csv")

    def stream(self) -> IO[bytes]:
        """The joined, inflated bytes as a buffered stream (opening each part only when it is reached)."""
        opens = [lambda path=path: _open_part(path, self.compression, self.innerpath) for path in self.paths]
        return io.BufferedReader(_Joined(opens, self.join_headers), buffer_size=1 << 20)

    @property
    def utf8(self) -> bool:
        return self.encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")

    def arrow_ok(self) -> bool:
        """Whether Arrow's reader can split this source (it then must still meet no ragged row)."""
        return self.dialect.arrow_ok() and self.utf8

    def open(self, python: bool, report: Report, name: str | None, file: str | None) -> tuple[list[str], Iterator[Batch]] | None:
        """Return the header's labels and the data rows in batches; None (after an ``encoding-error``)
        when the bytes are not in the declared encoding.

        The batches are read as they are asked for, so a byte out of the encoding found late surfaces as
        :class:`Undecodable` from the iterator; :func:`undecodable` turns it into the finding.

        Raises:
            CsvError: when the file cannot be split into rows or inflated.
            Restart: (from the iterator) when Arrow meets a row it cannot read.
        """
        if not python:
            started = self._arrow(report)
            if started is not None:
                return started
        if not self._known_encoding(report, name, file):
            return None
        return self._python()

    def _known_encoding(self, report: Report, name: str | None, file: str | None) -> bool:
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            report.add(Finding("encoding-error", f"unknown encoding {self.encoding!r}", name, file))
            return False
        return True

    def _arrow(self, report: Report) -> tuple[list[str], Iterator[Batch]] | None:
        """Start Arrow's reader; None when it cannot even read the first block (the Python reader then does)."""
        d = self.dialect
        parse = pcsv.ParseOptions(delimiter=d.delimiter, quote_char=d.quote_char, double_quote=d.double_quote,
                                  escape_char=d.escape_char or False, newlines_in_values=True, ignore_empty_lines=False)
        read = pcsv.ReadOptions(autogenerate_column_names=True, block_size=BLOCK_BYTES, use_threads=True)
        convert = pcsv.ConvertOptions(column_types=_ALL_TEXT, strings_can_be_null=False, null_values=[],
                                      quoted_strings_can_be_null=False, check_utf8=True, auto_dict_encode=False)
        stream = self.stream()
        try:
            reader = pcsv.open_csv(stream, read_options=read, parse_options=parse, convert_options=convert)
            first = reader.read_next_batch()
        except MemoryError:
            stream.close()
            raise
        except (pa.ArrowException, StopIteration, *READ_ERRORS):
            stream.close()
            return None
        if first.num_rows == 0 or len(first.schema) > len(_ALL_TEXT):
            stream.close()
            return None
        labels = ["" if v is None else str(v) for v in first.slice(0, 1).to_pylist()[0].values()]
        if labels and labels[0].startswith("\ufeff"):
            labels[0] = labels[0][1:]

        def joined(pending: list[pa.RecordBatch]) -> Batch:
            cells = [pa.concat_arrays([b.column(i) for b in pending]) for i in range(first.num_columns)]
            return Batch(cells, None, sum(b.num_rows for b in pending))

        def batches() -> Iterator[Batch]:
            # Arrow reads small blocks (its read-ahead holds several: 8 MB blocks cost 370 MB at 10M rows,
            # 1 MB ones 70 MB, as fast); they are joined into batches of BATCH_ROWS rows for the checks.
            try:
                pending, rows = [first.slice(1)], first.num_rows - 1
                while True:
                    try:
                        batch = reader.read_next_batch()
                    except StopIteration:
                        break
                    except MemoryError:
                        raise
                    except (pa.ArrowException, *READ_ERRORS):
                        raise Restart() from None
                    if rows >= BATCH_ROWS:
                        yield joined(pending)
                        pending, rows = [], 0
                    pending.append(batch)
                    rows += batch.num_rows
                if rows:
                    yield joined(pending)
            finally:
                stream.close()

        return labels, batches()

    def _python(self) -> tuple[list[str], Iterator[Batch]]:
        d = self.dialect
        kwargs: dict[str, Any] = {"delimiter": d.delimiter, "quotechar": d.quote_char, "doublequote": d.double_quote,
                                  "skipinitialspace": d.skip_initial_space, "strict": False}
        if d.escape_char:
            kwargs["escapechar"] = d.escape_char
        stream = self.stream()
        text = io.TextIOWrapper(stream, encoding=self.encoding, errors="strict", newline="")
        rows = csv.reader(text, **kwargs)

        def next_row() -> list[str] | None:
            try:
                while True:
                    row = next(rows)
                    if d.comment_char and row and row[0].startswith(d.comment_char):
                        continue
                    return row
            except StopIteration:
                return None
            except UnicodeDecodeError:
                text.close()
                raise Undecodable(self._bad_byte()) from None
            except csv.Error as exc:
                text.close()
                raise CsvError(f"not a readable CSV file: {exc}") from None

        first = next_row()
        if first and first[0].startswith("\ufeff"):
            first[0] = first[0][1:]
        labels: list[str] = []
        pending = [first] if first is not None else []
        if d.header:
            for _ in range(d.header_row - 1):  # rows above the header row are not data
                if pending:
                    pending = [] if (row := next_row()) is None else [row]
            labels = pending[0] if pending else []
            pending = []

        def batches() -> Iterator[Batch]:
            held = pending
            try:
                while True:
                    while len(held) < BATCH_ROWS:
                        row = next_row()
                        if row is None:
                            break
                        held.append(row)
                    if not held:
                        return
                    yield _python_batch(held)
                    if len(held) < BATCH_ROWS:
                        return
                    held = []
            finally:
                text.close()

        return labels, batches()

    def _bad_byte(self) -> int:
        """The offset of the first byte that is not in the declared encoding (decoding the bytes again)."""
        decoder = codecs.getincrementaldecoder(self.encoding)()
        at = 0
        with self.stream() as stream:
            while block := stream.read(1 << 20):
                held = len(decoder.getstate()[0])
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    return at - held + exc.start
                at += len(block)
            held = len(decoder.getstate()[0])
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError as exc:
                return at - held + exc.start
        return at


class Undecodable(Exception):
    """The bytes stop being in the declared encoding at ``offset``."""

    def __init__(self, offset: int) -> None:
        super().__init__(offset)
        self.offset = offset


def undecodable(exc: Undecodable, source: Source, name: str | None, file: str | None) -> Finding:
    """The ``encoding-error`` finding for a batch iterator that stopped at a byte out of the encoding."""
    return Finding("encoding-error", f"the file is not valid {source.encoding} at byte {exc.offset}", name, file, offset=exc.offset)



def _python_batch(rows: list[list[str]]) -> Batch:
    """Turn rows of Python's reader into a batch (short rows padded with nulls)."""
    n = len(rows)
    row_len = np.fromiter((len(r) for r in rows), dtype=np.int64, count=n)
    width = int(row_len.max(initial=0))
    cells = [pa.array([r[i] if i < len(r) else None for r in rows], pa.string()) for i in range(width)]
    return Batch(cells, row_len, n)


def blank_rows(cells: list[pa.Array | None], missing: list[str], n: int) -> np.ndarray:
    """Rows whose every field's cell is missing (absent or a missing value); ``cells`` has one entry per field."""
    blank = np.ones(n, dtype=bool)
    values = pa.array(missing, pa.string())
    for col in cells:
        if col is not None:
            if not blank.any():
                break  # no row is blank: the other columns cannot make one
            absent = pc.fill_null(pc.or_(pc.is_null(col), pc.is_in(col, value_set=values)), True)
            blank &= absent.to_numpy(zero_copy_only=False)
    return blank


def expected_names(labels: list[str], names: list[str], header: bool) -> list[str]:
    """The cells a row should have, by name, as frictionless counts them.

    With a header, a row should have one cell per label (not per field): a field without a label is not
    expected, and a label without a field is expected under the label's own name (``name2`` when it repeats a
    name). Without a header, one cell per field.
    """
    if not header:
        return list(names)
    out: list[str] = []
    for i, label in enumerate(labels):
        if i < len(names):
            out.append(names[i])
            continue
        base = label or f"field{i + 1}"
        name, number = base, 2
        while name in out or name in names:
            name, number = f"{base}{number}", number + 1
        out.append(name)
    return out


def structure(row_len: np.ndarray, n_fields: int, names: list[str], blank: np.ndarray) -> dict[tuple[int, int], tuple[str, str | None, str, np.ndarray]]:
    """extra-cell / missing-cell per row (not on blank rows), and blank-row, of one batch.

    ``n_fields`` and ``names`` are the cells a row should have (see :func:`expected_names`).

    Returns:
        {(kind, position): (code, field, message, 0-based rows)} with kind 0 extra-cell, 1 missing-cell,
        2 blank-row, so batches merge key by key and the report keeps this order.
    """
    out = {}
    keep = ~blank
    for position in range(n_fields + 1, int(row_len.max(initial=0)) + 1):
        rows = np.flatnonzero(keep & (row_len >= position))
        if len(rows):
            out[(0, position)] = ("extra-cell", None, f"row has a cell at position {position}, beyond the {n_fields} expected", rows)
    for i in range(n_fields):
        rows = np.flatnonzero(keep & (row_len <= i))
        if len(rows):
            out[(1, i)] = ("missing-cell", names[i], f"row has no cell for field {quote(names[i])} (position {i + 1})", rows)
    rows = np.flatnonzero(blank)
    if len(rows):
        out[(2, 0)] = ("blank-row", None, "row is blank: every cell is missing", rows)
    return out


def check_labels(labels: list[str], names: list[str], name: str | None, file: str | None, report: Any) -> None:
    """The header against the schema's field names, position by position, as frictionless checks it."""
    seen: dict[str, int] = {}
    for i in range(max(len(labels), len(names))):
        if i >= len(labels):
            report.add(Finding("missing-label", f"field {quote(names[i])} (position {i + 1}) has no column in the file", name, file, field=names[i]))
            continue
        label = labels[i]
        if i >= len(names):
            report.add(Finding("extra-label", f"column {quote(label)} (position {i + 1}) is not a field of the schema", name, file, field=label or None))
        elif label == "":
            report.add(Finding("blank-label", f"column {i + 1} has a blank label; the schema's field {i + 1} is {quote(names[i])}", name, file, field=names[i]))
        elif label in seen:
            report.add(Finding("duplicate-label", f"column {i + 1} repeats the label {quote(label)} of column {seen[label]}", name, file, field=names[i]))
        elif label != names[i]:
            report.add(Finding("incorrect-label", f"column {i + 1} is named {quote(label)} but the schema's field {i + 1} is {quote(names[i])}", name, file, field=names[i]))
        seen.setdefault(label, i + 1)
