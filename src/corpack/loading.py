"""``corpack.load`` (this module is ``corpack.loading``): a package (folder or release archive) as Arrow tables, checked against its checksums.

    import corpack
    data = corpack.load("datapackage")          # or "dist/new-social-strata-uf-reports-1.0.0.zip"
    data["statistics"]                           # a pyarrow.Table
    frames = data.to_pandas()                    # {"documents": DataFrame, ...}
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Iterator

import pyarrow as pa

from corpack.bounded import Limits
from corpack.errors import PackageError
from corpack.install import reading
from corpack.opening import IntegrityError, opened, read_package, read_resource

__all__ = ["Dataset", "IntegrityError", "Limits", "load"]


class Dataset(Mapping):
    """The resources of a package, by name, as Arrow tables (read-only mapping).

    Attributes:
        descriptor: the package's ``datapackage.json`` as a dict.
    """

    def __init__(self, descriptor: dict[str, Any], tables: dict[str, pa.Table]) -> None:
        self.descriptor = descriptor
        self._tables = tables

    def __getitem__(self, name: str) -> pa.Table:
        return self._tables[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def to_pandas(self) -> dict[str, Any]:
        """Every resource as a pandas DataFrame, by name."""
        return {name: table.to_pandas() for name, table in self._tables.items()}

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name}: {table.num_rows} rows" for name, table in self._tables.items())
        return f"Dataset({self.descriptor.get('name')} {self.descriptor.get('version')}; {sizes})"


def load(path: Path | str = "datapackage", *, verify: bool = True, resources: list[str] | None = None,
         sha256: str | None = None, limits: Limits | None = None) -> Dataset:
    """Load a package's resources as Arrow tables.

    The descriptor gets the checks ``pkg validate`` gives it (size, nesting, profile, unique resource names,
    safe paths); every file is opened only once it is known to be a regular file, and read within ``limits``.

    Args:
        path: a package folder, its ``datapackage.json``, or a release archive (``.zip``, unpacked safely to a
            temporary folder that is removed afterwards). An archive's members are checked against its
            ``SHA256SUMS`` (an archive without one is accepted: only the descriptor's hashes then vouch for it).
        verify: check each resource file against its declared ``hash`` before reading it, and an archive's
            members against its SHA256SUMS (on by default).
        resources: only these resources (default: all).
        sha256: the sha256 a release archive must have, as its publisher announced it (64 hex digits); checked
            even with ``verify=False``, and refused for a folder.
        limits: how much of each file may be read (default :class:`~corpack.bounded.Limits`: 1,000 columns,
            100 million rows, 64 MiB a value, 2 GiB a table).

    Raises:
        IntegrityError: a file does not match its declared checksum, the archive's SHA256SUMS, or ``sha256``.
        PackageError: the package or a resource cannot be read, its descriptor is invalid, a file is not a
            regular file, or a table is past ``limits``.
        ValueError: when ``sha256`` is not 64 hex digits.
    """
    with opened(path, sha256=sha256, verify=verify) as folder, reading(folder):  # a build swapping this package in waits for the read
        package = read_package(folder)
        missing = set(resources or ()) - set(package.resources)
        if missing:
            raise PackageError(f"no resource named {', '.join(sorted(missing))}", file=path)
        tables = {name: read_resource(spec, limits, verify=verify)
                  for name, spec in package.resources.items() if resources is None or name in resources}
        return Dataset(package.descriptor, tables)
