"""How a process corpack runs as a program ends: Python's exit work, then no native teardown."""

from __future__ import annotations

import atexit
import os
import sys
import threading
from typing import NoReturn


def end_process(code: int | str | None) -> NoReturn:
    """End the process as the interpreter would, minus the native libraries' teardown.

    After the last byte of output, Arrow's or DuckDB's thread pools can abort the process while C++ static
    destructors run (``terminate called without an active exception``, exit 134; apache/arrow#34314), so a
    command that succeeded could report a crash. This runs what Python's own exit runs (waiting for
    non-daemon threads, then the ``atexit`` functions, which remove temporary folders and flush logs), flushes
    stdout and stderr, and ends with ``os._exit``. Only processes corpack starts as programs end this way (the
    ``pkg`` command, the process checking a built package apart); ``cli`` called from Python returns to its
    caller, so an embedding program keeps its process.

    Args:
        code: what ``sys.exit`` was given: None (0), an exit code, or a message (printed; exit code 1).
    """
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"): what the interpreter prints, and exit code 1
        print(code, file=sys.stderr)
        code = 1
    wait_for_threads = getattr(threading, "_shutdown", None)  # what the interpreter itself calls first
    if wait_for_threads is not None:
        wait_for_threads()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader that went away, or a closed stream: nothing left to say
            pass
    os._exit(code & 0xFF)
