"""Stage 1, sources: find the corpus files, decode their bytes, read and write the provenance manifest.

A corpus is any folder of text files. Two optional files in it are not documents:

- ``manifest.csv``: one row per file with its provenance (``sha256``, ``bytes``, ``encoding``) and the
  metadata a human can edit (``title``, ``publisher``, ``region``, ``published``, ``source_url``,
  ``notes``). ``pkg manifest`` writes and refreshes it, keeping what a human typed.
- ``corpus.toml``: package-level settings (name, title, version, licences, ...), see
  :func:`corpack.package.load_settings`.

Every other regular file below the folder (hidden files and folders excepted) is a document. Nothing is
skipped silently: a file that is not text stops the build, or is listed as skipped with ``--skip-bad``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from charset_normalizer import from_bytes

from corpack.errors import CorpusError, DecodeError, EmptyDocumentError, ManifestError

MANIFEST_NAME = "manifest.csv"
SETTINGS_NAME = "corpus.toml"
NOT_DOCUMENTS = frozenset({MANIFEST_NAME, SETTINGS_NAME})

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
_MAX_CONTROL_SHARE = 0.01


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


def doc_id_for(rel: str) -> str:
    """Return the document id for a corpus-relative path: the path without its final extension.

    ``reports/2019/a.txt`` -> ``reports/2019/a``. It depends only on where the file lies in the corpus, so it
    survives rebuilds and corrections of the file's text.
    """
    path = PurePosixPath(rel)
    return str(path.with_suffix("")) if path.suffix else str(path)


def discover(corpus_dir: Path) -> list[str]:
    """List the corpus-relative paths of all documents below ``corpus_dir``, sorted by document id.

    Raises:
        CorpusError: when the folder is missing, holds no document, or two files map to the same id.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError("corpus folder not found", file=corpus_dir, hint="give the folder holding the raw text files")
    found: dict[str, str] = {}
    for path in sorted(corpus_dir.rglob("*")):
        rel = path.relative_to(corpus_dir).as_posix()
        if any(part.startswith(".") for part in PurePosixPath(rel).parts) or rel in NOT_DOCUMENTS:
            continue
        if path.is_symlink() or not path.is_file():
            continue
        doc_id = doc_id_for(rel)
        if doc_id in found:
            raise CorpusError(
                f"{found[doc_id]} and {rel} would both get document id {doc_id!r}",
                file=corpus_dir / rel,
                hint="rename one of them: a document id is the path without its extension",
            )
        found[doc_id] = rel
    if not found:
        raise CorpusError("the corpus folder holds no document", file=corpus_dir)
    return [found[key] for key in sorted(found)]


def decode(data: bytes, file: str | Path) -> tuple[str, str]:
    """Decode raw bytes to text and name the encoding used.

    Order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else strict UTF-8; else charset-normalizer's
    best guess (GB18030 for GB2312/GBK, Big5, ...).

    Returns:
        ``(text, encoding)``.

    Raises:
        EmptyDocumentError: for a file of zero bytes.
        DecodeError: for NUL bytes without a UTF-16/32 byte-order mark, bytes no encoding explains, or
            decoded text that is mostly control characters (a binary file).
    """
    if not data:
        raise EmptyDocumentError("the file is empty", file=file, hint="remove it from the corpus or fill it")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data.decode(codec), file), codec
            except UnicodeDecodeError as exc:
                raise DecodeError(f"not valid {codec} despite its byte-order mark: {exc.reason}", file=file, offset=exc.start) from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DecodeError(
            "contains NUL bytes: a binary file, or UTF-16 without a byte-order mark",
            file=file,
            offset=nul,
            hint="remove the file or re-save it as UTF-8",
        )
    try:
        return _check_text(data.decode("utf-8"), file), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad = exc.start
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
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"looks like {codec} but does not decode: {exc.reason}", file=file, offset=exc.start) from None
    return _check_text(text, file), codec


def _check_text(text: str, file: str | Path) -> str:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\x0b")
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
        DecodeError, EmptyDocumentError: see :func:`decode`.
        ManifestError: when the manifest records another checksum or size than the file has.
    """
    path = Path(corpus_dir) / rel
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DecodeError(f"cannot read the file: {exc.strerror}", file=path) from None
    sha = hashlib.sha256(data).hexdigest()
    row = (manifest or {}).get(rel, {})
    if row.get("sha256") and row["sha256"] != sha:
        raise ManifestError(
            f"the manifest records sha256 {row['sha256'][:12]}… but the file has {sha[:12]}…",
            file=path,
            hint=f"the file changed since the manifest was written: check the change, then run `pkg manifest {corpus_dir}`",
        )
    text, encoding = decode(data, path)
    metadata = {key: row[key] for key in METADATA_FIELDS if row.get(key) not in (None, "")}
    return Source(doc_id_for(rel), rel, len(data), sha, encoding, text, metadata)


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
        DecodeError, EmptyDocumentError: when a file cannot be decoded (its encoding is recorded).
        CorpusError: see :func:`discover`.
    """
    corpus_dir = Path(corpus_dir)
    path = corpus_dir / MANIFEST_NAME
    old: dict[str, dict] = {}
    if path.is_file():
        with path.open(encoding="utf-8-sig", newline="") as handle:
            old = {row.get("file", ""): row for row in csv.DictReader(handle)}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=MANIFEST_FIELDS, lineterminator="\n")
    writer.writeheader()
    for rel in discover(corpus_dir):
        data = (corpus_dir / rel).read_bytes()
        _, encoding = decode(data, corpus_dir / rel)
        row = {key: (old.get(rel, {}).get(key) or "") for key in MANIFEST_FIELDS}
        row.update(file=rel, sha256=hashlib.sha256(data).hexdigest(), bytes=str(len(data)), encoding=encoding)
        writer.writerow(row)
    path.write_text(out.getvalue(), encoding="utf-8")
    return path
