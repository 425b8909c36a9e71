"""A resource's parts as one byte stream, each inflated as it is read: what CSV resources are split from.

A resource's bytes are its parts joined in order, as frictionless joins them: when the CSV has a header, the
first line of every part after the first is dropped (it repeats the header). Each part may be compressed
(``compression`` of ``gz``, ``zip``, ``bz2`` or ``xz``, or the path's extension, as frictionless reads them;
a zip's ``innerpath`` entry, else its first file) and is inflated while it is read, up to
:data:`MAX_INFLATED` bytes. Every part is opened by :func:`~dpcheck.regularfile.open_file`, so a FIFO,
socket, device or folder is refused instead of read.
"""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import lzma
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from dpcheck.regularfile import open_file

MAX_INFLATED = 8 << 30  # a compressed part inflating past this is refused (as archive.MAX_UNPACKED)
COMPRESSIONS = ("gz", "zip", "bz2", "xz")


class CsvError(Exception):
    """The file cannot be read as CSV at all; the message says why."""


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
        # Read straight into the caller's buffer: a 4 MB piece read into a new bytes object and copied over
        # cost twice the copying plus the fresh object's pages (60 of 110 ms for a 78 MB file).
        view = memoryview(buffer).cast("B")
        while True:
            if self._current is None and not self._next_part():
                return 0
            assert self._current is not None
            n = self._current.readinto(view)  # type: ignore[attr-defined]
            if not n:
                if not self._next_part():
                    return 0
                continue
            if self._skipping:
                cut = bytes(view[:n]).find(b"\n")
                if cut < 0:
                    continue
                self._skipping = False
                n -= cut + 1
                view[:n] = bytes(view[cut + 1:cut + 1 + n])
                if not n:
                    continue
            self.inflated += n
            if self.inflated > MAX_INFLATED:
                raise CsvError(f"the data inflates past the limit of {MAX_INFLATED} bytes (a compression bomb?)")
            return n

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
        return self._stream.readinto(buffer)  # type: ignore[attr-defined]

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


def joined_parts(paths: list[Path], compression: str | None, innerpath: str | None, drop_first_lines: bool) -> IO[bytes]:
    """The parts' inflated bytes joined, as a buffered stream (each part opened only when it is reached).

    Args:
        drop_first_lines: drop the first line of every part after the first (a repeated header).
    """
    opens = [lambda path=path: _open_part(path, compression, innerpath) for path in paths]
    return io.BufferedReader(_Joined(opens, drop_first_lines), buffer_size=1 << 20)


_MARKS = {"utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE), "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)}


def unordered(encoding: str, opened: Callable[[], IO[bytes]]) -> str | None:
    """What to say of a file in ``encoding`` (``opened`` opens its bytes) whose byte order is not known, or None.

    That is UTF-16 or UTF-32, not named little- or big-endian, without a byte order mark. Python decodes such
    a file in the machine's byte order when it decodes it whole and refuses it when it decodes a piece at a
    time, and RFC 2781 reads it big-endian, so it is refused here however it is read, with what to declare.
    """
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    marks = _MARKS.get(name)
    if marks is None:
        return None
    with opened() as stream:
        head = stream.read(4)
    if not head or head.startswith(marks):
        return None
    return (f"the file is {encoding} without a byte order mark, so the order of its bytes is not known: "
            f"declare its encoding {name}le or {name}be")
