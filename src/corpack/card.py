"""The dataset card, ``README.md`` inside the package, written from the descriptor, the schemas and the data.

Nothing in it is typed by hand per release: field tables come from the Table Schemas, counts and the list
of documents from the Parquet files, cleaning figures from the documents table.
"""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import yaml

from corpack import citation

from corpack.clean import COUNTERS

_DOC_COLUMNS = ["doc_id", "title", "publisher", "region", "published", "encoding", "undecodable_bytes", "n_paragraphs", "n_chars", *COUNTERS]

CLEANING_RULES = """\
Every document goes through the same steps, in this order; each step counts what it did per document
(columns of `documents`), and nothing in the raw files was edited by hand.

1. **Decode**: a byte-order mark decides the encoding, else strict UTF-8, else charset-normalizer's guess
   (GB18030 for GB2312/GBK, Big5, ...). The codec used is in `documents.encoding`. A few bytes that do not
   decode (a last character cut in half, a stray byte: at most 3 or 0.1% of the file) become U+FFFD, which
   the next step drops, and are counted in `documents.undecodable_bytes` (shown beside the encoding below).
   A file that is a whole HTML page (it opens with `<!DOCTYPE html`/`<html`/`<head`/`<body` and has ten
   tags or more) is reduced to its main text by trafilatura, whose date (htmldate) and site name are used
   only when the page's own lines state none (`published_source` `html-metadata`); the rules below then run
   on that text.
2. **Normalise**: Unicode NFC (not NFKC, so full-width punctuation stays), one kind of line break, control
   and zero-width characters and U+FFFD dropped (`control_chars_removed`).
3. **Markup**: page script, styles, comments, leftover tags and entities removed (`html_removed`).
4. **Repair**: some pages went through a broken HTML stripper that removed each tag's `<` and turned the
   character before the tag into the previous code point (了</span> became `亅/span>`). Where such tag
   remnants appear, the character before each is restored to the next code point and the remnant dropped
   (`repaired_chars`); a `?` before a remnant cannot be restored and is kept (`unrecoverable_chars`, also
   per paragraph). Pinyin glosses a script converter glued after characters (統(tǒng)戰(zhàn) for 統戰: a
   bracketed syllable with a tone mark right after a CJK character) are removed, with the doubled commas of
   such lines (`conversion_repairs`); traditional text otherwise stays as published. A gloss damaged by a
   later one-byte-off GBK reading (`?shù)`: `?`, syllable, `)`, no opening bracket) lost its character and
   cannot be repaired: it is kept as published and counted in `unrecoverable_chars`.
5. **Boilerplate**: furniture keywords are matched on a simplified reading of each line (OpenCC t2s), so
   traditional pages are judged like simplified ones. Removed (`boilerplate_lines_removed`): page script;
   breadcrumbs (当前位置…, 首页>…, short segments joined by two or more `>`/`>>`/`»`, a line ending in `>`)
   and previous/next links; metadata bars (two or more of date/source/author/editor/views/font size, or a
   timestamp, and no sentence), a publication-date line, lines that are only a numeric timestamp or a mirror
   stamp (`sp20231123`), the site's clock (今天是…星期…) and tag lines (关键词：…); lines made only of buttons
   and prompts (分享到, 微博, 打印, 字号 [大][中][小], 网站地图, 写留言), QR/follow prompts and the headings of
   boxes of links (人物语录 更多); record-number
   and copyright footers and reprint notices (inside the report only record numbers, copyright and reprint
   notices count, so its own 主办单位 line stays); bracketed image placeholders; a page-title copy beside the
   article's own heading. By their place: before the report's first sentence line and after its last, menu
   runs, judged as a whole: three or more link-like lines (up to 24 characters, no punctuation, not a byline)
   of which at least three and a third are section names of at most 6 characters, so the year and slogan
   items a menu ends with (2020年某某专题, 喜迎党的二十大) go with it (a longer last item right above the date
   bar or the body, passing over 本报讯 or a date, is the headline), and lines of four or more short items;
   before it, two or more bullet links (·某县开展…, a box of other stories), site and section names (…网,
   …频道, …要闻, …动态) and an aggregator's 来源：… line standing alone
   (anywhere beside a date line such as 发布日期：8月7日, itself removed with or without its year; under the
   report a lone 来源 line is the report's source note and stays);
   after it, two or more headlines of other stories, the list under a related-articles heading (新闻推荐,
   相关阅读, 延伸阅读, 热点推荐 更多>>, up to the next line with a 。; one line alone before more report text
   stays, as the heading of the report's own background), headlines with a date glued on, and
   trailing bullet links, but nothing after a line announcing a list (附：…名单, …如下：). Bylines, photo credits,
   bracketed notes and flattened table rows are never removed; a line no rule is sure about is kept.
6. **Paragraphs**: hard-wrapped lines joined back into sentences (`lines_joined`); each paragraph marked
   title, heading, caption or body.
7. **Duplicates**: an exact repeat of an earlier paragraph of the same document is dropped; the first copy
   records how many there were (`paragraphs.copies_in_source`, `duplicate_paragraphs_removed`).

Metadata, when the manifest does not give it (then `title_source`/`published_source` say `manifest`):
`title` is the kept headline-like line (6-100 characters, no 。, not a key line, a photo caption or a row of
short items; an author and date glued on behind spaces cut off) nearest above the page's date bar, passing
over a dash-led subtitle, else the first such line after the page's last breadcrumb, else the first such line
before the report's first sentence; a longer copy that
starts with it replaces a cut-off headline, and a page title with a site name (标题_某某网, 某某网:标题) gives
way to the article's own heading; a breadcrumb's last segment is used only when no line qualifies
(`title_source`: `heading` or `breadcrumb`). `published` is the date bar's date (`meta-line`), else a
dateline that states the year (`dateline`), or a year-less dateline (10月26日电) with the year of a stamp
dated within a week after it, else the text's (the last year of an event dated in the week before it, else,
beside a stamp, the last year opening a sentence as a period, 2023年，…, that is the stamp's year or the one
before; never 2022年以来, and never a date after the stamp), else the
date an HTML page's markup states (`html-metadata`), else a mirror's timestamp (`mirror-stamp`: a bar whose
source is a mirror stamp, a bare timestamp or `sp20241116` line, or a bar contradicting the report's own
dateline); a damaged date is never guessed. `publisher` is the 来源 of the
page's bar or source line, or the account of a WeChat bar, else the outlet opening a dateline found down to
the report's third line or after a headline glued before it on one line (which is then the title when no
line qualifies) (新华社, 中新网某地10月26日电, 某某晚报12月29日讯, 某某新闻客户端, 某某网讯,
【某某网消息】), as the page writes it, without brackets or mirror stamps.
"""


