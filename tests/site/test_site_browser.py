"""`pkg site` (#16) in a real headless browser: Chromium from the system packages, driven by Playwright.

Screenshots are kept in tests/site/artifacts/ (ignored by git) for a person to look at after a run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import corpack
from corpack.site import build_site
from corpack.site.model import page_name
from tests.conftest import COMMITTED, CORPUS

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser") if shutil.which(name)), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"]
ARTIFACTS = Path(__file__).parent / "artifacts"

playwright = pytest.importorskip("playwright.sync_api", reason="needs the playwright package (pip install -e '.[dev]')")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="needs the system's Chromium (apt-get install -y chromium); "
                                                         "Playwright is pointed at it and never downloads a browser")

#: Every fact of the page: the text of its marks joined in document order, by "<table>:<row key>" as its row in the
#: page's facts tables names it (the mark holds only its key in the page).
MARK_TEXTS = """() => {
  const texts = {};
  for (const mark of document.querySelectorAll("#text mark[data-fact]")) {
    const row = document.getElementById("f" + mark.dataset.fact);
    const name = row ? row.closest("table").dataset.name + ":" + row.cells[0].textContent : mark.dataset.fact;
    texts[name] = (texts[name] || "") + mark.textContent;
  }
  return texts;
}"""


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    site = build_site(COMMITTED, tmp_path_factory.mktemp("site") / "site", corpus=CORPUS).output
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.set_default_timeout(120_000)  # a loaded 2-core machine; waits end as soon as their condition holds
        blocked: list[str] = []
        page.on("request", lambda request: blocked.append(request.url) if not request.url.startswith("file://") else None)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)  # e.g. CSP
        yield site, page, blocked, errors
        browser.close()


def test_overview_filter_document_in_a_browser_16(browser_page) -> None:
    site, page, requests, errors = browser_page
    page.goto((site / "index.html").as_uri())
    assert page.locator("main h1").inner_text().startswith("Chinese news reports")
    assert page.locator("svg.chart").count() >= 4
    page.screenshot(path=str(ARTIFACTS / "overview.png"), full_page=True)

    # Filter the statistics table: every row left shows the words, and the status counts them.
    # A click does not wait for the page it opens: counting rows before statistics.html has loaded counted
    # those of the overview (none).
    with page.expect_navigation():
        page.get_by_role("link", name="statistics", exact=True).first.click()
    assert page.url.endswith("/resources/statistics.html")
    rows = page.locator("#rows tbody tr")
    total = rows.count()
    # rows.js built the table from the rows the page holds as text: the text is gone, each row has its place as id,
    # its doc_id links to the document and its quote to the mark.
    assert page.locator("#data").count() == 0 and page.locator("#rows").is_visible()
    assert total == len(corpack.load(COMMITTED)["statistics"]) and rows.first.get_attribute("id") == "r0"
    first_doc = rows.first.locator("td a").first.get_attribute("href")
    assert first_doc.startswith("../documents/") and first_doc.endswith(".html")
    assert rows.first.locator("td a").nth(1).get_attribute("href").startswith(first_doc + "#m")
    page.get_by_label("Filter all rows").fill("万 元")
    visible = page.locator("#rows tbody tr:not([hidden])")
    shown = visible.count()
    assert 0 < shown < total
    assert all("万" in text and "元" in text for text in visible.all_inner_texts())
    assert page.locator("#shown").inner_text() == f"{shown} of {total} rows shown"
    # Sorting by value (numbers, keyboard): the visible values ascend.
    page.get_by_role("button", name="value", exact=True).focus()
    page.keyboard.press("Enter")
    column = [f["name"] for f in corpack.load(COMMITTED).descriptor["resources"][2]["schema"]["fields"]].index("value")
    values = [float(v) for v in page.locator(f"#rows tbody tr:not([hidden]) td:nth-child({column + 1})").all_inner_texts()]
    assert values == sorted(values)
    page.screenshot(path=str(ARTIFACTS / "statistics-filtered.png"))

    # A document: every mark's text is its row's quote, and every fact row of the document is marked.
    data = corpack.load(COMMITTED)
    doc_id = data["documents"]["doc_id"][0].as_py()
    page.goto((site / "documents" / page_name(doc_id)).as_uri())
    texts = page.evaluate(MARK_TEXTS)
    expected = {}
    for name in ("statistics", "events", "places", "designations", "programmes", "people"):
        key = data.descriptor["resources"][[r["name"] for r in data.descriptor["resources"]].index(name)]["schema"]["primaryKey"]
        key = key[0] if isinstance(key, list) else key
        for row in data[name].to_pylist():
            if row["doc_id"] == doc_id:
                expected[f"{name}:{row[key]}"] = row["quote"]
    assert len(expected) > 50 and texts == expected
    assert page.locator("#text").inner_text().replace("\n", "") == data["documents"]["text"][0].as_py().replace("\n", "")
    page.screenshot(path=str(ARTIFACTS / "document.png"))

    # Keyboard: the first mark takes focus and Enter opens its row, which is the target of the new page.
    first = page.locator("#text mark[tabindex]").first
    key = page.locator(f"#f{first.get_attribute('data-fact')} td").first.inner_text()
    first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/resources/" in page.url and page.locator(":target").count() == 1
    assert key in page.locator(":target").inner_text()
    assert requests == [] and errors == []


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory):
    """The committed package's site with pages of 50 rows and search chunks of 30 (statistics: 2 pages, 3 chunks)."""
    return build_site(COMMITTED, tmp_path_factory.mktemp("paged") / "site", page_rows=50, index_rows=30).output


