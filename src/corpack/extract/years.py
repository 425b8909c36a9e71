"""The ``year`` of a statistic: when the text ties the figure to a stated year.

**year** is the 4-digit year (N年, N年初/底/以来) stated in the clause holding the figure before it, or at
the start of the sentence (within its first 6 characters, after nothing but 到, 截至, 在, 自, 从, 特别是…:
2019年，… · 到2019年，… · 2018年初启动… · 特别是在2023年、2024年…), or in an earlier clause that is nothing
but a time (…，2018年，中央统战部在15个…), which covers the rest of the sentence unless the clause holding the figure states its own time: now (目前,
现有, 如今, 至今, 截至目前, 现已) or a year counted from today (今年, 去年, 前年, 本年, 近年, 近两年):
2022年全县产值5亿元，今年1-6月产值3亿元 gives the 3亿 no year, and so does an earlier clause that is nothing but such a time (2022年全县产值5亿元，
今年1-6月，产值3亿元). 当年/同年 there (or opening the sentence) take the last year the text stated before.
Of several years the last wins; the end of a span (2018—2020年) is no year. A year in
another clause (成立于2015年，现有会员300人; 继2017年确定15个…后，又确定34个) does not carry over.
"""

from __future__ import annotations

import re

from corpack.extract.labels import CLAUSE, clause_end, clause_start

_YEAR = re.compile(r"(?<![-–—~至0-9])((?:19|20)[0-9]{2}) ?年(?!代)")
_SENTENCE_START = 6
# The clause holding the figure states its own time: now, or a year relative to today (今年1-6月, 去年, 近年来).
_NOW = re.compile(r"目前|现有|如今|至今|截至目前|现已|当前|今年|去年|前年|明年|本年|近年|近[0-9一二两三四五六七八九十]+年")
_SAME_YEAR = re.compile(r"(?:也是)?(?:在)?(?:当年|同年)")
_TIME_PREFIX = re.compile(r"(?:特别是|尤其是|也是|早)?(?:到|截至|截止|在|于|自|从|至|直到)?")
_RELATIVE_CLAUSE = re.compile(
    r"(?:在|于)?(?:今年|去年|前年|本年|近年|近[0-9一二两三四五六七八九十]+年)[^，。；]{0,8}?(?:以来|来|中|内)?"
)
_TIME_CLAUSE = re.compile(
    r"(?:也是)?(?:到|截至|截止|在|于|自|从|至|早在|直到)?((?:19|20)[0-9]{2})年"
    r"(?:初|底|末|中|以来|上半年|下半年|[0-9]{1,2}月(?:[0-9]{1,2}日)?)?(?:以来|起|至今|开始)?"
)


def year(text: str, start: int, sentence: tuple[int, int]) -> int | None:
    """The year tied to the figure starting at ``start`` (see the module docstring)."""
    lo, _hi = sentence
    clause_lo = clause_start(text, lo, start)
    years = _YEAR.findall(text, clause_lo, start)
    if years:
        return int(years[-1])
    if _NOW.search(text, clause_lo, start):
        return None
    found = None
    head = _YEAR.search(text, lo, start)
    if head is not None and head.start() - lo <= _SENTENCE_START and _TIME_PREFIX.fullmatch(text[lo : head.start()].strip()):
        found = int(_YEAR.findall(text[head.start() : clause_end(text, head.end(), start)])[-1])
    pos = lo
    for m in CLAUSE.finditer(text, lo, clause_lo):
        clause = text[pos : m.start()].strip()
        if _TIME_CLAUSE.fullmatch(clause):
            found = int(_TIME_CLAUSE.fullmatch(clause).group(1))
        elif pos > lo and _RELATIVE_CLAUSE.fullmatch(clause):
            found = None  # …，今年1-6月，产值3亿元: a time clause of its own ends the year before it
        pos = m.end()
    if found is None and (_SAME_YEAR.search(text, clause_lo, start) or _SAME_YEAR.match(text, lo)):
        earlier = _YEAR.findall(text, 0, lo)  # 当年/同年: the last year the text stated before
        found = int(earlier[-1]) if earlier else None
    return found
