"""``pkg validate`` as corpack runs it: :func:`dpcheck.validate_package` under corpack's reader lock, with
corpack's own checks registered.

:mod:`dpcheck` is the generic Data Package validator (it never imports corpack). This module is the one place
corpack calls it, so a build swapping a package in (:mod:`corpack.install`) waits until a check of it ends, and
the corpus and fact rules (:mod:`corpack.checks`) run on every package that declares them in
``dpcheck:checks`` (as the packages ``pkg build`` writes do), and on no other.
"""

from __future__ import annotations

from pathlib import Path

from dpcheck import Report, validate_package as _validate

from corpack.checks import PLUGINS
from corpack.install import reading


def validate_package(path: Path | str, *, trusted: bool = False, limit: int = 5, sha256: str | None = None) -> Report:
    """Validate the Data Package at ``path`` (a folder, its datapackage.json or a zip archive).

    The same as :func:`dpcheck.validate_package` (see it for the arguments, the report and the failures),
    holding corpack's reader lock on a package folder while it is read, with corpack's checks
    (:data:`corpack.checks.PLUGINS`) registered for the packages that declare them.
    """
    return _validate(path, trusted=trusted, limit=limit, sha256=sha256, guard=reading, plugins=PLUGINS)
