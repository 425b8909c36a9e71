"""Stage 1a, discovery: list the documents of a corpus folder, and every entry that cannot be one.

What is a document:

- Every regular file below the folder is a document, except hidden files and folders (a name starting
  with ``.``) and the corpus's own ``manifest.csv`` and ``corpus.toml``, which are passed over by rule.
- A symbolic link is followed only when its target, every link resolved, lies inside the corpus folder:
  a link to a file is a document under the link's path, a link to a folder is walked under the link's path.
  So a link can bring in a file kept in a hidden folder (``2020 -> .archive/2020``).
- A file is packaged once. The real folder tree is walked first (sorted, links not followed), then the links
  in sorted order; a link (or hard link) reaching a file or folder that is already in the corpus is a
  *duplicate* and is listed, the other path keeps the document.

Nothing else is dropped silently. These entries are *bad entries* (code ``bad-entry``), listed with a reason
and a hint like a file that does not decode: a folder that cannot be listed, a name that is not valid UTF-8
(its bytes shown as ``\\xNN``), a special file (FIFO, socket, device), a symbolic link that points outside
the corpus, to nothing, or in a loop, and a duplicate. Only folders are opened here; files are judged by
``lstat``/``stat``, so a FIFO or device is never opened and nothing blocks.
"""

from __future__ import annotations

import errno
import heapq
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from corpack.errors import BadFilesError, CorpackError, CorpusError, EntryError

MANIFEST_NAME = "manifest.csv"
SETTINGS_NAME = "corpus.toml"
NOT_DOCUMENTS = frozenset({MANIFEST_NAME, SETTINGS_NAME})

