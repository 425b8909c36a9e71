"""Open a package for ``pkg diff`` and ``corpack.load`` under the checks ``pkg validate`` makes.

- A release archive is unpacked with :mod:`dpcheck.archive` (vetted entries, size limits), its
  members checked against its ``SHA256SUMS`` and, when given, the archive against an expected sha256
  (:mod:`dpcheck.sums`); any problem is an :class:`IntegrityError`. An archive without SHA256SUMS
  (a plain zip of a package) is accepted.
- ``datapackage.json`` (or a YAML descriptor) goes through the validator's descriptor stage (:mod:`dpcheck.descriptor`):
  size and nesting limits, a JSON object, the Data Package profile, unique resource names, and resource paths
  that are relative, not URLs, and stay inside the folder. Its first error is raised as a
  :class:`~corpack.errors.PackageError`, so the three tools agree on what a package is.
- Every file is opened as a regular file without blocking (:func:`dpcheck.regularfile.open_regular`),
  checksummed and read through that one handle, within :class:`corpack.bounded.Limits`.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa

from corpack.bounded import Limits, read_csv, read_parquet_parts, read_rows
from corpack.errors import PackageError
from dpcheck import archive, descriptor, reading
from dpcheck.codes import is_error
from dpcheck.regularfile import open_regular
from dpcheck.report import Finding, Report

_ALGORITHMS = ("md5", "sha1", "sha256", "sha512")
_CHUNK = 1 << 20
_SUMS_HINT = "the archive changed after it was released: get a fresh copy and check it against the checksum its publisher announced"


class IntegrityError(PackageError):
    """A file does not match the checksum its descriptor, the archive's SHA256SUMS or the caller declares.

    Its ``code`` is ``hash-count`` for a resource file, else that of the ``pkg validate`` finding it stands for
    (``member-hash``, ``member-unlisted``, ``member-missing``, ``sums-error``, ``archive-hash``).
    """

    code = "hash-count"


@dataclass
class Package:
    """A package's descriptor and its vetted resources.

    Attributes:
        folder: the package folder.
        descriptor: ``datapackage.json`` as a dict.
        resources: one :class:`~dpcheck.descriptor.ResourceSpec` per resource, by name (names are unique).
    """

    folder: Path
    descriptor: dict[str, Any]
    resources: dict[str, descriptor.ResourceSpec]


def _coded(error: PackageError, code: str) -> PackageError:
    """``error`` showing the code of the ``pkg validate`` finding it stands for (``error[member-hash] ...``)."""
    error.code = code
    return error


def _archive_error(path: Path, findings: list[Finding]) -> IntegrityError | None:
    errors = [f for f in findings if is_error(f.code)]
    if not errors:
        return None
    more = f" ({len(errors)} problems in all)" if len(errors) > 1 else ""
    return _coded(IntegrityError(f"{errors[0].message}{more}", file=path, hint=_SUMS_HINT), errors[0].code)


@contextlib.contextmanager
def opened(path: Path | str, *, sha256: str | None = None, verify: bool = True) -> Iterator[Path]:
    """Yield the package folder of ``path`` (a folder, its ``datapackage.json`` or ``datapackage.yaml``, or a zip archive).

    Args:
        path: where the package is.
        sha256: the sha256 a zip archive must have (64 hex digits); refused for a folder.
        verify: check an archive's members against its SHA256SUMS.

    Raises:
        IntegrityError: the archive differs from ``sha256`` or from its SHA256SUMS.
        PackageError: when there is no package there, or the archive is unsafe.
        ValueError: when ``sha256`` is not 64 hex digits.
    """
    path = Path(path)
    if archive.is_zip(path):
        with archive.inspected(path, sha256) as unpacked:
            findings = unpacked.findings if verify else [f for f in unpacked.findings if f.code == "archive-hash"]
            error = _archive_error(path, findings)
            if error is not None:
                raise error
            yield unpacked.folder
        return
    if sha256 is not None:
        raise PackageError("an expected sha256 applies to a zip archive, and this is not one", file=path,
                           hint="give the release archive, or leave out sha256")
    folder, _ = descriptor.locate(path)  # a folder with datapackage.json (or .yaml), or the descriptor itself
    yield folder


def read_package(folder: Path) -> Package:
    """Read and vet the descriptor of the package in ``folder`` (its datapackage.json, else datapackage.yaml)
    as ``pkg validate``'s descriptor stage does.

    Raises:
        PackageError: for the first error that stage finds (not JSON, too deep or large, not an object, not
            valid against the profile, a repeated resource name, an unsafe or remote path...).
    """
    _, path = descriptor.locate(folder)
    with open_regular(path, what="descriptor"):
        pass  # refuses a FIFO, device or folder before the descriptor stage opens it by name
    report = Report(package=str(folder), limit=1)
    parsed = descriptor.load(path, report)
    specs = descriptor.resources(parsed, folder, report, trusted=False) if parsed is not None else []
    errors = [f for f in report.findings if is_error(f.code)]
    if errors:
        first = errors[0]
        where = f"resource {first.resource!r}: " if first.resource else ""
        file = folder / first.file if first.file else path
        raise _coded(PackageError(f"{where}{first.message}", file=file, offset=first.offset,
                                  hint="run `pkg validate` on it for the full report"), first.code)
    assert parsed is not None  # a descriptor that cannot be parsed is a package-error
    return Package(folder, parsed, {spec.name: spec for spec in specs if spec.name is not None})


def _check_hash(handles: list[BinaryIO], declared: Any, file: Path) -> None:
    """Compare the declared ``hash`` with that of the files open as ``handles``, read as one stream in order
    (as ``pkg validate`` hashes a multipart resource); each handle is left at its start."""
    if not isinstance(declared, str):
        return
    algorithm, _, expected = declared.rpartition(":")
    algorithm = algorithm.lower() or "md5"
    if algorithm not in _ALGORITHMS:
        raise PackageError(f"unknown hash algorithm {algorithm!r}", file=file)
    hasher = hashlib.new(algorithm)
    for handle in handles:
        while chunk := handle.read(_CHUNK):
            hasher.update(chunk)
        handle.seek(0)
    if hasher.hexdigest() != expected.lower():
        raise IntegrityError(
            f"{algorithm} is {hasher.hexdigest()[:16]}…, the descriptor declares {expected[:16]}…",
            file=file,
            hint="the file changed after the package was built: rebuild it or get a fresh copy",
        )


def read_resource(spec: descriptor.ResourceSpec, limits: Limits | None = None, *, verify: bool = False) -> pa.Table:
    """Read a vetted resource's files as an Arrow table, within ``limits``: Parquet, or CSV/TSV (plain or
    compressed), JSON, NDJSON or inline ``data`` read as ``pkg validate`` reads them, with their dialect and
    encoding, cells as their field's type. A multipart resource is read as one table, its parts in order.

    Args:
        spec: the resource, from :func:`read_package`.
        limits: how much may be read (default :class:`~corpack.bounded.Limits`).
        verify: check the files against the resource's declared ``hash`` first (Parquet files through the
            handles they are then read from; CSV files are then read again by dpcheck's reader, which refuses
            anything but a regular file).

    Raises:
        IntegrityError: the files do not match their declared hash.
        PackageError: when the resource has neither files nor inline data, a file is missing, not a regular file
            or unreadable, the format is not one of those, rows held as JSON have no schema, or a limit is passed.
    """
    limits = limits or Limits()
    if not spec.paths and not spec.inline:
        raise PackageError(f"resource {spec.name!r} has neither a data file nor inline data", file=spec.file,
                           hint="read it with frictionless directly")
    if spec.inline:
        return read_rows(spec, limits, Path(spec.file or "datapackage.json"))
    fmt, _ = reading.csv_format(spec)
    is_csv = fmt in reading.CSV
    is_json = reading.held_as_json(spec)
    if not is_csv and not is_json and spec.format not in reading.PARQUET:
        raise PackageError(f"resource {spec.name!r} has format {spec.format!r}; diff and load read Parquet, CSV, TSV, JSON "
                           "and NDJSON", file=spec.paths[0], hint="read it with frictionless or pyarrow directly")
    with contextlib.ExitStack() as stack:
        handles = [stack.enter_context(open_regular(path, what=f"resource {spec.name!r} file")) for path in spec.paths]
        if verify:
            _check_hash(handles, spec.descriptor.get("hash"), spec.paths[0])
        if not is_csv and not is_json:
            return read_parquet_parts(handles, list(spec.paths), limits)
    return read_csv(spec, limits) if is_csv else read_rows(spec, limits, spec.paths[0])
