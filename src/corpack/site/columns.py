"""Whole columns turned into page text at once, with ``pyarrow.compute``: a million rows never become a million
Python dicts.

A column's cells are rendered as one Arrow string array (one string per row); :class:`Strings` then holds such
an array as one UTF-8 buffer and its offsets, so the rows of a page (consecutive after sorting) are a single
slice of bytes, and a worker process can read them without calling into Arrow.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def flat(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """One contiguous array of ``column``."""
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def text(column: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Each value as :func:`corpack.site.model.cell` prints it, null kept null (a string array)."""
    array = flat(column)
    kind = array.type
    if pa.types.is_dictionary(kind):
        array = array.cast(kind.value_type)
        kind = array.type
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        return array.cast(pa.large_string())
    if pa.types.is_boolean(kind):
        return pc.if_else(array, "true", "false").cast(pa.large_string())
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_date(kind):
        return array.cast(pa.large_string())
    from corpack.site.model import cell  # anything else (lists, structs, times): value by value, as cell() does

    return pa.array([None if v is None else cell(v) for v in array.to_pylist()], pa.large_string())


def holds_any(strings: pa.Array, characters: bytes) -> bool:
    """Whether any string holds one of the ASCII ``characters``: a search of the bytes of the strings (of a slice,
    only its own bytes; a slice's buffer is its whole column's)."""
    array = flat(strings)
    buffers = array.buffers()
    if len(buffers) < 3 or buffers[2] is None or not len(array):
        return False
    kind = np.int64 if pa.types.is_large_string(array.type) or pa.types.is_large_binary(array.type) else np.int32
    offsets = np.frombuffer(buffers[1], dtype=kind)
    raw = bytes(memoryview(buffers[2])[int(offsets[array.offset]): int(offsets[array.offset + len(array)])])
    if len(characters) > 8:
        return len(raw.translate(None, characters)) != len(raw)
    return any(raw.find(bytes([c])) >= 0 for c in characters)


def _plain(strings: pa.Array) -> bool:
    """Whether no string holds a character HTML must escape (so the five replacements can be skipped)."""
    return not holds_any(strings, b"&<>\"'")


def escape(strings: pa.Array, *, quote: bool = True) -> pa.Array:
    """HTML-escape every string, as :func:`html.escape` does."""
    if _plain(strings):
        return strings
    out = pc.replace_substring(strings, "&", "&amp;")
    out = pc.replace_substring(out, "<", "&lt;")
    out = pc.replace_substring(out, ">", "&gt;")
    if quote:
        out = pc.replace_substring(out, '"', "&quot;")
        out = pc.replace_substring(out, "'", "&#x27;")
    return out


def parallel(function, items: list, jobs: int) -> list:
    """``[function(item) for item in items]``, in threads: Arrow's kernels release the GIL, so columns are
    computed side by side. The results keep the order of ``items``."""
    if jobs <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(function, items))


def shown(resource_table: pa.Table, names: list[str], limit: int, jobs: int = 1) -> dict[str, pa.Array]:
    """The text a table cell shows for every column of ``names``: :func:`text`, cut by :func:`shorten`."""
    return dict(zip(names, parallel(lambda name: shorten(text(resource_table.column(name)), limit), names, jobs)))


def shorten(strings: pa.Array, limit: int) -> pa.Array:
    """Strings longer than ``limit`` characters cut to ``limit`` and ended with ``…``."""
    lengths = pc.utf8_length(strings)
    longest = pc.max(lengths).as_py()
    if longest is None or longest <= limit:
        return strings
    long = pc.fill_null(pc.greater(lengths, limit), False)
    return pc.if_else(long, join(pc.utf8_slice_codeunits(strings, 0, limit), "…"), strings)


def join(*parts: pa.Array | str) -> pa.Array:
    """Concatenate arrays and literal strings element-wise (null parts count as ``''``)."""
    return join_with("", *parts)