_RENAME_HINT = "rename it to a UTF-8 name (names from a Chinese Windows archive: convmv -f gbk -t utf-8 --notest NAME)"
_SPECIAL = ((stat.S_ISFIFO, "named pipe (FIFO)"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"))


@dataclass(frozen=True)
class BadFile:
    """A corpus entry that cannot be packaged, and why.

    Attributes:
        file: the corpus-relative path, POSIX style; bytes of a name that is not UTF-8 appear as ``\\xNN``.
        error: the failure, with the file's path, a one-line message and a hint.
    """

    file: str
    error: CorpackError

    def record(self) -> dict[str, str]:
        """The ``{"file", "code", "reason"}`` record listed in a build's summary, card and descriptor."""
        return {"file": self.file, "code": self.error.code, "reason": self.error.message}


@dataclass
class Listing:
    """What :func:`scan` found: ``documents`` (corpus-relative paths, sorted by document id) and ``bad``
    entries (sorted by file)."""

    documents: list[str]
    bad: list[BadFile] = field(default_factory=list)


def doc_id_for(rel: str) -> str:
    """Return the document id for a corpus-relative path: the path without its final extension.

    ``reports/2019/a.txt`` -> ``reports/2019/a``. It depends only on where the file lies in the corpus, so it
    survives rebuilds and corrections of the file's text.
    """
    if rel and "//" not in rel and "/./" not in rel and not rel.startswith(("/", "./")) and not rel.endswith(("/", "/.")) and rel != ".":
        # (a path as discovery gives it, which PurePosixPath would not change: its suffix cut as pathlib cuts
        # it, a fifth of the time of parsing it)
        name = rel[rel.rfind("/") + 1 :]
        dot = name.rfind(".")
        return rel[: len(rel) - len(name) + dot] if 0 < dot < len(name) - 1 else rel
    path = PurePosixPath(rel)
    return str(path.with_suffix("")) if path.suffix else str(path)


def printable(rel: str) -> str:
    """``rel`` with the bytes of a name that is not UTF-8 (held as surrogate escapes) written ``\\xNN``."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


def scan(corpus_dir: Path) -> Listing:
    """List the documents below ``corpus_dir`` and every entry that cannot be one (see the module docs).

    Raises:
        CorpusError: when the folder is missing or cannot be listed, holds neither a document nor a bad
            entry, or two documents map to the same id.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError("corpus folder not found", file=corpus_dir, hint="give the folder holding the raw text files")
    walk = _Walk(corpus_dir)
    walk.folder(str(corpus_dir), "")
    walk.follow_links()
    found: dict[str, str] = {}
    for rel in sorted(walk.files.values()):
        doc_id = doc_id_for(rel)
        if doc_id in found:
            raise CorpusError(
                f"{found[doc_id]} and {rel} would both get document id {doc_id!r}",
                file=corpus_dir / rel,
                hint="rename one of them: a document id is the path without its extension",
            )
        found[doc_id] = rel
    if not found and not walk.bad:
        raise CorpusError("the corpus folder holds no document", file=corpus_dir)
    return Listing([found[key] for key in sorted(found)], sorted(walk.bad, key=lambda entry: entry.file))


def discover(corpus_dir: Path) -> list[str]:
    """List the corpus-relative paths of all documents below ``corpus_dir``, sorted by document id.

    Raises:
        CorpusError: see :func:`scan`.
        EntryError, BadFilesError: when :func:`scan` lists bad entries (one, or several listed together).
    """
    listing = scan(corpus_dir)
    if listing.bad:
        raise failure([entry.error for entry in listing.bad], corpus_dir)
    return listing.documents


def failure(errors: list[CorpackError], corpus_dir: Path, *, skippable: bool = False) -> CorpackError:
    """The error to raise for the bad files ``errors`` of a corpus: the error itself when there is one,
    else a :class:`BadFilesError` listing them all. ``skippable`` adds the ``--skip-bad`` hint."""
    skip = "or pass --skip-bad to leave them out and list them" if skippable else ""
    if len(errors) == 1:
        error = errors[0]
        if skip:
            error.hint = f"{error.hint or 'fix or remove the file'}; {skip.replace('them', 'it')}"
        return error
    hint = "fix or remove them" + (f", {skip}" if skip else "")
    return BadFilesError(errors, file=corpus_dir, hint=hint)


class _Walk:
    """One walk of a corpus: documents by file identity, folders walked, links to follow, bad entries."""

    def __init__(self, corpus_dir: Path) -> None:
        self.corpus = corpus_dir
        self.root = os.path.realpath(corpus_dir)
        self.files: dict[tuple[int, int], str] = {}
        self.folders: dict[tuple[int, int], str] = {}
        self.links: list[str] = []
        self.bad: list[BadFile] = []
        try:
            top = os.stat(corpus_dir)
        except OSError as exc:
            raise CorpusError(f"cannot read the corpus folder: {exc.strerror}", file=corpus_dir) from None
        self.folders[(top.st_dev, top.st_ino)] = ""

    def refuse(self, rel: str, message: str, hint: str) -> None:
        shown = printable(rel)
        self.bad.append(BadFile(shown, EntryError(message, file=self.corpus / shown, hint=hint)))

    def folder(self, path: str, prefix: str) -> None:
        """List one folder (``prefix``: its corpus-relative path plus ``/``, empty for the corpus)."""
        try:
            with os.scandir(path) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            if not prefix:
                raise CorpusError(f"cannot list the corpus folder: {exc.strerror}", file=self.corpus, hint="check its permissions") from None
            self.refuse(prefix.rstrip("/"), f"cannot list the folder: {exc.strerror}", "give it read and execute permission (chmod u+rx), or move it out of the corpus")
            return
        for entry in entries:
            rel = prefix + entry.name
            if entry.name.startswith(".") or (not prefix and entry.name in NOT_DOCUMENTS):
                continue
            if not _is_utf8(entry.name):
                self.refuse(rel, "the name is not valid UTF-8", _RENAME_HINT)
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:
                self.refuse(rel, f"cannot read the entry: {exc.strerror}", "check its permissions, or remove it")
                continue
            if stat.S_ISLNK(info.st_mode):
                heapq.heappush(self.links, rel)
            else:
                self.take(rel, entry.path, info, link=False)

    def follow_links(self) -> None:
        """Follow the links found, in sorted order (links met inside a followed folder join the queue)."""
        while self.links:
            rel = heapq.heappop(self.links)
            try:
                target = os.path.realpath(os.path.join(self.corpus, rel), strict=True)
                info = os.stat(target)
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    self.refuse(rel, "a symbolic link loop: it never reaches a file", "remove the link or point it at a file of the corpus")
                elif exc.errno == errno.ENOENT:
                    self.refuse(rel, "a symbolic link to nothing: its target does not exist", "remove the link or restore its target")
                else:
                    self.refuse(rel, f"cannot follow the symbolic link: {exc.strerror}", "check the target's permissions, or remove the link")
                continue
            if os.path.commonpath([self.root, target]) != self.root:
                self.refuse(rel, "a symbolic link pointing outside the corpus folder", f"it points to {target}; copy what it points to into the corpus, or remove the link")
                continue
            self.take(rel, target, info, link=True)

    def take(self, rel: str, path: str, info: os.stat_result, *, link: bool) -> None:
        """Record a regular file as a document, walk a folder, refuse anything else."""
        identity = (info.st_dev, info.st_ino)
        if stat.S_ISDIR(info.st_mode):
            other = self.folders.get(identity)
            if other is None:
                self.folders[identity] = rel
                self.folder(path, rel + "/")
            elif other == "" or rel.startswith(other + "/"):
                where = f"{other}/" if other else "the corpus folder"
                self.refuse(rel, f"a symbolic link loop: it points to {where}, which holds it", "remove the link")
            else:
                self.refuse(rel, f"a link to the folder {printable(other)}/, which is already in the corpus", "remove the link: each file is packaged once")
        elif stat.S_ISREG(info.st_mode):
            other = self.files.get(identity)
            if other is None:
                self.files[identity] = rel
            else:
                how = "a symbolic link to" if link else "a hard link to the same file as"
                self.refuse(rel, f"{how} {printable(other)}, which is already a document", "remove the duplicate: each file is packaged once")
        else:
            kind = next((name for test, name in _SPECIAL if test(info.st_mode)), "special file")
            what = f"a link to a {kind}" if link else f"a {kind}"
            self.refuse(rel, f"{what}, not a regular file", "remove it from the corpus folder; it was not opened")


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
