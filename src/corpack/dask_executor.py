"""The Dask executor: a build's chunks run on a ``dask.distributed`` cluster (``pkg build --executor dask``).

Without a scheduler address it starts a cluster on this machine (a ``LocalCluster`` of ``jobs`` worker
processes, one thread each, listening on 127.0.0.1 only, no dashboard). With one, it connects to a cluster
started elsewhere (``dask scheduler`` on one machine, ``dask worker tcp://HOST:8786`` on each of the others).

Workers run the same per-chunk function as a local pool (:func:`corpack.dispatch.process_chunk`) and read
the corpus files by path, so the corpus must be on storage every worker mounts at the same path, and every
worker must have the same corpack and libraries installed; :func:`corpack.pipeline.check_workers` checks both
before any work is sent. Results come back in chunk order, so the package's bytes are those of a local build.

Failures are one line each (:class:`~corpack.executors.ExecutorError`): dask not installed, a scheduler that
does not answer within :data:`~corpack.executors.CONNECT_TIMEOUT` seconds, no worker joining, a worker that
died (Dask retries a chunk on another worker a few times, then gives up).
"""

from __future__ import annotations

import contextlib
import functools
import logging
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from corpack import progress
from corpack.executors import CHUNKS_IN_FLIGHT, PROGRESS_TOPIC, ChunkLost, Event, ExecutorError, held_bytes
from corpack.workers import ordered_futures

T = TypeVar("T")

_INSTALL = "install it with: pip install 'corpack[dask]'"


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise ExecutorError(f"the dask executor needs dask.distributed, which is not installed ({exc})", hint=_INSTALL) from None
    return distributed


def local_cluster_options(workers: int) -> dict[str, Any]:
    """``LocalCluster`` options of the cluster started when no scheduler is given: ``workers`` processes of one
    thread each, on 127.0.0.1 only, no dashboard (its HTTP server, which Dask always starts, on a free port),
    and only errors logged (a stopped build's workers warn of every task cancelled)."""
    return {
        "n_workers": workers, "threads_per_worker": 1, "processes": True, "host": "127.0.0.1",
        "dashboard_address": "127.0.0.1:0", "scheduler_kwargs": {"dashboard": False}, "silence_logs": logging.ERROR,
    }


def _log_event(event: dict[str, Any]) -> None:
    """Worker sink: send a progress message to the client as a Dask event."""
    from distributed import get_worker

    with contextlib.suppress(Exception):  # a progress note must never fail a chunk
        get_worker().log_event(PROGRESS_TOPIC, event)


def _run_chunk(function: Callable[..., list[T]], watch_bytes: int | None, *chunk: Any) -> list[T]:
    """On a worker: ``function(*chunk)``, with progress messages sent as Dask events when ``watch_bytes`` is set."""
    previous = progress.set_sink(_log_event if watch_bytes is not None else None, watch_bytes)
    try:
        return function(*chunk)
    finally:
        progress.set_sink(previous)


