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
- a scope word inside a designation given to a place: 全国/全省… followed, with no figure between, by 试点,
  示范, 推广, 先进, 模范, 典型, 优秀, 标兵 or 百强 (该市被确定为全国试点城市，建成20个站点: 全国 names the title,
  not the place the 20 are in; 全国首批15个试点城市 still governs its 15);
- an organisation is never a subject (see ``body``).

A figure that counts a set one place belongs to (甲市作为12个试点城市之一; also after 是, 成为, 入选, 列为, 跻身
in the clause, with 之一 after the figure) is not about that place: its subject is the scope the phrase names
(作为全国12个…之一 → 全国), else the member's province when the set is 省级, else 全国 when the sentence names
a national body, else null.
"""

from __future__ import annotations

import re
import threading

from corpack.extract.gazetteer import Place, find_places
from corpack.extract.labels import clause_end, clause_start


_NOT_GOVERNING_BEFORE = re.compile(r"(?:居|占|比|较|于|超过|来自)$")
_NOT_GOVERNING_AFTER = re.compile(r"^(?:唯一|第一|首个|最高|最多|之最|排名|之外|以外)")
_LIST_NEIGHBOUR_BEFORE = re.compile(r"[、]$")
_LIST_NEIGHBOUR_AFTER = re.compile(r"^(?:[^，。；、：:]{0,12}、|等|和|及|与)")


def _governing(text: str, lo: int, places: list[Place]) -> list[Place]:
    """The places of ``places`` (offsets relative to ``lo``) that can govern a figure."""
    out = []
    for place in places:
        s, e = place.start + lo, place.end + lo
        if place.ambiguous or _NOT_GOVERNING_BEFORE.search(text[max(lo, s - 2) : s]) or _NOT_GOVERNING_AFTER.match(text[e : e + 4]):
            continue
        if _LIST_NEIGHBOUR_BEFORE.search(text[max(lo, s - 1) : s]) or _LIST_NEIGHBOUR_AFTER.match(text[e : e + 14]):
            continue
        out.append(place)
    return out


def _of_kind(place: Place, kind: str) -> bool:
    """Whether 全<kind> (全省, 全市, 全区, 全县, 全州) can mean ``place``: 全省 a province, else a division
    whose name ends in the character (全市 is a prefecture or a county-level city)."""
    if kind == "省":
        return place.level == "province"
    return place.level != "province" and bool(place.full_name) and place.full_name.endswith(kind)


_NATIONAL = re.compile(r"全国|我国|中央统战部|党中央|中共中央|国务院")
_WHOLE_LEVEL = re.compile(r"全(省|市|区|县|州)")
_DESIGNATION_AFTER = re.compile(r"[^，。；：:、0-9０-９]{0,16}?(?:试点|示范|推广|先进|模范|典型|优秀|标兵|百强)")
_QUOTED = re.compile(r"“[^“”]*”|《[^《》]*》")


def _candidates(text: str, lo: int, start: int, end: int, places: list[Place], region: list[Place],
                governing: list[Place] | None = None) -> list[tuple[int, str]]:
    """``(offset, subject)`` for every governing place, national word and 全省/全市 in ``text[start:end]``
    (``governing``: ``_governing(text, lo, places)`` when the caller has it)."""
    governing = _governing(text, lo, places) if governing is None else governing
    return _unquoted(text, start, end, [(pos, name) for pos, _end, name in _spans(text, lo, start, end, places, region, governing)])


def _spans(text: str, lo: int, start: int, end: int, places: list[Place], region: list[Place],
           governing: list[Place]) -> list[tuple[int, int, str]]:
    """``(offset, end, subject)`` of what :func:`_candidates` finds in ``text[start:end]``, quotations not yet
    considered. Those of ``text[start:cut]`` are the ones here ending by ``cut``: the words searched are
    literals none of which holds another, so a search stopping at ``cut`` finds what this one finds before it."""
    found = [(p.start + lo, p.end + lo, p.full_name) for p in governing if start <= p.start + lo and p.end + lo <= end]
    for m in _NATIONAL.finditer(text, start, end):
        if m.group(0) == "全国" and _DESIGNATION_AFTER.match(text, m.end()):
            continue  # 被确定为全国试点城市: a title, not a place
        if not _NOT_GOVERNING_BEFORE.search(text[max(lo, m.start() - 2) : m.start()]):
            found.append((m.start(), m.end(), "全国"))
    for m in _WHOLE_LEVEL.finditer(text, start, end):
        if _NOT_GOVERNING_BEFORE.search(text[max(lo, m.start() - 2) : m.start()]) or _DESIGNATION_AFTER.match(text, m.end()):
            continue
        same = [p for p in region if _of_kind(p, m.group(1))]
        if not same:  # no region of that kind: the nearest division of that kind named before it
            same = [p for p in places if not p.ambiguous and p.end + lo <= m.start() and _of_kind(p, m.group(1))]
        if same:
            found.append((m.start(), m.end(), same[-1].full_name))
    return found


def _unquoted(text: str, start: int, end: int, found: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """``found`` (``(offset, subject)`` in ``text[start:end]``) in order, without those inside a quotation there."""
    if not found:
        return found
    if text.find("“", start, end) < 0 and text.find("《", start, end) < 0:  # no quotation can hold one
        return sorted(found)
    quoted = [m.span() for m in _QUOTED.finditer(text, start, end)]
    return sorted((pos, name) for pos, name in found if not any(a <= pos < b for a, b in quoted))


# The last paragraph's places and the last sentence's candidates, kept per thread (a Dask worker may run
# documents in several threads at once).
_LAST = threading.local()


def _in_sentence(text: str, paragraph: tuple[int, int], sentence: tuple[int, int], places: list[Place], region: list[Place],
                 governing: list[Place]) -> list:
    """The sentence's entry of a one-sentence cache: a sentence's figures come one after the other, and each
    looks for candidates from the sentence's start to itself (:func:`_spans` of the whole sentence, cut at
    the figure) and, finding none, in the paragraph before the sentence (the same for all of them). The entry
    holds the text itself, so its identity cannot be taken by another text.

    The sentence's spans are those of the whole paragraph (:func:`_paragraph_spans`) that lie in it: the words
    searched hold no sentence end, so none crosses the sentence's bounds, and a search of the paragraph finds
    in the sentence what a search of the sentence finds.

    When the sentence holds no quotation, the entry also holds its spans from the last (offset, subject) to the
    first: a figure's subject is then the first of them ending by the figure (:func:`_unquoted` sorts, and no
    quotation there drops one), else None there."""
    last = getattr(_LAST, "sentence", None)  # text, (paragraph, sentence), region, its spans, those before it, ordered
    if last is None or not (last[0] is text and last[1] == (paragraph, sentence) and last[2] == region):
        lo, hi = sentence
        spans = _paragraph_spans(text, paragraph, places, region, governing)
        inside = [span for span in spans if lo <= span[0] and span[1] <= hi]
        quoted = text.find("“", lo, hi) >= 0 or text.find("《", lo, hi) >= 0
        ordered = None if quoted else sorted(inside, key=_offset_and_subject, reverse=True)
        last = _LAST.sentence = [text, (paragraph, sentence), list(region), inside, None, ordered]
    return last


def _offset_and_subject(span: tuple[int, int, str]) -> tuple[int, str]:
    return span[0], span[2]


def subject(text: str, start: int, sentence: tuple[int, int], paragraph: tuple[int, int], region: list[Place], title: str | None) -> str | None:
    """The place the figure at ``start`` is about (see the module docstring).

    ``region`` is the gazetteer's reading of documents.region; ``title`` the place the title names.
    """
    plo, phi = paragraph
    places, governing = _paragraph_places(text, plo, phi)
    member = _set_of_members(text, start, sentence, plo, places, region, governing)
    if member is not _NOT_A_SET:
        return member
    cached = _in_sentence(text, paragraph, sentence, places, region, governing)
    ordered = cached[5]
    if ordered is not None:  # no quotation in the sentence: the last candidate ending by the figure
        for _pos, end, name in ordered:
            if end <= start:
                return name
    else:
        found = _unquoted(text, sentence[0], start, [(pos, name) for pos, end, name in cached[3] if end <= start])
        if found:
            return found[-1][1]
    if cached[4] is None:  # _candidates(text, plo, plo, sentence[0], ...), from the paragraph's spans (see _in_sentence)
        lo = sentence[0]
        cached[4] = _unquoted(text, plo, lo, [(pos, name) for pos, end, name in _paragraph_spans(text, paragraph, places, region, governing) if end <= lo])
    if cached[4]:
        return cached[4][-1][1]
    if region:
        return region[-1].full_name
    return title


_NOT_A_SET = object()


def _paragraph_places(text: str, plo: int, phi: int) -> tuple[list[Place], list[Place]]:
    """The places of the paragraph ``text[plo:phi]`` and those of them that can govern, kept for the paragraph's
    next figure (a paragraph's figures come one after the other) and for the rest of the text's reading
    (:func:`document_place` reads every paragraph of a document without a region before its figures do). The
    cache holds the text itself, so its identity cannot be taken by another text."""
    last = getattr(_LAST, "paragraph", None)  # text, start, end, its places, the governing ones, (region, spans)
    if last is not None and last[0] is text and last[1] == plo and last[2] == phi:
        return last[3], last[4]
    kept = getattr(_LAST, "paragraphs", None)  # text, {(start, end): the paragraph's entry, as _LAST.paragraph}
    if kept is None or kept[0] is not text:
        kept = _LAST.paragraphs = (text, {})
    entry = kept[1].get((plo, phi))
    if entry is None:
        places = list(find_places(text[plo:phi]))
        entry = kept[1][(plo, phi)] = [text, plo, phi, places, _governing(text, plo, places), None]
    _LAST.paragraph = entry
    return entry[3], entry[4]


def forget() -> None:
    """Drop the paragraphs kept for this thread's last text (:func:`corpack.extract.extract_all` calls it after
    each document, as it clears the place lookups)."""
    _LAST.paragraphs = None
    _LAST.paragraph = None
    _LAST.sentence = None


def _paragraph_spans(text: str, paragraph: tuple[int, int], places: list[Place], region: list[Place],
                     governing: list[Place]) -> list[tuple[int, int, str]]:
    """:func:`_spans` of the whole paragraph (``places`` and ``governing`` its own, from
    :func:`_paragraph_places`), kept in the paragraph's cache entry beside the region they were found for."""
    plo, phi = paragraph
    last = getattr(_LAST, "paragraph", None)
    if last is None or not (last[0] is text and last[1] == plo and last[2] == phi and last[3] is places):
        return _spans(text, plo, plo, phi, places, region, governing)  # not the paragraph kept: found anew
    kept = last[5]
    if kept is None or not (kept[0] is region or kept[0] == region):
        kept = last[5] = (list(region), _spans(text, plo, plo, phi, places, region, governing))
    return kept[1]


