"""`pkg site` (#16): the pages a site is made of, read back from the HTML it writes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import corpack
from corpack.cli import cli
from corpack.site import build_site, render_site
from corpack.site.highlight import Span, mark_spans
from corpack.site.model import Resource, SitePackage, page_name
from tests.conftest import COMMITTED, CORPUS
from tests.site.pages import marks, page_rows


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The committed package's site, built once (the package is only read)."""
    out = tmp_path_factory.mktemp("site") / "site"
    build_site(COMMITTED, out, corpus=CORPUS)
    return out


def _quotes(package: Path) -> dict[str, str]:
    data = corpack.load(package)
    quotes = {}
    for spec in data.descriptor["resources"]:
        names = [f["name"] for f in spec["schema"]["fields"]]
        if {"doc_id", "char_start", "char_end", "quote"} <= set(names):
            key = spec["schema"]["primaryKey"]
            key = key if isinstance(key, list) else [key]
            for row in data[spec["name"]].to_pylist():
                quotes[f"{spec['name']}:{'/'.join(str(row[k]) for k in key)}"] = row["quote"]
    return quotes


def test_every_mark_reads_as_its_rows_quote_16(site: Path) -> None:
    data = corpack.load(COMMITTED)
    texts = dict(zip(data["documents"]["doc_id"].to_pylist(), data["documents"]["text"].to_pylist()))
    seen: dict[str, str] = {}
    for doc_id, text in texts.items():
        page = marks((site / "documents" / page_name(doc_id)).read_text(encoding="utf-8"))
        assert page.document_text == text  # the marks add no character and lose none
        seen.update(page.text)
    quotes = _quotes(COMMITTED)
    assert len(quotes) > 400 and seen == quotes


def test_crossing_and_nested_spans_are_split_and_nested_16() -> None:
    text = "上海市浦东新区新联会成立"
    spans = [Span(0, 7, 0, "f0", "0-0"), Span(3, 10, 1, "f1", "1-0"), Span(0, 3, 2, "f0", "0-1"), Span(7, 10, 3, "f2", "2-0")]
    html = mark_spans(text, spans)
    page = marks(f'<div id="text">{html}</div>')
    assert page.document_text == text
    assert page.text == {"0-0": "上海市浦东新区", "1-0": "浦东新区新联会", "0-1": "上海市", "2-0": "新联会"}
    assert html.count('data-fact="1-0"') == 1 and html.count('id="m1-0"') == 1  # crossing: two fragments, one anchor
    assert mark_spans(text, list(reversed(spans))) == html


@given(st.text(alphabet="ab<&>中文\n", max_size=40),
       st.lists(st.tuples(st.integers(-2, 42), st.integers(-2, 44)), max_size=12), st.randoms(use_true_random=False))
@settings(max_examples=300, deadline=None)
def test_marks_hold_exactly_their_spans_text_in_any_order_16(text: str, bounds: list, rng) -> None:
    spans = [Span(a, b, k, f"f{k % 3}", f"{k % 3}-{k}") for k, (a, b) in enumerate(bounds)]
    html = mark_spans(text, spans)
    page = marks(f'<div id="text">{html}</div>')
    assert page.document_text == text
    assert page.text == {s.key: text[s.start:s.end] for s in spans if 0 <= s.start < s.end <= len(text)}
    assert all(html.count(f'id="m{s.key}"') == 1 for s in spans if 0 <= s.start < s.end <= len(text))
    shuffled = list(spans)
    rng.shuffle(shuffled)
    assert mark_spans(text, shuffled) == html


MARK_TAG = re.compile(r"<mark\b([^>]*)>")


def test_a_mark_holds_its_key_and_its_row_is_in_the_page_once_16(site: Path) -> None:
    """Hover text and link come from the mark's row in the page's facts tables, not from attributes repeating
    every cell in every mark (most of a document page's bytes before)."""
    for doc in sorted((site / "documents").glob("*.html")):
        html = doc.read_text(encoding="utf-8")
        rows = list(marks(html).rows)  # the facts tables' rows, once each (their text: tests.site.pages)
        assert rows and len(rows) == len(set(rows)) and "<tr id=" not in html, doc
        first = set()
        for attrs in MARK_TAG.findall(html.split('<div class="text"', 1)[1].split("</div>", 1)[0]):
            names = dict(re.findall(r'([a-z-]+)="([^"]*)"', attrs))
            if "id" in names:  # the first fragment: its key in its id, nothing else (document.js adds the rest)
                key = names["id"][1:]
                assert names == {"id": f"m{key}", "class": names["class"]}, attrs
                first.add(key)
            else:
                assert names == {"class": names["class"], "data-fact": names["data-fact"]} and names["class"].endswith(" cont"), attrs
        assert first == set(rows), doc  # every fact marked once, every mark's row listed


