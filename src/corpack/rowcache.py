"""The row cache of incremental builds: a document's rows, kept until its file or corpack changes.

A rebuild after adding or changing a few files should only process those. :class:`RowCache` keeps each
document's rows (:class:`~corpack.tables.DocumentRows`) in a folder beside the package
(``.NAME.cache/`` for a package at ``NAME``), one compressed JSON file per document, named by a key that
hashes everything the rows depend on:

- the file's corpus-relative path (its ``doc_id``) and the SHA-256 of its raw bytes;
- its manifest row (title, date... typed by a human);
- :func:`code_fingerprint`: corpack's own source files and schemas, the versions of Python, its Unicode
  database and every library corpack requires (the segmenter, gazetteer and converter included).

So a changed file, manifest row, schema, library or line of corpack misses the cache and is processed
again, and rows read from the cache are the rows a clean build would compute: the package's bytes are the
same. After a build only the entries it used are kept. An entry that cannot be read is processed again.
Entries are JSON (never pickle), so a tampered cache folder can change rows but cannot run code.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import json
import os
import re
import sys
import unicodedata
import zlib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, requires, version
from pathlib import Path
from typing import Any

from corpack.errors import CorpackError
from corpack.schemas import schema_dir
from corpack.sources import read_bytes
from corpack.tables import DocumentRows

_SUFFIX = ".json.z"


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """Hash of what turns a file into rows besides the file: corpack's code and schemas, library versions."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for path in sorted(schema_dir().glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    names = sorted({re.match(r"[A-Za-z0-9._-]+", requirement).group(0).lower() for requirement in _requirements()})
    versions = []
    for name in names:
        try:
            versions.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name}==none")
    digest.update(json.dumps([sys.version, unicodedata.unidata_version, versions]).encode())
    return digest.hexdigest()


def _requirements() -> list[str]:
    try:
        return [r for r in (requires("corpack") or []) if "extra ==" not in r]
    except PackageNotFoundError:
        return []


def cache_dir(output: Path) -> Path:
    """The cache folder of the package at ``output``: ``.NAME.cache`` beside it."""
    return output.parent / f".{output.name}.cache"


def _encode(value: Any) -> Any:
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(value: dict[str, Any]) -> Any:
    return dt.date.fromisoformat(value["$date"]) if set(value) == {"$date"} else value


@dataclass(frozen=True)
class EntryWriter:
    """Writes entries into a cache folder: what a worker is given (a folder and the code fingerprint, nothing
    else), so it stores the rows it computed itself, from its documents' rows as they are, instead of the
    build's process unpacking and encoding every document's rows after it (a fifth of a ``-j2`` build's wall
    time). Entries are written under a name of their own, then renamed, so writers in several processes never
    meet half an entry."""

    folder: Path
    code: str

    def key(self, rel: str, raw_sha256: str, manifest_row: dict[str, Any] | None) -> str:
        """The entry name of a file with these bytes and this manifest row."""
        parts = [self.code, rel, raw_sha256, manifest_row or {}]
        return hashlib.sha256(json.dumps(parts, sort_keys=True, ensure_ascii=False, default=_encode).encode()).hexdigest()

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / (key + _SUFFIX)

    def store(self, rows: DocumentRows, manifest: dict[str, dict]) -> str | None:
        """Keep ``rows`` under the key of the bytes they were computed from; the key, or None when the entry
        could not be written (the cache only saves time)."""
        key = self.key(rows.document["file"], rows.document["raw_sha256"], manifest.get(rows.document["file"]))
        data = {"document": rows.document, "paragraphs": rows.paragraphs, "facts": rows.facts, "skipped": rows.skipped}
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(path.name + f".tmp-{os.getpid()}")
            temporary.write_bytes(zlib.compress(json.dumps(data, ensure_ascii=False, default=_encode).encode(), 1))
            os.replace(temporary, path)
        except (OSError, TypeError, ValueError):
            return None
        return key


class RowCache:
    """The row cache of one build of one package (see the module docs).

    Args:
        folder: the cache folder (created when the first entry is stored).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.writer = EntryWriter(self.folder, code_fingerprint())
        self.used: set[str] = set()
        self.hits = 0

    def key(self, rel: str, raw_sha256: str, manifest_row: dict[str, Any] | None) -> str:
        """The entry name of a file with these bytes and this manifest row."""
        return self.writer.key(rel, raw_sha256, manifest_row)

    def key_of_file(self, corpus_dir: Path, rel: str, manifest: dict[str, dict]) -> str | None:
        """The entry name of a corpus file as it is now (None when it cannot be read: the build says why)."""
        try:
            data = read_bytes(Path(corpus_dir) / rel)  # never blocks on a FIFO, refuses what is not a file
        except CorpackError:
            return None
        return self.key(rel, hashlib.sha256(data).hexdigest(), manifest.get(rel))

    def has(self, key: str | None) -> bool:
        """Whether an entry exists for ``key``."""
        return key is not None and self.writer.path(key).is_file()

    def load(self, key: str) -> DocumentRows | None:
        """The rows stored under ``key``, or None when the entry is missing or unreadable."""
        try:
            data = json.loads(zlib.decompress(self.writer.path(key).read_bytes()), object_hook=_decode)
            rows = DocumentRows(data["document"], data["paragraphs"], data["facts"], [tuple(s) for s in data["skipped"]])
        except (OSError, ValueError, KeyError, TypeError, zlib.error):
            return None
        self.used.add(key)
        self.hits += 1
        return rows

    def store(self, rows: DocumentRows, manifest: dict[str, dict]) -> None:
        """Keep ``rows`` under the key of the bytes they were computed from (see :meth:`EntryWriter.store`)."""
        key = self.writer.store(rows, manifest)
        if key is not None:
            self.used.add(key)

    def keep(self, key: str | None) -> None:
        """Keep the entry ``key`` at :meth:`prune` (one a worker stored)."""
        if key is not None:
            self.used.add(key)

    def prune(self) -> None:
        """Remove every entry this build did not use (and leftovers of killed writes); what cannot be removed
        is left (the cache only saves time)."""
        with contextlib.suppress(OSError):
            for path in self.folder.glob("*/*"):
                if path.name.removesuffix(_SUFFIX) not in self.used:
                    path.unlink(missing_ok=True)
            for sub in self.folder.iterdir():
                if sub.is_dir() and not any(sub.iterdir()):
                    sub.rmdir()