def _shown_text(row: dict) -> str:
    """A row as the search index holds it: each cell as the pages show it, cut at CELL_CHARS, lowercased."""
    from corpack.site.model import cell
    from corpack.site.tables import CELL_CHARS

    return "\t".join(cell(v)[:CELL_CHARS] + ("…" if len(cell(v)) > CELL_CHARS else "") for v in row.values()).lower()


def test_filter_and_sort_reach_rows_beyond_the_page_16(browser_page, paged_site) -> None:
    _, page, requests, errors = browser_page
    rows = corpack.load(COMMITTED)["statistics"].sort_by("stat_id").to_pylist()
    assert len(rows) > 50
    word = rows[-1]["doc_id"]  # the last document's facts lie on page 2
    expected = [row["stat_id"] for row in rows if word.lower() in _shown_text(row)]
    assert expected and all(rows.index(next(r for r in rows if r["stat_id"] == key)) >= 50 for key in expected[-3:])
    page.goto((paged_site / "resources" / "statistics.html").as_uri())
    page.get_by_label(f"Filter all {len(rows)} rows").fill(word)
    status = page.locator("#shown")
    status.filter(has_text=f"{len(expected)} of {len(rows)} rows match").wait_for()
    found = page.locator("#found tr td:first-child").all_inner_texts()
    assert found == expected
    assert page.locator("#rows > tbody:not(#found)").first.is_hidden()
    page.screenshot(path=str(ARTIFACTS / "statistics-filtered-across-pages.png"))

    # A match on page 2 links to its row there.
    with page.expect_navigation():
        page.locator("#found tr td:first-child a").last.click()
    assert page.url.split("#")[0].endswith("/resources/statistics-2.html") and page.locator(":target").count() == 1
    assert expected[-1] in page.locator(":target").inner_text()

    # Sorting without a filter orders every row of the resource, not the page's.
    page.goto((paged_site / "resources" / "statistics.html").as_uri())
    page.get_by_role("button", name="value", exact=True).click()
    status.filter(has_text=f"{len(rows)} of {len(rows)} rows match; sorted by value ascending").wait_for()
    column = list(rows[0]).index("value")
    listed = page.locator(f"#found tr td:nth-child({column + 1})").all_inner_texts()
    values = sorted((row["value"] for row in rows if row["value"] is not None))
    assert len(listed) == len(rows) and [float(v) for v in listed if v][: len(values)] == values
    assert requests == [] and errors == []


def test_hovering_a_mark_shows_its_row_from_the_page_16(browser_page) -> None:
    """A mark holds only its key; hovering or focusing it shows its row's cells, read from the facts table."""
    site, page, requests, errors = browser_page
    data = corpack.load(COMMITTED)
    doc_id = data["documents"]["doc_id"][0].as_py()
    page.goto((site / "documents" / page_name(doc_id)).as_uri())
    # document.js made every mark (its key in its id) a control named by its row, which rows.js built.
    assert page.evaluate("""() => Array.from(document.querySelectorAll("#text mark[id^='m']")).every((m) =>
      m.tabIndex === 0 && m.getAttribute("role") === "link" && m.dataset.fact === m.id.slice(1) &&
      m.getAttribute("aria-describedby") === "f" + m.id.slice(1) && document.getElementById("f" + m.id.slice(1)) !== null)""")
    tip = page.get_by_role("tooltip")
    statistic = page.locator("#text mark.f0[tabindex]").first  # statistics: the first fact table
    row = next(r for r in data["statistics"].to_pylist()
               if r["doc_id"] == doc_id and page.locator(f"#f{statistic.get_attribute('data-fact')} td").first.inner_text() == r["stat_id"])
    statistic.hover()
    tip.wait_for()
    text = tip.inner_text()
    assert text.splitlines()[0] == f"statistics {row['stat_id']}"
    for name in ("quote", "unit", "indicator"):
        assert f"{name}: {row[name]}" in text.splitlines()
    value = row["value"]
    assert f"value: {int(value) if float(value).is_integer() else value}" in text.splitlines()
    page.screenshot(path=str(ARTIFACTS / "document-hover.png"))

    # Another mark, by keyboard: the tooltip follows focus and Escape hides it.
    place = page.locator("#text mark.f2[tabindex]").first
    place.focus()
    key = page.locator(f"#f{place.get_attribute('data-fact')} td").first.inner_text()
    assert tip.inner_text().splitlines()[0] == f"places {key}"
    assert place.get_attribute("aria-describedby") == f"f{place.get_attribute('data-fact')}"
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    assert requests == [] and errors == []


def test_rows_are_readable_with_scripts_off_16(browser_page) -> None:
    """With scripts off a resource page shows its rows as text (a line a row, the column names first), not an
    empty table."""
    site, page, requests, errors = browser_page
    context = page.context.browser.new_context(java_script_enabled=False)
    try:
        plain = context.new_page()
        plain.goto((site / "resources" / "statistics.html").as_uri())
        assert plain.locator("#rows").is_hidden() and plain.locator("#data").is_visible()
        lines = plain.locator("#data").inner_text().splitlines()
        stat_ids = sorted(corpack.load(COMMITTED)["statistics"]["stat_id"].to_pylist())
        assert lines[0].split("\t")[:2] == ["stat_id", "doc_id"] and [line.split("\t")[0] for line in lines[1:]] == stat_ids
    finally:
        context.close()
    assert requests == [] and errors == []
