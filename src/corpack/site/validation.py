"""The validation page: the ``pkg validate`` report of the package, in the site's frame and as its own page."""

from __future__ import annotations

from pathlib import Path

from corpack.checking import validate_package
from dpcheck import render_html


def validation_pages(package: Path, label: str) -> tuple[str, str]:
    """Validate ``package`` and return ``(body for the site's frame, the standalone report page)``.

    The report names the package by ``label`` (its descriptor name), not by the path it was read from, so the
    site does not depend on where the package lies.
    """
    report = validate_package(package)
    report.package = label
    full = render_html(report)
    # The report's header cells all head columns; the site's pages give every header cell its scope.
    inner = full.split("<body>", 1)[1].rsplit("</body>", 1)[0].replace("<th>", '<th scope="col">')
    body = (f'<div class="report">{inner}</div>'
            '<p><a href="validation-report.html">The same report as one standalone page</a> '
            "(what <code>pkg validate --html</code> writes).</p>")
    return body, full
