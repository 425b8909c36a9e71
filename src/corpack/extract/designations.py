"""Designations: members of enumerated lists, such as the 15 pilot and 34 promotion cities.

A list is a paragraph that is nothing but three or more short items separated by 、 (no sentence
punctuation, not ending in 等, which marks a partial list). Its title is the nearest heading (or title)
within the three paragraphs before it; a list without one is not a designation. Its stated count is a
count such as (15个) standing alone between the heading and the list, or inside the heading. Each item that
is an administrative division gets its GB/T 2260 code and province from the gazetteer
(:mod:`corpack.extract.gazetteer`), with the same rules for short forms and ambiguity.
"""

from __future__ import annotations

import re

from corpack.extract import Document
from corpack.extract.numbers import parse_number
from corpack.extract.gazetteer import find_places

_ITEM = re.compile(r"[^、]{1,12}")
_SENTENCE = re.compile(r"[，,。；;！？!?：:“”]")
_COUNT = re.compile(r"[（(]\s*(?P<n>[0-9]+|[一二两三四五六七八九十百]+)\s*个?\s*[)）]")
_LOOKBACK = 3


def _items(text: str) -> list[tuple[int, int]] | None:
    if text.endswith("等") or _SENTENCE.search(text) or text.count("、") < 2:
        return None
    spans, pos = [], 0
    for part in text.split("、"):
        if not _ITEM.fullmatch(part):
            return None
        spans.append((pos, pos + len(part)))
        pos += len(part) + 1
    return spans


def extract(doc: Document) -> list[dict]:
    """Return the ``designations`` rows of one document."""
    rows: list[dict] = []
    text, shadow = doc.text, doc.shadow
    paragraphs = doc.paragraphs
    for index, para in enumerate(paragraphs):
        para_no, lo, hi = para.no, para.start, para.end
        if para_no in doc.navigation:
            continue
        spans = _items(shadow[lo:hi])
        if spans is None:
            continue
        title, count = None, None
        for back in range(index - 1, max(index - 1 - _LOOKBACK, -1), -1):
            earlier = paragraphs[back]
            plo, phi = earlier.start, earlier.end
            found = _COUNT.search(shadow[plo:phi])
            if found and count is None:
                count = parse_number(found.group("n"))
            if earlier.kind in ("heading", "title"):
                title = _COUNT.sub("", text[plo:phi]).strip()
                break
        if not title:
            doc.skipped.append(("designations", text[lo:hi][:30], "enumeration without a heading"))
            continue
        for item_no, (start, end) in enumerate(spans, start=1):
            item = text[lo + start : lo + end]
            place = next((p for p in find_places(shadow[lo + start : lo + end]) if p.start == 0 and p.end == len(item) and not p.ambiguous), None)
            s, e = lo + start, lo + end
            rows.append(
                {
                    "designation_id": doc.row_id(s, e),
                    **doc.rows_base(para_no, s, e),
                    "list_title": title,
                    "item_no": item_no,
                    "item": item,
                    "adcode": place.adcode if place else None,
                    "province": place.province if place else None,
                    "stated_count": int(count) if count else None,
                }
            )
    return rows
