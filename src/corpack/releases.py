"""The release record: ``releases.json`` in the project folder, committed, so a fresh clone knows every release.

``dist/`` (the archives) is not in git, so without a record a fresh clone would re-issue the last version with
a new date and other bytes. The record lists, per release, what identifies it:

.. code-block:: json

    [{"version": "1.0.0", "date": "2026-11-18T00:00:00Z", "archive": "name-1.0.0.zip",
      "sha256": "<archive checksum>", "data": "sha256:<data fingerprint>", "bump": "none",
      "previous": null, "summary": "First release."}]

The *data fingerprint* (:func:`data_fingerprint`) hashes the descriptor without what every release changes
(``version``, ``created``, the build record): resource checksums, schemas and metadata. ``pkg release`` uses the
record to find the last release when its archive is not at hand, to refuse a released version with other data,
and to re-release a version with its recorded date (so the archive comes out byte for byte the same);
``pkg diff VERSION ...`` finds the archive of a version through it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from corpack.errors import CorpackError
from corpack.package import file_hash

RECORD_NAME = "releases.json"
RELEASE_KEYS = ("version", "created", "corpack:build")
_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_FIELDS = ("version", "date", "archive", "sha256", "data", "bump", "previous", "summary")


class RecordError(CorpackError):
    """``releases.json`` cannot be read, or a version's archive is missing or not the one released."""

    code = "release-record"


@dataclass(frozen=True)
class Release:
    """One released version (see the module docstring for each field)."""

    version: str
    date: str
    archive: str
    sha256: str
    data: str
    bump: str
    previous: str | None
    summary: str


def version_key(version: str) -> tuple[int, int, int]:
    """``"1.10.0"`` -> ``(1, 10, 0)``, for ordering versions; (-1, -1, -1) for anything else."""
    match = _VERSION.match(version)
    return tuple(map(int, match.groups())) if match else (-1, -1, -1)  # type: ignore[return-value]


def is_version(text: str) -> bool:
    """Whether ``text`` is a MAJOR.MINOR.PATCH version number."""
    return bool(_VERSION.match(text))


def data_fingerprint(descriptor: dict[str, Any]) -> str:
    """Hash of a package's descriptor without ``version``, ``created`` and the build record."""
    kept = {key: value for key, value in descriptor.items() if key not in RELEASE_KEYS}
    return "sha256:" + hashlib.sha256(json.dumps(kept, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


def read_record(root: Path) -> list[Release]:
    """The releases recorded in ``ROOT/releases.json``, oldest first; empty when there is none.

    Raises:
        RecordError: when the file is not a JSON list of release objects with the fields above.
    """
    path = Path(root) / RECORD_NAME
    if not path.is_file():
        return []
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise RecordError(f"cannot read the release record: {exc}", file=path, hint="restore it from git") from None
    if not isinstance(entries, list):
        raise RecordError("the release record is not a JSON list", file=path, hint="restore it from git")
    releases = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or set(entry) != set(_FIELDS) or not is_version(str(entry.get("version"))):
            raise RecordError(f"entry {number} does not have exactly the fields {', '.join(_FIELDS)}", file=path, row=number, hint="restore it from git")
        releases.append(Release(**entry))
    return sorted(releases, key=lambda release: version_key(release.version))


def write_record(root: Path, releases: list[Release]) -> Path:
    """Write ``ROOT/releases.json`` (sorted by version, deterministic JSON); return its path."""
    path = Path(root) / RECORD_NAME
    ordered = sorted(releases, key=lambda release: version_key(release.version))
    path.write_text(json.dumps([asdict(r) for r in ordered], sort_keys=True, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def find(releases: list[Release], version: str) -> Release | None:
    """The recorded release of ``version``, if any."""
    return next((release for release in releases if release.version == version), None)


def archive_of(root: Path, version: str) -> Path:
    """The archive of a recorded release in ``ROOT/dist/``, checked against its recorded checksum.

    Raises:
        RecordError: when the version is not recorded, its archive is not in ``dist/``, or the archive there
            is not the one released.
    """
    root = Path(root)
    release = find(read_record(root), version)
    if release is None:
        known = ", ".join(r.version for r in read_record(root)) or "none"
        raise RecordError(f"no release {version} in the record (released: {known})", file=root / RECORD_NAME)
    path = root / "dist" / release.archive
    if not path.is_file():
        raise RecordError(
            f"the archive of release {version} is not at hand",
            file=path,
            hint=f"download {release.archive} (sha256 {release.sha256}) into dist/",
        )
    actual = file_hash(path).partition(":")[2]
    if actual != release.sha256:
        raise RecordError(
            f"this is not the archive released as {version}: sha256 {actual[:16]}…, recorded {release.sha256[:16]}…",
            file=path,
            hint="download the published archive again",
        )
    return path



def resolve(side: Path | str, root: Path | str = ".") -> Path:
    """A ``pkg diff`` argument as a path: a version number that is not a file or folder names a release's archive.

    Raises:
        RecordError: see :func:`archive_of`.
    """
    path = Path(side)
    if not path.exists() and is_version(str(side)):
        return archive_of(Path(root), str(side))
    return path
