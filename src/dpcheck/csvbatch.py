"""What a CSV reader gives the checks: :class:`Batch` es of text cells, and :class:`Restart` when Arrow's reader
gives up part way (see :mod:`~dpcheck.csvfile` and :mod:`~dpcheck.csvarrow`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa


class Restart(Exception):
    """Arrow's reader met a row it cannot read after batches were given out; read again with Python's."""


@dataclass
class Batch:
    """Consecutive data rows of a CSV resource.

    Attributes:
        cells: the text cells of each column position (null where a row is too short), at least as many
            positions as the schema has fields when rows are ragged; Arrow's reader gives each as the chunks
            of the blocks it read (joining them would copy every string once more).
        row_len: how many cells each row has, or None when every row has one per label.
        num_rows: how many rows.
    """

    cells: list[pa.Array | pa.ChunkedArray]
    row_len: np.ndarray | None
    num_rows: int

    def column(self, position: int) -> pa.ChunkedArray:
        """The cells at ``position`` as one chunked array (all null past the longest row)."""
        if position >= len(self.cells):
            return pa.chunked_array([pa.nulls(self.num_rows, pa.string())])
        cells = self.cells[position]
        return cells if isinstance(cells, pa.ChunkedArray) else pa.chunked_array([cells], pa.string())
