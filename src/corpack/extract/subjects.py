"""The ``subject`` of a statistic: the place the figure is about.

**subject** is the place the figure is about: a GB/T 2260 division (full name, from the gazetteer) or 全国.
The nearest *governing* place before the number in the sentence wins, then the nearest before the sentence
in the paragraph, then the document's region (its most specific division); a document without a region
falls back to the place its title names, else to 全国 when its paragraphs name governing places in three or
more provinces (a report about the country), else to the place (or 全国) they name most often.
National bodies (中央统战部, 党中央, 中共中央, 国务院) stand for 全国; 全国 and 我国 are places; 全省/全市/全区/
全县/全州 stand for the region's most specific division of that kind (全省 a province, 全市 a division whose
name ends in 市, …), else for the nearest one of that kind named before them in the paragraph. Not governing:

- an item of a list (a place right after 、, or starting an item that ends in 、 within 12 characters, or
  before 等/和/及/与): 北京、天津、上海等15个城市; 南明区“某某汇”、花溪区某书院等6个基地;
- a place that is compared with or measured against, or where people come from: after 居, 占, 比, 较, 于,
  超过, 来自 (居青岛市第一, 占全省…的, 来自全国各地的),
  or before 唯一, 第一, 首个, 最高, 最多, 之外, 以外 (作为青岛唯一…);
- a place inside quotation marks or 《》 (the name of a programme, a prize or a book);
- an organisation is never a subject (see ``body``).
"""

from __future__ import annotations

import re

from corpack.extract.gazetteer import Place, find_places

_NATIONAL = re.compile(r"全国|我国|中央统战部|党中央|中共中央|国务院")
_WHOLE_LEVEL = re.compile(r"全(省|市|区|县|州)")
_NOT_GOVERNING_BEFORE = re.compile(r"(?:居|占|比|较|于|超过|来自)$")
_NOT_GOVERNING_AFTER = re.compile(r"^(?:唯一|第一|首个|最高|最多|之最|排名|之外|以外)")
_QUOTED = re.compile(r"“[^“”]*”|《[^《》]*》")
_LIST_NEIGHBOUR_BEFORE = re.compile(r"[、]$")
_LIST_NEIGHBOUR_AFTER = re.compile(r"^(?:[^，。；、：:]{0,12}、|等|和|及|与)")


def _governing(text: str, lo: int, places: list[Place]) -> list[Place]:
    """The places of ``places`` (offsets relative to ``lo``) that can govern a figure."""
    out = []
    for place in places:
        s, e = place.start + lo, place.end + lo
        if place.ambiguous or _NOT_GOVERNING_BEFORE.search(text[max(0, s - 2) : s]) or _NOT_GOVERNING_AFTER.match(text[e : e + 4]):
            continue
        if _LIST_NEIGHBOUR_BEFORE.search(text[max(0, s - 1) : s]) or _LIST_NEIGHBOUR_AFTER.match(text[e : e + 14]):
            continue
        out.append(place)
    return out


def _of_kind(place: Place, kind: str) -> bool:
    """Whether 全<kind> (全省, 全市, 全区, 全县, 全州) can mean ``place``: 全省 a province, else a division
    whose name ends in the character (全市 is a prefecture or a county-level city)."""
    if kind == "省":
        return place.level == "province"
    return place.level != "province" and bool(place.full_name) and place.full_name.endswith(kind)


def _candidates(text: str, lo: int, start: int, end: int, places: list[Place], region: list[Place]) -> list[tuple[int, str]]:
    """``(offset, subject)`` for every governing place, national word and 全省/全市 in ``text[start:end]``."""
    quoted = [m.span() for m in _QUOTED.finditer(text, start, end)]
    found = [(p.start + lo, p.full_name) for p in _governing(text, lo, places) if start <= p.start + lo and p.end + lo <= end]
    for m in _NATIONAL.finditer(text, start, end):
        if not _NOT_GOVERNING_BEFORE.search(text[max(0, m.start() - 2) : m.start()]):
            found.append((m.start(), "全国"))
    for m in _WHOLE_LEVEL.finditer(text, start, end):
        if _NOT_GOVERNING_BEFORE.search(text[max(0, m.start() - 2) : m.start()]):
            continue
        same = [p for p in region if _of_kind(p, m.group(1))]
        if not same:  # no region of that kind: the nearest division of that kind named before it
            same = [p for p in places if not p.ambiguous and p.end + lo <= m.start() and _of_kind(p, m.group(1))]
        if same:
            found.append((m.start(), same[-1].full_name))
    return sorted((pos, name) for pos, name in found if not any(a <= pos < b for a, b in quoted))


def subject(text: str, start: int, sentence: tuple[int, int], paragraph: tuple[int, int], region: list[Place], title: str | None) -> str | None:
    """The place the figure at ``start`` is about (see the module docstring).

    ``region`` is the gazetteer's reading of documents.region; ``title`` the place the title names.
    """
    plo, phi = paragraph
    places = list(find_places(text[plo:phi]))
    for lo, hi in ((sentence[0], start), (plo, sentence[0])):
        found = _candidates(text, plo, lo, hi, places, region)
        if found:
            return found[-1][1]
    if region:
        return region[-1].full_name
    return title


def region_places(region: str | None) -> list[Place]:
    """The divisions a documents.region string names, broadest first (贵州省贵阳市 → 贵州省, 贵阳市)."""
    if not region:
        return []
    return [p for p in find_places(region) if not p.ambiguous]


_PROVINCES_FOR_NATIONAL = 3


def document_place(text: str, title: tuple[int, int] | None, paragraphs: list[tuple[int, int]]) -> str | None:
    """For a document without a region: the first governing place (or 全国) its title names, else 全国 when its
    paragraphs name places in three or more provinces, else the one they name most often (the earliest of
    equals)."""
    if title is not None:
        lo, hi = title
        found = _candidates(text, lo, lo, hi, list(find_places(text[lo:hi])), [])
        if found:
            return found[0][1]
    counts: dict[str, list[int]] = {}
    provinces: set[str] = set()
    for lo, hi in paragraphs:
        places = list(find_places(text[lo:hi]))
        provinces.update(p.province for p in _governing(text, lo, places) if p.province)
        for pos, name in _candidates(text, lo, lo, hi, places, []):
            counts.setdefault(name, []).append(pos)
    if len(provinces) >= _PROVINCES_FOR_NATIONAL:
        return "全国"
    if not counts:
        return None
    return min(counts, key=lambda name: (-len(counts[name]), counts[name][0]))
