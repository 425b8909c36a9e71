"""Where a build's per-document work runs: this process, a local process pool, or a Dask cluster.

The seam between the build and an engine is :class:`Executor`, kept small so that another engine (Ray, say)
can sit beside these by writing the same four members:

- ``workers``: how many chunks can run at once (the build sizes its chunks by it);
- ``remote``: whether workers may run on other machines (the build then sends them absolute paths and first
  checks that every worker sees the corpus and runs the same corpack: :func:`check_workers`);
- ``each_worker(function, *args)``: run a small function once on every worker, its results by worker;
- ``map(function, chunks, sizes)``: ``function(*chunk)`` for every chunk (``sizes``: each chunk's raw
  bytes), yielding the items of the lists it returns in chunk order, whatever order the workers finish in,
  with a new chunk sent as soon as any finishes and at most :func:`held_bytes` waiting behind the one the
  output waits for (:func:`corpack.workers.ordered_futures` does that for any engine with futures).

An executor is a context manager: its workers start on entry and stop on exit, also when the build stops
early. What a worker says of a large document (:mod:`corpack.progress`) reaches ``on_event`` in this
process: directly in this process, through a pipe from a local pool, as a Dask event from a cluster.

Engines other than this process are optional: :func:`open_executor` imports ``dask.distributed`` only when
asked for it, and says how to install it when it is missing.
"""

from __future__ import annotations

import contextlib
import functools
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar

from corpack import progress
from corpack.errors import CorpackError
from corpack.rowcache import code_fingerprint
from corpack.workers import ordered_chunks, worker_pool

T = TypeVar("T")
Event = Callable[[dict[str, Any]], None]

#: The engines ``pkg build --executor`` knows.
EXECUTORS = ("local", "dask")
#: Chunks queued or running per worker: one running, one waiting, so a worker never idles between chunks.
CHUNKS_IN_FLIGHT = 2
#: Raw bytes of chunks waiting their turn behind the one the output waits for, at most, whatever the chunks
#: (:func:`held_bytes`). A waiting result costs the build 5.5-8 times its raw bytes (a chunk's Arrow
#: tables and documents rows, measured on 0.4-1.7 MB of generated reports), so 16 MiB of raw input is 90-130 MB.
HELD_BYTES_MAX = 16 << 20
#: Seconds to wait for a Dask scheduler to answer, and for its first worker.
CONNECT_TIMEOUT = 30.0
#: The Dask event topic of workers' progress messages.
PROGRESS_TOPIC = "corpack-progress"


class ExecutorError(CorpackError):
    """The engine running the work failed: it is not installed or cannot be reached, a worker cannot see the
    corpus or runs other code, or a worker died."""

    code = "executor-error"


class ChunkLost(ExecutorError):
    """A worker died running a chunk and the engine gave up on it; ``chunk`` is its index (the build names its files)."""

    def __init__(self, chunk: int, message: str) -> None:
        super().__init__(message, hint="see the worker's log: it may have run out of memory (dask worker --memory-limit) or been stopped")
        self.chunk = chunk


class Executor(Protocol):
    """What the build needs of an engine (see the module docs)."""

    workers: int
    remote: bool

    def each_worker(self, function: Callable[..., Any], *args: Any) -> dict[str, Any]: ...

    def map(self, function: Callable[..., list[T]], chunks: Sequence[tuple[Any, ...]], sizes: Sequence[int]) -> Iterator[T]: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc_info: object) -> None: ...


def open_executor(
    name: str = "local",
    *,
    jobs: int = 1,
    scheduler: str | None = None,
    warm: Callable[[], None] | None = None,
    on_event: Event | None = None,
) -> Executor:
    """The executor called ``name`` (one of :data:`EXECUTORS`), not started yet (use it in a ``with``).

    Args:
        name: ``local`` (``jobs`` 1: this process; more: a process pool) or ``dask``.
        jobs: local worker processes; for ``dask`` without ``scheduler``, the workers of the local cluster.
        scheduler: a Dask scheduler's address (``tcp://host:8786``); None starts a cluster on this machine.
        warm: a picklable function loading what the work needs, once per worker before its first chunk.
        on_event: called in this process with each message a worker sends on a large document.

    Raises:
        ExecutorError: an unknown name, or ``scheduler`` given to an engine other than ``dask``.
    """
    if name == "local":
        if scheduler is not None:
            raise ExecutorError("--scheduler is for --executor dask", hint="add --executor dask, or drop --scheduler")
        return LocalExecutor(jobs, warm=warm, on_event=on_event)
    if name == "dask":
        from corpack.dask_executor import DaskExecutor

        return DaskExecutor(jobs, scheduler=scheduler, warm=warm, on_event=on_event, timeout=CONNECT_TIMEOUT)
    raise ExecutorError(f"unknown executor {name!r}", hint=f"use one of: {', '.join(EXECUTORS)}")


class _Messages:
    """Workers' progress messages to the build: one pipe, a lock so that messages never interleave.

    A worker's :func:`_put` is done before its chunk's result is sent, so the build has every message of a
    chunk to read once it has the result; :meth:`forward` reads them in a thread of the build until
    :meth:`stop`, then reads what is left. Made before the workers start, which get its writing end.
    """

    def __init__(self) -> None:
        context = multiprocessing.get_context()
        self.reader, self.writer = context.Pipe(duplex=False)
        self.lock = context.Lock()
        self.stopping = threading.Event()

    def forward(self, on_event: Event) -> None:
        """In the build: hand each message to ``on_event`` until :meth:`stop` and the pipe is empty."""
        while True:
            if self.reader.poll(0.2):
                message = self.reader.recv()
                with contextlib.suppress(Exception):  # a progress note must never stop a build
                    on_event(message)
            elif self.stopping.is_set():
                return

    def stop(self, listener: threading.Thread) -> None:
        """Let the listener read what is left, then close the pipe."""
        self.stopping.set()
        listener.join(timeout=5)
        self.reader.close()
        self.writer.close()


