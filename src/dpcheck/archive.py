"""Unpack a zipped package (``pkg validate release.zip``) safely into a temporary folder.

A zip archive is hostile input until proven otherwise. Before anything is written, every entry is vetted:
its name must be a plain relative path (no absolute path, drive letter, ``..`` component or backslash
trick), it must be a regular file or folder (no symlinks, no device files), it must not be encrypted, and
names must not repeat. While unpacking, the bytes actually inflated are counted against
:data:`MAX_UNPACKED` and :data:`MAX_ENTRIES` (declared sizes can lie), so a zip bomb stops at the limit
instead of filling the disk. Archives inside the archive are kept as files, never unpacked.

The package's ``datapackage.json`` is looked for at the archive's root, then inside a single top-level
folder (the layout ``zip -r release.zip release/`` gives).

The archive is opened once, as a regular file (never a FIFO or device), and hashed through that handle; each
member is hashed as it is inflated. :func:`inspected` then checks the members against the archive's
``SHA256SUMS`` and the archive against an expected checksum (see :mod:`~dpcheck.sums`).
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from dpcheck.errors import PackageError
from dpcheck import sums
from dpcheck.regularfile import open_file, open_regular
from dpcheck.report import Finding

#: Most bytes a package archive may inflate to, in all (a zip bomb stops here).
MAX_UNPACKED = 8 << 30
#: Most entries a package archive may hold.
MAX_ENTRIES = 100_000
_CHUNK = 1 << 20
_HINT = "unpack the archive yourself and validate the folder, if you trust it"


def is_zip(path: Path) -> bool:
    """Whether ``path`` is a file that starts like a zip archive (or is named ``*.zip``)."""
    if not path.is_file():
        return False
    if path.suffix.lower() == ".zip":
        return True
    try:
        with open_file(path) as stream:  # a FIFO swapped in since the check above is not waited on
            return stream.read(4) in (b"PK\x03\x04", b"PK\x05\x06")
    except OSError:  # NotRegularFile is one
        return False


def _entry_path(info: zipfile.ZipInfo, archive: Path) -> PurePosixPath | None:
    """Vet one entry's name and kind; return its relative path, or None for a folder entry.

    Raises:
        PackageError: for an unsafe name, a link or special file, or an encrypted entry.
    """
    name = info.filename
    if "\\" in name or "\x00" in name or name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise PackageError(f"archive entry {name!r} has an absolute or non-portable path", file=archive, hint=_HINT)
    parts = PurePosixPath(name).parts
    if any(part == ".." for part in parts):
        raise PackageError(f"archive entry {name!r} escapes the archive's folder (zip slip)", file=archive, hint=_HINT)
    mode = info.external_attr >> 16  # Unix mode when the archiver stored one; the file type bits may be 0
    if stat.S_IFMT(mode) not in (0, stat.S_IFREG, stat.S_IFDIR):
        kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
        raise PackageError(f"archive entry {name!r} is {kind}", file=archive, hint=_HINT)
    if info.flag_bits & 0x1:
        raise PackageError(f"archive entry {name!r} is encrypted", file=archive)
    if info.is_dir():
        return None
    clean = [part for part in parts if part not in ("", ".")]
    if not clean:
        raise PackageError(f"archive entry {name!r} has an empty path", file=archive, hint=_HINT)
    return PurePosixPath(*clean)


def _unpack(archive: Path, handle: BinaryIO, target: Path) -> dict[str, str]:
    """Unpack ``archive`` (open as ``handle``) into the empty folder ``target``, vetting and counting as
    described above; return the sha256 of every member, by its path in the archive.

    Raises:
        PackageError: for an unreadable or unsafe archive, or one past the size or entry limits.
    """
    digests: dict[str, str] = {}
    try:
        zf = zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise PackageError(f"not a readable zip archive: {exc}", file=archive) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ENTRIES:
            raise PackageError(f"archive has {len(infos)} entries, more than the limit of {MAX_ENTRIES}", file=archive, hint=_HINT)
        seen: set[str] = set()
        planned: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
        for info in infos:
            rel = _entry_path(info, archive)
            if rel is None:
                continue
            if str(rel).casefold() in seen:
                raise PackageError(f"archive entry {info.filename!r} appears more than once", file=archive, hint=_HINT)
            seen.add(str(rel).casefold())
            planned.append((info, rel))
        declared = sum(info.file_size for info, _ in planned)
        if declared > MAX_UNPACKED:
            raise PackageError(f"archive would unpack to {declared} bytes, more than the limit of {MAX_UNPACKED}", file=archive, hint=_HINT)
        root = target.resolve()
        written = 0
        for info, rel in planned:
            dest = (root / rel).resolve()
            if not dest.is_relative_to(root):  # cannot happen after the checks above; kept as a second lock
                raise PackageError(f"archive entry {info.filename!r} escapes the archive's folder", file=archive)
            dest.parent.mkdir(parents=True, exist_ok=True)
            hasher = hashlib.sha256()
            try:
                with zf.open(info) as source, dest.open("xb") as sink:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        if written > MAX_UNPACKED:
                            raise PackageError(f"archive inflates past the limit of {MAX_UNPACKED} bytes (a zip bomb?)", file=archive, hint=_HINT)
                        hasher.update(chunk)
                        sink.write(chunk)
            except PackageError:
                raise
            except Exception as exc:  # noqa: BLE001 - BadZipFile, OSError, zlib/lzma/bz2 errors, unknown method
                raise PackageError(f"cannot unpack archive entry {info.filename!r}: {type(exc).__name__}: {exc}", file=archive) from None
            digests[rel.as_posix()] = hasher.hexdigest()
    return digests


def _descriptor_folder(root: Path, archive: Path) -> Path:
    """The folder holding datapackage.json: the root, or its single top-level folder."""
    if (root / "datapackage.json").is_file():
        return root
    children = [child for child in root.iterdir() if not child.name.startswith(("__MACOSX", "."))]
    if len(children) == 1 and children[0].is_dir() and (children[0] / "datapackage.json").is_file():
        return children[0]
    raise PackageError("archive has no datapackage.json at its root or in a single top-level folder", file=archive,
                       hint="zip the package folder itself")


@dataclass
class Unpacked:
    """A vetted archive, unpacked into a temporary folder.

    Attributes:
        folder: the package folder (the one holding datapackage.json).
        sha256: the archive file's own sha256 (what a publisher announces and ``dist/SHA256SUMS`` lists).
        findings: what :func:`dpcheck.sums.check` found: members against SHA256SUMS, the archive
            against the expected checksum, or a ``not-checked`` notice when there is no SHA256SUMS.
    """

    folder: Path
    sha256: str
    findings: list[Finding] = field(default_factory=list)


def _file_sha256(handle: BinaryIO) -> str:
    hasher = hashlib.sha256()
    while chunk := handle.read(_CHUNK):
        hasher.update(chunk)
    handle.seek(0)
    return hasher.hexdigest()


@contextlib.contextmanager
def inspected(archive: Path, sha256: str | None = None) -> Iterator[Unpacked]:
    """Unpack ``archive`` into a temporary folder, check it against its SHA256SUMS and ``sha256``, yield what
    was found, then delete the folder.

    Args:
        archive: the zip archive.
        sha256: the sha256 the archive is expected to have (64 hex digits), or None.

    Raises:
        PackageError: for an archive that is not a regular file, unreadable, unsafe, too big, or holds no package.
        ValueError: when ``sha256`` is not 64 hex digits.
    """
    expected = sums.expected_checksum(sha256)
    temp = Path(tempfile.mkdtemp(prefix="dpcheck-validate-"))
    try:
        with open_regular(archive, what="archive") as handle:
            digest = _file_sha256(handle)
            digests = _unpack(archive, handle, temp)
        folder = _descriptor_folder(temp, archive)
        package = PurePosixPath(folder.relative_to(temp).as_posix())
        yield Unpacked(folder, digest, sums.check(digests, package, folder, digest, expected))
    finally:
        shutil.rmtree(temp, ignore_errors=True)


@contextlib.contextmanager
def unpacked(archive: Path) -> Iterator[Path]:
    """Unpack ``archive`` into a temporary folder, yield the package folder inside it, then delete it all
    (without the SHA256SUMS checks of :func:`inspected`).

    Raises:
        PackageError: for an archive that is unreadable, unsafe, too big, or holds no package.
    """
    with inspected(archive) as result:
        yield result.folder
