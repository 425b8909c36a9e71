"""Open a file for reading only once it is known to be a regular file, without ever blocking.

``open(path)`` blocks forever on a FIFO with no writer, and reading a character device such as /dev/zero
never ends; a socket or a folder cannot be read as data. Every file the validator reads, and every file a
tool built on it reads through it (a diff, a loader), goes through this module. Two ways in, one mechanism:

- :func:`open_regular` (for tools that fail: diff, load, the archive): a binary file object, or a one-line
  :class:`~dpcheck.errors.PackageError` naming the file and what it is.
- :func:`open_file` (for the validator, which reports instead of failing): the same file object, or
  :class:`NotRegularFile`, an :class:`OSError` whose ``strerror`` reads "is a named pipe (FIFO), not a
  regular file", so code that already handles ``OSError`` from ``open`` handles it too.
- :func:`check_regular`, for readers that take only a path (DuckDB): call it right before handing the path
  over; a moment remains between the check and the reader's own open, so prefer a
  file object wherever one will do.

The opening is race-free: a path is not checked and then opened (it could be swapped in between) but opened
with ``O_NONBLOCK`` (so opening a FIFO returns at once), checked with ``fstat`` on the open descriptor, and
that same descriptor, made blocking again, is what is read. A ``stat`` first means a special file found at
rest is never opened at all (opening some devices has side effects). Symbolic links are followed: vet where
they lead before calling. Example::

    try:
        with open_file(path) as stream:
            data = stream.read()
    except NotRegularFile as exc:  # exc.kind: "a named pipe (FIFO)", "a folder", "a socket"...
        ...
    except OSError as exc:         # missing, permissions
        ...
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import BinaryIO

from dpcheck.errors import PackageError

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_FLAGS = os.O_RDONLY | _NONBLOCK | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFile(OSError):
    """A path names something other than a regular file: a folder, FIFO, socket or device.

    Attributes:
        kind: what it is instead, with its article (``"a named pipe (FIFO)"``, ``"a folder"``).
        strerror: ``"is <kind>, not a regular file"``.
        filename: the path as given.
    """

    def __init__(self, path: Path | str, kind: str) -> None:
        super().__init__(errno.EISDIR if kind == "a folder" else errno.EINVAL, f"is {kind}, not a regular file", os.fspath(path))
        self.kind = kind

    def __str__(self) -> str:
        return f"{self.filename} {self.strerror}"


def kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words (``"a folder"``, ``"a named pipe (FIFO)"``...)."""
    for test, words in ((stat.S_ISREG, "a regular file"), (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                        (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return words
    return "a special file"


def check_regular(path: Path | str, *, open_it: bool = True) -> None:
    """Raise unless ``path`` is a regular file; for readers that only take a path (Arrow, DuckDB).

    Args:
        path: the file; symbolic links are followed.
        open_it: also open it as :func:`open_file` does and check what was opened (default); False looks at
            ``stat`` only and never opens anything.

    Raises:
        NotRegularFile: when ``path`` is a folder, FIFO, socket or device (nothing is opened or read).
        OSError: when it does not exist or cannot be opened.
    """
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        raise NotRegularFile(path, kind(mode))
    if open_it:
        open_file(path).close()


def open_file(path: Path | str) -> BinaryIO:
    """Open ``path`` for binary reading if it is a regular file; never blocks, never reads anything else.

    Returns:
        A buffered binary file object with blocking reads over the very file that was checked; the caller
        closes it.

    Raises:
        NotRegularFile: when ``path`` is a folder, FIFO, socket or device.
        OSError: when it cannot be opened (missing, permissions), as ``open`` raises it.
    """
    check_regular(path, open_it=False)  # a special file at rest is never opened
    fd = os.open(path, _FLAGS)  # one swapped in since: O_NONBLOCK, so a FIFO does not wait for a writer here
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(path, kind(mode))
        if _NONBLOCK and hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)  # no effect on a regular file's reads; keeps later readers unsurprised
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def open_regular(path: Path | str, *, what: str = "file") -> BinaryIO:
    """Open ``path`` for binary reading, refusing anything but a regular file; never blocks.

    Args:
        path: the file to open (symlinks are followed; vet where they lead before calling).
        what: how to name the file in an error, e.g. ``"resource file"``.

    Returns:
        A binary file object reading the very file that was checked; the caller closes it.

    Raises:
        PackageError: when the file is missing, unreadable, or a folder, FIFO, device or socket.
    """
    try:
        return open_file(path)
    except NotRegularFile as exc:
        raise PackageError(f"{what} is {exc.kind}, not a regular file; it is not read", file=path,
                           hint="a package holds only regular files: replace it with the file itself") from None
    except OSError as exc:
        reason = "does not exist" if isinstance(exc, FileNotFoundError) else f"cannot be opened: {exc.strerror or exc}"
        raise PackageError(f"{what} {reason}", file=path) from None


def problem(path: Path) -> str | None:
    """Why ``path`` cannot be read as a data file (``"is missing"``, ``"is a folder, not a regular file"``),
    or None when it is a regular file. Follows symbolic links; never opens the file."""
    try:
        check_regular(path, open_it=False)
    except FileNotFoundError:
        return "is missing"
    except NotRegularFile as exc:
        return exc.strerror
    except OSError as exc:
        return f"cannot be read: {exc.strerror or type(exc).__name__}"
    return None
