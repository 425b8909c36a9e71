"""Cutting texts by code point offsets on their raw UTF-8 bytes, for many span tables at once.

A span table (paragraphs, a fact table's quotes) names slices of ``documents.text`` by code point offsets.
Finding the byte where each code point starts takes a pass over every byte of the texts; :class:`CodePoints`
makes that pass once for a batch of texts, so the rows of every span table that points into the batch are
cut from it without a second pass (:meth:`CodePoints.slice`). The slices are cut out with one Arrow
list-view, so no Python loop runs over rows.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dpcheck.plugins import SourceError

#: Slices averaging fewer bytes than this are gathered with numpy, longer ones flattened by Arrow (measured: Arrow's
#: list-view flatten costs about 0.6 us a slice, a numpy gather about 10 ns a byte).
GATHER_BELOW = 64
_GATHER_BYTES = 4 << 20  # output bytes gathered per step


class CodePoints:
    """The byte position of every code point of one string (or large_string) array of texts.

    Raises:
        SourceError: when the texts are not valid UTF-8, so code points cannot be counted.
    """

    def __init__(self, texts: pa.Array) -> None:
        offset_type = np.int64 if pa.types.is_large_string(texts.type) else np.int32
        buffers = texts.buffers()
        offsets = np.frombuffer(buffers[1], dtype=offset_type)[texts.offset : texts.offset + len(texts) + 1].astype(np.int64)
        self._buffer = buffers[2]
        self._data = np.frombuffer(buffers[2], dtype=np.int8) if buffers[2] is not None else np.empty(0, np.int8)
        self._end = int(offsets[-1])
        self._lo = lo = int(offsets[0])
        # A UTF-8 byte starts a code point unless it is a continuation byte, 10xxxxxx: -128..-65 as a signed byte.
        # (Positions from ``lo``: adding it here would write the whole array again, for the few positions asked.)
        self._lead = np.flatnonzero(self._data[lo : self._end] >= -64)
        n_chars = pc.fill_null(pc.utf8_length(texts), 0).to_numpy(zero_copy_only=False).astype(np.int64)
        if len(self._lead) != n_chars.sum():
            raise SourceError("documents.text is not valid UTF-8")
        self._base = np.concatenate([[0], np.cumsum(n_chars)[:-1]]).astype(np.int64)

    def _byte(self, doc: np.ndarray, char: np.ndarray) -> np.ndarray:
        """The byte position of code point ``char[i]`` of text ``doc[i]`` (its text's end when ``char[i]`` is
        its length)."""
        at = self._base[doc] + char
        inside = at < len(self._lead)
        out = np.full(len(at), self._end, np.int64)
        out[inside] = self._lead[at[inside]] + self._lo
        return out

    def slice(self, doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> pa.Array:
        """Return ``texts[doc[i]][start[i]:end[i]]`` (code points) for every i, as a large_string array.

        Every slice must lie inside its text (``0 <= start <= end <= len``).
        """
        byte_start = self._byte(doc, start)
        lengths = self._byte(doc, end) - byte_start
        out_offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        if out_offsets[-1] < GATHER_BELOW * len(doc):  # short slices (quotes): gathered byte by byte in numpy
            data_buffer = pa.py_buffer(self._gather(byte_start, out_offsets))
        else:  # long ones (paragraphs): cut out by Arrow, which costs about as much as 60 bytes gathered a slice
            values = pa.Array.from_buffers(pa.uint8(), len(self._data), [None, self._buffer])
            flat = pc.list_flatten(pa.LargeListViewArray.from_arrays(pa.array(byte_start), pa.array(lengths), values))
            data_buffer = flat.buffers()[1].slice(flat.offset) if len(flat) else pa.py_buffer(b"")
        return pa.Array.from_buffers(pa.large_string(), len(doc), [None, pa.py_buffer(out_offsets), data_buffer])

    def _gather(self, byte_start: np.ndarray, out_offsets: np.ndarray) -> np.ndarray:
        """The bytes ``data[byte_start[i] : byte_start[i] + length i]`` end to end, ``out_offsets`` giving where
        each slice goes; indexed a few MiB of output at a time, to bound the index arrays."""
        out = np.empty(int(out_offsets[-1]), np.uint8)
        data = self._data.view(np.uint8)
        cuts = np.unique(np.searchsorted(out_offsets, np.arange(0, len(out), _GATHER_BYTES), side="right") - 1)
        for a, b in zip(cuts, [*cuts[1:], len(byte_start)]):
            lo, hi = out_offsets[a], out_offsets[b]
            shift = np.repeat(byte_start[a:b] - out_offsets[a:b], np.diff(out_offsets[a : b + 1]))
            out[lo:hi] = data[np.arange(lo, hi) + shift]
        return out

