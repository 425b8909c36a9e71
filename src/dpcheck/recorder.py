"""What a check says about one batch of rows, held until the batches before it are known, then merged.

Checks report to a :class:`~dpcheck.report.Report`; while one batch (a Parquet chunk of row groups, a
CSV batch) is checked, a :class:`Recorder` stands in for it and shifts the batch's row numbers by the
batch's offset. Each event has a key naming its check (code, field, and how many events of that code and
field came before it in the batch), and the events of consecutive batches of one column are merged by key
(:func:`merge`) into what a whole-column check reports: the same first ``limit`` rows and the same totals,
in the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from dpcheck.report import Finding, Report


Key = tuple[Any, ...]


@dataclass
class Rows:
    """Rows flagged by one check, merged over chunks: the first ``limit`` rows and messages, and the total.

    ``ordinal`` counts the events of the same code and field before this one in its batch; with them it is
    the event's :attr:`key`, which names the same check in every batch.
    """

    code: str
    resource: str | None
    file: str | None
    field: str | None
    rows: list[int] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    offsets: list[int | None] = field(default_factory=list)
    total: int = 0
    ordinal: int = 0

    @property
    def key(self) -> Key:
        """The check this event is from: the same in every batch of a column."""
        return ("rows", self.code, self.field, self.ordinal)

    def absorb(self, rows: list[int], messages: list[str], offsets: list[int | None], total: int, limit: int) -> None:
        """Add the next chunk's flagged rows: keep the first ``limit`` rows overall, count them all."""
        room = max(limit - len(self.rows), 0)
        self.rows += rows[:room]
        self.messages += messages[:room]
        self.offsets += offsets[:room]
        self.total += total


def key_of(event: Rows | Finding) -> Key:
    """An event's key: a :class:`Rows`' own, a finding's what it says (the same finding from two batches is one)."""
    return event.key if isinstance(event, Rows) else ("finding", event.code, event.field, event.message)


class Recorder:
    """Stands in for a :class:`Report` while one chunk is checked, and shifts its rows by the chunk's offset.

    ``events`` lists what the checks said, in order: a :class:`Rows` per flagged check (one even when
    nothing was flagged, so every batch says how many rows each check flagged) or a plain :class:`Finding`.
    """

    def __init__(self, limit: int, offset: int, before: Callable[[Key], int] = lambda key: 0) -> None:
        self.limit = limit
        self.offset = offset
        self.events: list[Rows | Finding] = []
        self._before = before
        self._seen: dict[tuple[str, str | None], int] = {}

    def room(self, code: str, field: str | None) -> int:
        """How many rows the next check of ``code`` on ``field`` should describe: none once earlier chunks
        have listed enough.

        ``before(key)`` gives how many rows that check flagged in the earlier chunks that have finished in a
        row from the first (a lower bound of all earlier ones); so a package whose every row is bad
        describes ``limit`` rows for the chunks in flight, not ``limit`` per chunk.
        """
        key = ("rows", code, field, self._seen.get((code, field), 0))
        return 0 if self._before(key) >= self.limit else self.limit

    def add(self, finding: Finding) -> None:
        self.events.append(finding)

    def add_rows(self, code: str, messages: str | list[str], *, resource: str | None, file: str | None,
                 field: str | None, rows: Any, total: int, offsets: list[int | None] | None = None) -> None:
        shown = rows.slice(0, self.limit).to_pylist() if isinstance(rows, (pa.Array, pa.ChunkedArray)) \
            else [int(r) for r in list(rows)[: self.limit]]
        texts = [messages if isinstance(messages, str) else messages[i] for i in range(len(shown))]
        places = [offsets[i] if offsets is not None else None for i in range(len(shown))]
        ordinal = self._seen.get((code, field), 0)
        self._seen[(code, field)] = ordinal + 1
        self.events.append(Rows(code, resource, file, field, [r + self.offset for r in shown], texts, places, total, ordinal))


def room(report: Report | Recorder, code: str, field: str | None) -> int:
    """How many rows a check of ``code`` on ``field`` should describe to ``report`` (see :meth:`Recorder.room`)."""
    return report.room(code, field) if isinstance(report, Recorder) else report.limit


def totals(events: list[Rows | Finding]) -> dict[Key, int]:
    """How many rows each check flagged, by key."""
    return {event.key: event.total for event in events if isinstance(event, Rows)}


def merge(chunks: list[list[Rows | Finding]], limit: int) -> list[Rows | Finding]:
    """Merge the events of consecutive chunks of one column, event by event key.

    The merged events keep each chunk's order: a key first said by a later chunk goes after the key said
    before it there. A finding said by several chunks is kept once.
    """
    merged: dict[Key, Rows | Finding] = {}
    order: list[Key] = []
    for events in chunks:
        at = -1
        for event in events:
            key = key_of(event)
            if key not in merged:
                merged[key] = event if isinstance(event, Finding) else Rows(event.code, event.resource, event.file, event.field,
                                                                            ordinal=event.ordinal)
                order.insert(at + 1, key)
            at = order.index(key)
            target = merged[key]
            if isinstance(target, Rows) and isinstance(event, Rows):
                target.absorb(event.rows, event.messages, event.offsets, event.total, limit)
    return [merged[key] for key in order]


def emit(events: list[Rows | Finding], report: Report) -> None:
    for event in events:
        if isinstance(event, Finding):
            report.add(event)
        else:
            report.add_rows(event.code, event.messages, resource=event.resource, file=event.file, field=event.field,
                            rows=event.rows, total=event.total, offsets=event.offsets)


def merge_into(held: list[Rows | Finding], events: list[Rows | Finding], limit: int) -> list[Rows | Finding]:
    """Fold one batch's events into those of the batches before it."""
    return merge([held, events], limit) if held else events
