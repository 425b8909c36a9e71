"""Check a Data Package against its descriptor, schemas and checksums: what ``pkg validate`` runs.

The stages, one module each, run in order on the package folder:

1. :mod:`~dpcheck.descriptor`: datapackage.json parses and fits the Data Package profile; every
   resource path is relative, stays inside the folder and is not a URL (unless trusted; never fetched);
   the profile with frictionless (:mod:`~dpcheck.profile`); then the Table Schema rules the profile
   misses (:mod:`~dpcheck.schemarules`). Every file is opened as a regular file without blocking
   (:mod:`~dpcheck.regularfile`).
2. :mod:`~dpcheck.integrity`: each file exists and matches its declared ``hash`` and ``bytes``.
3. :mod:`~dpcheck.tablecheck` and :mod:`~dpcheck.keys`: column names, physical types, field
   constraints (:mod:`~dpcheck.constraints`; v2 ``categories`` and ``jsonSchema`` too,
   :mod:`~dpcheck.jsoncells`), row shape, primary keys, ``uniqueKeys`` and foreign keys, vectorised with
   pyarrow, in one loop over Arrow batches (:mod:`~dpcheck.driver`) fed by a Parquet reader (row groups,
   :mod:`~dpcheck.stream`) or a CSV reader (:mod:`~dpcheck.csvcheck`, the header against ``fieldsMatch``
   in :mod:`~dpcheck.csvlabels`; inline ``data`` the same way, :mod:`~dpcheck.inline`); keys that need
   it after the loop with DuckDB (:mod:`~dpcheck.sqlkeys`). A table without a schema is checked against
   the one frictionless would infer (:mod:`~dpcheck.infer`), with a notice saying so.
4. :mod:`~dpcheck.plugins`: the checks the package declares (``dpcheck:checks``) that the caller registered.

Everything wrong with a package is a :class:`Finding` in the returned :class:`Report`; the codes are listed
in :data:`CODES`. Example::

    report = validate_package("build/datapackage")
    print(render_text(report))
    raise SystemExit(report.exit_code)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dpcheck.lazy import lazy_names

if TYPE_CHECKING:
    from dpcheck.codes import CODES, NOTICES
    from dpcheck.html import render_html
    from dpcheck.plugins import Plugin
    from dpcheck.report import Finding, Report, render_text
    from dpcheck.validation import validate_package

__all__ = ["CODES", "NOTICES", "Finding", "Plugin", "Report", "render_html", "render_text", "validate_package"]

# Where each public name lives: loaded when first asked for, so that ``import dpcheck.errors`` (a caller's
# exceptions) or ``dpcheck.hashing`` does not load pyarrow, frictionless and the whole validator (about 1 s).
_HOMES = {"CODES": "dpcheck.codes", "NOTICES": "dpcheck.codes", "Finding": "dpcheck.report", "Report": "dpcheck.report",
          "render_text": "dpcheck.report", "render_html": "dpcheck.html", "Plugin": "dpcheck.plugins",
          "validate_package": "dpcheck.validation"}

__getattr__, __dir__ = lazy_names(globals(), _HOMES)
