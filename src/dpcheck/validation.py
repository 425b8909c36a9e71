"""The stages of :func:`validate_package` in order (see :mod:`dpcheck` for what each checks); importing
:mod:`dpcheck` itself loads none of this until a name is asked for."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from dpcheck import archive, csvcheck, descriptor, infer, integrity, keys, plugins as declared_checks, reading, schemarules, stream, tables
from dpcheck.codes import CODES, NOTICES
from dpcheck.errors import OutOfMemoryError, PackageError
from dpcheck.html import render_html
from dpcheck.model import Schema
from dpcheck.plugins import Plugin
from dpcheck.report import Finding, Report, render_text

Found = tuple[descriptor.ResourceSpec, reading.TableData]

#: How many of the checks a package declares run at once, each on a thread of its own (see dpcheck.plugins.run),
#: when the package's data files hold less than :data:`CHECKS_TOGETHER_BYTES`; one at a time above it, since what
#: they hold grows with the package: corpack's two checks of a package of 321 MB of files (1 GB of input) peaked
#: at 459 MB at once against 371 MB one after the other (54 s against 72 s); of 36 MB, 329 against 307 MB.
CHECKS_AT_ONCE = 2
CHECKS_TOGETHER_BYTES = 128 << 20


def _checks_at_once(specs: Iterable[descriptor.ResourceSpec]) -> int:
    """:data:`CHECKS_AT_ONCE`, or 1 when the package's data files hold :data:`CHECKS_TOGETHER_BYTES` or more."""
    held = 0
    for spec in specs:
        for path in spec.paths:
            try:
                held += path.stat().st_size
            except OSError:
                continue  # (a missing file was reported; it holds nothing to check)
    return CHECKS_AT_ONCE if held < CHECKS_TOGETHER_BYTES else 1


_MEMORY_HINT = ("close other programs or run on a machine with more memory; pkg validate holds a few Parquet row "
                "groups or CSV batches at a time, so a file written with smaller row groups needs less")


def _out_of_memory(file: str | None, what: str) -> OutOfMemoryError:
    """The failure for a MemoryError (Python's or pyarrow's) met while checking ``file``."""
    return OutOfMemoryError(f"not enough memory to check {what}; the package was not judged", file=file, hint=_MEMORY_HINT)


def _check_tables(specs: list[descriptor.ResourceSpec], report: Report, found: dict[str, Found]) -> None:
    """Run stages 2 and 3 on each resource; put the readable tables in ``found`` by resource name (the
    caller closes them, also when this raises).

    Raises:
        OutOfMemoryError: when memory runs out while a resource is checked (naming its file).
    """
    referenced = keys.referenced_fields(specs)
    parent_keys: dict[tuple[str, str], Any] = {}  # parents' keys for foreign keys checked while streaming
    for spec in specs:
        try:
            _check_table(spec, specs, report, referenced, parent_keys, found)
        except MemoryError:
            raise _out_of_memory(spec.file, "this resource") from None
    names = {spec.name for spec in specs if spec.name is not None}
    parents: dict[tuple[str, tuple[str, ...]], Any] = {}  # (the distinct keys joined to, read once)
    for spec, data in found.values():
        try:
            keys.check_foreign_keys(spec, data, found, names, report, parents)
        except reading.SourceError as exc:
            report.add(Finding("source-error", str(exc), spec.name, spec.file))
        except MemoryError:
            raise _out_of_memory(spec.file, "this resource's foreign keys") from None