class DaskExecutor:
    """Run chunks on a Dask cluster (see the module docs).

    Args:
        jobs: workers of the local cluster started when ``scheduler`` is None.
        scheduler: address of a running scheduler (``tcp://host:8786``), or None.
        warm: run once on every worker before the first chunk (loads dictionaries; changes no output).
        on_event: called in this process with each progress message of a worker.
        timeout: seconds to wait for the scheduler to answer and for its first worker.
    """

    remote = True

    def __init__(
        self,
        jobs: int = 1,
        *,
        scheduler: str | None = None,
        warm: Callable[[], None] | None = None,
        on_event: Event | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.jobs, self.scheduler, self.warm, self.on_event, self.timeout = max(1, jobs), scheduler, warm, on_event, timeout
        self.workers = 0
        self.client: Any = None
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> DaskExecutor:
        distributed = _import_distributed()
        try:
            self._connect(distributed)
        except BaseException:
            self._stack.close()
            raise
        return self

    def _connect(self, distributed: Any) -> None:
        if self.scheduler is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. a notice that the cluster's memory limit is the machine's
                cluster = distributed.LocalCluster(**local_cluster_options(self.jobs))
            self._stack.enter_context(cluster)
            where = "a local cluster"
            self.client = self._stack.enter_context(distributed.Client(cluster))
        else:
            where = self.scheduler
            try:
                self.client = distributed.Client(self.scheduler, timeout=f"{self.timeout}s")
            except (OSError, TimeoutError, ValueError) as exc:
                raise ExecutorError(
                    f"cannot reach the Dask scheduler at {self.scheduler} within {self.timeout:g} s ({type(exc).__name__})",
                    hint="start it with `dask scheduler` and pass the address it prints, e.g. tcp://HOST:8786",
                ) from None
            self._stack.enter_context(self.client)
        try:
            self.client.wait_for_workers(1, timeout=self.timeout)
        except (TimeoutError, OSError):
            raise ExecutorError(
                f"no Dask worker joined the scheduler at {where} within {self.timeout:g} s",
                hint=f"start workers with `dask worker {self.scheduler or 'tcp://HOST:8786'}` on machines that see the corpus",
            ) from None
        self.workers = sum(self.client.nthreads().values())
        if self.on_event is not None:
            self.client.subscribe_topic(PROGRESS_TOPIC, functools.partial(_forward_event, self.on_event))
            self._stack.callback(self.client.unsubscribe_topic, PROGRESS_TOPIC)
        if self.warm is not None:
            self.each_worker(self.warm)

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is None:
            self._stack.__exit__(*exc_info)
            return
        # Stopped early (a failure, Ctrl-C, SIGTERM): the build says why in one line; Dask's own warnings
        # about workers and streams it is closing mid-task would only bury it.
        logger = logging.getLogger("distributed")
        level = logger.level
        logger.setLevel(logging.CRITICAL + 1)
        try:
            self._stack.__exit__(*exc_info)
        finally:
            logger.setLevel(level)

    def each_worker(self, function: Callable[..., Any], *args: Any) -> dict[str, Any]:
        """``function(*args)`` once on every worker, by worker address.

        Raises:
            ExecutorError: when a worker cannot run it (a worker died, or corpack is not installed there).
        """
        try:
            return dict(self.client.run(function, *args))
        except Exception as exc:
            raise ExecutorError(
                f"a Dask worker could not run {getattr(function, '__name__', 'a check')}: {type(exc).__name__}: {exc}",
                hint="install the same corpack (pip install 'corpack[dask]') on every worker",
            ) from None

    def map(self, function: Callable[..., list[T]], chunks: Sequence[tuple[Any, ...]], sizes: Sequence[int]) -> Iterator[T]:
        """``function(*chunk)`` for every chunk on the cluster; the items of the results in chunk order. A chunk is
        sent as soon as any finishes; results waiting their turn stay on the workers, at most
        :func:`~corpack.executors.held_bytes` of ``sizes`` (each chunk's raw bytes) behind the one awaited.

        Raises:
            ExecutorError: a worker died running a chunk (after Dask's retries), naming the chunk.
        """
        from distributed import KilledWorker, as_completed

        watch = progress.WATCH_BYTES if self.on_event is not None else None
        finished = as_completed(loop=self.client.loop)  # each submitted future, once, as it finishes (this client's)

        def submit(chunk: tuple[Any, ...]) -> Any:
            future = self.client.submit(_run_chunk, function, watch, *chunk, pure=False)
            finished.add(future)
            return future

        def result(future: Any, index: int) -> list[T]:
            try:
                return future.result()
            except KilledWorker as exc:
                raise ChunkLost(index, f"a Dask worker died while running chunk {index + 1} of {len(chunks)} ({exc})") from None

        def wait_any(_running: set[Any]) -> list[Any]:
            return [next(finished)]  # the futures not yet taken from it are those running

        in_flight = self.workers * CHUNKS_IN_FLIGHT
        yield from ordered_futures(submit, result, wait_any, chunks, sizes, in_flight=in_flight, held_bytes=held_bytes(sizes, self.workers))


def _forward_event(on_event: Event, event: Any) -> None:
    """A Dask event handler: events arrive as ``(timestamp, message)``."""
    with contextlib.suppress(Exception):  # a progress note must never stop a build
        on_event(event[1] if isinstance(event, tuple) else event)
