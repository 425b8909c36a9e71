"""Read a CSV resource batch by batch: decode its bytes and split them into rows with its dialect.

The file is never held whole: :meth:`Source.open` gives the header's labels and yields batches of rows (text
cells as Arrow arrays), which :func:`dpcheck.csvcheck.check_csv` checks one at a time (the header and row
shape with :mod:`~dpcheck.csvlabels`). Two readers give the same batches: Arrow's (:mod:`~dpcheck.csvarrow`,
ranges of the file parsed on several threads) for the usual case (UTF-8, a one-row header, a dialect Arrow
supports, every row as wide as the header), and Python's ``csv`` module for everything else (other encodings,
``commentChar``, ``commentRows``, ``headerRows`` other than ``[1]``, ``skipInitialSpace``, no header, ragged
rows: when Arrow meets one part way, it raises :class:`Restart` and the caller starts again with the Python
reader). The bytes are not in the
declared encoding (UTF-8 by default; never guessed): :class:`Undecodable`, an ``encoding-error``. A cell
spelled as the dialect's ``nullSequence`` is null.

The bytes are the resource's parts joined and inflated (:mod:`~dpcheck.bytestream`); byte offsets in
findings count the joined, inflated bytes.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dpcheck import csvarrow, model
from dpcheck.bytestream import COMPRESSIONS, READ_ERRORS, CsvError, joined_parts, unordered  # noqa: F401 (COMPRESSIONS, READ_ERRORS re-exported)
from dpcheck.csvbatch import Batch, Restart  # noqa: F401 (re-exported: what the readers give)
from dpcheck.report import Finding, Report

FIRST_ROW = 2
BATCH_ROWS = 65_536  # rows per batch of Python's reader (and of inline data)
ARROW_BATCH_ROWS = 98_304  # rows per batch of Arrow's reader, at most (a range's bytes bound it first but for short rows)
BLOCK_BYTES = 1 << 20  # bytes per block read by Arrow's reader (a range holds csvarrow.RANGE_BLOCKS of them)


Dialect = model.Dialect  # a resource's CSV dialect: Table Dialect v1 and v2, as the model normalises it


def first_row(dialect: Dialect) -> int:
    """The number frictionless gives the first data row: rows are counted from 1, header rows included."""
    return max(dialect.header_rows) + 1 if dialect.header_rows else 1


def _arrow_splits(dialect: Dialect) -> bool:
    """Whether Arrow's reader can split rows of this dialect (a one-row header, no comments, no skipped spaces)."""
    return (tuple(dialect.header_rows) == (1,) and not dialect.comment_rows and dialect.comment_char is None
            and not dialect.skip_initial_space)


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
        dialect = Dialect.from_descriptor(descriptor.get("dialect"), fmt)
        innerpath = descriptor.get("innerpath") if isinstance(descriptor.get("innerpath"), str) else None
        return cls(list(paths), dialect, encoding, compression, innerpath, dialect.header and fmt == "csv")

    def stream(self) -> IO[bytes]:
        """The joined, inflated bytes as a buffered stream (opening each part only when it is reached)."""
        return joined_parts(self.paths, self.compression, self.innerpath, self.join_headers)

    @property
    def utf8(self) -> bool:
        return self.encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")

    def arrow_ok(self) -> bool:
        """Whether Arrow's reader can split this source (it then must still meet no ragged row)."""
        return _arrow_splits(self.dialect) and self.utf8

    def open(self, python: bool, report: Report, name: str | None, file: str | None) -> tuple[list[str], Iterator[Batch]] | None:
        """Return the header's labels and the data rows in batches; None (after an ``encoding-error``)
        when the bytes are not in the declared encoding.

        The batches are read as they are asked for, so a byte out of the encoding found late surfaces as
        :class:`Undecodable` from the iterator; :func:`undecodable` turns it into the finding.

        Raises:
            CsvError: when the file cannot be split into rows or inflated.
            Restart: (from the iterator) when Arrow meets a row it cannot read.
        """
        started = None if python else csvarrow.read(self.stream(), self.dialect, BLOCK_BYTES, ARROW_BATCH_ROWS)
        if started is None:
            if not self._known_encoding(report, name, file):
                return None
            said = unordered(self.encoding, self.stream)
            if said is not None:
                report.add(Finding("encoding-error", said, name, file, offset=0))
                return None
            started = self._python()
        labels, batches = started
        return labels, batches if self.dialect.null_sequence is None else _nulled(batches, self.dialect.null_sequence)

    def _known_encoding(self, report: Report, name: str | None, file: str | None) -> bool:
        try:
            codecs.lookup(self.encoding)
        except LookupError:
            report.add(Finding("encoding-error", f"unknown encoding {self.encoding!r}", name, file))
            return False
        return True

    def _python(self) -> tuple[list[str], Iterator[Batch]]:
        d = self.dialect
        kwargs: dict[str, Any] = {"delimiter": d.delimiter, "quotechar": d.quote_char, "doublequote": d.double_quote,
                                  "skipinitialspace": d.skip_initial_space, "strict": False}
        if d.escape_char:
            kwargs["escapechar"] = d.escape_char
        stream = self.stream()
        text = io.TextIOWrapper(stream, encoding=self.encoding, errors="strict", newline="")
        rows = csv.reader(text, **kwargs)
        number, records = 0, 0  # the number of the row just read: commentRows count, commentChar rows do not

        def next_row() -> list[str] | None:
            nonlocal number, records
            try:
                while True:
                    row = next(rows)
                    records += 1
                    if records == 1 and row and row[0].startswith("\ufeff"):
                        row[0] = row[0][1:]
                    if d.comment_char and row and row[0].startswith(d.comment_char):
                        continue
                    number += 1
                    if number in d.comment_rows:
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

        parts: list[list[str]] = []  # the header rows; rows above the last one that are not header rows are skipped
        while d.header_rows and number < max(d.header_rows):
            row = next_row()
            if row is None:
                break
            if number in d.header_rows:
                parts.append(row)
        labels: list[str] = []
        for k, part in enumerate(parts):  # joined column by column as frictionless joins them, but for a cell
            for i, cell in enumerate(part):  # repeating the one above it
                if i >= len(labels):
                    labels.append(cell)
                elif parts[k - 1][i:i + 1] != [cell]:
                    labels[i] = d.header_join.join([labels[i], cell])
        pending: list[list[str]] = []

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



def _nulled(batches: Iterator[Batch], sequence: str) -> Iterator[Batch]:
    """The batches with every cell spelled as the dialect's ``nullSequence`` made null (Table Dialect v2)."""
    for batch in batches:
        cells = [pc.if_else(pc.fill_null(pc.equal(col, sequence), False), pa.scalar(None, pa.string()), col) for col in batch.cells]
        yield Batch(cells, batch.row_len, batch.num_rows)


def _python_batch(rows: list[list[str]]) -> Batch:
    """Turn rows of Python's reader into a batch (short rows padded with nulls)."""
    n = len(rows)
    row_len = np.fromiter((len(r) for r in rows), dtype=np.int64, count=n)
    width = int(row_len.max(initial=0))
    cells = [pa.array([r[i] if i < len(r) else None for r in rows], pa.string()) for i in range(width)]
    return Batch(cells, row_len, n)
