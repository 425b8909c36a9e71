"""A byte stream cut into pieces that end just after a newline, for :mod:`~dpcheck.csvarrow` to parse apart.

Each piece is read into an Arrow buffer with a row of the caller's after it (the sentinel that tells whether
the piece ended a row). Arrow's memory pool hands freed buffers out again, so filling a 4 MB piece costs about
1 ms; reading it into a new ``bytes`` object and joining it to the row costs about 8 ms, most of it the pages
of memory the fresh objects touch for the first time.

The pieces, and the tables parsed from them, come from :data:`POOL`: jemalloc where pyarrow has it, not
pyarrow's default mimalloc. mimalloc backs large blocks with transparent huge pages and hands them back to
the system 10 ms after they are freed, so a file read piece by piece keeps faulting in fresh 2 MB pages, which
cost 1-5 ms each on a virtual machine (zeroed by the guest, backed by the host): keeping every piece of a
79 MB file took 56-218 ms of system time in mimalloc's pages, 44-50 ms in 4 kB ones. Validating the 1M-row
shuffled CSV benchmark package in a fresh process: 0.33 s median wall with mimalloc, 0.24 s with jemalloc
(10 runs each, system time 0.25 -> 0.09 s). A user who chose a pool (``ARROW_DEFAULT_MEMORY_POOL``) keeps it.
"""

from __future__ import annotations

import io
import os
from collections import deque
from dataclasses import dataclass
from typing import IO, Any

import pyarrow as pa

_TAIL = 1 << 16  # bytes searched at a time, from the end, for a piece's last newline


def _pool() -> pa.MemoryPool:
    """The pool the pieces and their tables are allocated from (see the module docstring)."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
        return pa.default_memory_pool()
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:  # (a pyarrow built without jemalloc: on Windows)
        return pa.system_memory_pool()


POOL = _pool()


@dataclass(frozen=True)
class Piece:
    """Bytes of the stream, then the caller's row.

    Attributes:
        data: the bytes read, then a newline when they do not end with one (the stream's last piece), then the row.
        size: how many of them the stream gave.
    """

    data: pa.Buffer
    size: int

    def read(self) -> memoryview:
        """The bytes the stream gave."""
        return memoryview(self.data).cast("B")[:self.size]


class Cuts:
    """A stream's bytes, taken in :class:`Piece` s of whole lines, each followed by ``row`` (one line, with its
    newline; set it before the first piece is taken)."""

    def __init__(self, stream: IO[bytes], row: bytes = b"") -> None:
        self._stream = stream
        self.row = row
        self._carry = b""  # bytes read past the last cut

    def head(self, size: int) -> bytes:
        """The stream's first ``size`` bytes (fewer when it is shorter), left to be taken."""
        while len(self._carry) < size and (more := self._stream.read(size - len(self._carry))):
            self._carry += more
        return self._carry[:size]

    def take(self, size: int) -> Piece | None:
        """The next piece: about ``size`` bytes, up to a newline (more when a line is longer); None at the end."""
        while True:
            carry, self._carry = self._carry, b""
            want = max(size - len(carry), 0)  # (the bytes held may be more than a piece: the head read ahead)
            buffer = pa.allocate_buffer(len(carry) + want + 1 + len(self.row), memory_pool=POOL)
            view = memoryview(buffer).cast("B")
            view[:len(carry)] = carry
            got = _fill(self._stream, view[len(carry):len(carry) + want])
            end = len(carry) + got
            if end == 0:
                return None
            cut = end if got < want else _after_last_newline(view, 0, min(end, size))
            if cut == 0:  # a line longer than the read: read on, twice as much
                self._carry = bytes(view[:end])
                size *= 2
                continue
            self._carry = bytes(view[cut:end])
            return self._ended(buffer, cut)

    def join(self, first: Piece, second: Piece) -> Piece:
        """One piece of the bytes of ``first`` then ``second`` (which followed it), the row after them."""
        size = first.size + second.size
        buffer = pa.allocate_buffer(size + 1 + len(self.row), memory_pool=POOL)
        view = memoryview(buffer).cast("B")
        view[:first.size] = first.read()
        view[first.size:size] = second.read()
        return self._ended(buffer, size)

    def _ended(self, buffer: pa.Buffer, size: int) -> Piece:
        """The piece of the first ``size`` bytes of ``buffer`` (room after them for a newline and the row), the
        row written after them: after a newline of its own where they do not end with one (the stream's end)."""
        view = memoryview(buffer).cast("B")
        row = self.row if view[size - 1] == 0x0A else b"\n" + self.row
        view[size:size + len(row)] = row
        return Piece(buffer.slice(0, size + len(row)), size)

    def rest(self, taken: list[Piece]) -> IO[bytes]:
        """The pieces ``taken`` (without their rows), then the bytes not taken yet, as one stream; closing it
        closes the stream."""
        return io.BufferedReader(_Joined([piece.read() for piece in taken] + [memoryview(self._carry)], self._stream))

    def close(self) -> None:
        self._stream.close()


def _fill(stream: IO[bytes], view: memoryview) -> int:
    """Read into ``view`` until it is full or the stream ends; return how many bytes were read."""
    got = 0
    while got < len(view):
        n = stream.readinto(view[got:])  # type: ignore[attr-defined]
        if not n:
            break
        got += n
    return got


def _after_last_newline(view: memoryview, start: int, end: int) -> int:
    """The position just after the last newline of ``view[start:end]``, or 0 when it has none."""
    hi = end
    while hi > start:
        lo = max(start, hi - _TAIL)
        at = bytes(view[lo:hi]).rfind(b"\n")
        if at >= 0:
            return lo + at + 1
        hi = lo
    return 0


class _Joined(io.RawIOBase):
    """Bytes held in memory, then a stream's bytes after them."""

    def __init__(self, held: list[memoryview], stream: IO[bytes]) -> None:
        self._held = deque(view for view in held if len(view))
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._held:
            head = self._held[0]
            n = min(len(buffer), len(head))
            memoryview(buffer).cast("B")[:n] = head[:n]
            if n == len(head):
                self._held.popleft()
            else:
                self._held[0] = head[n:]
            return n
        return self._stream.readinto(buffer)  # type: ignore[attr-defined]

    def close(self) -> None:
        self._stream.close()
        super().close()
