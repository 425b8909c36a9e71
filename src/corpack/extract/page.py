"""What the layout of a page tells the extractors: which paragraphs are navigation, and the dateline.

Cleaning removes page furniture, but a rule there that is unsure keeps the line, so the extractors guard
themselves. A paragraph is *navigation* and feeds no fact table when it is:

- a **menu item**: one of three or more paragraphs in a row that are each at most 12 characters and hold no
  punctuation at all (首页 / 新闻动态 / 2019两会专题; a longer item of up to 16 characters, 2022年全国两会专题报道,
  rides along in such a run without breaking it), or one paragraph of three or more such items separated by
  spaces;
- a **previous/next or related link**: a paragraph opening with 上一篇, 下一篇, 上一条, 下一条, 相关阅读, 相关新闻,
  推荐阅读 or 延伸阅读;
- a **related-article link**: at most 60 characters, no sentence-ending punctuation (。！？；), no table bar
  (|), and ending in a date in figures glued on or set apart (某县开展安全巡检2024-03-29, 标题 [2024/03/29],
  标题 03-29), or ending, with no punctuation at all, in a month and day in words glued on (某县开展防汛演练7月3日);
  a line ending in a date in words with a year or after a space (某某部 2023年5月6日) is a signature, not a link.

The **dateline** opens agency and newspaper copy: 新华社北京3月4日电, 中新网温州8月28日电 (also 日讯, and with a
year, 2023年8月28日电). It is looked for at the start (first 40 characters) of the first three paragraphs that
are not navigation; its month (and year, when it has one) dates the day-only dates of the text (28日).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Dateline:
    """The dateline of a report: its month and day, and its year when it states one; ``start`` is its offset."""

    start: int
    year: int | None
    month: int
    day: int


_PUNCT = re.compile(r"[，,。．.；;：:、！!？?（）()“”‘’\"'《》【】\[\]「」—…·|/]")
_MENU_ITEM = 12


def _menu_like(text: str, longest: int = _MENU_ITEM) -> bool:
    return 0 < len(text) <= longest and not _PUNCT.search(text)


_LINK_MAX = 60
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_LINK_DATE = re.compile(
    r"[\[（(]?\s*(?:(?:19|20)[0-9]{2}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}-[0-9]{1,2})\s*[\]）)]?\s*$"
)
# A month and day in words glued to a headline, with no year and no space (某县开展防汛演练7月3日); with a year
# or after a space (某某部 2023年5月6日) the line is a signature.
_LINK_DAY_WORDS = re.compile(r"[\u4e00-\u9fff]{6}[0-9]{1,2}月[0-9]{1,2}日$")
_LINK_OPENER = re.compile(r"(?:上一篇|下一篇|上一条|下一条|相关阅读|相关新闻|推荐阅读|延伸阅读)\s*[：:]?")


def is_link(text: str) -> bool:
    """Whether a paragraph reads as a related-article link: a previous/next or related-reading line, or short,
    with no sentence end and a date at its end."""
    text = text.strip()
    if _LINK_OPENER.match(text):
        return True
    if len(text) > _LINK_MAX or "|" in text or _SENTENCE_END.search(text):
        return False
    if _LINK_DAY_WORDS.search(text) and not _PUNCT.search(text):
        return True
    return bool(_LINK_DATE.search(text)) and not _LINK_DATE.fullmatch(text)


_MENU_ITEM_LONG = 16
_MENU_RUN = 3


def navigation(texts: list[str]) -> set[int]:
    """Indexes of the paragraphs (given as their texts, in order) that are menus or related-article links."""
    out: set[int] = set()
    run: list[int] = []
    for index, text in enumerate([*texts, "。"]):  # the sentinel closes the last run
        stripped = text.strip()
        items = stripped.split()
        if len(items) >= _MENU_RUN and all(_menu_like(item) for item in items):
            out.add(index)
        if _menu_like(stripped, _MENU_ITEM_LONG):
            run.append(index)
            continue
        if len(run) >= _MENU_RUN and sum(_menu_like(texts[i].strip()) for i in run) >= _MENU_RUN:
            out.update(run)  # (a run shorter than that holds fewer menu items: not counted)
        run = []
        if index < len(texts) and is_link(stripped):
            out.add(index)
    return out


_DATELINE = re.compile(r"(?:(?P<year>(?:19|20)[0-9]{2})年)?(?P<month>[0-9]{1,2})月(?P<day>[0-9]{1,2})日(?:电|讯)")
_DATELINE_WITHIN = 40
_DATELINE_PARAGRAPHS = 3


def find_dateline(shadow: str, spans: list[tuple[int, int]]) -> Dateline | None:
    """The dateline at the start of one of the first paragraphs ``shadow[lo:hi]`` for ``(lo, hi)`` in ``spans``."""
    for lo, hi in spans[:_DATELINE_PARAGRAPHS]:
        m = _DATELINE.search(shadow, lo, min(hi, lo + _DATELINE_WITHIN))
        if m and 1 <= int(m.group("month")) <= 12 and 1 <= int(m.group("day")) <= 31:
            return Dateline(m.start(), int(m.group("year")) if m.group("year") else None, int(m.group("month")), int(m.group("day")))
    return None
