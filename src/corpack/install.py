"""Where a build may write, and how a new package gets there without destroying or stranding anything.

A build never writes into its output folder. It works like this:

1. :func:`check_target` refuses an output that is not safe to replace: the corpus itself, a folder holding
   the corpus or lying inside it, the current folder or one of its parents, a symbolic link, a file, or a
   folder holding anything but a package corpack built (recognised by ``corpack:build`` in its
   ``datapackage.json``; every file must be one that package lists: the descriptor, the card, the citation,
   its resources). No option deletes other files.
2. :func:`build_lock` takes an exclusive lock beside the output (``.NAME.build.lock``) for the whole build,
   so two builds of one output run one after the other. Holding it, the build removes the staging and
   set-aside folders (``.NAME.tmp-*``, ``.NAME.old-*``) of runs that died: only a lock holder creates them.
3. :func:`staging_dir` makes the hidden folder beside the output that the build writes into.
4. :func:`install` swaps the staged folder in while holding the swap lock (``.NAME.lock``) exclusively;
   readers (:func:`reading`, used by ``pkg validate`` and ``corpack.load``) hold it shared, so they see the
   old package or the new one, never half of each.

Locks are ``flock`` locks on small files: the system drops them when their holder dies, so a killed run
never blocks the next one. They are re-entrant within a process (``pkg release`` holds the build lock and
calls the build, which takes it again).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from corpack.errors import BuildError

DESCRIPTOR = "datapackage.json"
CARD = "README.md"
CITATION = "CITATION.cff"
_HINT = "give -o a new or empty folder, or the folder of a package corpack built"

_held: dict[tuple[str, int], int] = {}  # (lock file, kind) -> depth, for re-entrant locks
_held_guard = threading.Lock()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or path.is_relative_to(folder)


def package_files(folder: Path) -> set[str] | None:
    """The files a corpack-built package in ``folder`` consists of (descriptor, card, citation, resource files).

    Returns:
        Relative POSIX paths, or None when ``folder`` holds no ``datapackage.json`` with ``corpack:build``.
    """
    descriptor = folder / DESCRIPTOR
    try:
        if not descriptor.is_file() or descriptor.stat().st_size > 64 << 20:
            return None
        data = json.loads(descriptor.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("corpack:build"), dict):
        return None
    files = {DESCRIPTOR, CARD, CITATION}
    for resource in data.get("resources") or []:
        path = resource.get("path") if isinstance(resource, dict) else None
        if isinstance(path, str):
            files.add(path)
    return files


def check_target(output: Path, corpus_dir: Path | None = None) -> None:
    """Refuse an output folder a build must not replace (see the module docstring, step 1).

    Raises:
        BuildError: naming the folder and why it is refused.
    """
    output = Path(output)
    target = output.absolute()
    resolved = output.resolve()
    cwd = Path.cwd().resolve()
    if _inside(cwd, resolved):
        what = "the current folder" if cwd == resolved else "a parent of the current folder"
        raise BuildError(f"refusing to replace {what}", file=output, hint=_HINT)
    if corpus_dir is not None:
        corpus = Path(corpus_dir).resolve()
        if _inside(corpus, resolved):
            what = "the corpus folder" if corpus == resolved else "a folder holding the corpus"
            raise BuildError(f"refusing to replace {what} {corpus_dir}", file=output, hint=_HINT)
        if _inside(resolved, corpus):
            raise BuildError(
                f"refusing to write the package inside the corpus {corpus_dir}: the next build would read it as documents",
                file=output,
                hint="build into a folder outside the corpus",
            )
    if target.is_symlink():
        raise BuildError("the output is a symbolic link; refusing to replace it", file=output, hint="give the real folder")
    if not target.exists():
        return
    if not target.is_dir():
        raise BuildError("the output exists and is not a folder", file=output, hint=_HINT)
    try:
        present = {p.relative_to(target).as_posix() for p in target.rglob("*") if not p.is_dir() or p.is_symlink()}
    except OSError as exc:
        raise BuildError(f"cannot list the output folder: {exc.strerror}", file=exc.filename or output, hint=_HINT) from None
    if not present:
        return
    known = package_files(target)
    if known is None:
        raise BuildError("the output folder is not empty and holds no package corpack built; refusing to replace it", file=output, hint=_HINT)
    foreign = sorted(present - known)
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise BuildError(
            f"the package folder also holds files a build did not write ({shown}); refusing to delete them",
            file=output,
            hint="move those files out of the package folder, then build again",
        )


def lock_path(target: Path, kind: str = "") -> Path:
    """The lock file beside ``target``: ``.NAME.lock`` (swap) or ``.NAME.<kind>.lock``."""
    target = Path(target).absolute()
    return target.parent / (f".{target.name}.{kind}.lock" if kind else f".{target.name}.lock")


@contextlib.contextmanager
def _flock(path: Path, mode: int, *, create: bool, on_wait: Callable[[str], None] | None = None, what: str = "") -> Iterator[bool]:
    """Hold ``flock(mode)`` on ``path`` for the block; yields False when the file is absent and not created."""
    key = (str(path), mode)
    with _held_guard:
        if _held.get(key):
            _held[key] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield True
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    try:
        fd = os.open(path, (os.O_RDWR | os.O_CREAT) if create else os.O_RDONLY, 0o644)
    except FileNotFoundError:
        if create:
            raise
        yield False
        return
    except OSError as exc:
        if create:
            raise BuildError(f"cannot create the lock file: {exc.strerror}", file=path, hint="check that the output's parent folder is writable") from None
        yield False  # a reader in a read-only place goes without the lock
        return
    try:
        try:
            fcntl.flock(fd, mode | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(what)
            fcntl.flock(fd, mode)
        with _held_guard:
            _held[key] = 1
        try:
            yield True
        finally:
            with _held_guard:
                _held.pop(key, None)
    finally:
        os.close(fd)


@contextlib.contextmanager
def build_lock(target: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the exclusive build lock of ``target`` (waiting for a running build), then clear dead runs' folders.

    Args:
        target: the output folder.
        on_wait: called with a one-line message when another run holds the lock and this one waits.
    """
    target = Path(target).absolute()
    target.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(target, "build")
    message = f"waiting for another build of {target.name} to finish (lock {path})"
    with _flock(path, fcntl.LOCK_EX, create=True, on_wait=on_wait, what=message):
        _remove_leftovers(target)
        yield


