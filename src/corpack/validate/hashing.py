"""64-bit hashes of key columns, vectorised with numpy, so a key's uniqueness can be settled while streaming.

A primary key or ``unique`` field of a Parquet resource is checked chunk by chunk in
:mod:`~corpack.validate.stream`. When its values are not in increasing order, each chunk hashes its keys
here (8 bytes a row, written into one array for the whole column) and the column's hashes are sorted once:
no repeated hash means no repeated key, which is the usual verdict on a valid package, reached without
reading the key column a second time. A repeated hash may be a collision, so the caller then compares the
keys themselves (:mod:`~corpack.validate.sqlkeys` or :mod:`~corpack.validate.keys`). The hashes need not be
stable across versions or machines: they never leave one run.

Strings are hashed by their UTF-8 bytes (a polynomial over the bytes, mixed), so equal strings hash alike
whatever their Arrow type or dictionary; integers, dates and booleans by their value widened to 64 bits. A
composite key combines its columns' hashes. Each function returns None for a column it does not hash
(nulls, floats, nested types), and the caller falls back to comparing the keys.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_STEP = np.uint64(0x100000001B3)  # FNV-1a's 64-bit prime, as the polynomial's base
_POWERS_CACHE: list[np.ndarray] = [np.ones(1, dtype=np.uint64)]
_LENGTH = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(33)


def _powers(n: int) -> np.ndarray:
    """_STEP ** 0 .. _STEP ** (n - 1), modulo 2 ** 64 (grown as longer strings are met, kept for the run)."""
    known = _POWERS_CACHE[0]
    if len(known) < n:
        size = max(n, 2 * len(known), 64)
        grown = np.full(size, _STEP, dtype=np.uint64)
        grown[0] = 1
        with np.errstate(over="ignore"):
            known = np.cumprod(grown, dtype=np.uint64)
        _POWERS_CACHE[0] = known  # one list slot: threads replace it whole, never see a half-built array
    return known[:n]


def _mix(h: np.ndarray) -> np.ndarray:
    """Spread the bits of ``h`` (in place): murmur3's finaliser, a bijection on 64 bits."""
    with np.errstate(over="ignore"):
        h ^= h >> _SHIFT
        h *= _MIX1
        h ^= h >> _SHIFT
        h *= _MIX2
        h ^= h >> _SHIFT
    return h


def _strings(array: pa.Array) -> np.ndarray:
    """Hash each value of a string or binary array without nulls by its bytes."""
    if pa.types.is_string(array.type) or pa.types.is_binary(array.type):
        offset_type = np.int32
    else:  # large_string, large_binary; string views are cast to these by the caller
        offset_type = np.int64
    n = len(array)
    width = np.dtype(offset_type).itemsize
    offsets = np.frombuffer(array.buffers()[1], dtype=offset_type, count=n + 1, offset=array.offset * width).astype(np.int64)
    first = offsets[0]
    lengths = np.diff(offsets)
    data_buffer = array.buffers()[2]
    data = np.frombuffer(data_buffer, dtype=np.uint8)[first:offsets[-1]] if data_buffer is not None else np.empty(0, np.uint8)
    out = lengths.astype(np.uint64) * _LENGTH
    if len(data):
        starts = offsets[:-1] - first
        position = np.arange(len(data), dtype=np.int64) - np.repeat(starts, lengths)
        with np.errstate(over="ignore"):
            terms = data.astype(np.uint64) * _powers(int(lengths.max()))[position]
            nonempty = lengths > 0
            sums = np.add.reduceat(terms, starts[nonempty])  # reduceat needs the indices of non-empty strings only
            out[nonempty] += sums
    return _mix(out)


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
        A uint64 array, or None when a column has a null or a type that is not hashed (floats, nested).
    """
    combined: np.ndarray | None = None
    for column in columns:
        if column.null_count:
            return None
        chunks = column.chunks if isinstance(column, pa.ChunkedArray) else [column]
        parts = [_array(chunk) for chunk in chunks]
        if any(part is None for part in parts):
            return None
        h = np.concatenate(parts) if parts else np.empty(0, np.uint64)
        if combined is None:
            combined = h
        else:
            with np.errstate(over="ignore"):
                combined = _mix(combined * _STEP + h)
    return combined


def repeats(hashes: np.ndarray) -> bool:
    """Whether any hash in ``hashes`` occurs twice; sorts ``hashes`` in place."""
    hashes.sort()
    return bool(np.any(hashes[1:] == hashes[:-1]))

