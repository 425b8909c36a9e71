"""Worker processes for ``pkg build -j N`` that never outlive the build.

- Each worker asks the kernel to kill it when its parent dies (Linux ``PR_SET_PDEATHSIG``), so a build killed
  with ``kill -9`` does not leave workers running that hold the caller's pipes open. Where the call does not
  exist, a worker whose parent is already gone when it starts exits at once.
- Workers ignore SIGINT: Ctrl-C reaches the whole process group, and the build (the parent) decides what
  happens; workers do not print a traceback each. SIGTERM ends a worker at once, without a traceback.
- When the build stops early (an error, SIGTERM, Ctrl-C), :func:`worker_pool` cancels the queued work and
  kills the workers instead of waiting for their current documents.
- A pool can be given a ``warm`` function (loading dictionaries, a gazetteer): the parent calls it before
  forking, so the workers inherit what it loaded and pay nothing; each worker calls it again in its
  initializer, which costs nothing after a fork and loads everything once per worker under ``spawn``.

Work is handed out by :func:`ordered_chunks`: files grouped into chunks of about the same number of bytes
(a huge file alone in its chunk; the last ones smaller, :func:`tapered_chunks`), a new chunk sent as soon as
any chunk finishes, results yielded in file order; what waits for its turn behind a slow chunk is bounded by
its raw bytes (:func:`ordered_futures`).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import signal
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any, TypeVar

T = TypeVar("T")
F = TypeVar("F")

_PR_SET_PDEATHSIG = 1
#: The last chunks of a build are this many times smaller than the others (:func:`tapered_chunks`).
TAPER = 4


_STOPPING = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}


@contextlib.contextmanager
def stopping_signals_blocked() -> Iterator[None]:
    """Block SIGINT, SIGTERM and SIGHUP in this thread while a process tied to this one starts: it inherits
    the mask, so no stopping signal reaches it before :func:`tie_to_parent` has set its own handlers."""
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPPING)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)


def _start_worker(parent: int, warm: Callable[[], None] | None, setup: Callable[[], None] | None = None) -> None:
    """Worker initializer: :func:`tie_to_parent`, ``setup``, then ``warm``."""
    tie_to_parent(parent)
    if setup is not None:
        setup()
    if warm is not None:
        warm()


def tie_to_parent(parent: int) -> None:
    """In a process started by ``parent`` (a worker, the package's checking process): be killed with the
    parent, ignore Ctrl-C, die quietly on SIGTERM.

    The process starts with these signals blocked (:func:`stopping_signals_blocked`) and unblocks them once
    its own handlers are set, so no signal reaches it while it still has the parent's.
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
def worker_pool(jobs: int, warm: Callable[[], None] | None = None, setup: Callable[[], None] | None = None) -> Iterator[ProcessPoolExecutor]:
    """A process pool of ``jobs`` workers tied to this process (see the module docstring).

    Args:
        jobs: worker processes.
        warm: a picklable function loading what the work needs once per process; called here before the
            workers fork (they inherit it) and in each worker's initializer.
        setup: a function called in each worker only, before ``warm`` (e.g. where progress messages go);
            it may hold objects that travel to a worker only as it starts (a multiprocessing queue).
    """
    if warm is not None and multiprocessing.get_start_method() == "fork":
        warm()
    with stopping_signals_blocked():
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=_start_worker, initargs=(os.getpid(), warm, setup))
        pool.submit(int).result()  # start the workers now, while the stopping signals are blocked
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


