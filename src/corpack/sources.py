"""Stage 1, sources: find the corpus files, decode their bytes, read and write the provenance manifest.

A corpus is any folder of text files. Two optional files in it are not documents:

- ``manifest.csv``: one row per file with its provenance (``sha256``, ``bytes``, ``encoding``) and the
  metadata a human can edit (``title``, ``publisher``, ``region``, ``published``, ``source_url``,
  ``notes``). ``pkg manifest`` writes and refreshes it, keeping what a human typed.
- ``corpus.toml``: package-level settings (name, title, version, licences, ...), see
  :func:`corpack.package.load_settings`.

Every other regular file below the folder (hidden files and folders excepted) is a document; which entries
are documents, and which are listed as bad (unreadable folders, special files, symbolic links out of the
corpus, names that are not UTF-8, duplicates), is :mod:`corpack.discovery`'s job. Nothing is skipped
silently: a file that is not text stops the build, or is listed as skipped with ``--skip-bad``. How a file's
bytes are decoded, and how many undecodable bytes it may hold, is :mod:`corpack.decoding`'s job.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path


from corpack.discovery import (  # noqa: F401 - part of this module's API since before the split
    MANIFEST_NAME,
    NOT_DOCUMENTS,
    SETTINGS_NAME,
    BadFile,
    Listing,
    discover,
    doc_id_for,
    failure,
    scan,
)
from corpack.decoding import Decoded, decode, decode_text  # noqa: F401 - part of this module's API since before the split
from corpack.errors import CorpackError, EntryError, ManifestError

#: Manifest columns, in file order. The first four are provenance the tool writes; the rest are human-edited.
MANIFEST_FIELDS = ("file", "sha256", "bytes", "encoding", "title", "publisher", "region", "published", "source_url", "notes")
METADATA_FIELDS = ("title", "publisher", "region", "published", "source_url")

@dataclass(frozen=True)
class Source:
    """One decoded corpus file.

    Attributes:
        doc_id: stable identifier, the file's corpus-relative path without its final extension.
        file: the corpus-relative path, POSIX style.
        raw_bytes: size of the raw file.
        raw_sha256: SHA-256 of the raw bytes, lowercase hex.
        encoding: the codec the bytes were decoded with.
        text: the decoded text, unchanged (cleaning is the next stage's job).
        metadata: manifest values for title, publisher, region, published (``datetime.date``), source_url;
            absent keys are unknown.
    """

    doc_id: str
    file: str
    raw_bytes: int
    raw_sha256: str
    encoding: str
    text: str
    metadata: dict = field(default_factory=dict)
    undecodable_bytes: int = 0


def read_source(corpus_dir: Path, rel: str, manifest: dict[str, dict] | None = None) -> Source:
    """Read and decode one corpus file, checking it against its manifest row if there is one.

    Args:
        corpus_dir: the corpus folder.
        rel: the file's corpus-relative path (from :func:`discover`).
        manifest: rows of :func:`load_manifest`, keyed by file.

    Raises:
        DecodeError, EmptyDocumentError: see :func:`decode_text`.
        EntryError: when the file cannot be read or is no longer a regular file (never blocks on a FIFO).
        ManifestError: when the manifest records another checksum or size than the file has.
    """
    path = Path(corpus_dir) / rel
    data = read_bytes(path)
    sha = hashlib.sha256(data).hexdigest()
    row = (manifest or {}).get(rel, {})
    if row.get("sha256") and row["sha256"] != sha:
        raise ManifestError(
            f"the manifest records sha256 {row['sha256'][:12]}… but the file has {sha[:12]}…",
            file=path,
            hint=f"the file changed since the manifest was written: check the change, then run `pkg manifest {corpus_dir}`",
        )
    decoded = decode_text(data, path)
    metadata = {key: row[key] for key in METADATA_FIELDS if row.get(key) not in (None, "")}
    return Source(doc_id_for(rel), rel, len(data), sha, decoded.encoding, decoded.text, metadata, decoded.undecodable)


def read_bytes(path: Path) -> bytes:
    """Read a corpus file's bytes, refusing anything but a regular file without blocking on it.

    The file is opened non-blocking (so a FIFO swapped in after discovery does not wait for a writer) and
    checked with ``fstat`` before a byte is read.

    Raises:
        EntryError: when the file cannot be opened or read, or is not a regular file.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise EntryError(f"cannot read the file: {exc.strerror}", file=path, hint="check its permissions, or remove it") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise EntryError("not a regular file (a FIFO, socket or device); it was not read", file=path, hint="remove it from the corpus folder")
        try:
            return handle.read()
        except OSError as exc:
            raise EntryError(f"cannot read the file: {exc.strerror}", file=path, hint="check the disk and the file, or remove it") from None


def load_manifest(corpus_dir: Path) -> dict[str, dict]:
    """Read ``manifest.csv`` of a corpus, if any, keyed by file; ``published`` becomes a ``datetime.date``.

    Raises:
        ManifestError: for unknown columns, a row naming a file that is not in the corpus, duplicate rows,
            or a ``published`` value that is not an ISO date (YYYY-MM-DD).
    """
    path = Path(corpus_dir) / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"cannot read the manifest: {exc}", file=path, hint="save it as UTF-8 CSV") from None
    reader = csv.DictReader(io.StringIO(text))
    unknown = set(reader.fieldnames or ()) - set(MANIFEST_FIELDS)
    if "file" not in (reader.fieldnames or ()) or unknown:
        raise ManifestError(
            f"the header must name the column 'file' and only known columns; unknown: {sorted(unknown)}",
            file=path,
            row=1,
            hint=f"known columns: {', '.join(MANIFEST_FIELDS)}",
        )
    rows: dict[str, dict] = {}
    for line_no, row in enumerate(reader, start=2):
        rel = (row.get("file") or "").strip()
        if not rel:
            raise ManifestError("a row without a file name", file=path, row=line_no)
        if rel in rows:
            raise ManifestError(f"{rel} is listed twice", file=path, row=line_no)
        if not (Path(corpus_dir) / rel).is_file():
            raise ManifestError(f"{rel} is listed but is not in the corpus", file=path, row=line_no, hint="remove the row or restore the file")
        clean = {key: (value or "").strip() for key, value in row.items() if key}
        if clean.get("published"):
            try:
                clean["published"] = dt.date.fromisoformat(clean["published"])
            except ValueError:
                raise ManifestError(
                    f"published {clean['published']!r} is not a date YYYY-MM-DD", file=path, row=line_no, hint="leave it empty when the day is not known"
                ) from None
        rows[rel] = clean
    return rows


