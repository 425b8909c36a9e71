"""Checks of the one loop (:mod:`~dpcheck.driver`) that serve the key checks after it: keys hashed or seen
in order, foreign keys looked up, columns kept.

- :class:`KeyCheck`: the primary key, each ``unique`` field and each v2 unique key. A batch notes whether the
  key strictly increases in it (columns that Arrow, Python and DuckDB compare alike, see
  :func:`dpcheck.sqlkeys.comparable`): when every batch does and each starts above the last, no value repeats.
  A batch that does not hashes the key (8 bytes a row, :mod:`~dpcheck.hashing`); when every batch hashed
  and no hash repeats, the key is distinct. Either way it is settled without reading the column again;
  otherwise the full check (:mod:`~dpcheck.keys`) lists the repeated rows.
- :class:`LookupCheck`: a single-field foreign key into a small parent (Parquet, or already checked), tested
  batch by batch against the parent's keys (see :func:`dpcheck.keys.lookups`).
- :class:`KeepCheck`: columns held as their types for the checks after the loop (a CSV's foreign key fields
  not looked up, text a Parquet file stores for a type it lacks), strings as a dictionary per batch.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from dpcheck import hashing, reading
from dpcheck.descriptor import ResourceSpec
from dpcheck.driver import WORKERS, Batch, Done
from dpcheck.keys import Lookup, flag_orphans, hash_key
from dpcheck.recorder import Recorder, Rows
from dpcheck.report import Report

# Whether a batch's key is strictly increasing with no null, and its first and last key values.
Order = tuple[bool, tuple[Any, ...] | None, tuple[Any, ...] | None]


def _order(cols: list[pa.ChunkedArray]) -> Order:
    """Whether the rows of ``cols`` (a batch's key columns) strictly increase, compared as tuples."""
    n = len(cols[0])
    if n == 0:
        return True, None, None
    cols = [reading.plain(col) for col in cols]
    if any(col.null_count for col in cols):
        return False, None, None
    rising = same = None  # each row above the one before it; equal to it in the columns compared so far
    for i, col in enumerate(cols):
        later, earlier = col.slice(1), col.slice(0, n - 1)
        above = pc.greater(later, earlier)
        rising = above if same is None else pc.or_(rising, pc.and_(same, above))
        if i < len(cols) - 1:  # (the last column's ties are not needed: a tie in every column is not rising)
            equal = pc.equal(later, earlier)
            same = equal if same is None else pc.and_(same, equal)
    ok = n == 1 or pc.all(rising).as_py()
    first = tuple(col[0].as_py() for col in cols)
    last = tuple(col[n - 1].as_py() for col in cols)
    return bool(ok), first, last


def _increasing(orders: list[Order]) -> bool:
    """Whether the batches, in order, make one strictly increasing key with no null (so no key repeats).

    Python compares strings by code point, which is the byte order of their UTF-8 that Arrow compares.
    """
    last = None
    for ok, first, end in orders:
        if not ok:
            return False
        if first is None:
            continue
        if last is not None and not last < first:
            return False
        last = end
    return True


@dataclass
class KeyCheck:
    """Whether a key's values are distinct, learnt while the rows stream (see the module docstring).

    Attributes:
        key: the key's field names; ``reads`` the fields' indices.
        primary: whether it is the primary key (a null in it is then reported by the full check, so a batch
            with one settles nothing; rows with a null in another key are not compared).
        ordered: whether the key's columns compare alike everywhere, so their order may settle it.
    """

    key: tuple[str, ...]
    reads: tuple[int, ...]
    primary: bool
    ordered: bool
    _unordered: threading.Event = field(default_factory=threading.Event)  # some batch found it out of order

    def batch(self, batch: Batch, recorder: Recorder) -> tuple[str, Any] | None:
        """("order", the batch's :data:`Order`) or ("hashes", its hashes, or None); None when unreadable."""
        cols = [batch.values(index) for index in self.reads]
        if any(col is None for col in cols):
            return None
        if self.ordered and not self._unordered.is_set():
            order = _order(cols)
            if order[0]:
                return "order", order
            self._unordered.set()  # (once out of order, the key is not increasing: later batches just hash)
        hashes = hash_key(self.key, self.key if self.primary else (), cols)
        # (grouped here, on the batch's thread: the end then sorts each group of every batch together)
        return "hashes", None if hashes is None else hashing.bucketed(hashes)

    def end(self, done: Done, report: Report) -> str | None:
        """What the loop found (it reports nothing: the full check does): ``"distinct"``, no null and no
        repeated value; ``"repeated"``, every batch hashed with no null and some hash repeats (so a value
        does, but for a 64-bit collision, which the full check rules out by comparing the values); None
        when it cannot tell."""
        results = done.results
        if any(result is None or result[1] is None for result in results):
            return None
        if all(kind == "order" for kind, _ in results):
            return "distinct" if _increasing([order for _, order in results]) else None
        if all(kind == "hashes" for kind, _ in results):
            return "repeated" if hashing.repeats_across([hashes for _, hashes in results], WORKERS) else "distinct"
        return None


@dataclass(frozen=True)
class LookupCheck:
    """A foreign key checked batch by batch against its parent's keys (see :func:`dpcheck.keys.lookups`)."""

    spec: ResourceSpec
    lookup: Lookup
    reads: tuple[int, ...]

    def batch(self, batch: Batch, recorder: Recorder) -> None:
        """Flag the batch's rows whose key (one field, not null) is not among the parent's keys: a typed
        column as stored, text cells read as their type (nothing, when the field's cells cannot be read)."""
        col = batch.values(self.reads[0])
        if col is not None:
            flag_orphans(recorder, self.spec, self.lookup.field, col, self.lookup.keys, self.lookup.where)

    def end(self, done: Done, report: Report) -> tuple[int, tuple[list[int], list[str], int]]:
        """The key's position and (the first rows with no match, their messages, how many there are), for
        :func:`dpcheck.keys.check_foreign_keys` to report."""
        found = done.events
        rows = found[0] if found and isinstance(found[0], Rows) else Rows("foreign-key", self.spec.name, self.spec.file, self.lookup.field)
        return self.lookup.index, (rows.rows, rows.messages, rows.total)


@dataclass(frozen=True)
class KeepCheck:
    """Columns kept as their types over every batch, by field name (``columns``: name -> field index;
    ``types``: the type each is read as, that of the column a table of no rows keeps)."""

    columns: dict[str, int]
    types: dict[str, pa.DataType]

    @property
    def reads(self) -> tuple[int, ...]:
        return tuple(self.columns.values())

    def batch(self, batch: Batch, recorder: Recorder) -> dict[str, pa.ChunkedArray | None]:
        """The batch's values of each kept column (strings as a dictionary: a key repeats its values)."""
        out: dict[str, pa.ChunkedArray | None] = {}
        for name, index in self.columns.items():
            values = batch.values(index)
            out[name] = pc.dictionary_encode(values) if values is not None and reading.is_text(values.type) else values
        return out

    def end(self, done: Done, report: Report) -> dict[str, pa.ChunkedArray]:
        """Each kept column whole (a column some batch could not read is left out)."""
        out = {}
        for name in self.columns:
            parts = [result[name] for result in done.results]
            if any(part is None for part in parts):
                continue
            if not parts:
                out[name] = pa.chunked_array([], self.types[name])
                continue
            out[name] = pa.chunked_array([chunk for part in parts for chunk in part.chunks], parts[0].type)
        return out