def _encoding(doc: dict[str, Any]) -> str:
    damaged = doc["undecodable_bytes"]
    return f"{doc['encoding']} ({damaged} undecodable bytes)" if damaged else doc["encoding"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("|", "\\|").replace("\n", " ")


def _table(header: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def _constraints(field: dict[str, Any]) -> str:
    parts = []
    for key, value in field.get("constraints", {}).items():
        if key == "required":
            continue
        parts.append(f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}")
    return "; ".join(parts)


def _dictionary(resource: dict[str, Any]) -> str:
    schema = resource["schema"]
    rows = [
        [f"`{f['name']}`", f.get("type", "string"), "yes" if f.get("constraints", {}).get("required") else "no", _constraints(f), f.get("description", "")]
        for f in schema["fields"]
    ]
    keys = [f"Primary key: `{', '.join(schema['primaryKey'])}`." if schema.get("primaryKey") else ""]
    for fk in schema.get("foreignKeys", []):
        ref = fk["reference"]
        keys.append(f"Foreign key: `{', '.join(fk['fields'])}` → `{ref['resource']}.{', '.join(ref['fields'])}`.")
    return _table(["field", "type", "required", "constraints", "description"], rows) + "\n\n" + " ".join(k for k in keys if k)


def _loading(descriptor: dict[str, Any]) -> str:
    """Loading snippets for pandas, polars and DuckDB, written from the descriptor so they run as printed.

    Paths are relative to the package folder (where this card lies). The DuckDB query counts rows by the
    resource's first string field that is not part of its primary key, so it names a column that exists.
    """
    resources = descriptor["resources"]
    first = resources[0]
    by_name = {r["name"]: r for r in resources}
    second = by_name.get("paragraphs", resources[-1])
    key = set(second.get("schema", {}).get("primaryKey") or [])
    column = next(
        (f["name"] for f in second.get("schema", {}).get("fields", []) if f.get("type", "string") == "string" and f["name"] not in key),
        None,
    )
    query = (
        f"SELECT {column}, count(*) AS n FROM '{second['path']}' GROUP BY {column} ORDER BY {column}"
        if column
        else f"SELECT count(*) AS n FROM '{second['path']}'"
    )
    return f"""Run from the package folder (the one holding this card):

```python
import pandas as pd
{_identifier(first["name"])} = pd.read_parquet("{first["path"]}")

import polars as pl
{_identifier(second["name"])} = pl.read_parquet("{second["path"]}")

import duckdb
duckdb.sql("{query}").show()
```

Check the package before you rely on it: `pkg validate` on its folder (checksums, schemas, keys, offsets)."""


def _identifier(name: str) -> str:
    """A Python variable name for a resource name (``my-table`` -> ``my_table``)."""
    out = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in name)
    return out if out and not out[0].isdigit() else f"t_{out}"


def _extraction(build: dict[str, Any]) -> str:
    from corpack.extract import (designations, events, gazetteer, labels, page, people, place_mentions, programmes, shadow,
                                 statistics, subjects, years)

    parts = [
        "Every fact row carries `doc_id`, `para_no`, `char_start`, `char_end` and `quote`, and "
        "`quote == documents.text[char_start:char_end]` holds for every row (`pkg validate` checks it). "
        "The rules, as documented in the code:",
        "",
    ]
    for name, module in (("what every extractor reads: the simplified shadow", shadow), ("menus, links and the dateline", page),
                         ("statistics", statistics), ("statistics: how the labels are chosen", labels),
                         ("statistics: the subject", subjects), ("statistics: the year", years),
                         ("events", events), ("places", place_mentions),
                         ("places: the gazetteer", gazetteer), ("designations", designations),
                         ("programmes", programmes), ("people", people)):
        parts += [f"### {name}", "", inspect.getdoc(module) or "", ""]
    skipped = build.get("extraction_skipped", {})
    parts += ["Spans passed over on purpose, by reason:", ""]
    parts.append(_table(["extractor: reason", "count"], [[key, count] for key, count in skipped.items()]) if skipped else "None.")
    return "\n".join(parts)


def _size_category(n: int) -> str:
    for limit, label in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"), (1_000_000, "100K<n<1M")):
        if n < limit:
            return label
    return "n>1M"


def front_matter(descriptor: dict[str, Any], documents: int) -> str:
    """Hugging Face dataset-card metadata: one config per resource, so that
    ``datasets.load_dataset("datapackage", "<resource>")`` reads its Parquet file from a checkout."""
    licences = [lic.get("name", "") for lic in descriptor.get("licenses", [])]
    meta = {
        "pretty_name": descriptor.get("title", descriptor["name"]),
        "license": "other",
        "license_name": "mixed-rights",
        "license_details": (f"Tables and metadata: {', '.join(licences)}. " if licences else "") + "Report texts: their publishers' (see Rights).",
        "language": ["zh"],
        "task_categories": ["token-classification", "text-classification"],
        "tags": list(descriptor.get("keywords", [])),
        "size_categories": [_size_category(documents)],
        "configs": [
            {"config_name": r["name"], "data_files": [{"split": "train", "path": r["path"]}]} for r in descriptor["resources"]
        ],
    }
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100) + "---\n"