def write_manifest(corpus_dir: Path) -> Path:
    """Write or refresh ``manifest.csv``: provenance columns from the files, human columns kept.

    Rows of files that no longer exist are dropped; new files get a row with empty metadata.

    Returns:
        The manifest's path.

    Raises:
        DecodeError, EmptyDocumentError, EntryError: when a file cannot be read or decoded (its encoding is
            recorded), or an entry of the corpus is bad (see :func:`corpack.discovery.scan`);
            BadFilesError when there are several, listing them all. Nothing is written then.
        ManifestError: when the old manifest cannot be read or the new one cannot be written.
        CorpusError: see :func:`corpack.discovery.scan`.
    """
    corpus_dir = Path(corpus_dir)
    path = corpus_dir / MANIFEST_NAME
    old: dict[str, dict] = {}
    if path.is_file():
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                old = {row.get("file", ""): row for row in csv.DictReader(handle)}
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise ManifestError(f"cannot read the manifest: {exc}", file=path, hint="save it as UTF-8 CSV, or remove it to start afresh") from None
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    writer.writeheader()
    listing = scan(corpus_dir)
    errors: list[tuple[str, CorpackError]] = [(entry.file, entry.error) for entry in listing.bad]
    for rel in listing.documents:
        try:
            data = read_bytes(corpus_dir / rel)
            encoding = decode_text(data, corpus_dir / rel).encoding
        except CorpackError as exc:
            errors.append((rel, exc))
            continue
        row = {key: (old.get(rel, {}).get(key) or "") for key in MANIFEST_FIELDS}
        row.update(file=rel, sha256=hashlib.sha256(data).hexdigest(), bytes=str(len(data)), encoding=encoding)
        writer.writerow(row)
    if errors:
        raise failure([error for _file, error in sorted(errors, key=lambda pair: pair[0])], corpus_dir)
    try:
        path.write_text(out.getvalue(), encoding="utf-8")
    except OSError as exc:
        raise ManifestError(f"cannot write the manifest: {exc.strerror or exc}", file=path, hint="check the corpus folder's permissions and free space") from None
    return path