def join_with(separator: str, *parts: pa.Array | str) -> pa.Array:
    """Concatenate arrays and literal strings element-wise with ``separator`` between (null parts count as ``''``)."""
    values = [pa.scalar(p, pa.large_string()) if isinstance(p, str) else large(p) for p in parts]
    return pc.binary_join_element_wise(*values, pa.scalar(separator, pa.large_string()), null_handling="replace",
                                       null_replacement="")


def join_rows(parts: list[pa.Array | str], jobs: int = 1) -> pa.Array | pa.ChunkedArray:
    """:func:`join` of ``parts`` (arrays of one length and literals), in ``jobs`` threads over slices of the rows;
    the result is the same strings, in the same order."""
    rows = next((len(p) for p in parts if not isinstance(p, str)), 0)
    if jobs <= 1 or rows < 20_000:
        return join(*parts)
    step = -(-rows // (jobs * 2))
    arrays = [large(p) if not isinstance(p, str) else p for p in parts]

    def one(start: int) -> pa.Array:
        return join(*[p if isinstance(p, str) else p.slice(start, step) for p in arrays])

    return pa.chunked_array(parallel(one, list(range(0, rows, step)), jobs), pa.large_string())


def large(strings: pa.Array | pa.ChunkedArray) -> pa.Array:
    """``strings`` as one ``large_string`` array."""
    array = flat(strings)
    return array if array.type == pa.large_string() else array.cast(pa.large_string())


def row_keys(table: pa.Table, primary_key: list[str]) -> pa.Array:
    """Each row's key as :meth:`corpack.site.model.Resource.key` writes it: the key's values joined by ``/``,
    ``#<row number>`` when there is no primary key."""
    if not primary_key:
        numbers = pa.array(np.arange(table.num_rows), pa.int64()).cast(pa.large_string())
        return join("#", numbers)
    columns = [pc.fill_null(text(table.column(name)), "") for name in primary_key]
    if len(columns) == 1:
        return columns[0]
    return pc.binary_join_element_wise(*[large(c) for c in columns], pa.scalar("/", pa.large_string()))


@dataclass(frozen=True)
class Strings:
    """A string array as one UTF-8 buffer and its offsets: ``slice(a, b)`` is rows ``a..b`` as one string."""

    data: memoryview
    offsets: np.ndarray

    @classmethod
    def of(cls, strings: pa.Array | pa.ChunkedArray) -> Strings:
        """Hold ``strings`` (nulls read as ``''``), without copying its characters."""
        array = pc.fill_null(flat(strings), "").cast(pa.large_string())
        _, offsets, data = array.buffers()
        offs = np.frombuffer(offsets, dtype=np.int64)[array.offset: array.offset + len(array) + 1]
        return cls(memoryview(data) if data is not None else memoryview(b""), offs)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __reduce__(self):
        """Pickled (for a worker process) as the bytes of its rows, offsets from 0."""
        start = int(self.offsets[0]) if len(self.offsets) else 0
        data = bytes(self.data[start: int(self.offsets[-1])]) if len(self.offsets) else b""
        return _strings_of_bytes, (data, self.offsets - start)

    def slice(self, start: int, stop: int) -> str:
        """Rows ``start`` to ``stop`` (exclusive) joined."""
        return str(self.data[self.offsets[start]: self.offsets[stop]], "utf-8")

    def raw(self, start: int, stop: int) -> bytes:
        """Rows ``start`` to ``stop`` (exclusive) joined, as UTF-8 bytes (no decoding: a page's rows go to disk as
        they are)."""
        return bytes(self.data[self.offsets[start]: self.offsets[stop]])

    def item(self, i: int) -> str:
        """Row ``i``."""
        return str(self.data[self.offsets[i]: self.offsets[i + 1]], "utf-8")

    def items(self, start: int, stop: int) -> list[str]:
        """Rows ``start`` to ``stop`` (exclusive), one string each."""
        data, offs = self.data, self.offsets[start: stop + 1].tolist()
        return [str(data[a:b], "utf-8") for a, b in zip(offs, offs[1:])]


def _strings_of_bytes(data: bytes, offsets: np.ndarray) -> Strings:
    """A :class:`Strings` unpickled."""
    return Strings(memoryview(data), offsets)