def _citation_section(descriptor: dict[str, Any]) -> list[str]:
    from corpack.project import citation_gaps

    data = citation.cff(descriptor)
    gaps = citation_gaps(descriptor)
    warning = [f"**Not citable yet.** The corpus settings (`corpus.toml`) lack: {'; '.join(gaps)}. The citation below is incomplete until they are set.", ""] if gaps else []
    return ["## How to cite", "", *warning, "APA:", "", citation.apa(data), "", "BibTeX:", "", "```bibtex", citation.bibtex(data), "```", "",
            "The same metadata is in this package's `CITATION.cff`, and in `.zenodo.json`, the schema.org JSON-LD and `croissant.json` written by `pkg release`.", ""]


def render(descriptor: dict[str, Any], package_dir: Path) -> str:
    """Render the dataset card of the package in ``package_dir`` described by ``descriptor``."""
    docs = pq.read_table(package_dir / "data" / "documents.parquet", columns=_DOC_COLUMNS).to_pylist()
    build = descriptor.get("corpack:build", {})
    out = [front_matter(descriptor, len(docs)), f"# {descriptor.get('title', descriptor['name'])}", ""]
    if descriptor.get("description"):
        out += [descriptor["description"].strip(), ""]
    out += [
        _table(
            ["name", "version", "created", "documents", "fingerprint"],
            [[descriptor["name"], descriptor.get("version", ""), descriptor["created"], len(docs), build.get("fingerprint", "")]],
        ),
        "",
        "## Rights and licences",
        "",
    ]
    if descriptor.get("corpack:rights"):
        out += [descriptor["corpack:rights"], ""]
    for licence in descriptor.get("licenses", []):
        out.append(f"- {licence.get('title') or licence.get('name')}" + (f" ({licence['path']})" if licence.get("path") else ""))
    out += [""] + _citation_section(descriptor) + ["## Files", ""]
    out.append(
        _table(
            ["resource", "path", "rows", "sha256", "what it holds"],
            [[r["name"], f"`{r['path']}`", r.get("corpack:rows", ""), r["hash"].split(":", 1)[-1][:16] + "…", r.get("description", "")] for r in descriptor["resources"]],
        )
    )
    out += ["", "## How to load", "", _loading(descriptor), "", "## Data dictionary", ""]
    for resource in descriptor["resources"]:
        out += [f"### `{resource['name']}`", "", resource.get("description", ""), "", _dictionary(resource), ""]
    out += ["## Documents", ""]
    out.append(
        _table(
            ["doc_id", "title", "publisher", "region", "published", "encoding", "paragraphs", "characters"],
            [[f"`{d['doc_id']}`", d["title"], d["publisher"], d["region"], d["published"], _encoding(d), d["n_paragraphs"], d["n_chars"]] for d in docs],
        )
    )
    out += ["", "## What the cleaning did", "", CLEANING_RULES, "Counts per document:", ""]
    totals = build.get("cleaning", {})
    out.append(
        _table(
            ["doc_id", *COUNTERS],
            [[f"`{d['doc_id']}`", *(d[name] for name in COUNTERS)] for d in docs] + [["**total**", *(totals.get(name, "") for name in COUNTERS)]],
        )
    )
    out += ["", "## How the fact tables were extracted", "", _extraction(build)]
    skipped = build.get("skipped", [])
    out += ["", "## Skipped files", ""]
    if skipped:
        out.append(_table(["file", "code", "reason"], [[s["file"], s["code"], s["reason"]] for s in skipped]))
    else:
        out.append("None: every file of the corpus is in the package.")
    tools = ", ".join(f"{name} {ver}" for name, ver in sorted(build.get("tools", {}).items()))
    out += ["", "## Provenance", "", f"Built by `pkg build` with {tools}. The same corpus, settings and tool versions give byte-identical files.", ""]
    return "\n".join(out)
