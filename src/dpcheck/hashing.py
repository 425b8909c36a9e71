"""64-bit hashes of key columns, so a key's uniqueness can be settled while streaming.

A primary key, ``unique`` field or unique key is checked batch by batch in the one loop
(:mod:`~dpcheck.keystream`). When its values are not in increasing order, each batch hashes its keys here
(8 bytes a row) and groups the hashes by their top byte (:func:`bucketed`); at the end each bucket of every
batch is sorted together with the same bucket of the others (:func:`repeats_across`):
no repeated hash means no repeated key, which is the usual verdict on a valid package, reached without
reading the key column a second time. A repeated hash may be a collision, so the caller then compares the
keys themselves (:mod:`~dpcheck.sqlkeys` or :mod:`~dpcheck.keys`). The hashes need not be
stable across versions or machines: they never leave one run.

Equal values must hash alike wherever they are met, so the hash of a value depends on the value alone:

- a string or binary of at most :data:`SHORT` bytes (ids, codes, names) is hashed in numpy, all strings of
  one length at once: its bytes, zero-padded to whole 64-bit words, are folded word by word with murmur3's
  finaliser, its length mixed in first;
- a longer one is hashed by DuckDB's ``hash()`` over the Arrow data (numpy would need one pass per word);
- integers, dates, times, timestamps and booleans by their value widened to 64 bits, mixed;
- a dictionary once per entry, then spread to its rows; a string view as the large string it equals.

For the 10M distinct 9-byte ids of the benchmark, numpy takes 0.38 s of CPU, DuckDB 0.9 s and the earlier
byte-by-byte polynomial 2.0 s (measured in #5). A composite key combines its columns' hashes.
:func:`key_hashes` returns None for what it does not hash (a null; a float, whose equality frictionless does
not define as Arrow does; a nested type), and the caller compares the keys.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

SHORT = 32  # strings up to this many bytes are hashed in numpy; longer ones by DuckDB
_BUCKETS = 256  # hashes are grouped by their top byte to find repeats (see Buckets)

_STEP = np.uint64(0x100000001B3)  # FNV-1a's 64-bit prime, to combine words and columns
_LENGTH = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(33)
_TOP = np.uint64(56)
_MIDDLE = np.uint64(24)  # the shift that leaves the 32 bits under the top byte in a uint32
_local = threading.local()


def _mix(h: np.ndarray, spare: np.ndarray | None = None) -> np.ndarray:
    """Spread the bits of ``h`` (in place): murmur3's finaliser, a bijection on 64 bits. ``spare``, an array
    of ``h``'s shape, holds the shifted bits (one is made when not given)."""
    spare = np.empty_like(h) if spare is None else spare
    with np.errstate(over="ignore"):
        for factor in (_MIX1, _MIX2, None):
            np.right_shift(h, _SHIFT, out=spare)
            np.bitwise_xor(h, spare, out=h)
            if factor is not None:
                np.multiply(h, factor, out=h)
    return h


def _same_length(rows: np.ndarray, length: int) -> np.ndarray:
    """Hash ``rows`` (each ``length`` bytes, one string per row of a uint8 matrix) word by word.

    A row of 8 bytes or more is read as whole words where it lies, the last one ending at its last byte (so it
    may overlap the one before: the words still cover every byte); a shorter one is zero-padded to a word.
    """
    n = len(rows)
    if length >= 8:
        rows = np.ascontiguousarray(rows)
        starts = list(range(0, length - 8, 8)) + [length - 8]
        words = [np.ndarray((n,), dtype="<u8", buffer=rows, offset=start, strides=(length,)) for start in starts]
    else:
        padded = np.zeros((n, 8), dtype=np.uint8)
        padded[:, :length] = rows
        words = [padded.view(np.uint64)[:, 0]]
    # (in place, with one spare array: a fresh process pays for each new array's pages, about as much as
    # for the arithmetic)
    with np.errstate(over="ignore"):
        h = np.full(n, np.uint64(length) * _LENGTH, dtype=np.uint64)
        spare = np.empty_like(h)
        for word in words:
            np.multiply(h, _STEP, out=h)
            np.add(h, word, out=h)
            _mix(h, spare)
    return h


def _connection() -> Any:
    """This thread's DuckDB connection (one thread, in memory), opened on first use (about 30 ms)."""
    con = getattr(_local, "con", None)
    if con is None:
        import duckdb

        con = _local.con = duckdb.connect(config={"threads": 1})
    return con


def _long(array: pa.Array) -> np.ndarray:
    """DuckDB's hash of each value of a string or binary array without nulls."""
    hashed = _connection().from_arrow(pa.table({"v": array})).project("hash(v) AS h").to_arrow_table().column(0)
    return hashed.to_numpy().astype(np.uint64)


def _strings(array: pa.Array) -> np.ndarray:
    """Hash each value of a string or binary array without nulls by its bytes (see the module docstring)."""
    offset_type = np.int32 if pa.types.is_string(array.type) or pa.types.is_binary(array.type) else np.int64
    n = len(array)
    width = np.dtype(offset_type).itemsize
    offsets = np.frombuffer(array.buffers()[1], dtype=offset_type, count=n + 1, offset=array.offset * width)
    lengths = np.diff(offsets)
    data_buffer = array.buffers()[2]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.empty(0, np.uint8)
    out = np.empty(n, dtype=np.uint64)
    if n == 0:
        return out
    if lengths.min() == lengths.max() <= SHORT:  # one width (ids): the bytes are already a matrix
        length = int(lengths[0])
        return _same_length(data[int(offsets[0]):int(offsets[-1])].reshape(n, length), length)
    long = lengths > SHORT
    if long.any():
        out[long] = _long(array.filter(pa.array(long)))
    for length in np.unique(lengths[~long]).tolist():
        rows = np.flatnonzero(lengths == length)
        cells = data[offsets[rows].astype(np.int64)[:, None] + np.arange(length)] if length else np.empty((len(rows), 0), np.uint8)
        out[rows] = _same_length(cells, length)
    return out