def test_same_package_same_bytes_wherever_it_lies_16(site: Path, tmp_path: Path) -> None:
    copy = tmp_path / "elsewhere" / "pkg"
    shutil.copytree(COMMITTED, copy)
    again = build_site(copy, tmp_path / "again", corpus=CORPUS).output

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = files(site), files(again)
    assert first.keys() == second.keys() and first == second
    assert not any(b"/tmp/" in data or str(tmp_path).encode() in data for data in first.values())


def _hostile_site(tmp_path: Path, extra_field: bool = False) -> dict[str, str]:
    text = '标题</script><script>alert(1)</script>\n据统计，全市<img src=x onerror=alert(2)>共有1200人"&amp;'
    start = text.index("1200人")
    title = '"><svg onload=alert(3)>'
    doc_fields = [{"name": "doc_id", "type": "string"}, {"name": "title", "type": "string"}, {"name": "text", "type": "string"}]
    doc = {"doc_id": "a/b c", "title": title, "text": text}
    if extra_field:
        doc_fields.insert(2, {"name": "title_source", "type": "string", "description": "where the title came from"})
        doc["title_source"] = "manifest"
    documents = Resource.of_rows("documents", "reports <b>bold</b>", doc_fields, ["doc_id"], [doc], 0)
    fact_fields = [{"name": n, "type": t} for n, t in (("stat_id", "string"), ("doc_id", "string"), ("char_start", "integer"),
                                                       ("char_end", "integer"), ("quote", "string"), ("note", "string"))]
    rows = [{"stat_id": "s<1>", "doc_id": "a/b c", "char_start": start, "char_end": start + 5, "quote": text[start:start + 5],
             "note": "</script><img src=x onerror=alert(4)>"},
            {"stat_id": "s2", "doc_id": "a/b c", "char_start": 2, "char_end": 22, "quote": text[2:22], "note": None}]
    statistics = Resource.of_rows("statistics", "", fact_fields, ["stat_id"], rows, 1)
    site = SitePackage({"name": "x", "title": "<i>t</i>", "resources": []}, [documents, statistics])
    files = dict(render_site(site, ("<p>valid</p>", "<!DOCTYPE html><p>valid</p>\n")))
    return {path: data.decode("utf-8") for path, data in files.items() if path.endswith(".html")}


def test_hostile_text_stays_text_16(tmp_path: Path) -> None:
    pages = _hostile_site(tmp_path)
    for path, html in pages.items():
        tags = marks(html).tags  # what a browser's parser would build
        assert not [tag for tag, _ in tags if tag in ("img", "svg", "b", "i")], path
        assert not [name for _, attrs in tags for name in attrs if name.startswith("on")], path
        scripts = [attrs for tag, attrs in tags if tag == "script"]
        assert all(re.fullmatch(r"(\.\./)*assets/[a-z]+\.js", attrs.get("src") or "") for attrs in scripts), path
        assert "&lt;img src=x onerror=alert(2)&gt;" in html or "documents/" not in path
    doc = marks(pages[f"documents/{page_name('a/b c')}"])
    assert doc.document_text.startswith("标题</script><script>alert(1)</script>")
    assert doc.text == {"statistics:s<1>": "1200人", "statistics:s2": "</script><script>ale"}


def test_document_metadata_follows_the_schema_16(tmp_path: Path) -> None:
    html = _hostile_site(tmp_path, extra_field=True)[f"documents/{page_name('a/b c')}"]
    assert '<dt title="where the title came from">title_source</dt><dd>manifest</dd>' in html
    assert html.index(">title<") < html.index(">title_source<") < html.index("All other columns")


def test_a_fact_links_to_its_row_on_the_right_page_16(tmp_path: Path) -> None:
    out = build_site(COMMITTED, tmp_path / "site", page_rows=50).output
    assert (out / "resources" / "statistics-2.html").is_file() and not (out / "resources" / "statistics-3.html").exists()
    links = 0
    for doc in (out / "documents").glob("*.html"):
        page = marks(doc.read_text(encoding="utf-8"))
        for fact, place in page.places.items():  # a fact's row is found from its place: its page and its id there
            name, key = page.rows[fact].split(":", 1)
            file = out / "resources" / (f"{name}.html" if place < 50 else f"{name}-{place // 50 + 1}.html")
            assert page_rows(file.read_text(encoding="utf-8"))[f"r{place}"][0] == key, (doc, fact)
            links += 1
    assert links > 400


