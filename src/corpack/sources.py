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
silently: a file that is not text stops the build, or is listed as skipped with ``--skip-bad``.

A few bytes that do not decode in an otherwise decodable file (a last character cut in half, a stray byte)
do not reject it: each such byte becomes U+FFFD in :attr:`Source.text` and is counted in
:attr:`Source.undecodable_bytes` (the ``documents.undecodable_bytes`` column). Cleaning drops U+FFFD like
any replacement character (``control_chars_removed``), so packaged text never holds it. "A few" is at most
:data:`FEW_UNDECODABLE` bytes or :data:`UNDECODABLE_SHARE` of the file, whichever is more; without a
byte-order mark, UTF-8 must also be borne out by :data:`UTF8_EVIDENCE` well-formed multi-byte characters per
damaged byte, so that a short GBK file still goes to charset detection rather than being read as
damaged UTF-8.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

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
from corpack.errors import CorpackError, DecodeError, EmptyDocumentError, EntryError, ManifestError

#: Manifest columns, in file order. The first four are provenance the tool writes; the rest are human-edited.
MANIFEST_FIELDS = ("file", "sha256", "bytes", "encoding", "title", "publisher", "region", "published", "source_url", "notes")
METADATA_FIELDS = ("title", "publisher", "region", "published", "source_url")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# What charset-normalizer may answer, mapped to the codec we decode with. GB2312 and GBK are subsets of
# GB18030, so decoding with the superset never loses a character the narrower guess would have read.
_CODEC_NAMES = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "hz": "hz", "big5hkscs": "big5hkscs"}
# Formats that can be pure ASCII or otherwise pass for text at first glance (a PDF often is), recognised by the
# bytes they must start with; such a file is refused like any other binary.
_BINARY_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "zip (or Word/Excel .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office (.doc/.xls)"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%!PS", "PostScript"),
)
_MAX_CONTROL_SHARE = 0.01
#: Undecodable bytes a file may hold and still be read in an encoding: this many, or ...
FEW_UNDECODABLE = 3
#: ... this share of the file's bytes, whichever is more.
UNDECODABLE_SHARE = 0.001
#: Well-formed multi-byte UTF-8 characters needed per undecodable byte to read a file as damaged UTF-8.
UTF8_EVIDENCE = 10
_MARKED = re.compile("[\udc00-\udcff]")
# Codecs whose failures hold only bytes above 0x7f, which Python's own surrogateescape marks as _mark does.
_UTF8 = ("utf-8", "utf-8-sig")
# Control characters that betray a binary file: below U+0020 except tab, line feed, vertical tab, form feed, CR.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")
#: The ASCII bytes that are not such a control character (deleted by :func:`_controls`).
_NOT_CONTROLS = bytes(byte for byte in range(128) if not _CONTROLS.match(chr(byte)))


