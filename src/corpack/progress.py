"""Progress of a build: a bar on a terminal, a log line every few seconds anywhere else.

A build run by a scheduler, in CI or with its output piped to a file has no terminal to draw a bar on, and
must still not be silent for minutes. :class:`Progress` draws tqdm's bar when stderr is a terminal (or when
asked to), and otherwise writes one line every :data:`LOG_INTERVAL` seconds::

    build: 1200/5000 documents, 14.2/60.0 MB, 3.1 MB/s, ETA 0:01:13

A build shorter than the interval prints nothing; one that printed a line ends with a last line for the
whole. The lines go to stderr only: the package's bytes never depend on them.
"""

from __future__ import annotations

import sys
import time
from typing import Callable, TextIO

from tqdm import tqdm

#: Seconds between two log lines when stderr is not a terminal.
LOG_INTERVAL = 10.0


def _clock_text(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


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
    ) -> None:
        self.total, self.total_bytes, self.label = total, total_bytes, label
        self.stream = stream if stream is not None else sys.stderr
        self.interval = LOG_INTERVAL if interval is None else interval
        self.clock = clock
        self.done = self.done_bytes = 0
        self.started = self.last = clock()
        self.logged = False
        on_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.bar = tqdm(total=total, unit="doc", desc=label, file=self.stream, leave=False) if show or (show is None and on_tty) else None
        self.logging = show is None and not on_tty

    def update(self, documents: int = 1, raw_bytes: int = 0) -> None:
        """Count ``documents`` more done, holding ``raw_bytes``; draw the bar or write a line when one is due."""
        self.done += documents
        self.done_bytes += raw_bytes
        if self.bar is not None:
            self.bar.update(documents)
        elif self.logging:
            now = self.clock()
            if now - self.last >= self.interval:
                self.last = now
                self._log(now)

    def line(self, now: float) -> str:
        """The log line for the work done so far, at clock time ``now``."""
        elapsed = max(now - self.started, 1e-9)
        rate = self.done_bytes / elapsed
        text = f"{self.label}: {self.done}/{self.total} documents, {self.done_bytes / 1e6:.1f}/{self.total_bytes / 1e6:.1f} MB, {rate / 1e6:.1f} MB/s"
        if self.done < self.total and rate > 0:
            text += f", ETA {_clock_text((self.total_bytes - self.done_bytes) / rate)}"
        elif self.done >= self.total:
            text += f", {_clock_text(elapsed)} in all"
        return text

    def _log(self, now: float) -> None:
        self.logged = True
        print(self.line(now), file=self.stream, flush=True)

    def close(self, finished: bool = True) -> None:
        """Remove the bar; after log lines, write the last one for the whole when ``finished``."""
        if self.bar is not None:
            self.bar.close()
        elif self.logged and finished:
            self._log(self.clock())

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: object, *exc_info: object) -> None:
        self.close(finished=exc_type is None)