def usable_cores() -> int:
    """How many CPU cores this process may run on (its affinity mask where the system has one, else the CPU
    count): the worker count of a build that is given none."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def plan_chunks(sizes: Sequence[int], chunk_bytes: int) -> list[range]:
    """Group consecutive items into chunks of about ``chunk_bytes`` (their ``sizes`` summed).

    A chunk closes as soon as it holds ``chunk_bytes`` or more, so an item of that size or larger travels
    alone and never holds up the small ones around it. Every item is in exactly one chunk, in order.
    """
    chunks, start, held = [], 0, 0
    for index, size in enumerate(sizes):
        if held and held + size > chunk_bytes:
            chunks.append(range(start, index))
            start, held = index, 0
        held += size
    if start < len(sizes):
        chunks.append(range(start, len(sizes)))
    return chunks


def tapered_chunks(sizes: Sequence[int], chunk_bytes: int, workers: int) -> list[range]:
    """:func:`plan_chunks`, except that the last files (``workers * chunk_bytes`` bytes of them) go in chunks
    of a :data:`TAPER` th of ``chunk_bytes``: workers then run out of work within a small chunk of each other,
    not up to a whole chunk apart while the build waits for the last one."""
    cut, tail = len(sizes), 0
    while cut > 0 and tail + sizes[cut - 1] <= workers * chunk_bytes:
        cut -= 1
        tail += sizes[cut]
    end = [range(r.start + cut, r.stop + cut) for r in plan_chunks(sizes[cut:], max(1, chunk_bytes // TAPER))]
    return plan_chunks(sizes[:cut], chunk_bytes) + end


def ordered_chunks(
    pool: ProcessPoolExecutor, function: Callable[..., list[T]], chunks: Sequence[tuple[Any, ...]], sizes: Sequence[int], in_flight: int, held_bytes: int
) -> Iterator[T]:
    """Run ``function(*chunk)`` for every chunk in ``pool`` and yield the items of its returned lists in order:
    :func:`ordered_futures` with ``pool.submit``, ``future.result()`` and :func:`concurrent.futures.wait`."""
    yield from ordered_futures(
        lambda chunk: pool.submit(function, *chunk),
        lambda future, _index: future.result(),
        lambda futures: wait(futures, return_when=FIRST_COMPLETED).done,
        chunks,
        sizes,
        in_flight=in_flight,
        held_bytes=held_bytes,
    )


def ordered_futures(
    submit: Callable[[tuple[Any, ...]], F],
    result: Callable[[F, int], list[T]],
    wait_any: Callable[[set[F]], Iterable[F]],
    chunks: Sequence[tuple[Any, ...]],
    sizes: Sequence[int],
    *,
    in_flight: int,
    held_bytes: int,
) -> Iterator[T]:
    """For engines with futures: submit chunks as workers free up and yield the items of each result in chunk
    order, so that a slow chunk holds up the output but not the other workers.

    A chunk is submitted whenever fewer than ``in_flight`` submitted chunks are unfinished and the chunks
    submitted and not yet wholly yielded, less the first of them in order (the one the output waits for),
    come to at most ``held_bytes`` of raw input (``sizes``: one per chunk) with it. That is the bound on the
    results waiting their turn (in this process, or on an engine's workers): ``held_bytes`` of raw input
    behind the first chunk not yet yielded, and that chunk. A chunk larger than ``held_bytes`` is submitted
    once it would be that first chunk. The work of a stopped build is not all queued already, either.

    Args:
        submit: send one chunk to the engine, returning its future.
        result: ``result(future, index)`` waits for one future and returns its list (the Dask executor turns an
            engine's failure into an :class:`~corpack.executors.ExecutorError` naming the chunk ``index``).
        wait_any: wait until at least one of several unfinished futures is done; returns those done.
        chunks: each chunk's arguments; ``sizes``: each chunk's raw bytes.
        in_flight: chunks submitted and unfinished, at most.
        held_bytes: raw bytes behind the first chunk not yet yielded, at most (see above).
    """
    pending: deque[tuple[int, F]] = deque()  # submitted, not yet yielded, in chunk order
    running: set[F] = set()  # submitted, not known to be done
    behind = 0  # raw bytes of pending chunks after the first
    upcoming = 0

    def fill() -> None:
        nonlocal behind, upcoming
        while upcoming < len(chunks) and len(running) < in_flight:
            if pending and behind + sizes[upcoming] > held_bytes:
                return
            if pending:
                behind += sizes[upcoming]
            future = submit(chunks[upcoming])
            pending.append((upcoming, future))
            running.add(future)
            upcoming += 1

    fill()
    while pending:
        index, future = pending[0]
        while future in running:  # the next chunk in order is not done: the others run ahead meanwhile
            running.difference_update(wait_any(running))
            fill()
        yield from result(future, index)
        pending.popleft()
        if pending:
            behind -= sizes[pending[0][0]]  # the next one is first now
        fill()