def _mark(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: each undecodable byte becomes a lone surrogate U+DC00 + byte (counted, then
    replaced by U+FFFD); no codec we use decodes valid input to a lone surrogate."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(chr(0xDC00 + byte) for byte in exc.object[exc.start : exc.end]), exc.end


codecs.register_error("corpack.mark", _mark)


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


@dataclass(frozen=True)
class Decoded:
    """Decoded bytes.

    Attributes:
        text: the text; each undecodable byte is one U+FFFD.
        encoding: the codec used.
        undecodable: how many bytes did not decode (0 for a clean file).
        first_undecodable: the byte offset of the first of them, or None.
    """

    text: str
    encoding: str
    undecodable: int = 0
    first_undecodable: int | None = None


def decode(data: bytes, file: str | Path) -> tuple[str, str]:
    """Decode raw bytes to text and name the encoding used: :func:`decode_text` as ``(text, encoding)``."""
    decoded = decode_text(data, file)
    return decoded.text, decoded.encoding


def decode_text(data: bytes, file: str | Path) -> Decoded:
    """Decode raw bytes to text, naming the encoding used and counting bytes that did not decode.

    Order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else UTF-8; else charset-normalizer's best
    guess (GB18030 for GB2312/GBK, Big5, ...). In each, a few undecodable bytes (see the module docs) become
    U+FFFD and are counted instead of rejecting the file.

    Raises:
        EmptyDocumentError: for a file of zero bytes.
        DecodeError: for NUL bytes without a UTF-16/32 byte-order mark, bytes no encoding explains, or
            decoded text that is mostly control characters (a binary file).
    """
    if not data:
        raise EmptyDocumentError("the file is empty", file=file, hint="remove it from the corpus or fill it")
    for magic, kind in _BINARY_SIGNATURES:
        if data.startswith(magic):
            raise DecodeError(
                f"a {kind} file, not text",
                file=file,
                offset=0,
                hint="convert it to text (for a PDF: pdftotext) and put the text file in the corpus instead",
            )
    for bom, codec in _BOMS:
        if data.startswith(bom):
            decoded, reason = _lenient(data, codec)
            if decoded is None or not _few(decoded.undecodable, len(data)):
                raise DecodeError(f"not valid {codec} despite its byte-order mark: {reason}", file=file, offset=decoded and decoded.first_undecodable)
            return _finish(decoded, file)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DecodeError(
            "contains NUL bytes: a binary file, or UTF-16 without a byte-order mark",
            file=file,
            offset=nul,
            hint="remove the file or re-save it as UTF-8",
        )
    decoded, _reason = _lenient(data, "utf-8")
    if decoded is not None and _few(decoded.undecodable, len(data)):
        if not decoded.undecodable or _multibyte(decoded.text) - decoded.undecodable >= UTF8_EVIDENCE * decoded.undecodable:
            return _finish(decoded, file)
    first_bad = decoded.first_undecodable if decoded is not None else None
    guess = from_bytes(data).best()
    if guess is None:
        raise DecodeError(
            "cannot be decoded as text in any known encoding",
            file=file,
            offset=first_bad,
            hint="check that it is a text file; re-save it as UTF-8",
        )
    codec = codecs.lookup(guess.encoding).name.replace("_", "-")
    codec = _CODEC_NAMES.get(codec, codec)
    decoded, reason = _lenient(data, codec)
    if decoded is None or not _few(decoded.undecodable, len(data)):
        raise DecodeError(f"looks like {codec} but does not decode: {reason}", file=file, offset=decoded and decoded.first_undecodable)
    return _finish(decoded, file)


def _lenient(data: bytes, codec: str) -> tuple[Decoded | None, str]:
    """Decode ``data`` with ``codec``, each undecodable byte marked; also the first failure's reason."""
    try:
        return Decoded(data.decode(codec), codec), ""
    except UnicodeDecodeError as exc:  # utf-8-sig reports offsets after its byte-order mark
        first, reason = exc.start + (len(codecs.BOM_UTF8) if codec == "utf-8-sig" else 0), exc.reason
    try:
        if codec in _UTF8:  # the same marks, made in C: UTF-8 never fails on a byte below 0x80
            text = data.decode(codec, "surrogateescape")
            # each escaped byte is one byte read and three encoded back (a 50th of the time of finding the marks)
            bom = len(codecs.BOM_UTF8) if codec == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) else 0
            return Decoded(text, codec, (len(text.encode("utf-8", "surrogatepass")) - len(data) + bom) // 2, first), reason
        text = data.decode(codec, "corpack.mark")
    except (UnicodeError, LookupError):  # a codec that does not call error handlers the usual way
        return None, reason
    return Decoded(text, codec, len(_MARKED.findall(text)), first), reason


def _few(undecodable: int, size: int) -> bool:
    return undecodable <= max(FEW_UNDECODABLE, size * UNDECODABLE_SHARE)


def _finish(decoded: Decoded, file: str | Path) -> Decoded:
    text = _check_text(decoded.text, file)
    if decoded.undecodable:
        text = _MARKED.sub("\ufffd", text)
    return Decoded(text, decoded.encoding, decoded.undecodable, decoded.first_undecodable)


def _multibyte(text: str) -> int:
    """How many characters of ``text`` are not ASCII (marked bytes included)."""
    return len(text) - len(text.encode("ascii", "ignore"))


def _controls(text: str) -> int:
    """How many matches of :data:`_CONTROLS` ``text`` holds: the bytes left of its ASCII characters once every
    other byte is deleted (they are ASCII), two scans in C (a sixth of the time of the pattern's)."""
    return len(text.encode("ascii", "ignore").translate(None, _NOT_CONTROLS))


def _check_text(text: str, file: str | Path) -> str:
    controls = _controls(text)
    if text and controls / len(text) > _MAX_CONTROL_SHARE:
        raise DecodeError(
            f"{controls} control characters in {len(text)}: not a text file",
            file=file,
            hint="remove binary files from the corpus folder",
        )
    return text


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
