"""How bad rows become findings: a mask's first rows described (:func:`flag`), values shown in messages, and
rows repeating an earlier row's key (:func:`duplicates`, :func:`report_duplicates`, :func:`check_unique`).

Only the first ``limit`` bad rows of a mask are ever turned into Python values; ``report`` may be a batch's
:class:`~dpcheck.recorder.Recorder`, which shifts the rows by the batch's offset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dpcheck import hashing, recorder
from dpcheck.descriptor import ResourceSpec
from dpcheck.reading import FIRST_ROW
from dpcheck.report import Report

Mask = pa.Array | pa.ChunkedArray


def show(value: Any, width: int = 60) -> str:
    """Return ``repr(value)`` cut to ``width`` characters, for messages; a cut string says its full length.

    A huge value is cut before ``repr`` sees it, so a 500 MB cell costs nothing to show.
    """
    if isinstance(value, (str, bytes)) and len(value) > width:
        size = f" ({len(value):,} {'characters' if isinstance(value, str) else 'bytes'})"
        return repr(value[:width])[: width - 1] + "…" + size
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def any_set(mask: Mask | pa.Array) -> bool:
    """Whether any value of a boolean mask is true (nulls are not), by counting set bits: most masks have none,
    and the count costs less than listing where they are."""
    chunks = mask.chunks if isinstance(mask, pa.ChunkedArray) else [mask]
    return any(chunk.true_count for chunk in chunks)


def packed(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A boolean numpy array as an Arrow boolean array, null where ``valid`` is false.

    numpy packs the bits (``pa.array`` converts a numpy mask one value at a time: ten times slower, about
    0.1-0.3 ms per batch and mask).
    """
    n = len(values)
    bits = pa.py_buffer(np.packbits(values, bitorder="little"))
    if valid is None or valid.all():
        return pa.Array.from_buffers(pa.bool_(), n, [None, bits])
    return pa.Array.from_buffers(pa.bool_(), n, [pa.py_buffer(np.packbits(valid, bitorder="little")), bits])


def flag(
    report: Report,
    code: str,
    mask: Mask,
    spec: ResourceSpec,
    field: str | None,
    describe: str | Callable[[list[int]], list[str]],
    rows: pa.ChunkedArray | pa.Array | None = None,
) -> int:
    """Report the rows where ``mask`` is true (null counts as false); return how many there were.

    Args:
        describe: one message for all rows, or a function from the first bad positions (0-based, at most
            ``report.limit``) to one message each; only those few positions are ever looked at in Python.
        rows: the frictionless row number of each position, when the table was filtered or reordered;
            by default position i is row i + 2.
    """
    if not any_set(mask):
        # Said even when nothing is bad, so a batch recorder (see recorder.py) lines up checks across batches.
        report.add_rows(code, [], resource=spec.name, file=spec.file, field=field, rows=[], total=0)
        return 0
    hits = pc.indices_nonzero(mask)  # nulls are not counted
    total = len(hits)
    first = hits.slice(0, recorder.room(report, code, field)).to_pylist()
    numbers = [i + FIRST_ROW for i in first] if rows is None else rows.take(first).to_pylist()
    messages = describe if isinstance(describe, str) else describe(first)
    report.add_rows(code, messages, resource=spec.name, file=spec.file, field=field, rows=numbers, total=total)
    return total


def values_at(col: pa.ChunkedArray | pa.Array, positions: Sequence[int]) -> list[Any]:
    """Return the Python values of ``col`` at a few positions."""
    return col.take(pa.array(list(positions), pa.int64())).to_pylist()



def duplicates(table: pa.Table, keys: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Find rows repeating an earlier row's ``keys``; ``table`` has the keys and ``__row``, and no null keys.

    Returns:
        (rows, first_rows): the row numbers of every repeat, ascending, and of the first row with its key.
    """
    n = table.num_rows
    if n < 2:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    order = pc.sort_indices(table, sort_keys=[(k, "ascending") for k in keys] + [("__row", "ascending")])
    same = np.ones(n - 1, dtype=bool)
    for key in keys:
        col = table.column(key).take(order)
        same &= pc.fill_null(pc.equal(col.slice(1), col.slice(0, n - 1)), False).to_numpy(zero_copy_only=False)
    repeat = np.concatenate([[False], same])
    start = np.maximum.accumulate(np.where(repeat, 0, np.arange(n)))
    rows = table.column("__row").take(order).to_numpy()
    hits = np.flatnonzero(repeat)
    dup_rows, first_rows = rows[hits], rows[start[hits]]
    by_row = np.argsort(dup_rows, kind="stable")
    return dup_rows[by_row], first_rows[by_row]


def report_duplicates(report: Report, code: str, spec: ResourceSpec, field: str | None, rows: np.ndarray,
                      first_rows: np.ndarray, what: Callable[[list[int]], list[str]]) -> None:
    """Report repeated rows found by :func:`duplicates`; ``what`` describes the repeated value of some rows."""
    if len(rows) == 0:
        return
    shown = rows[: report.limit].tolist()
    messages = [f"{desc} repeats row {first}" for desc, first in zip(what(shown), first_rows[: report.limit].tolist())]
    report.add_rows(code, messages, resource=spec.name, file=spec.file, field=field, rows=shown, total=len(rows))


def check_unique(spec: ResourceSpec, name: str, col: pa.ChunkedArray, report: Report, first_row: int = FIRST_ROW) -> None:
    """Report values of a unique field that occur more than once (nulls are not compared).

    Distinct values, the usual case, are settled by hashing them (8 bytes a row) without sorting the column.
    """
    found = hashing.key_hashes([pc.drop_null(col)])
    if found is not None and not hashing.repeats(found):
        return
    numbers = pa.array(np.arange(first_row, len(col) + first_row, dtype=np.int64))
    table = pa.table({name: col, "__row": numbers}).filter(pc.is_valid(col))
    rows, first_rows = duplicates(table, [name])

    def what(shown: list[int]) -> list[str]:
        return [f"value {show(v)} of a unique field" for v in values_at(col, [r - first_row for r in shown])]

    report_duplicates(report, "unique-error", spec, name, rows, first_rows, what)
