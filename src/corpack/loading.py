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

from corpack.diff import opened, read_descriptor, read_table, resource_path
from corpack.errors import PackageError
from corpack.install import reading
from corpack.package import file_hash

_ALGORITHMS = ("md5", "sha1", "sha256", "sha512")


class IntegrityError(PackageError):
    """A resource file does not match the checksum its descriptor declares."""

    code = "hash-count"


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


def _check_hash(path: Path, declared: str) -> None:
    algorithm, _, expected = declared.partition(":") if ":" in declared else ("md5", "", declared)
    if algorithm not in _ALGORITHMS:
        raise PackageError(f"unknown hash algorithm {algorithm!r}", file=path)
    actual = file_hash(path, algorithm).partition(":")[2]
    if actual != expected.lower():
        raise IntegrityError(
            f"{algorithm} is {actual[:16]}…, the descriptor declares {expected[:16]}…",
            file=path,
            hint="the file changed after the package was built: rebuild it or get a fresh copy",
        )


def load(path: Path | str = "datapackage", *, verify: bool = True, resources: list[str] | None = None) -> Dataset:
    """Load a package's resources as Arrow tables.

    Args:
        path: a package folder, its ``datapackage.json``, or a release archive (``.zip``, unpacked safely to a
            temporary folder that is removed afterwards).
        verify: check each resource file against its declared ``hash`` before reading it (on by default).
        resources: only these resources (default: all).

    Raises:
        IntegrityError: a file does not match its declared checksum.
        PackageError: the package or a resource cannot be read.
    """
    with opened(path) as folder, reading(folder):  # a build swapping this package in waits for the read
        descriptor = read_descriptor(folder)
        tables: dict[str, pa.Table] = {}
        for resource in descriptor.get("resources", []):
            if resources is not None and resource.get("name") not in resources:
                continue
            if verify and resource.get("hash"):
                _check_hash(resource_path(folder, resource), resource["hash"])
            tables[resource["name"]] = read_table(folder, resource)
        missing = set(resources or ()) - set(tables)
        if missing:
            raise PackageError(f"no resource named {', '.join(sorted(missing))}", file=path)
        return Dataset(descriptor, tables)
