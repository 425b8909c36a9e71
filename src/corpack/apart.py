"""The check of a large built package, run in a fresh interpreter of its own.

A build's process holds what its workers were forked from (the imports and the dictionaries, about 180 MB) and
memory its allocators have not handed back; validating a built package of some hundreds of MB takes up to
about 300 MB more (its keys, a document's text and paragraphs at a time). Run in the same process the two
add up: 558 MB at 1 GB of input. So a package whose data files hold :data:`APART_BYTES` or more is validated
in a new interpreter, which inherits nothing, and the build's process waits for its verdict.
A smaller one is validated in the build's own process: a fresh interpreter costs about 1.5 s of imports.

The process checking apart is tied to the build as its workers are (:func:`corpack.workers.worker_pool`):
killed with it, deaf to Ctrl-C (the build decides), and killed when the build stops early.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from corpack.errors import BuildError
from corpack.workers import _die_with_parent

#: Packages whose data files hold this many bytes or more are validated in a process of their own.
APART_BYTES = 4 << 20
_STOPPING = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def check_package(staged: Path) -> tuple[bool, str]:
    """Validate the package folder ``staged`` with :func:`corpack.checking.validate_package`, apart when it
    is large (see the module docstring).

    Returns:
        Whether it is valid, and its report as text.

    Raises:
        BuildError: when the process checking apart ends without a verdict.
        Whatever the validation raises, as it raises it in this process.
    """
    if data_bytes(staged) < APART_BYTES:
        return verdict(staged)
    # A new interpreter, not a multiprocessing one: "spawn" would import the caller's main script again in it,
    # which a script calling corpack without an ``if __name__ == "__main__"`` guard does not survive.
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)  # (unblocked there once its handlers are set)
    try:
        process = subprocess.Popen([sys.executable, "-m", "corpack.apart", str(staged), str(os.getpid())],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    try:
        sent = process.communicate()[0]
    except BaseException:
        process.kill()
        process.wait()
        raise
    try:
        kind, value = pickle.loads(sent)
    except Exception:  # noqa: BLE001 - nothing, or not all of it, was sent
        raise BuildError(f"the process validating the built package ended with exit code {process.returncode} before its verdict",
                         file=staged, hint="it may have run out of memory; the previous package is left in place") from None
    if kind == "raised":
        raise value
    return value


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
    """The process checking apart (``python -m corpack.apart STAGED PARENT_PID``): the verdict on STAGED, or
    what its validation raised, pickled to stdout."""
    staged, parent = Path(argv[0]), int(argv[1])
    _die_with_parent(parent)
    try:
        outcome: tuple[str, Any] = ("verdict", verdict(staged))
    except Exception as exc:  # noqa: BLE001 - raised again in the build's process
        outcome = ("raised", exc)
    try:
        sent = pickle.dumps(outcome)
    except Exception as exc:  # noqa: BLE001 - an exception that does not pickle travels as its text
        sent = pickle.dumps(("raised", BuildError(f"validating the built package failed: {type(exc).__name__}: {outcome[1]}", file=staged)))
    sys.stdout.buffer.write(sent)
    sys.stdout.buffer.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