_MEMBER_OF = re.compile(r"作为|是|成为|入选|列为|跻身")


def _set_of_members(text: str, start: int, sentence: tuple[int, int], plo: int, places: list[Place],
                    region: list[Place], governing: list[Place]):
    """The subject (a name or None) when the figure counts a set a place belongs to (甲市作为12个试点城市之一);
    ``_NOT_A_SET`` otherwise."""
    lo, hi = sentence
    if text.find("之一", start, hi) < 0 or text.find("之一", start, clause_end(text, start, hi)) < 0:  # the first: no scan
        return _NOT_A_SET
    verbs = list(_MEMBER_OF.finditer(text, clause_start(text, lo, start), start))
    if not verbs:
        return _NOT_A_SET
    verb = verbs[-1]
    found = _candidates(text, plo, verb.end(), start, places, region, governing)
    if found:
        return found[-1][1]
    if "省级" in text[start : clause_end(text, start, hi)]:
        members = [p for p in governing if p.province and p.end + plo <= verb.start()]
        if members:
            return members[-1].province
    return "全国" if _NATIONAL.search(text, lo, start) else None


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
    # Each paragraph's places, governing ones and spans are those its figures' subjects read (kept for them).
    if title is not None:
        lo, hi = title
        places, governing = _paragraph_places(text, lo, hi)
        found = _unquoted(text, lo, hi, [(pos, name) for pos, _end, name in _paragraph_spans(text, title, places, [], governing)])
        if found:
            return found[0][1]
    counts: dict[str, list[int]] = {}
    provinces: set[str] = set()
    for lo, hi in paragraphs:
        places, governing = _paragraph_places(text, lo, hi)
        provinces.update(p.province for p in governing if p.province)
        spans = _paragraph_spans(text, (lo, hi), places, [], governing)
        for pos, name in _unquoted(text, lo, hi, [(pos, name) for pos, _end, name in spans]):
            counts.setdefault(name, []).append(pos)
    if len(provinces) >= _PROVINCES_FOR_NATIONAL:
        return "全国"
    if not counts:
        return None
    return min(counts, key=lambda name: (-len(counts[name]), counts[name][0]))