def _check_table(spec: descriptor.ResourceSpec, specs: list[descriptor.ResourceSpec], report: Report,
                 referenced: dict[str | None, set[str]], parent_keys: dict[tuple[str, str], Any],
                 found: dict[str, Found]) -> None:
    """Stages 2 and 3 on one resource; a readable table is added to ``found`` under its name, any other
    one is closed."""
    if not spec.inline:
        if not spec.paths or not integrity.files_exist(spec, report):
            return
        integrity.check(spec, report)
    inferred = "schema" not in spec.descriptor and reading.readable(spec)  # (a PDF without schema is no table)
    if not inferred and not tables.fields(spec):
        return  # not a table, or a schema the profile check has already reported
    data = None
    try:
        data = reading.open_table(spec, report)
        if data is None:
            return
        if inferred:  # no schema: infer one as frictionless does, then check the rows against it
            spec = _with_inferred_schema(spec, data, report)
            if spec is None:
                data.close()
                return
        if data.source is not None:  # CSV or inline rows: read and checked in one pass, which gives the table
            lookups = keys.lookups(spec, csvcheck.value_types(spec), specs, parent_keys, found)
            data = csvcheck.check_csv(spec, data.source, report, referenced.get(spec.name, set()), lookups)
            if data is None:
                return  # not in its declared encoding: reported, rows not checked
        else:
            data = stream.check(spec, data, report, keys.lookups(spec, data.types, specs, parent_keys, found))
        keys.check_primary_key(spec, data, report)
        keys.check_unique_keys(spec, data, report)
    except BaseException as exc:
        if data is not None:
            data.close()
        if not isinstance(exc, reading.SourceError):
            raise
        report.add(Finding("source-error", str(exc), spec.name, spec.file))
        return
    if spec.name is None:
        data.close()
        return
    if spec.name in found:  # a repeated name (a package-error): the later resource is the one looked up
        found[spec.name][1].close()
    found[spec.name] = (spec, data)


def _with_inferred_schema(spec: descriptor.ResourceSpec, data: reading.TableData, report: Report) -> descriptor.ResourceSpec | None:
    """``spec`` with the schema :mod:`~dpcheck.infer` infers for its rows, and a notice saying so; None when
    the file has no column to infer a type for (nothing is reported: no schema was declared)."""
    source = data.source
    schema = infer.from_arrow(data.columns, data.types) if source is None else infer.from_rows(source, spec.name, spec.file)
    fields = Schema.from_descriptor(schema).fields
    if not fields:
        return None
    if infer.is_placeholder(schema):  # the header cannot be read: the row check says why, and nothing was inferred
        return dataclasses.replace(spec, schema=schema, descriptor={**spec.descriptor, "schema": schema})
    names = ", ".join(f"{fd.name} ({fd.type})" for fd in fields[:8]) + (", …" if len(fields) > 8 else "")
    report.add(Finding("not-checked", f"the resource declares no schema; its rows were checked against one inferred from "
                       f"them as frictionless infers it: {names}", spec.name, spec.file))
    return dataclasses.replace(spec, schema=schema, descriptor={**spec.descriptor, "schema": schema})


