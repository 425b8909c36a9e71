"""Where a site is written: the target checked, the pages written beside it, then swapped in whole."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from corpack.errors import CorpackError

#: An empty file marking a folder as a site corpack wrote, so a rebuild may replace it.
MARKER = ".corpack-site"


class SiteError(CorpackError):
    """The site could not be written where it was asked for."""

    code = "site-error"


def check_target(output: Path, package: Path) -> None:
    """Refuse a target that is not new, empty or a site corpack wrote, or that lies in or holds the package.

    Raises:
        SiteError: naming the target and what to do.
    """
    out, pkg = output.resolve(), package.resolve()
    # A folder or its datapackage.json: the folder is the package; a release archive is only itself.
    pkg_dir = pkg if pkg.is_dir() else pkg.parent if pkg.name == "datapackage.json" else pkg
    if out == pkg_dir or pkg_dir in out.parents or out in pkg_dir.parents:
        raise SiteError("the site would be written into or around the package it shows", file=output,
                        hint="choose a folder outside the package, e.g. -o site")
    if out.exists() and not out.is_dir():
        raise SiteError("the target exists and is not a folder", file=output, hint="choose another -o")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise SiteError("the target folder is not empty and is not a site pkg site wrote", file=output,
                        hint="choose a new or empty folder, or remove this one")


def install(files: Iterable[tuple[str, bytes | int]] | Callable[[Path], Iterable[tuple[str, bytes | int]]],
            output: Path) -> dict[str, int]:
    """Write ``files`` (path from the site root, bytes) into a folder beside ``output``, then swap it in.

    ``files`` may also be a function of the staging folder returning them; then an item ``(path, size)`` says
    that the file was written there already (by a worker process).

    Returns each path's size. A failed or killed build leaves the previous site untouched (at worst a hidden
    ``.<name>.site-*`` folder beside it).

    Raises:
        SiteError: a path is written twice or leaves the site, or the folder cannot be written.
    """
    output = output.absolute()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.site-", dir=output.parent))
    written: dict[str, int] = {}
    try:
        for rel, data in (files(staging) if callable(files) else files):
            if rel in written or ".." in rel.split("/") or rel.startswith("/"):
                raise SiteError(f"the site would write {rel!r} twice or outside itself (this is a bug)", file=output)
            if isinstance(data, int):
                written[rel] = data
                continue
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            written[rel] = len(data)
        (staging / MARKER).write_bytes(b"")
        os.chmod(staging, 0o755)
        old = None
        if output.exists():
            old = output.with_name(f".{output.name}.old-{os.getpid()}")
            output.rename(old)
        staging.rename(output)
        if old is not None:
            shutil.rmtree(old)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteError(f"cannot write the site: {exc.strerror or exc}", file=output) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return written
