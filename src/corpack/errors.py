"""Every failure corpack can raise, with its stable code and exit code.

A *failure* means a command could not do its job (an undecodable file, a missing schema, an unreadable
folder). It is raised, carries where it happened and a hint, and is turned into one line on stderr and an
exit code by the single handler in :mod:`corpack.cli`. What ``pkg validate`` learns about a package is not a
failure but a finding (:class:`dpcheck.Finding`), collected in a report and never raised.

Exit codes: 0 ok, 1 package invalid, 2 could not run, 128 + N stopped by signal N (130 Ctrl-C, 143 SIGTERM).
"""

from __future__ import annotations

from pathlib import Path

from dpcheck.errors import Failure, OutOfMemoryError, PackageError, _rebuild  # noqa: F401  (re-exported)


#: corpack's failures are :mod:`dpcheck`'s (its validator), so one handler reports both; the classes below add
#: the build's own.
CorpackError = Failure


class DecodeError(CorpackError):
    """A corpus file is not text or cannot be decoded."""

    code = "decode-error"


class EmptyDocumentError(CorpackError):
    """A corpus file holds no text once cleaned."""

    code = "empty-document"


class ManifestError(CorpackError):
    """The corpus manifest or corpus settings file is malformed or disagrees with the files."""

    code = "manifest-error"


class CorpusError(CorpackError):
    """The corpus folder cannot be read as a corpus (missing, empty, clashing document ids)."""

    code = "corpus-error"


class EntryError(CorpackError):
    """A corpus entry cannot be packaged as a document: a folder or file that cannot be read, a name that is
    not UTF-8, a special file (FIFO, socket, device), a symbolic link out of the corpus, to nothing or in a
    loop, or a second path to a file already packaged (see :mod:`corpack.discovery`)."""

    code = "bad-entry"


class BadFilesError(CorpackError):
    """Several corpus files cannot be packaged; ``errors`` holds each one's failure, in file order.

    Its text is one line per file, then one line saying how many: a user fixes them all in one pass.
    """

    code = "bad-files"

    def __init__(self, errors: list[CorpackError], *, file: str | Path | None = None, hint: str | None = None) -> None:
        super().__init__(f"{len(errors)} files cannot be packaged, listed above", file=file, hint=hint)
        self.errors = list(errors)

    def __reduce__(self):
        return _rebuild_bad_files, (self.errors, self.file, self.hint)

    def __str__(self) -> str:
        return "\n".join([*(str(error) for error in self.errors), super().__str__()])


class SchemaError(CorpackError):
    """A Table Schema is missing, unreadable or disagrees with the rows built for it."""

    code = "schema-error"


class BuildError(CorpackError):
    """The build could not produce or install the package."""

    code = "build-error"


class Interrupted(BaseException):
    """The run was stopped by a signal (SIGTERM, SIGHUP; Ctrl-C arrives as ``KeyboardInterrupt``).

    A ``BaseException``, like ``KeyboardInterrupt``, so that no ``except Exception`` on the way mistakes it
    for a failure to report; clean-up code (``finally``, ``except BaseException``) still runs. The command
    exits with 128 + the signal's number, as a shell reports a process the signal killed.
    """

    code = "interrupted"

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.exit_code = 128 + signum


def _rebuild_bad_files(errors, file, hint):
    return BadFilesError(errors, file=file, hint=hint)
