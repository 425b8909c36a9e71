"""One field's cell checks as a check of the one loop (:mod:`~dpcheck.driver`): start, batch, end.

- **start**: a :class:`FieldCheck` is made for each field the file has a column for, saying whether its cells
  are text read as the field's type (CSV; Parquet text of a type Parquet lacks) or typed columns (Parquet)
  and, then, whether their stored type fits the field;
- **batch**: :meth:`FieldCheck.batch` checks one batch's cells into the batch's
  :class:`~dpcheck.recorder.Recorder` (type, required, enum, bounds, pattern, categories, jsonSchema), leaving
  ``unique`` to the end, since a value may repeat one in another batch;
- **end**: the loop merges the batches' events by key and :meth:`FieldCheck.end` reports them in the order a
  whole-column check reports them (type, then required, then the whole-column ``unique`` check, then the rest).

The check keeps no state of its own between batches: what a batch found is in its recorder's events.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from dpcheck import cells, constraints
from dpcheck.descriptor import ResourceSpec
from dpcheck.driver import Batch, Done
from dpcheck.flagging import packed
from dpcheck.recorder import Recorder, emit
from dpcheck.report import Finding, Report
from dpcheck.tableschema import Field


@dataclass(frozen=True)
class FieldCheck:
    """The cell checks of one field, batch by batch (see the module docstring).

    Attributes:
        spec: the resource.
        field: the field, from the model.
        index: the field's position in the schema (how a batch names its column).
        text: whether the cells are text read as the field's type rather than typed columns.
        stored: for typed columns, their stored type when it cannot hold the field's type (only ``required``
            is then checked, and :meth:`end` reports the type-error once); None when it fits.
        whole_unique: the check of the field's ``unique`` constraint over all its rows, run once the loop has
            ended (it needs the keys the loop found distinct); None when the field is not unique, or is not
            the first of its name (whose check covers the name).
    """

    spec: ResourceSpec
    field: Field
    index: int
    text: bool
    stored: pa.DataType | None = None
    whole_unique: Callable[[], None] | None = None

    @property
    def reads(self) -> tuple[int, ...]:
        """The one column the check reads."""
        return (self.index,)

    def batch(self, batch: Batch, recorder: Recorder) -> None:
        """Check one batch of the field's cells into ``recorder``."""
        col = batch.stored(self.index)
        assert col is not None  # (a check is made only for a field the file has a column for)
        blank = batch.blank()  # (a blank row gets blank-row, and no finding of its cells)
        if self.text:
            constraints.check_text_field(self.spec, self.field, col, recorder, skip=blank, unique=False,
                                         parsed=batch.parsed(self.index))
        else:
            missing = None if blank is None else pc.and_(pc.is_null(col), packed(~blank))
            constraints.check_constraints(self.spec, self.field, col, recorder, self.stored is None, missing=missing,
                                          unique=False)

    def end(self, done: Done, report: Report) -> None:
        """Report the merged events of every batch, with :attr:`whole_unique` run after the type and required
        findings."""
        if self.stored is not None:
            message = f"field {self.field.name!r} is declared {cells.kind(self.field)} but the column is stored as {self.stored}"
            report.add(Finding("type-error", message, self.spec.name, self.spec.file, field=self.field.name))
        events = done.events
        head = int(self.text) + int(self.field.required)
        emit(list(events[:head]), report)
        if self.whole_unique is not None:
            self.whole_unique()
        emit(list(events[head:]), report)
