"""Render a report as one self-contained HTML page (``pkg validate --html FILE``).

The page has no scripts, fonts, images or links to anything outside itself, so a reviewer can open it offline
and nothing in it can call home. Every value from the package is escaped. The layout follows the text report:
a verdict, a summary table of counts by resource and code, then per resource and code the findings kept
(row, field, message), with how many more were only counted.
"""

from __future__ import annotations

from html import escape

from dpcheck.codes import CODES, is_error
from dpcheck.report import Report

_STYLE = """
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}h3{font-size:1rem;margin:1.2rem 0 .3rem}
.verdict{padding:.6rem 1rem;border-radius:4px;font-weight:600}
.valid{background:#e3f4e1;color:#1d5b19}.invalid{background:#fbe4e4;color:#8a1c1c}
table{border-collapse:collapse;width:100%;margin:.3rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}code{font-size:.95em}
.notice{color:#555}.more{color:#555;font-style:italic}
"""


def _label(resource: str | None) -> str:
    return "(package)" if resource is None else resource


def render_html(report: Report) -> str:
    """Return ``report`` as a complete HTML document (a string ending in a newline)."""
    verdict = "valid" if report.valid else "INVALID"
    cls = "valid" if report.valid else "invalid"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">',
        f"<title>pkg validate: {escape(report.package)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>pkg validate: <code>{escape(report.package)}</code></h1>",
        f'<p class="verdict {cls}" id="verdict">{verdict}: {report.errors} errors, {report.notices} notices, '
        f"{len(report.resources)} resources</p>",
    ]
    groups = sorted(report.counts.items(), key=lambda item: ((item[0][0] is not None, item[0][0] or ""),
                                                             list(CODES).index(item[0][1]) if item[0][1] in CODES else len(CODES)))
    if groups:
        out.append('<h2>Summary</h2><table id="summary"><thead><tr><th>resource</th><th>code</th><th>count</th><th>meaning</th></tr></thead><tbody>')
        for (resource, code), n in groups:
            kind = "" if is_error(code) else ' class="notice"'
            out.append(f"<tr{kind}><td>{escape(_label(resource))}</td><td><code>{escape(code)}</code></td>"
                       f'<td class="n">{n}</td><td>{escape(report.meaning(code))}</td></tr>')
        out.append("</tbody></table>")
    for resource in dict.fromkeys(resource for resource, _ in (g for g, _ in groups)):
        out.append(f"<h2>{escape(_label(resource))}</h2>")
        for (res, code), n in groups:
            if res != resource:
                continue
            kept = [f for f in report.findings if f.resource == resource and f.code == code]
            out.append(f'<h3><code>{escape(code)}</code>: {n}</h3><table class="findings"><thead><tr>'
                       "<th>row</th><th>field</th><th>file</th><th>message</th></tr></thead><tbody>")
            for f in kept:
                row = "" if f.row is None else str(f.row)
                out.append(f'<tr><td class="n">{row}</td><td>{escape(f.field or "")}</td><td>{escape(f.file or "")}</td>'
                           f"<td>{escape(f.message)}</td></tr>")
            out.append("</tbody></table>")
            if n > len(kept):
                out.append(f'<p class="more">{n - len(kept)} more counted, not listed (raise --limit to list them)</p>')
    out.append("</body></html>")
    return "\n".join(out) + "\n"