def validate_package(
    path: Path | str,
    *,
    trusted: bool = False,
    limit: int = 5,
    sha256: str | None = None,
    guard: Callable[[Path], AbstractContextManager[Any]] | None = None,
    plugins: Iterable[Plugin] = (),
) -> Report:
    """Validate the Data Package at ``path`` and return a report of everything found wrong with it.

    Nothing outside the package folder is opened and nothing is fetched from the network.

    Args:
        path: the package folder, its datapackage.json, or a zip archive of the package (unpacked, after
            vetting every entry, into a temporary folder that is removed afterwards; see
            :mod:`~dpcheck.archive`). The report names it exactly as given. An archive's members
            are checked against its SHA256SUMS (see :mod:`~dpcheck.sums`).
        trusted: accept resources whose path is a URL (reported as ``not-checked``, never fetched)
            instead of reporting them as ``scheme-error``.
        limit: how many findings to keep per (resource, code, field); the rest are only counted.
        sha256: for a zip archive, the sha256 its publisher announced; a different archive is an
            ``archive-hash`` error. Refused for a folder.
        guard: called with a package folder's path, a context manager held while the folder is read (a tool
            that replaces packages in place passes its reader lock, so a check never sees half of two
            packages). Not used for archives, which are unpacked into a private folder first.
        plugins: the checks the caller provides; each runs when the package declares it by name in
            ``dpcheck:checks`` (see :mod:`~dpcheck.plugins`); a declared check not among them is a
            ``not-checked`` notice.

    Returns:
        The :class:`Report`; ``report.valid`` and ``report.exit_code`` (0 valid, 1 invalid) give the verdict.

    Raises:
        PackageError: when the package cannot be checked at all: the path does not exist, the folder has no
            datapackage.json, the descriptor cannot be read, or a zip archive is unreadable, unsafe (entries
            escaping its folder, links), too big when unpacked, or holds no datapackage.json; or ``sha256``
            is given for a folder.
        OutOfMemoryError: when memory runs out (Python's or pyarrow's MemoryError), naming the file being
            checked: it says nothing about the package, so it is a failure (exit 2), not a finding.
        ValueError: when ``limit`` is negative, ``sha256`` is not 64 hex digits, or two plug-ins share a name.
    """
    plugins = tuple(declared_checks.by_name(plugins).values())  # two of one name: ValueError before any work
    if limit < 0:
        raise ValueError(f"limit must be 0 or more, not {limit}")
    if archive.is_zip(Path(path)):
        with archive.inspected(Path(path), sha256) as unpacked:
            return _validate_folder(unpacked.folder / "datapackage.json", str(path), trusted, limit, plugins, unpacked.findings)
    if sha256 is not None:
        raise PackageError("an expected sha256 applies to a zip archive, and this is not one", file=path,
                           hint="give the release archive, or leave out --sha256")
    _, descriptor_path = descriptor.locate(path)
    with guard(descriptor_path.parent) if guard is not None else nullcontext():
        return _validate_folder(descriptor_path, str(path), trusted, limit, plugins)


def _validate_folder(descriptor_path: Path, name: str, trusted: bool, limit: int, plugins: tuple[Plugin, ...],
                     first: list[Finding] | None = None) -> Report:
    """Run every stage on the package whose descriptor is ``descriptor_path``; ``name`` labels the report;
    ``first`` are findings made before (an archive's, see :mod:`~dpcheck.sums`)."""
    folder = descriptor_path.parent
    report = Report(package=name, limit=limit)
    for finding in first or ():
        report.add(finding)
    try:
        parsed = descriptor.load(descriptor_path, report)
        if parsed is None:
            return report
        specs, profile = descriptor.resources_then_profile(parsed, folder, report, trusted=trusted)
    except MemoryError:
        raise _out_of_memory(descriptor_path.name, "the descriptor") from None
    # The profile check (frictionless, in Python) runs on a thread beside the rest; its findings and the
    # rest's are put after the descriptor's in the order one thread would have added them.
    profiled, rest = Report(package=name, limit=limit), Report(package=name, limit=limit)
    raised: list[BaseException] = []
    beside = threading.Thread(target=_catching, args=(lambda: profile(profiled), raised), name="dpcheck-profile")
    beside.start()
    found: dict[str, Found] = {}
    try:
        try:
            schemarules.check(specs, rest)
        except MemoryError:
            raise _out_of_memory(descriptor_path.name, "the descriptor") from None
        _check_tables(specs, rest, found)
        try:
            declared_checks.run(parsed, found, plugins, rest, descriptor_path.name, workers=_checks_at_once(specs))
        except MemoryError:
            raise _out_of_memory(None, "the checks the package declares") from None
    finally:
        for _, data in found.values():
            data.close()
        beside.join()
    if raised:
        if isinstance(raised[0], MemoryError):
            raise _out_of_memory(descriptor_path.name, "the descriptor") from None
        raise raised[0]
    report.extend(profiled)
    report.extend(rest)
    return report


def _catching(work: Callable[[], None], raised: list[BaseException]) -> None:
    """Run ``work``; put what it raises in ``raised`` (for the thread that waits for it to raise)."""
    try:
        work()
    except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread, which raises it
        raised.append(exc)
