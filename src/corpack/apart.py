"""The check of a large built package, run in a fresh interpreter of its own.

A build's process holds what its workers were forked from (the imports and the dictionaries, about 180 MB) and
memory its allocators have not handed back; validating a built package of some hundreds of MB takes up to
about 300 MB more (its keys, a document's text and paragraphs at a time). Run in the same process the two
add up: 558 MB at 1 GB of input. So a package whose data files hold :data:`APART_BYTES` or more is validated
in a new interpreter, which inherits nothing, and the build's process waits for its verdict. A build of a
corpus that large starts that process as it starts (:meth:`Checker.start`), so its imports (about 1.6 s) overlap
the build's work instead of following it. A smaller package is validated in the build's own process.

The process checking apart is tied to the build as its workers are (:func:`corpack.workers.tie_to_parent`):
killed with it, deaf to Ctrl-C (the build decides), and killed when the build stops early.
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
from pathlib import Path
from typing import Any

from corpack.ending import end_process
from corpack.errors import BuildError
from corpack.workers import stopping_signals_blocked, tie_to_parent

#: Packages whose data files hold this many bytes or more (and builds of corpora that large) are validated in a
#: process of their own.
APART_BYTES = 4 << 20
_MARK = b"\0corpack.apart verdict\0"  # (before the pickled answer on the checking process's stdout)


class Checker:
    """Validates built packages, a large one in a process of its own; a context manager (its process, if
    any, is stopped on exit)."""

    def __init__(self) -> None:
        self._process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the process checking apart now, so that its imports (about 1.6 s) overlap the build instead
        of following it; for a build whose corpus holds :data:`APART_BYTES` or more."""
        if self._process is None:
            self._process = _start()

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self, staged: Path) -> tuple[bool, str]:
        """Validate the package folder ``staged`` with :func:`corpack.checking.validate_package`: apart when
        this checker's process was started (:meth:`start`) or the package is large, else in this process.

        Returns:
            Whether it is valid, and its report as text.

        Raises:
            BuildError: when the process checking apart ends without a verdict.
            Whatever the validation raises, as it raises it in this process.
        """
        process, self._process = self._process, None
        if process is None:
            if data_bytes(staged) < APART_BYTES:
                return verdict(staged)
            process = _start()
        try:
            sent = process.communicate(os.fsencode(staged) + b"\n")[0]
        except BaseException:
            _stop(process)
            raise
        try:
            # (what the interpreter printed before main() sent stdout to stderr comes before the mark)
            kind, value = pickle.loads(sent.rpartition(_MARK)[2]) if _MARK in sent else (None, None)
        except Exception:  # noqa: BLE001 - not all of it was sent
            kind = None
        if kind is None:
            raise BuildError(f"the process validating the built package ended with exit code {process.returncode} before its verdict",
                             file=staged, hint="it may have run out of memory; the previous package is left in place")
        if kind == "raised":
            raise value
        return value

    def close(self) -> None:
        """Stop the process started, if it has not checked a package."""
        if self._process is not None:
            _stop(self._process)
            self._process = None


def check_package(staged: Path) -> tuple[bool, str]:
    """:meth:`Checker.check` with a checker of its own (its process, when one is needed, started now)."""
    with Checker() as checker:
        return checker.check(staged)


def _start() -> subprocess.Popen:
    """The process checking apart, started: a new interpreter, not a multiprocessing one (``spawn`` would
    import the caller's main script again in it, which a script calling corpack without an
    ``if __name__ == "__main__"`` guard does not survive)."""
    with stopping_signals_blocked():  # (unblocked there once its handlers are set)
        return subprocess.Popen([sys.executable, "-m", "corpack.apart", str(os.getpid())], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE)


def _stop(process: subprocess.Popen) -> None:
    process.kill()
    process.communicate()


def verdict(staged: Path) -> tuple[bool, str]:
    """Validate ``staged`` in this process: whether it is valid, and its report as text."""
    from corpack.checking import validate_package
    from dpcheck import render_text

    report = validate_package(staged)
    return report.valid, "" if report.valid else render_text(report)


def data_bytes(folder: Path) -> int:
    """Bytes of the files in ``folder`` and below."""
    return sum(entry.stat().st_size for entry in folder.rglob("*") if entry.is_file())


def main(argv: list[str]) -> None:
    """The process checking apart (``python -m corpack.apart PARENT_PID``): imports what validation needs,
    reads a package folder's path from stdin, and pickles to stdout the verdict on it or what its validation
    raised (anything else written to stdout goes to stderr). Nothing to read (the build stopped or did not get
    to validating) ends it quietly."""
    tie_to_parent(int(argv[0]))
    answer = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # (whatever else writes to stdout, Python or a library, goes to stderr, not into the answer)
    sys.stdout = sys.stderr
    importlib.import_module("corpack.checking")  # (imported while the build runs)

    sent = sys.stdin.buffer.read()  # (the path, then a newline; all of it, as a path may hold newlines)
    if not sent.endswith(b"\n"):
        return
    staged = Path(os.fsdecode(sent[:-1]))
    try:
        outcome: tuple[str, Any] = ("verdict", verdict(staged))
    except Exception as exc:  # noqa: BLE001 - raised again in the build's process
        outcome = ("raised", exc)
    try:
        sent = pickle.dumps(outcome)
    except Exception as exc:  # noqa: BLE001 - an exception that does not pickle travels as its text
        sent = pickle.dumps(("raised", BuildError(f"validating the built package failed: {type(exc).__name__}: {outcome[1]}", file=staged)))
    with answer:
        answer.write(_MARK + sent)


if __name__ == "__main__":
    main(sys.argv[1:])
    end_process(0)  # (the verdict is sent; a native thread pool's abort at teardown would only print noise)