def test_pages_have_landmarks_scoped_headers_and_languages_16(site: Path) -> None:
    for page in sorted(site.rglob("*.html")):
        if page.name == "validation-report.html":
            continue
        html = page.read_text(encoding="utf-8")
        assert html.startswith('<!DOCTYPE html>\n<html lang="en">'), page
        assert "<header>" in html and '<nav aria-label="Site">' in html and '<main id="main"' in html, page
        assert all("scope=" in th for th in re.findall(r"<th\b[^>]*>", html)), page
    document = (site / "documents").glob("*.html").__next__().read_text(encoding="utf-8")
    assert '<div class="text" id="text" lang="zh">' in document
    assert "@media print" in (site / "assets" / "site.css").read_text(encoding="utf-8")


def test_cleaning_page_shows_the_raw_file_beside_the_text_16(site: Path) -> None:
    data = corpack.load(COMMITTED)
    doc = data["documents"].to_pylist()[0]
    html = (site / "cleaning" / page_name(doc["doc_id"])).read_text(encoding="utf-8")
    raw = (CORPUS / doc["file"]).read_text(encoding="utf-8")
    assert "Raw and cleaned" in html and f"read as {doc['encoding']}" in html
    assert marks(html.replace('<pre lang="zh">', '<div id="text">', 1).replace("</pre>", "</div>", 1)).document_text == raw.lstrip("\ufeff")
    assert f">{doc['duplicate_paragraphs_removed']}<" in html


def test_cleaning_page_without_the_corpus_links_to_the_text_16(tmp_path: Path) -> None:
    out = build_site(COMMITTED, tmp_path / "site").output  # no --corpus: no raw file to show the text beside
    doc = corpack.load(COMMITTED)["documents"].to_pylist()[0]
    html = (out / "cleaning" / page_name(doc["doc_id"])).read_text(encoding="utf-8")
    first_line = doc["text"].splitlines()[0]
    assert f'href="../documents/{page_name(doc["doc_id"])}"' in html and "--corpus DIR" in html
    assert first_line not in html and "<pre" not in html  # the document's page shows it; not a second copy here


def test_cli_site_builds_and_refuses_a_foreign_folder_16(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["site", str(COMMITTED), "-o", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"wrote {tmp_path / 'site'}: ") and (tmp_path / "site" / "index.html").is_file()
    again = runner.invoke(cli, ["site", str(COMMITTED), "-o", str(tmp_path / "site")])
    assert again.exit_code == 0  # a site pkg site wrote may be replaced
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    refused = runner.invoke(cli, ["site", str(COMMITTED), "-o", str(tmp_path / "mine")])
    assert refused.exit_code == 2 and refused.stderr.startswith("error[site-error]") and "notes.txt" not in refused.stderr
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep"
    inside = runner.invoke(cli, ["site", str(COMMITTED), "-o", str(COMMITTED / "site")])
    assert inside.exit_code == 2 and "into or around the package" in inside.stderr
    assert not (COMMITTED / "site").exists()


def test_a_failed_build_leaves_the_previous_site_16(tmp_path: Path, monkeypatch) -> None:
    out = build_site(COMMITTED, tmp_path / "site").output
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("stopped half-way")

    monkeypatch.setattr("corpack.site.document_body", broken)
    with pytest.raises(RuntimeError):
        build_site(COMMITTED, out)
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no staging folder left beside it


def test_the_committed_site_is_the_site_of_the_committed_package(tmp_path):
    """site/ (linked from the README) is what `pkg site datapackage -o site` writes today."""
    import hashlib

    import json

    from corpack.package import tool_versions
    from corpack.site import build_site
    from tests.conftest import COMMITTED, ROOT

    built_with = json.loads((COMMITTED / "datapackage.json").read_text(encoding="utf-8"))["corpack:build"]["tools"]
    if built_with != tool_versions():
        pytest.skip(f"the committed package was built with {built_with}; these tools may render it otherwise")
    build_site(COMMITTED, tmp_path / "site")

    def digests(folder):
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}

    assert digests(ROOT / "site") == digests(tmp_path / "site"), "run `pkg site datapackage -o site` and commit site/"


