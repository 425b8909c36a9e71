"""Arrow's CSV reader as dpcheck uses it: a UTF-8 file's rows as text cells, split on several threads.

Arrow splits a file whose quoted values may hold newlines on one thread, and on two cores that takes about as
long as every check of the rows together. So the bytes are cut into ranges of up to 6 blocks, each ending just
after a newline, and each range is parsed by Arrow on a thread of its own (:data:`PARSERS`), the ranges given
out in order. Whether a range's last newline ended a row, rather than lying inside a quoted value, is known
only once the range is read: each range is read with a sentinel row after it (a random token, then as many
empty cells as the header has more), and counts as whole rows only when Arrow gives the sentinel back as a
row of its own, the last one (:func:`whole_rows`). When it does not
(a quoted value runs over the cut), the range is read again joined to the next ones, as one block, up to
:data:`MERGE_BLOCKS` blocks. Past that, when a range starts a row of another width, or when Arrow cannot read a
range, the rest of the file from that range's start is read by Arrow's streaming reader on one thread, which
reads every row as one pass over the file reads it (:func:`streamed`). So the rows given are those of one
pass, wherever the cuts fall; a row that pass cannot read raises :class:`~dpcheck.csvbatch.Restart`.

A range is read as one block because Arrow drops the ``\n`` of a ``\r\n`` inside a quoted value when a
boundary between its blocks falls between the two bytes (pyarrow 26): one pass over a file with 1 MB blocks
meets that about once a million quoted line breaks; the ranges, cut just after a ``\n``, never do.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import queue
import secrets
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any

import pyarrow as pa
import pyarrow.csv as pcsv

from dpcheck.bytestream import READ_ERRORS
from dpcheck.csvbatch import Batch, Restart
from dpcheck.csvcuts import POOL, Cuts, Piece
from dpcheck.model import Dialect

PARSERS = min(os.cpu_count() or 1, 8)  # threads parsing ranges
RANGE_BLOCKS = 6  # blocks a range holds, at most (the first holds one, the next ones one more each)
MERGE_BLOCKS = 24  # a range that does not end a row is read again with the next ones, up to this many blocks
_LEAST_ROWS = 2048  # rows of a batch of the first range, at least (see _ranges)
_MOST_COLUMNS = 4096  # columns read as text; a file with more is left to Python's reader
_TOKEN = "dpcheck" + secrets.token_hex(16)  # the sentinel row's text: no file holds it, since none can know it


def read(stream: IO[bytes], dialect: Dialect, block_bytes: int, batch_rows: int) -> tuple[list[str], Iterator[Batch]] | None:
    """Return the header's labels and the data rows of a UTF-8 CSV stream in batches of at most
    ``batch_rows`` rows; None (the stream closed) when Arrow cannot read its first rows, or they are empty.

    Raises:
        Restart: (from the iterator) when Arrow meets a row it cannot read after batches were given out.
    """
    sentinel = "".join(c for c in _TOKEN if c not in (dialect.delimiter, dialect.quote_char, dialect.escape_char))
    cuts = Cuts(stream)
    # The rows are typed for as many columns as Python's csv module finds in the first row, and the sentinel
    # row has as many cells: where the two readers disagree, or it cannot tell, one pass reads the file.
    width = _first_width(cuts.head(1 << 16), dialect)
    first = None
    head = None
    if width is not None:
        cuts.row = (sentinel + dialect.delimiter * (width - 1) + "\n").encode()
        def parse(piece: Piece) -> pa.Table | None:
            return whole_rows(piece, sentinel, dialect, block_bytes, width)

        first = cuts.take(block_bytes)
        if first is not None:
            first, head = _read_on(cuts, first, parse(first), lambda: cuts.take(block_bytes), parse, block_bytes)
    if head is None:
        return streamed(cuts.rest([] if first is None else [first]), dialect, block_bytes, batch_rows)
    if head.num_rows == 0:
        stream.close()
        return None
    return _labels(head), _ranges(head, cuts, sentinel, dialect, block_bytes, batch_rows)


def whole_rows(piece: Piece, sentinel: str, dialect: Dialect, block_bytes: int, columns: int) -> pa.Table | None:
    """Arrow's rows of a piece of the file (``columns`` columns' cells as text, named f0, f1, ...), followed in it
    by the sentinel row (``sentinel`` in its first cell, ``columns`` cells), when they end where the piece's
    bytes end; None when they may not (its last newline lies inside a quoted value) or Arrow cannot read them
    (a row of another width among them).

    No handler of rows of another width is given to Arrow: pyarrow turns such a row's bytes into text before it
    calls one, and where they are not UTF-8 that fails outside any caller, printing a traceback.
    """
    # (one block, the piece: a row longer than a block, the sentinel's in the tests' tiny blocks, is one Arrow
    # cannot read, and fewer chunks make the checks' work lighter)
    parse, read, convert = _options(dialect, max(block_bytes, piece.data.size), threads=False, columns=columns)
    try:
        table = pcsv.read_csv(pa.BufferReader(piece.data), read_options=read, parse_options=parse, convert_options=convert,
                              memory_pool=POOL)
    except MemoryError:
        raise
    except (pa.ArrowException, *READ_ERRORS):
        return None
    last = table.num_rows - 1
    return table.slice(0, last) if last >= 0 and table.column(0)[last].as_py() == sentinel else None


def _first_width(start: bytes, dialect: Dialect) -> int | None:
    """How many cells the first row holds, as Python's csv module reads the file's first bytes, ``start``; None
    when it cannot tell. A guess: Arrow then reads rows of as many cells or none."""
    head = start.decode("utf-8", errors="replace")
    d = dialect
    try:
        row = next(csv.reader(io.StringIO(head, newline=""), delimiter=d.delimiter, quotechar=d.quote_char,
                              doublequote=d.double_quote, escapechar=d.escape_char, strict=False))
    except (csv.Error, StopIteration, TypeError, ValueError):
        return None
    return len(row) if 0 < len(row) <= _MOST_COLUMNS else None


def streamed(stream: IO[bytes], dialect: Dialect, block_bytes: int, batch_rows: int) -> tuple[list[str], Iterator[Batch]] | None:
    """:func:`read` in one pass on one thread (Arrow's streaming reader), the batches read ahead of the caller."""
    reader = _open(stream, dialect, block_bytes)
    first = None
    if reader is not None:
        try:
            first = reader.read_next_batch()
        except MemoryError:
            stream.close()
            raise
        except (pa.ArrowException, StopIteration, *READ_ERRORS):
            pass
    if first is None or first.num_rows == 0 or len(first.schema) > _MOST_COLUMNS:
        stream.close()
        return None
    return _labels(first), read_ahead(_blocks(reader, [first.slice(1)], stream, batch_rows, None))


def _labels(head: pa.Table | pa.RecordBatch) -> list[str]:
    labels = ["" if v is None else str(v) for v in head.slice(0, 1).to_pylist()[0].values()]
    if labels and labels[0].startswith("\ufeff"):
        labels[0] = labels[0][1:]
    return labels


def _options(dialect: Dialect, block_bytes: int, threads: bool, columns: int = _MOST_COLUMNS) -> tuple[Any, Any, Any]:
    d = dialect
    parse = pcsv.ParseOptions(delimiter=d.delimiter, quote_char=d.quote_char, double_quote=d.double_quote,
                              escape_char=d.escape_char or False, newlines_in_values=True, ignore_empty_lines=False)
    read = pcsv.ReadOptions(autogenerate_column_names=True, block_size=block_bytes, use_threads=threads)
    return parse, read, _convert(columns)


@functools.cache
def _convert(columns: int) -> Any:
    """The cells of the first ``columns`` columns as text, as spelled. Built once for each count: Arrow takes
    1.3 ms a file to read the types of 4,096 columns, 0.2 ms for a few."""
    return pcsv.ConvertOptions(column_types={f"f{i}": pa.string() for i in range(columns)}, strings_can_be_null=False,
                               null_values=[], quoted_strings_can_be_null=False, check_utf8=True, auto_dict_encode=False)


def _open(stream: IO[bytes], dialect: Dialect, block_bytes: int) -> Any:
    """Arrow's streaming reader over ``stream``, or None (the stream closed) when it cannot start."""
    parse, read, convert = _options(dialect, block_bytes, threads=True)
    try:
        return pcsv.open_csv(stream, read_options=read, parse_options=parse, convert_options=convert, memory_pool=POOL)
    except MemoryError:
        stream.close()
        raise
    except (pa.ArrowException, *READ_ERRORS):
        stream.close()
        return None


def _blocks(reader: Any, pending: list[pa.RecordBatch], stream: IO[bytes], batch_rows: int, width: int | None) -> Iterator[Batch]:
    """The streaming reader's blocks joined into batches of about ``batch_rows`` rows (each column the chunks
    of its blocks), starting with ``pending``; a row of a width other than ``width`` (when given) raises."""
    # Arrow reads small blocks (its read-ahead holds several: 8 MB blocks cost 370 MB at 10M rows, 1 MB ones
    # 70 MB, as fast); they are joined into batches for the checks.
    def joined(blocks: list[pa.RecordBatch]) -> Batch:
        cells = [pa.chunked_array([b.column(i) for b in blocks], pa.string()) for i in range(blocks[0].num_columns)]
        return Batch(cells, None, sum(b.num_rows for b in blocks))

    try:
        rows = sum(b.num_rows for b in pending)
        while True:
            try:
                block = reader.read_next_batch()
            except StopIteration:
                break
            except MemoryError:
                raise
            except (pa.ArrowException, *READ_ERRORS):
                raise Restart() from None
            if width is not None and block.num_columns != width:
                raise Restart()
            if rows >= batch_rows:
                yield joined(pending)
                pending, rows = [], 0
            pending.append(block)
            rows += block.num_rows
        if rows:
            yield joined(pending)
    finally:
        stream.close()


def _ranges(head: pa.Table, cuts: Cuts, sentinel: str, dialect: Dialect, block_bytes: int, batch_rows: int) -> Iterator[Batch]:
    """The batches of ``head`` (the first range, its first row the header's) and of the ranges after it,
    parsed on :data:`PARSERS` threads, at most one more range in hand than threads (see the module docstring)."""
    width = head.num_columns
    blocks = 1
    pending: deque[tuple[Piece, Future[pa.Table | None]]] = deque()
    pool = ThreadPoolExecutor(max_workers=PARSERS, thread_name_prefix="dpcheck-csv-range")
    try:
        # (the first range is cut in as many batches as threads check them: a small file is one range, and
        # its checks would otherwise run on one thread)
        yield from _sliced(head.slice(1), min(batch_rows, max(_LEAST_ROWS, -(-(head.num_rows - 1) // PARSERS))))
        while True:
            while len(pending) <= PARSERS and (data := cuts.take(blocks * block_bytes)) is not None:
                pending.append((data, pool.submit(whole_rows, data, sentinel, dialect, block_bytes, width)))
                blocks = min(blocks + 1, RANGE_BLOCKS)  # (the first ranges smaller, so that checks start early)
            if not pending:
                return
            data, future = pending.popleft()
            data, table = _read_on(cuts, data, future.result(),
                                   lambda: pending.popleft()[0] if pending else cuts.take(blocks * block_bytes),
                                   lambda piece: whole_rows(piece, sentinel, dialect, block_bytes, width), block_bytes)
            if table is None or table.num_columns != width:
                rest = cuts.rest([data] + [held for held, _ in pending])
                pending.clear()
                reader = _open(rest, dialect, block_bytes)
                if reader is None:
                    raise Restart()
                yield from _blocks(reader, [], rest, batch_rows, width)
                return
            yield from _sliced(table, batch_rows)
    finally:
        for _, future in pending:
            future.cancel()
        pool.shutdown(wait=True)
        cuts.close()


def _read_on(cuts: Cuts, piece: Piece, table: pa.Table | None, following: Callable[[], Piece | None],
             parse: Callable[[Piece], pa.Table | None], block_bytes: int) -> tuple[Piece, pa.Table | None]:
    """``piece`` and its rows (``table``), or, when they did not end a row (a quoted value may run over the
    cut), the piece joined to the ``following`` ones and read again as one, until its rows end where it does
    or it holds :data:`MERGE_BLOCKS` blocks or the stream ends (its rows then None)."""
    while table is None and piece.size < MERGE_BLOCKS * block_bytes:
        more = following()
        if more is None:
            break
        piece = cuts.join(piece, more)
        table = parse(piece)
    return piece, table


def _sliced(table: pa.Table, batch_rows: int) -> Iterator[Batch]:
    for start in range(0, table.num_rows, batch_rows):
        part = table.slice(start, batch_rows)
        yield Batch([part.column(i) for i in range(part.num_columns)], None, part.num_rows)


def read_ahead(batches: Iterator[Batch]) -> Iterator[Batch]:
    """The same batches, in the same order, each read in a background thread while the caller checks the one
    before (Arrow's reader splits and converts without Python's lock, so reading and checking share the cores).

    At most one batch waits. An exception from ``batches`` is raised here, in the caller's thread, where the
    batch it stopped would have been; closing this iterator (or dropping it) stops the thread and closes
    ``batches``.
    """
    box: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=1)
    stop = threading.Event()

    def give(item: tuple[str, Any]) -> bool:
        while not stop.is_set():
            try:
                box.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def fill() -> None:
        try:
            for batch in batches:
                if not give(("batch", batch)):
                    return
            give(("end", None))
        except BaseException as exc:  # noqa: BLE001 - every exception is the caller's, raised in its thread
            give(("error", exc))
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=fill, name="dpcheck-csv-read-ahead", daemon=True)
    worker.start()
    try:
        while True:
            kind, item = box.get()
            if kind == "end":
                return
            if kind == "error":
                raise item
            yield item
    finally:
        stop.set()
        worker.join()
