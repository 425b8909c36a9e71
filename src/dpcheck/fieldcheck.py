"""One field's cell checks as a life cycle that both reading loops drive: start, batch, end.

The Parquet loop (:func:`dpcheck.stream.check`, chunks of row groups checked in threads) and the CSV loop
(:func:`dpcheck.csvcheck.check_csv`, batches of a single pass) both check a field's cells the same way:

- **start**: a :class:`FieldCheck` is made for each field the loop checks batch by batch, saying whether its
  cells are read from text (CSV, always) or are typed columns (Parquet) and, then, whether their stored type
  fits the field;
- **batch**: :meth:`FieldCheck.batch` checks one batch's cells into the batch's
  :class:`~dpcheck.recorder.Recorder` (type, required, enum, bounds, pattern, categories, jsonSchema), leaving
  ``unique`` to the end, since a value may repeat one in another batch;
- **end**: the loop merges the batches' events (:mod:`dpcheck.recorder`) and :meth:`FieldCheck.end` reports
  them in the order a whole-column check reports them (type, then required, then the whole-column ``unique``
  check the loop supplies, then the rest).

The check keeps no state of its own between batches: what a batch found is in its recorder's events, which
the loop owns and merges by key.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pyarrow as pa

from dpcheck import tables
from dpcheck.descriptor import ResourceSpec
from dpcheck.reading import TableData
from dpcheck.recorder import Recorder, Rows, emit
from dpcheck.report import Finding, Report
from dpcheck.tableschema import Field


@dataclass(frozen=True)
class FieldCheck:
    """The cell checks of one field, batch by batch (see the module docstring).

    Attributes:
        spec: the resource.
        field: the field, from the model.
        text: whether the cells are text read as the field's type (CSV) rather than typed columns (Parquet).
        type_ok: for typed columns, whether their stored type can hold the field's type (when it cannot, only
            ``required`` is checked, and the loop reports the type-error once).
    """

    spec: ResourceSpec
    field: Field
    text: bool
    type_ok: bool = True

    def batch(self, part: TableData, recorder: Recorder) -> pa.ChunkedArray | None:
        """Check one batch of the field's cells (column ``field.name`` of ``part``) into ``recorder``.

        Returns:
            The batch's values as the field's type (for text, None when the field cannot be read).
        """
        if self.text:
            return tables.check_text_field(self.spec, part, self.field, recorder, unique=False)
        col = part.stored(self.field.name)
        tables.check_constraints(self.spec, self.field, col, recorder, self.type_ok, unique=False)
        return col

    def end(self, events: Sequence[Rows | Finding], report: Report, whole_unique: Callable[[], None]) -> None:
        """Report the merged events of every batch, with ``whole_unique`` (the loop's check of the field's
        ``unique`` constraint over all its rows) run after the type and required findings when the field is
        unique."""
        head = int(self.text) + int(self.field.required)
        emit(list(events[:head]), report)
        if self.field.unique:
            whole_unique()
        emit(list(events[head:]), report)