def test_a_long_document_is_shown_in_parts_with_every_fact_16(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("corpack.site.facts.PART_CHARS", 700)
    out = build_site(COMMITTED, tmp_path / "site", page_rows=50).output
    data = corpack.load(COMMITTED)
    seen: dict[str, str] = {}
    for doc_id, text in zip(data["documents"]["doc_id"].to_pylist(), data["documents"]["text"].to_pylist()):
        name = page_name(doc_id)[: -len(".html")]
        files = [out / "documents" / f"{name}.html", *sorted((out / "documents").glob(f"{name}~*.html"), key=lambda p: int(p.stem.split("~")[1]))]
        assert len(files) >= 3, doc_id  # every bundled report is longer than 1,400 characters
        pages = [marks(f.read_text(encoding="utf-8")) for f in files]
        assert "".join(page.document_text for page in pages) == text
        for page in pages:
            assert not seen.keys() & page.text.keys()  # a fact is marked in one part only
            seen.update(page.text)
        assert "shown in" in files[1].read_text(encoding="utf-8")
    assert seen == _quotes(COMMITTED)
    # Each quote in a table links to the part that holds its mark (a row's last cell: its document page and mark).
    checked = 0
    for table in (out / "resources").glob("*.html"):
        rows = page_rows(table.read_text(encoding="utf-8"))
        if rows[""][-1] != "document page" or "quote" not in rows[""]:
            continue
        for place, cells in rows.items():
            if place:
                file, anchor = cells[-1].split("#")
                assert f'id="{anchor}"' in (out / "documents" / file).read_text(encoding="utf-8"), (file, anchor)
                checked += 1
    assert checked == len(_quotes(COMMITTED))


def test_worker_processes_write_the_same_bytes_16(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr("corpack.site.POOL_MIN_DOCUMENTS", 0)
    monkeypatch.setattr("corpack.site.VALIDATE_APART_ROWS", 0)  # validated in a process of its own
    one = build_site(COMMITTED, tmp_path / "one", jobs=1, page_rows=50, index_rows=30).output
    two = build_site(COMMITTED, tmp_path / "two", jobs=2, page_rows=50, index_rows=30).output

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = files(one), files(two)
    assert first == second and "search/statistics-2.js" in first


def test_resources_rendered_a_block_at_a_time_write_the_same_bytes_16(tmp_path: Path, monkeypatch) -> None:
    whole = build_site(COMMITTED, tmp_path / "whole", jobs=1, page_rows=10, index_rows=20).output
    monkeypatch.setattr("corpack.site.BLOCK_ROWS", 1)  # blocks of 20 rows: statistics in 4 blocks
    blocks = build_site(COMMITTED, tmp_path / "blocks", jobs=1, page_rows=10, index_rows=20).output

    def files(root: Path) -> dict[str, bytes]:
        return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}

    first, second = files(whole), files(blocks)
    assert first == second and "search/statistics-3.js" in first and "resources/statistics-8.html" in first


def test_search_index_holds_every_row_as_the_pages_show_it_16(tmp_path: Path) -> None:
    out = build_site(COMMITTED, tmp_path / "site", page_rows=50, index_rows=30).output
    rows = []
    for n in range(3):
        script = (out / "search" / f"statistics-{n}.js").read_text(encoding="utf-8")
        head, _, rest = script.partition(", `")
        assert head == f'corpackRows("statistics", {n}' and rest.endswith("\n`);\n")
        rows += [row.split("\t") for row in rest[: -len("`);\n")].split("\n")[:-1]]
    data = corpack.load(COMMITTED)["statistics"].sort_by("stat_id")
    assert [row[0] for row in rows] == data["stat_id"].to_pylist()
    fields = data.column_names
    assert [row[fields.index("quote")] for row in rows] == data["quote"].to_pylist()
    assert [row[fields.index("value_max")] for row in rows] == ["" if v is None else str(v) for v in data["value_max"].to_pylist()]
    assert all(len(row) == len(fields) + 1 and "#m" in row[-1] for row in rows)  # then the row's document page and mark
    page = (out / "resources" / "statistics-2.html").read_text(encoding="utf-8")
    assert page_rows(page)[f"r{len(rows) - 1}"] == rows[-1] and 'data-chunks="3"' in page and 'data-rows="80"' in page
    assert not (out / "search" / "documents-0.js").exists()  # a resource of one page needs no index


def test_a_page_holds_its_rows_once_as_text_and_the_index_holds_the_same_16(tmp_path: Path) -> None:
    """A resource page's rows are text a person can read without scripts (a line a row, cells tab-separated, the
    column names first), not a second rendering as ``<td>`` cells; its search chunk holds the same rows."""
    out = build_site(COMMITTED, tmp_path / "site", page_rows=50, index_rows=50).output
    data = corpack.load(COMMITTED)
    for number, chunk in ((1, 0), (2, 1)):
        html = (out / "resources" / f"statistics{'' if number == 1 else f'-{number}'}.html").read_text(encoding="utf-8")
        assert "<td" not in html and "<tbody></tbody>" in html
        rows = page_rows(html)
        assert rows[""] == [*data["statistics"].column_names, "document page"]
        script = (out / "search" / f"statistics-{chunk}.js").read_text(encoding="utf-8")
        index = script.partition(", `")[2][: -len("`);\n")].split("\n")[:-1]
        assert ["\t".join(cells) for place, cells in rows.items() if place] == index
    everything = {place: cells for page in (out / "resources").glob("statistics*.html")
                  for place, cells in page_rows(page.read_text(encoding="utf-8")).items() if place}
    expected = data["statistics"].sort_by("stat_id")["stat_id"].to_pylist()
    assert [everything[f"r{n}"][0] for n in range(len(expected))] == expected


def test_rows_joined_in_threads_are_the_rows_joined_at_once_16() -> None:
    import pyarrow as pa

    from corpack.site import columns

    numbers = pa.array([None if i % 7 == 0 else f"<{i}>" for i in range(50_000)])
    parts = ["<tr>", numbers, "|", columns.escape(numbers), "</tr>"]
    assert columns.join_rows(parts, jobs=3).to_pylist() == columns.join(*parts).to_pylist()
    assert columns.Strings.of(columns.join_rows(parts, jobs=3)).slice(6, 8) == "<tr><6>|&lt;6&gt;</tr><tr>|</tr>"


WORKERS = """
import sys
import corpack.site
corpack.site.POOL_MIN_DOCUMENTS = 0
corpack.site.VALIDATE_APART_ROWS = 0
{patch}
from corpack.cli import main
sys.argv = ["pkg", "site", sys.argv[1], "-o", sys.argv[2], "-j", "2"]
main()
"""


def test_workers_end_quietly_under_the_cli_16(tmp_path: Path) -> None:
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", WORKERS.format(patch=""), str(COMMITTED), str(tmp_path / "site")],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 0 and run.stderr == "", run.stderr  # the pool's SIGTERM once printed Interrupted tracebacks
    assert run.stdout.startswith("wrote ")


@given(st.lists(st.tuples(st.sampled_from(["x", "y", "z", None]), st.integers(0, 3),
                          st.sampled_from([1.0, 2.0, float("nan")])), min_size=1, max_size=8))
@settings(max_examples=300, deadline=None)
def test_a_table_is_sorted_by_its_key_as_the_sort_sorts_it_16(rows: list) -> None:
    """Tables already in key order are kept as read (found by comparing neighbours, not by sorting); any other is
    sorted, with the sort's order (nulls last, ties kept)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from corpack.site.model import _sorted

    table = pa.table({"a": pa.array([r[0] for r in rows], pa.string()), "b": [r[1] for r in rows], "c": [r[2] for r in rows]})
    for key in (["a"], ["a", "b"], ["b", "a"], ["a", "b", "c"], ["c"]):
        expected = table.take(pc.sort_indices(table, [(name, "ascending") for name in key]))
        assert str(_sorted(table, key).to_pylist()) == str(expected.to_pylist())
        assert str(_sorted(expected, key).to_pylist()) == str(expected.to_pylist())


def test_search_chunks_keep_backquotes_backslashes_and_dollars_as_text_16() -> None:
    """A chunk is a JavaScript template literal: what would end it or start a ${...} or an escape is escaped, and
    reading the literal back (as JavaScript does, \\x standing for x) gives the rows."""
    import pyarrow as pa

    from corpack.site import columns
    from corpack.site.search import index_chunks

    rows = ["a`b\tc\\d\n", "${x}\t$ {y}\t\\`\n", "${\t`${`\n"]
    strings = columns.Strings.of(pa.array(rows))
    (path, script), = index_chunks("t", strings, len(rows))
    head, _, literal = script.decode().partition(", `")
    assert path == "search/t-0.js" and head == 'corpackRows("t", 0' and literal.endswith("`);\n")
    body = literal[: -len("`);\n")]
    assert "`" not in re.sub(r"\\.", "", body, flags=re.S) and "${" not in re.sub(r"\\.", "", body, flags=re.S)
    assert re.sub(r"\\(.)", r"\1", body, flags=re.S) == "".join(rows)