def _put(writer: Any, lock: Any, message: dict[str, Any]) -> None:
    """In a worker: send one progress message to the build."""
    with lock:
        writer.send(message)


def _set_worker_sink(writer: Any, lock: Any, watch_bytes: int) -> None:
    """Pool worker set-up: send this process's progress messages to the build."""
    progress.set_sink(functools.partial(_put, writer, lock), watch_bytes)


class LocalExecutor:
    """Work in this process (``jobs`` 1) or in a pool of ``jobs`` worker processes on this machine
    (:func:`corpack.workers.worker_pool`: workers die with the build, start-up paid once per worker)."""

    remote = False

    def __init__(self, jobs: int = 1, *, warm: Callable[[], None] | None = None, on_event: Event | None = None) -> None:
        self.workers = max(1, jobs)
        self.warm, self.on_event = warm, on_event
        self._stack = contextlib.ExitStack()
        self._pool: Any = None

    def __enter__(self) -> LocalExecutor:
        if self.workers == 1:
            if self.on_event is not None:
                previous = progress.set_sink(self.on_event)
                self._stack.callback(progress.set_sink, previous)
            return self
        setup = None
        if self.on_event is not None:
            messages = _Messages()
            listener = threading.Thread(target=messages.forward, args=(self.on_event,), name="corpack-progress-messages", daemon=True)
            listener.start()
            self._stack.callback(messages.stop, listener)
            setup = functools.partial(_set_worker_sink, messages.writer, messages.lock, progress.WATCH_BYTES)
        self._pool = self._stack.enter_context(worker_pool(self.workers, warm=self.warm, setup=setup))
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.__exit__(*exc_info)

    def each_worker(self, function: Callable[..., Any], *args: Any) -> dict[str, Any]:
        """``function(*args)`` in this process (local workers share its files and code)."""
        return {"local": function(*args)}

    def map(self, function: Callable[..., list[T]], chunks: Sequence[tuple[Any, ...]], sizes: Sequence[int]) -> Iterator[T]:
        """``function(*chunk)`` for each chunk, here or in the pool; the items of the results in chunk order
        (``sizes``: each chunk's raw bytes, bounding what waits its turn: :func:`held_bytes`)."""
        if self._pool is None:
            for chunk in chunks:
                yield from function(*chunk)
            return
        in_flight = self.workers * CHUNKS_IN_FLIGHT
        yield from ordered_chunks(self._pool, function, chunks, sizes, in_flight=in_flight, held_bytes=held_bytes(sizes, self.workers))


def held_bytes(sizes: Sequence[int], workers: int) -> int:
    """How many raw bytes of chunks may wait their turn behind the one the output waits for (see
    :func:`corpack.workers.ordered_futures`), given each chunk's raw bytes: :data:`CHUNKS_IN_FLIGHT` of the
    largest chunk per worker, at most :data:`HELD_BYTES_MAX`.

    While the largest chunk runs, the other workers get through about as many bytes each at the same speed
    per byte; twice that lets them keep going past chunks slower per byte than it. It is also never less
    than the chunks in flight could hold, so small chunks are sent as before.
    """
    return min(HELD_BYTES_MAX, CHUNKS_IN_FLIGHT * max(1, workers) * max(sizes, default=0))


def _sees_corpus(corpus_dir: str, probes: list[tuple[str, int]]) -> str | None:
    """On a worker: None when ``corpus_dir`` holds each probed ``(file, size)``, else what is wrong."""
    if not os.path.isdir(corpus_dir):
        return "no such folder there"
    for rel, size in probes:
        try:
            found = os.stat(os.path.join(corpus_dir, rel)).st_size
        except OSError as exc:
            return f"cannot read {rel} there ({exc.strerror or exc})"
        if found != size:
            return f"{rel} there holds {found} bytes, not {size}"
    return None


def check_workers(executor: Executor, corpus_dir: str | os.PathLike, probes: list[tuple[str, int]]) -> None:
    """Before work goes to workers that may be on other machines: each must see the corpus at ``corpus_dir``
    (the same absolute path; ``probes`` are a few ``(corpus-relative file, size)`` it must find) and run the
    same corpack code and libraries as this process (:func:`~corpack.rowcache.code_fingerprint`), or its rows
    could differ.

    Raises:
        ExecutorError: naming the first worker that fails a check, and the path.
    """
    for worker, problem in sorted(executor.each_worker(_sees_corpus, os.fspath(corpus_dir), probes).items()):
        if problem is not None:
            raise ExecutorError(
                f"worker {worker} cannot see the corpus at this path: {problem}",
                file=corpus_dir,
                hint="put the corpus on storage every worker mounts at the same path (NFS, a shared volume) and pass that path",
            )
    ours = code_fingerprint.__wrapped__()  # fresh: this process may have hashed older files
    for worker, theirs in sorted(executor.each_worker(code_fingerprint).items()):
        if theirs != ours:
            raise ExecutorError(
                f"worker {worker} runs other corpack code or library versions than this machine, so its rows could differ",
                hint="install the same corpack and libraries on every worker (pip install 'corpack[dask]==VERSION')",
            )
