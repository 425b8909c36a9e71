"""Progress of a build: a bar on a terminal, a log line every few seconds anywhere else, and what is going on
inside a document that takes long.

A build run by a scheduler, in CI or with its output piped to a file has no terminal to draw a bar on, and
must still not be silent for minutes. :class:`Progress` draws tqdm's bar when stderr is a terminal (or when
asked to), and otherwise writes one line every :data:`LOG_INTERVAL` seconds::

    build: 1200/5000 documents, 14.2/60.0 MB, 3.1 MB/s, ETA 0:01:13

A build shorter than the interval prints nothing; one that printed a line ends with a last line for the
whole. The lines go to stderr only: the package's bytes never depend on them.

One huge document (a 5 MB page) can take minutes on its own. The process working on it, a local worker or
one on a cluster, says what it is doing (:func:`begin`, :func:`stage`, :func:`end`) through a *sink* that the
executor sets (see :mod:`corpack.executors`); the build's :class:`Progress` gets it in :meth:`Progress.inside`
and adds it to the bar or to the next line, which a timer writes even while no document finishes::

    build: 12/40 documents, 6.1/9.0 MB, 0.4 MB/s, ETA 0:00:07; in 0000/r0000041.txt (4.4 MB): extracting statistics (table 1 of 6) from 21,782 paragraphs, 0:45

Only documents of :data:`WATCH_BYTES` or more say anything, a few messages each, so the many small ones cost
nothing.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, Callable, TextIO

from tqdm import tqdm

#: Seconds between two log lines when stderr is not a terminal.
LOG_INTERVAL = 10.0
#: Seconds between two refreshes of the bar's note on a document in progress.
BAR_INTERVAL = 1.0
#: Raw bytes from which a document reports what it is doing while it is being processed.
WATCH_BYTES = 256 << 10

#: Where this process sends what its current document is doing: a function of one plain dict (see :func:`begin`).
_sink: Callable[[dict[str, Any]], None] | None = None
#: The document this process is working on, when it is watched: ``{"file", "bytes"}``.
_watched: dict[str, Any] | None = None


def _clock_text(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def set_sink(sink: Callable[[dict[str, Any]], None] | None, watch_bytes: int | None = None) -> Callable[[dict[str, Any]], None] | None:
    """Send this process's reports on large documents to ``sink`` (None: nowhere); return the previous sink.

    An executor sets it in each worker (a queue to the build's process, a Dask event), passing the build's
    ``watch_bytes`` (:data:`WATCH_BYTES`), or, in the build's own process, to :meth:`Progress.inside` directly.
    """
    global _sink, WATCH_BYTES
    previous, _sink = _sink, sink
    if watch_bytes is not None:
        WATCH_BYTES = watch_bytes
    return previous


def _send(stage: str | None) -> None:
    if _sink is not None and _watched is not None:
        _sink({**_watched, "stage": stage})


def begin(file: str, raw_bytes: int) -> None:
    """Start a document: ``file`` (corpus-relative) of ``raw_bytes``; it is watched when it is large."""
    global _watched
    _watched = {"file": file, "bytes": raw_bytes} if _sink is not None and raw_bytes >= WATCH_BYTES else None
    _send("decoded")


def stage(text: str) -> None:
    """Say what the current document is going through now (``"cleaning"``); nothing unless it is watched."""
    _send(text)


def end() -> None:
    """The current document is done (or failed)."""
    global _watched
    _send(None)
    _watched = None


class Progress:
    """Report documents and bytes done out of a known total.

    Args:
        total: documents to process.
        total_bytes: their raw bytes.
        show: True: always a bar; False: nothing; None: a bar on a terminal, log lines elsewhere.
        stream: where to write (default: ``sys.stderr`` at the time of the call).
        interval: seconds between log lines (default :data:`LOG_INTERVAL`).
        clock: a monotonic clock in seconds (tests pass their own).
        label: what leads each line.
        timer: run a thread that writes a due line (or refreshes the bar's note) even when no document
            finishes, as while one huge document is processed; off when ``interval`` is 0 (every update
            logs then) and for tests that move their own clock.
    """

    def __init__(
        self,
        total: int,
        total_bytes: int,
        *,
        show: bool | None = None,
        stream: TextIO | None = None,
        interval: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        label: str = "build",
        timer: bool = True,
    ) -> None:
        self.total, self.total_bytes, self.label = total, total_bytes, label
        self.stream = stream if stream is not None else sys.stderr
        self.interval = LOG_INTERVAL if interval is None else interval
        self.clock = clock
        self.done = self.done_bytes = 0
        self.started = self.last = clock()
        self.logged = False
        self.working: dict[str, tuple[dict[str, Any], float]] = {}
        self.lock = threading.RLock()
        on_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.bar = tqdm(total=total, unit="doc", desc=label, file=self.stream, leave=False) if show or (show is None and on_tty) else None
        self.logging = show is None and not on_tty
        self.stopped = threading.Event()
        self.thread = None
        if timer and self.interval > 0 and (self.bar is not None or self.logging):
            period = BAR_INTERVAL if self.bar is not None else self.interval
            self.thread = threading.Thread(target=self._tick_every, args=(period,), name="corpack-progress", daemon=True)
            self.thread.start()

    @property
    def shown(self) -> bool:
        """Whether anything is shown: a bar or log lines."""
        return self.bar is not None or self.logging

    def update(self, documents: int = 1, raw_bytes: int = 0) -> None:
        """Count ``documents`` more done, holding ``raw_bytes``; draw the bar or write a line when one is due."""
        with self.lock:
            self.done += documents
            self.done_bytes += raw_bytes
            if self.bar is not None:
                self.bar.update(documents)
            else:
                self.tick()

    def inside(self, event: dict[str, Any]) -> None:
        """Note what a worker says of the large document it is working on (see :func:`begin`): ``{"file",
        "bytes", "stage"}``, ``stage`` None when it is done. Safe to call from any thread."""
        with self.lock:
            if event.get("stage") is None:
                self.working.pop(event["file"], None)
            else:
                since = self.working.get(event["file"], (None, self.clock()))[1]
                self.working[event["file"]] = (event, since)
            if self.bar is not None:
                self.bar.set_postfix_str(self.working_text(self.clock()), refresh=True)

    def working_text(self, now: float) -> str:
        """What the large documents in progress are going through, at clock time ``now`` ("" for none)."""
        return "; ".join(
            f"in {file} ({event['bytes'] / 1e6:.1f} MB): {event['stage']}, {_clock_text(now - since)}"
            for file, (event, since) in sorted(self.working.items())
        )

    def line(self, now: float) -> str:
        """The log line for the work done so far, at clock time ``now``."""
        elapsed = max(now - self.started, 1e-9)
        rate = self.done_bytes / elapsed
        speed = f"{rate / 1e6:.3f}" if 500 <= rate < 50_000 else f"{rate / 1e6:.1f}"  # a huge document: 0.016, not 0.0
        text = f"{self.label}: {self.done}/{self.total} documents, {self.done_bytes / 1e6:.1f}/{self.total_bytes / 1e6:.1f} MB, {speed} MB/s"
        if self.done < self.total and rate > 0:
            text += f", ETA {_clock_text((self.total_bytes - self.done_bytes) / rate)}"
        elif self.done >= self.total:
            text += f", {_clock_text(elapsed)} in all"
        working = self.working_text(now)
        return f"{text}; {working}" if working else text

    def tick(self) -> None:
        """Write a log line if one is due (the timer calls this; so does :meth:`update`), or refresh the bar's
        note on the documents in progress."""
        with self.lock:
            now = self.clock()
            if self.bar is not None:
                if self.working:
                    self.bar.set_postfix_str(self.working_text(now), refresh=True)
            elif self.logging and now - self.last >= self.interval:
                self.last = now
                self._log(now)

    def _tick_every(self, period: float) -> None:
        while not self.stopped.wait(period):
            self.tick()

    def _log(self, now: float) -> None:
        self.logged = True
        print(self.line(now), file=self.stream, flush=True)

    def close(self, finished: bool = True) -> None:
        """Stop the timer and remove the bar; after log lines, write the last one for the whole when ``finished``."""
        self.stopped.set()
        if self.thread is not None:
            self.thread.join()
        with self.lock:
            self.working.clear()
            if self.bar is not None:
                self.bar.close()
            elif self.logged and finished:
                self._log(self.clock())

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        self.close(finished=exc_type is None)
