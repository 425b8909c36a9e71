"""What a check says about one batch of rows, held until the batches before it are known, then merged.

Checks report to a :class:`~dpcheck.report.Report`; while one batch (a Parquet chunk of row groups, a
CSV batch) is checked, a :class:`Recorder` stands in for it and shifts the batch's row numbers by the
batch's offset. The events of consecutive batches of one column are merged (:func:`merge`) into what a
whole-column check reports: the same first ``limit`` rows and the same totals, in the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa

from dpcheck.report import Finding, Report


@dataclass
class Rows:
    """Rows flagged by one check, merged over chunks: the first ``limit`` rows and messages, and the total."""

    code: str
    resource: str | None
    file: str | None
    field: str | None
    rows: list[int] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    offsets: list[int | None] = field(default_factory=list)
    total: int = 0

    def absorb(self, rows: list[int], messages: list[str], offsets: list[int | None], total: int, limit: int) -> None:
        """Add the next chunk's flagged rows: keep the first ``limit`` rows overall, count them all."""
        room = max(limit - len(self.rows), 0)
        self.rows += rows[:room]
        self.messages += messages[:room]
        self.offsets += offsets[:room]
        self.total += total


class Recorder:
    """Stands in for a :class:`Report` while one chunk is checked, and shifts its rows by the chunk's offset.

    ``events`` lists what the checks said, in order: a :class:`Rows` per flagged check (one even when
    nothing was flagged, so checks line up across chunks) or a plain :class:`Finding`.
    """

    def __init__(self, limit: int, offset: int, before: Callable[[int], int] = lambda slot: 0) -> None:
        self._limit = limit
        self.offset = offset
        self.events: list[Rows | Finding] = []
        self._before = before

    @property
    def limit(self) -> int:
        """How many rows the next check should describe: none once earlier chunks have listed enough.

        ``before(slot)`` gives how many rows that check flagged in the earlier chunks that have finished in
        a row from the first (a lower bound of all earlier ones); so a package whose every row is bad
        describes ``limit`` rows for the chunks in flight, not ``limit`` per chunk.
        """
        return 0 if self._before(len(self.events)) >= self._limit else self._limit

    def add(self, finding: Finding) -> None:
        self.events.append(finding)

    def add_rows(self, code: str, messages: str | list[str], *, resource: str | None, file: str | None,
                 field: str | None, rows: Any, total: int, offsets: list[int | None] | None = None) -> None:
        shown = rows.slice(0, self._limit).to_pylist() if isinstance(rows, (pa.Array, pa.ChunkedArray)) \
            else [int(r) for r in list(rows)[: self._limit]]
        texts = [messages if isinstance(messages, str) else messages[i] for i in range(len(shown))]
        places = [offsets[i] if offsets is not None else None for i in range(len(shown))]
        self.events.append(Rows(code, resource, file, field, [r + self.offset for r in shown], texts, places, total))


def merge(chunks: list[list[Rows | Finding]], limit: int) -> list[Rows | Finding]:
    """Merge the events of consecutive chunks of one column: the i-th event of each chunk is the same check."""
    slots: dict[int, Rows | list[Finding]] = {}
    for events in chunks:
        for i, event in enumerate(events):
            if isinstance(event, Finding):
                found = slots.setdefault(i, [])
                if isinstance(found, list) and event not in found:
                    found.append(event)
                continue
            merged = slots.setdefault(i, Rows(event.code, event.resource, event.file, event.field))
            if not isinstance(merged, Rows):
                continue  # the chunks disagree, which one schema and one column type never do
            merged.absorb(event.rows, event.messages, event.offsets, event.total, limit)
    out: list[Rows | Finding] = []
    for i in sorted(slots):
        slot = slots[i]
        out.extend(slot if isinstance(slot, list) else [slot])
    return out


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
