"""Worker processes for ``pkg build -j N`` that never outlive the build.

- Each worker asks the kernel to kill it when its parent dies (Linux ``PR_SET_PDEATHSIG``), so a build killed
  with ``kill -9`` does not leave workers running that hold the caller's pipes open. Where the call does not
  exist, a worker whose parent is already gone when it starts exits at once.
- Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the build (the parent) decides what
  happens; workers do not print a traceback each. SIGTERM ends a worker at once, without a traceback.
- When the build stops early (an error, SIGTERM, Ctrl-C), :func:`worker_pool` cancels the queued work and
  kills the workers instead of waiting for their current documents.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

_PR_SET_PDEATHSIG = 1


_STOPPING = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


def _die_with_parent(parent: int) -> None:
    """Worker initializer: be killed with the parent, ignore Ctrl-C, die quietly on SIGTERM.

    The worker starts with these signals blocked (see :func:`worker_pool`) and unblocks them once its own
    handlers are set, so no signal reaches it while it still has the parent's.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP):  # undo the parent's handlers (see corpack.cli.main)
        signal.signal(signum, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPPING)
    libc_name = ctypes.util.find_library("c")
    if libc_name:
        prctl = getattr(ctypes.CDLL(libc_name, use_errno=True), "prctl", None)
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


@contextlib.contextmanager
def worker_pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """A process pool of ``jobs`` workers tied to this process (see the module docstring)."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_die_with_parent, initargs=(os.getpid(),))
        pool.submit(int).result()  # start the workers now, while the stopping signals are blocked
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    try:
        yield pool
    except BaseException:
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:  # they hold no state worth saving: nothing they do is written until returned
            with contextlib.suppress(Exception):
                process.kill()
        for process in processes:
            with contextlib.suppress(Exception):
                process.join(timeout=5)
        raise
    else:
        pool.shutdown(wait=True)