def _array(array: pa.Array) -> np.ndarray | None:
    """Hash each value of one Arrow array (no nulls); None for a type not hashed here."""
    t = array.type
    if pa.types.is_dictionary(t):
        values = _array(array.dictionary)
        if values is None:
            return None
        return values[array.indices.to_numpy(zero_copy_only=False).astype(np.int64)]
    if pa.types.is_string_view(t) or pa.types.is_binary_view(t):
        return _array(array.cast(pa.large_string() if pa.types.is_string_view(t) else pa.large_binary()))
    if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_binary(t) or pa.types.is_large_binary(t):
        return _strings(array)
    if pa.types.is_boolean(t):
        return _mix(array.to_numpy(zero_copy_only=False).astype(np.uint64))
    if pa.types.is_integer(t) or pa.types.is_date(t) or pa.types.is_timestamp(t) or pa.types.is_time(t):
        raw = array.to_numpy(zero_copy_only=False)
        if raw.dtype.kind in "Mm":  # dates, times and timestamps come back as numpy datetimes
            raw = raw.view(f"i{raw.dtype.itemsize}")
        return _mix(raw.astype(np.int64).view(np.uint64))
    return None


def key_hashes(columns: list[pa.ChunkedArray | pa.Array]) -> np.ndarray | None:
    """Return one 64-bit hash per row of a key made of ``columns`` (equal keys hash alike).

    Returns:
        A writable uint64 array, or None when a column has a null or a type that is not hashed (floats, nested).
    """
    combined: np.ndarray | None = None
    for column in columns:
        if column.null_count:
            return None
        chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
        parts = [_array(chunk) for chunk in chunks]
        if any(part is None for part in parts):
            return None
        # (a column of one chunk keeps its array: each part is a new one, so no copy is needed to own it)
        h = parts[0] if len(parts) == 1 else np.concatenate(parts) if parts else np.empty(0, np.uint64)
        if combined is None:
            combined = h
        else:
            with np.errstate(over="ignore"):
                np.multiply(combined, _STEP, out=combined)
                np.add(combined, h, out=combined)
            _mix(combined, h)
    return combined


@dataclass(frozen=True)
class Buckets:
    """Hashes grouped by their top byte, the groups in increasing order of it: bucket ``b`` is
    ``hashes[starts[b]:starts[b + 1]]`` (``starts`` has 257 entries). Equal hashes fall in the same bucket, so
    repeats are found bucket by bucket: 256 sorts of a few thousand hashes, in the cache, take about half the
    CPU one sort of them all does (1M hashes: 20 ms against 51 ms; sorting 16 batches of 64k, as was done
    before, took 39 ms, and sorting their sorted runs together 55 ms more)."""

    hashes: np.ndarray
    starts: list[int]


def bucketed(hashes: np.ndarray) -> Buckets:
    """Group ``hashes`` by their top byte (a stable radix pass over it: 8 ms for 1M)."""
    top = (hashes >> _TOP).astype(np.uint8)
    order = np.argsort(top, kind="stable")
    starts = np.zeros(_BUCKETS + 1, np.int64)
    np.cumsum(np.bincount(top, minlength=_BUCKETS), out=starts[1:])
    return Buckets(hashes[order], starts.tolist())


def repeats(hashes: np.ndarray) -> bool:
    """Whether any hash in ``hashes`` occurs twice."""
    return repeats_across([bucketed(hashes)], 1)


def repeats_across(parts: list[Buckets], workers: int) -> bool:
    """Whether any hash occurs twice in ``parts``, judged bucket by bucket (each bucket's hashes cut out of
    every part and sorted, so no copy of the whole column is made) on ``workers`` threads, each given runs of
    neighbouring buckets (the hashes are spread evenly, so the runs are of a size)."""
    if sum(len(part.hashes) for part in parts) < 2:
        return False

    def repeat_in(first: int, end: int) -> bool:
        for b in range(first, end):
            pieces = [part.hashes[part.starts[b]:part.starts[b + 1]] for part in parts]
            # (one part's bucket is sorted where it lies: sorted, it is still that bucket)
            held = np.concatenate(pieces) if len(pieces) > 1 else pieces[0]
            if len(held) > 1:
                # The 32 bits under the top byte (the bucket's) first: sorting them takes about 60 % of the
                # time sorting the whole hashes does (1M hashes in 256 buckets: 14 against 24 ms), and equal
                # hashes are equal there; only a bucket where two of them are equal is sorted whole.
                middle = (held >> _MIDDLE).astype(np.uint32)
                middle.sort()
                if np.any(middle[1:] == middle[:-1]):
                    held.sort()
                    if np.any(held[1:] == held[:-1]):
                        return True
        return False

    if workers <= 1:
        return repeat_in(0, _BUCKETS)
    runs = 4 * workers  # (a few runs for each thread, so that one slower run does not hold the rest)
    edges = [_BUCKETS * i // runs for i in range(runs + 1)]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return any(pool.map(repeat_in, edges[:-1], edges[1:]))