@contextlib.contextmanager
def project_lock(root: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the exclusive lock of a project folder (``ROOT/.corpack.lock``) for a release.

    ``pkg release`` holds it and the build lock of ``ROOT/datapackage`` from its first check to its last
    file, so a second release, or a build of that package, waits instead of failing half-way.
    """
    path = Path(root).absolute() / ".corpack.lock"
    with _flock(path, fcntl.LOCK_EX, create=True, on_wait=on_wait, what=f"waiting for another release of {Path(root).absolute().name} (lock {path})"):
        yield


def _remove_leftovers(target: Path) -> None:
    """Remove ``.NAME.tmp-*`` and ``.NAME.old-*`` folders: with the build lock held, no live run owns one."""
    for pattern in (f".{target.name}.tmp-*", f".{target.name}.old-*"):
        for stale in target.parent.glob(pattern):
            if stale.is_dir() and not stale.is_symlink():
                shutil.rmtree(stale, ignore_errors=True)


@contextlib.contextmanager
def reading(folder: Path) -> Iterator[None]:
    """Hold the swap lock of a package folder shared, so a build cannot swap it while it is read.

    Without a lock file beside the folder (no corpack build has installed there, or a read-only place) the
    read goes ahead unlocked.
    """
    folder = Path(folder).absolute()
    with _flock(lock_path(folder), fcntl.LOCK_SH, create=False):
        yield


def staging_dir(target: Path) -> Path:
    """Create the empty hidden folder beside ``target`` that a build writes into (call under the build lock).

    Raises:
        BuildError: when the folder beside the target cannot be written.
    """
    target = Path(target).absolute()
    try:
        staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
        staged.chmod(0o755)  # mkdtemp makes it private; a package folder is meant to be read
    except OSError as exc:
        raise BuildError(f"cannot create the staging folder: {exc.strerror}", file=target.parent, hint="check that the output's parent folder is writable and has space") from None
    return staged


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the system cannot."""
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def install(staged: Path, target: Path) -> None:
    """Put the staged package in place of ``target`` under the exclusive swap lock.

    Where the system can swap two folders atomically it does; elsewhere the old package is renamed aside
    and the new one renamed in. The old package is removed only after the new one is in place.

    Raises:
        BuildError: when the renames fail.
    """
    staged, target = Path(staged).absolute(), Path(target).absolute()
    try:
        with _flock(lock_path(target), fcntl.LOCK_EX, create=True):
            if not target.exists():
                os.rename(staged, target)
                return
            if _exchange(staged, target):
                old = staged
            else:
                aside = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
                os.rename(target, aside / target.name)
                try:
                    os.rename(staged, target)
                except OSError:
                    os.rename(aside / target.name, target)  # put the old package back
                    raise
                old = aside
        shutil.rmtree(old, ignore_errors=True)
    except OSError as exc:
        raise BuildError(f"cannot install the new package: {exc.strerror}", file=target, hint="check the output's parent folder; the previous package is left in place") from None
