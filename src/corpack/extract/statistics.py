"""Statistics: every quantitative statement, with what it counts and what it is about.

A quantity (see :mod:`corpack.extract.numbers`) is *not* a statistic, and is logged as skipped, when:

- it is an ordinal: 第 stands right before it (第一批, 第七次);
- it is the indefinite 一 (一个会议, 一支队伍, 一批);
- it is 二 before a measure word, which Chinese counts say with 两: 二次创业 is a compound, not "2 times";
- it is a bare round numeral without a qualifier (千家万户, 百家): idiom, not count (近百座 is a count);
- it is written in Chinese numerals inside a short quotation (at most 15 characters: “四个意识”,
  “千名…计划”): a slogan or a name (Arabic counts in quotes, “3方面27家成员单位”, are kept);
- it is part of a formula (1+6, 1A+6S): a + or a Latin letter touches the numeral;
- it is a duration (3个月, 两个小时);
- it follows a ``?`` the repair step could not restore, in a paragraph that has one: the lost character may
  have been 第 (召开?20次全国统战工作会议).

Years, dates and anniversaries never match, since 年, 月, 日 and 周年 are not counting units.
"""

from __future__ import annotations

import re

from corpack.extract import Document, sentence_span
from corpack.extract.numbers import find_quantities
from corpack.extract.gazetteer import find_places

INDICATORS = (
    "organisations", "members", "bases", "projects", "training sessions", "trainees", "activities",
    "participants", "funds", "donations", "representatives", "cities", "other",
)
_QUOTES = re.compile(r"“[^“”]{1,15}”|‘[^‘’]{1,15}’|「[^「」]{1,15}」|《[^《》]{1,15}》")
_DURATION_AFTER = re.compile(r"^(?:月|多月|小时|多小时|星期|礼拜|钟头|工作日)")
_YEAR = re.compile(r"(?<![-–—~至])((?:19|20)[0-9]{2})年")  # the end of a range (2018—2020年) is no tie
_BODIES = re.compile(r"中央统战部|统战部(?!门)|新联会|联谊会|全国")
# What follows a count says what is counted; checked in this order on the next words.
_AFTER = (
    ("cities", re.compile(r"^[^，。；]{0,10}?城市")),
    ("bases", re.compile(r"^[^，。；]{0,10}?基地")),
    ("projects", re.compile(r"^[^，。；]{0,10}?项目")),
    ("training sessions", re.compile(r"^[^，。；]{0,10}?(?:培训班|研修班|培训)")),
    ("representatives", re.compile(r"^[^，。；]{0,6}?代表")),
    ("members", re.compile(r"^[^，。；]{0,6}?(?:会员|成员)")),
    ("organisations", re.compile(r"^[^，。；]{0,10}?(?:组织|联谊会|联合会|协会|商会|新联会|网联会|机构|单位|企业|部门|服务队|服务团|队伍|工作室|报到处)")),
    ("activities", re.compile(r"^[^，。；]{0,10}?(?:活动|宣讲|讲座|比赛|论坛|沙龙)")),
)
_PEOPLE_UNITS = ("人", "名", "位", "人次")
_PEOPLE_LABELS = ("members", "representatives")
_BEFORE = (
    ("donations", re.compile(r"捐")),
    ("trainees", re.compile(r"培训")),
    ("members", re.compile(r"会员|吸纳")),
    ("participants", re.compile(r"参加|参与|与会|惠及")),
    ("activities", re.compile(r"活动|行动|开展")),
    ("organisations", re.compile(r"组织|联谊会|新联会")),
    ("bases", re.compile(r"基地")),
)


def _skip_reason(text: str, q, lo: int, unrecoverable: int) -> str | None:
    start = q.start
    before = text[start - 1] if start > lo else ""
    after = text[q.end] if q.end < len(text) else ""
    if before == "第":
        return "ordinal (第)"
    if q.chinese and q.core == "一":
        return "indefinite 一"
    if q.chinese and q.core == "二":
        return "二 before a measure word is a compound (counts use 两)"
    if q.chinese and q.core in ("百", "千", "十") and q.qualifier == "exact":
        return "bare round numeral without qualifier (idiom)"
    if before in "+＋" or after in "+＋" or (before.isascii() and before.isalpha()):
        return "part of a formula"
    if q.unit == "个" and _DURATION_AFTER.match(text[q.end :]):
        return "duration"
    if before in "?？" and unrecoverable:
        return "follows an unrecoverable character (maybe 第)"
    return None


def _indicator(q, text: str, sentence: tuple[int, int]) -> str:
    after = text[q.end : sentence[1]]
    before = text[sentence[0] : q.start]
    if q.unit == "元":
        return "donations" if "捐" in before else "funds"
    if q.unit == "%":
        return "other"
    for label, pattern in _AFTER:
        if label in _PEOPLE_LABELS and q.unit not in _PEOPLE_UNITS:
            continue  # 27家成员单位 are organisations, not members
        if pattern.search(after):
            return label
    clause = before[max(before.rfind("，"), before.rfind(","), before.rfind("、")) + 1 :]
    if q.unit == "人次" and "捐" not in clause:
        return "trainees" if "培训" in clause else "participants"
    for label, pattern in _BEFORE:
        if pattern.search(clause):
            return label
    if q.unit == "人次":
        return "trainees" if "培训" in clause else "participants"
    if q.unit in ("期", "班次"):
        return "training sessions"
    if q.unit in ("场", "场次"):
        return "activities"
    return "other"


def extract(doc: Document) -> list[dict]:
    """Return the ``statistics`` rows of one document (see the module docstring for what is left out)."""
    rows: list[dict] = []
    text = doc.text
    for paragraph in doc.prose:
        para_no, lo, hi, unrecoverable = paragraph.no, paragraph.start, paragraph.end, paragraph.unrecoverable
        para = doc.shadow[lo:hi]
        text = doc.shadow
        quoted = [(m.start() + lo, m.end() + lo) for m in _QUOTES.finditer(para)]
        places = find_places(para)
        for q, match in find_quantities(para):
            if q is None:
                doc.skipped.append(("statistics", match.group(0), "numeral could not be read"))
                continue
            q = type(q)(q.start + lo, q.end + lo, q.value, q.value_max, q.unit, q.qualifier, q.core, q.chinese)
            reason = _skip_reason(text, q, lo, unrecoverable)
            if reason is None and q.chinese and any(a < q.start and q.end < b for a, b in quoted):
                reason = "inside a short quotation (slogan or name)"
            if reason:
                doc.skipped.append(("statistics", text[q.start : q.end], reason))
                continue
            sentence = sentence_span(text, q.start, q.end, lo, hi)
            rows.append(
                {
                    "stat_id": doc.row_id(q.start, q.end),
                    **doc.rows_base(para_no, q.start, q.end),
                    "value": q.value,
                    "value_max": q.value_max,
                    "unit": q.unit,
                    "qualifier": q.qualifier,
                    "subject": _subject(text, q, sentence, places, lo, doc.region),
                    "indicator": _indicator(q, text, sentence),
                    "year": _year(text, sentence[0], q.start),
                }
            )
    return rows


def _subject(text: str, q, sentence: tuple[int, int], places, lo: int, region: str | None) -> str | None:
    inside = [p for p in places if sentence[0] <= p.start + lo and p.end + lo <= q.start and not p.ambiguous]
    if inside:
        return inside[-1].full_name
    body = list(_BODIES.finditer(text, sentence[0], q.start))
    if body:
        return body[-1].group(0)
    return region


def _year(text: str, start: int, end: int) -> int | None:
    years = _YEAR.findall(text, start, end)
    return int(years[-1]) if years else None
