"""The failures dpcheck raises: it could not judge a package at all (as opposed to findings about it).

A *failure* carries where it happened and a hint, and a command line turns it into one line on stderr and
exit code 2. What a check learns about a package is never raised: it is a
:class:`~dpcheck.report.Finding` in the report.
"""

from __future__ import annotations

from pathlib import Path


class Failure(Exception):
    """Base class: a command could not do its job.

    Args:
        message: what went wrong, in one sentence.
        file: the file concerned, if any.
        row: the row (1-based) concerned, if any.
        offset: the byte offset concerned, if any.
        hint: what the user can do about it.
    """

    code = "error"
    exit_code = 2

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        offset: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.row = row
        self.offset = offset
        self.hint = hint

    def __reduce__(self):
        # Keep file, offset and hint when an error crosses a process boundary (parallel builds).
        return _rebuild, (type(self), self.message, self.file, self.row, self.offset, self.hint)

    def location(self) -> str:
        """Where the failure happened, e.g. ``corpus/003.txt byte 1187``; empty when unknown."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.offset is not None:
            parts.append(f"byte {self.offset}")
        return " ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"error[{self.code}] {where + ': ' if where else ''}{self.message}"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


class PackageError(Failure):
    """A package cannot be read at all (missing folder or descriptor, unreadable file)."""

    code = "package-error"


class OutOfMemoryError(Failure):
    """There was not enough memory to finish (e.g. checking a file); says nothing about the file itself, so
    it is a failure (exit 2), never a finding."""

    code = "out-of-memory"


def _rebuild(cls, message, file, row, offset, hint):
    return cls(message, file=file, row=row, offset=offset, hint=hint)
