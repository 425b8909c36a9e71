"""The overview page: what the package holds, counted."""

from __future__ import annotations

from html import escape

from corpack.site.charts import bar_chart, count, count_column
from corpack.site.model import SitePackage, cell


def _year(value: object) -> str | None:
    text = cell(value)
    return text[:4] if len(text) >= 4 and text[:4].isdigit() else None


def overview_body(site: SitePackage, pages: dict[str, int]) -> str:
    """The overview's ``<main>`` content: resources with row and page counts, then charts of documents and statistics.

    Args:
        site: the package.
        pages: the number of table pages each resource has.
    """
    d = site.descriptor
    out = [f'<h1 lang="zh">{escape(str(d.get("title") or d.get("name") or "Data package"))}</h1>']
    if d.get("version") or d.get("name"):
        out.append(f'<p class="muted">name <code>{escape(str(d.get("name", "")))}</code>, version {escape(str(d.get("version", "")))}</p>')
    if d.get("description"):
        out.append(f"<p>{escape(str(d['description']))}</p>")
    out.append('<h2 id="resources">Resources</h2><table><thead><tr><th scope="col">resource</th><th scope="col" class="n">rows</th>'
               '<th scope="col" class="n">fields</th><th scope="col" class="n">pages</th><th scope="col">one row per</th></tr></thead><tbody>')
    for r in site.resources:
        out.append(f'<tr><th scope="row"><a href="resources/{escape(r.name)}.html">{escape(r.name)}</a></th>'
                   f'<td class="n">{r.num_rows}</td><td class="n">{len(r.fields)}</td><td class="n">{pages.get(r.name, 1)}</td>'
                   f"<td>{escape(r.description)}</td></tr>")
    out.append("</tbody></table>")
    charts = []
    documents = site.get("documents")
    if documents is not None:
        names = documents.names
        for column, caption in (("region", "Documents per region"), ("publisher", "Documents per publisher")):
            if column in names:
                charts.append(bar_chart(caption, count(documents.table.column(column).to_pylist())))
        if "published" in names:  # a column at a time: every document as a dict would hold every text too
            years = count([_year(value) for value in documents.table.column("published").to_pylist()], missing="(no date)")
            charts.append(bar_chart("Documents per year published", sorted(years), limit=40, lang="en"))
    statistics = site.get("statistics")
    if statistics is not None:
        for column in ("indicator", "subject"):
            if column in statistics.names:
                charts.append(bar_chart(f"Statistics per {column}", count_column(statistics.table.column(column))))
    if charts:
        out.append('<h2 id="charts">Counts</h2><div class="charts">' + "".join(charts) + "</div>")
    return "\n".join(out)
