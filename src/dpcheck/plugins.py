"""Checks a package declares: how a tool adds its own rules to dpcheck without dpcheck knowing them.

The Data Package and Table Schema specs judge every package the same way. Rules beyond them (that a
paragraph's text is the slice of its document that its offsets name, say) run only on packages that ask for
them, by name, in the descriptor::

    {"name": "my-corpus", "dpcheck:checks": ["acme.corpus", "acme.facts"], "resources": [...]}

and only when the tool running the validation registered a :class:`Plugin` under that name::

    report = validate_package("datapackage", plugins=[Plugin("acme.corpus", run, codes)])

- a declared check that is registered runs after the table checks, on the resources whose data could be
  read, and reports its findings with the codes it lists in ``codes``;
- a declared check that is not registered is a ``not-checked`` notice naming it: it never passes silently;
- a registered check that the package does not declare does not run;
- ``dpcheck:checks`` that is not a list of strings is a ``package-error``.

A plug-in reads resources through :class:`Table`: columns as their field's type whatever the format (an
integer field of a CSV file is an integer column), and row numbers counted as the generic checks count them
(the first data row is row 2 below a header and row 1 in a CSV file without one). The helpers re-exported
here (:func:`flag`, :func:`duplicates`, :func:`report_duplicates`, :func:`show`, :func:`values_at`,
:func:`plural`) are the ones the generic checks report with, so a plug-in's findings read like theirs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from dpcheck import cells
from dpcheck.batches import TypedBatch, typed_batches
from dpcheck.descriptor import ResourceSpec
from dpcheck.reading import FIRST_ROW, PARQUET, SourceError, TableData, reason, value_type
from dpcheck.regularfile import NotRegularFile, open_file
from dpcheck.report import Finding, Report, plural
from dpcheck.tables import duplicates, fields, flag, report_duplicates, show, stored_as_text, values_at

__all__ = ["DECLARATION", "Plugin", "SourceError", "Table", "by_name", "declared", "duplicates", "flag", "plural",
           "report_duplicates", "run", "show", "values_at"]

#: The descriptor property (package level) listing the checks a package asks for, by name.
DECLARATION = "dpcheck:checks"


class Table:
    """One resource's data as a plug-in reads it, through :func:`dpcheck.batches.typed_batches` (the reader
    ``pkg validate``, ``pkg diff`` and loaders share). A column read is kept until :meth:`release`.

    Attributes:
        name: the resource's name.
        file: its file (the first, for a multipart resource), relative to the package folder, for findings.
    """

    def __init__(self, spec: ResourceSpec) -> None:
        self._spec = spec
        self._csv = spec.format not in PARQUET
        self._columns: dict[str, pa.ChunkedArray] = {}  # columns once read, until release()
        self._first_row: int | None = None
        self._types: dict[str, pa.DataType | None] = {}  # types learned, by column
        self._stored: dict[str, pa.DataType] | None = None  # a Parquet file's column types, from its footer
        self.name: str | None = spec.name
        self.file: str | None = spec.file

    def _read(self, names: Sequence[str], first_only: bool = False) -> dict[str, pa.ChunkedArray]:
        """The named columns the file has, in one pass over the typed batches (only the first batch when
        ``first_only``)."""
        chunks: dict[str, list[pa.Array]] = {}
        batches = typed_batches(self._spec, columns=list(names))
        try:
            for batch in batches:
                if self._first_row is None:
                    self._first_row = batch.first_row
                for name in batch.table.column_names:
                    chunks.setdefault(name, []).extend(batch.table.column(name).chunks)
                if first_only:
                    break
        finally:
            batches.close()
        out = {name: pa.chunked_array(parts, parts[0].type) for name, parts in chunks.items() if parts}
        if not chunks and not self._csv:  # a Parquet file without rows still has its columns' types
            for name in names:
                stored = self._stored_type(name)
                if stored is not None:
                    out[name] = pa.chunked_array([], stored)
        return out

    def prefetch(self, names: Sequence[str]) -> None:
        """Read the named columns not held yet in one pass over the file (a check that needs several columns
        of a CSV file calls it first, so the file is parsed once, not once a column).

        Raises:
            SourceError: when the file can no longer be read.
        """
        missing = [name for name in dict.fromkeys(names) if name not in self._columns]
        if missing:
            self._columns.update(self._read(missing))

    def batches(self, names: Sequence[str]) -> Iterator[TypedBatch]:
        """The named columns a batch at a time, typed and numbered as :meth:`column` and :meth:`table` give them:
        a row group at a time for Parquet (a check whose memory must not grow with the table reads so), the
        reader's batches for CSV. Nothing is kept.

        Raises:
            SourceError: when the file can no longer be read.
        """
        stream = typed_batches(self._spec, columns=list(names), min_rows=1)
        with contextlib.closing(stream):
            yield from stream

    def column(self, name: str) -> pa.ChunkedArray:
        """Return column ``name`` as its field's type (dictionary encoding undone; null where a cell is
        missing or not of the type).

        Raises:
            SourceError: when the file can no longer be read.
            KeyError: when the file has no such column (or, for CSV, no rows).
        """
        self.prefetch([name])
        return self._columns[name]

    def release(self) -> None:
        """Let go of the columns read so far (a check done with a table calls it to bound its memory); a
        column asked for again is read again."""
        self._columns.clear()

    def type_of(self, name: str) -> pa.DataType | None:
        """The Arrow type :meth:`column` gives for ``name``, or None when the file has no such column (or, for
        CSV, no rows).

        Raises:
            SourceError: when the file cannot be read.
        """
        if name in self._columns:
            return self._columns[name].type
        if name not in self._types:
            stored = None if self._csv else self._stored_type(name)
            if self._csv or (stored is not None and self._parsed(name, stored)):  # learn it from the first batch
                first = self._read([name], first_only=True).get(name)
                stored = None if first is None else first.type
            self._types[name] = stored
        return self._types[name]

    def _stored_type(self, name: str) -> pa.DataType | None:
        """The type a Parquet file stores column ``name`` as (a dictionary's value type), from its footer."""
        if self._stored is None:
            try:
                with open_file(self._spec.paths[0]) as handle:
                    schema = pq.read_schema(handle)
            except NotRegularFile as exc:
                raise SourceError(f"the file {exc.strerror}; it is not read") from None
            except (pa.ArrowException, OSError) as exc:
                if isinstance(exc, MemoryError):
                    raise
                raise SourceError(f"not a readable Parquet file: {reason(exc)}") from None
            self._stored = {f.name: value_type(f.type) for f in schema}
        return self._stored.get(name)

    def _parsed(self, name: str, stored: pa.DataType) -> bool:
        """Whether typed batches read column ``name`` from its text (a field type Parquet has no form for)."""
        field = next((fd for fd in fields(self._spec) if fd.name == name), None)
        return field is None or stored_as_text(cells.kind(field), stored)

    @property
    def first_row(self) -> int:
        """The row number of the first data row (2 below a header, 1 in a CSV file without one).

        Raises:
            SourceError: when the file cannot be read.
        """
        if self._first_row is None:
            batches = typed_batches(self._spec, columns=[])
            try:
                first = next(batches, None)
            finally:
                batches.close()
            self._first_row = FIRST_ROW if first is None else first.first_row
        return self._first_row

    def table(self, names: Sequence[str]) -> pa.Table:
        """Return the named columns (at least one) plus ``__row``, each row's number (see :attr:`first_row`).

        Raises:
            SourceError: when the file can no longer be read.
            KeyError: when the file has no column of one of the names.
        """
        self.prefetch(names)
        arrays = {name: self.column(name) for name in names}
        rows = len(next(iter(arrays.values())))
        arrays["__row"] = pa.array(np.arange(self.first_row, self.first_row + rows, dtype=np.int64))
        return pa.table(arrays)

    def row_of(self, position: int) -> int:
        """The row number of the row at ``position`` (0-based)."""
        return position + self.first_row


Tables = Mapping[str, Table]


@dataclass(frozen=True)
class Plugin:
    """A check a package can declare by name.

    Attributes:
        name: the name packages declare it by in ``dpcheck:checks`` (e.g. ``"acme.corpus"``).
        run: called with the package's readable tables by resource name (in descriptor order) and the report
            to add findings to; it may raise :class:`SourceError` when a column cannot be read.
        codes: every finding code it reports, with a one-line meaning (its part of the catalogue).
    """

    name: str
    run: Callable[[Tables, Report], None]
    codes: Mapping[str, str]


def by_name(plugins: Iterable[Plugin]) -> dict[str, Plugin]:
    """The plug-ins by name.

    Raises:
        ValueError: when two plug-ins have one name.
    """
    registered: dict[str, Plugin] = {}
    for plugin in plugins:
        if plugin.name in registered:
            raise ValueError(f"two plug-ins are registered as {plugin.name!r}")
        registered[plugin.name] = plugin
    return registered


def declared(descriptor: Mapping[str, Any], report: Report, descriptor_name: str = "datapackage.json") -> list[str]:
    """The names of the checks a package declares, in order, without repeats.

    A ``dpcheck:checks`` that is not a list of strings is reported as a ``package-error`` (on the file
    ``descriptor_name``) and declares nothing.
    """
    names = descriptor.get(DECLARATION, [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        report.add(Finding("package-error", f"{DECLARATION} must be a list of check names (strings), "
                           f"not {show(names)}; no declared check was run", file=descriptor_name))
        return []
    return list(dict.fromkeys(names))


def run(descriptor: Mapping[str, Any], found: Mapping[str, tuple[ResourceSpec, TableData]],
        plugins: Iterable[Plugin], report: Report, descriptor_name: str = "datapackage.json", workers: int = 1) -> None:
    """Run the checks the package declares (see the module docstring) on its readable tables.

    Each check reads through tables of its own into a report of its own, which is added to ``report`` in the
    order the package declares the checks; so up to ``workers`` checks run at the same time, on threads,
    and the findings are the same as one after the other. A plug-in must therefore keep no state that another
    check's thread changes.

    Args:
        descriptor: the package descriptor, for its ``dpcheck:checks``.
        found: the resources whose data could be read, by name, as the table checks left them.
        plugins: the checks the calling tool registered.
        descriptor_name: the descriptor's file name, which findings about the declaration name.
        workers: how many checks may run at once.

    Raises:
        MemoryError: when a check runs out of memory (the caller says which package).
        ValueError: when two plug-ins are registered under one name.
    """
    registered = by_name(plugins)
    names = declared(descriptor, report, descriptor_name)
    if not names:
        return

    def check(name: str) -> Report:
        own = Report(report.package, report.limit)
        plugin = registered.get(name)
        if plugin is None:
            own.add(Finding("not-checked", f"the package declares the check {show(name)}, which this validator "
                            "does not have: its rules were not checked (validate it with the tool that provides "
                            "that check)", file=descriptor_name))
            return own
        tables = {resource: Table(spec) for resource, (spec, _) in found.items()}  # (nothing held by another)
        try:
            own.meanings.update(plugin.codes)
            plugin.run(tables, own)
        except SourceError as exc:
            own.add(Finding("source-error", f"check {name!r} could not read a column: {exc}"))
        return own

    running = sum(name in registered for name in names)
    if workers <= 1 or running <= 1:
        done = [check(name) for name in names]
    else:
        with ThreadPoolExecutor(max_workers=min(workers, running)) as pool:
            done = list(pool.map(check, names))
    for own in done:
        report.extend(own)
