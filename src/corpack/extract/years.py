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

import bisect
import functools
import re

from corpack.extract.labels import clause_end, clause_start

# A year not after a dash, 至 or a digit: the look back is taken after the 19 or 20 (over it and the character
# before), so the pattern opens with its first digit and the regex engine skips to the next 1 or 2 by itself.
_YEAR = re.compile(r"((?:19|20)(?<![-–—~至0-9](?:19|20))[0-9]{2}) ?年(?!代)")
_YEAR_CHARS = 6  # the longest _YEAR match: 2019 年
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


def year(text: str, start: int, sentence: tuple[int, int], clause_lo: int | None = None) -> int | None:
    """The year tied to the figure starting at ``start`` (see the module docstring); ``clause_lo`` is
    ``clause_start(text, sentence[0], start)`` when the caller has it."""
    lo, _hi = sentence
    clause_lo = clause_start(text, lo, start) if clause_lo is None else clause_lo
    if text.find("年", lo, start) < 0:  # no year and no time clause before it (each holds 年): only 当年/同年 at the start
        if _NOW.search(text, clause_lo, start):
            return None
        return _last_year_before(text, lo) if _SAME_YEAR.match(text, lo) else None
    years = _YEAR.findall(text, clause_lo, start) if text.find("年", clause_lo, start) >= 0 else None  # each holds 年
    if years:
        return int(years[-1])
    if _NOW.search(text, clause_lo, start):
        return None
    found = _last_time_clause(text, lo, clause_lo)
    if found is _NO_TIME_CLAUSE:  # no earlier clause is a time: the year opening the sentence, if one does
        found = None
        head = _YEAR.search(text, lo, start)
        if head is not None and head.start() - lo <= _SENTENCE_START and _TIME_PREFIX.fullmatch(text[lo : head.start()].strip()):
            found = int(_YEAR.findall(text[head.start() : clause_end(text, head.end(), start)])[-1])
    if found is None and (_SAME_YEAR.search(text, clause_lo, start) or _SAME_YEAR.match(text, lo)):
        found = _last_year_before(text, lo)  # 当年/同年: the last year the text stated before
    return found


_NO_TIME_CLAUSE = object()


def _last_time_clause(text: str, lo: int, clause_lo: int):
    """What the last of the clauses of ``text[lo:clause_lo]`` (each ended by a clause break; ``clause_lo`` is
    just after one, or ``lo``) that is nothing but a time says: its year (…，2018年，…), or None for a time
    counted from today after the first clause (…，今年1-6月，…); ``_NO_TIME_CLAUSE`` when none is.

    Read from the last clause back, and only clauses holding 年 (as every time clause does), instead of
    every clause from the sentence's start: the last one that is a time is the one that counts."""
    hi = clause_lo
    while True:
        at = text.rfind("年", lo, hi)
        if at < 0:
            return _NO_TIME_CLAUSE
        begin, end = clause_start(text, lo, at), clause_end(text, at, clause_lo)
        clause = text[begin:end].strip()
        stated = _TIME_CLAUSE.fullmatch(clause)
        if stated:
            return int(stated.group(1))
        if begin > lo and _RELATIVE_CLAUSE.fullmatch(clause):
            return None  # …，今年1-6月，产值3亿元: a time clause of its own ends the year before it
        hi = begin


@functools.lru_cache(maxsize=4)
def _stated_years(text: str) -> tuple[list[int], list[int]]:
    """The end offsets and values of every year ``text`` states, in order: built once per document, so that
    looking up the year before a figure does not rescan the text from its start (quadratic in a long one)."""
    ends, values = [], []
    for m in _YEAR.finditer(text):
        ends.append(m.end())
        values.append(int(m.group(1)))
    return ends, values


def _last_year_before(text: str, lo: int) -> int | None:
    """The last year stated in ``text[:lo]``: what ``_YEAR.findall(text, 0, lo)[-1]`` gives, without the scan.

    A year ending right at ``lo`` is read as the scan up to ``lo`` reads it (its lookahead sees no 代 there),
    so the few characters before ``lo`` are scanned as such; earlier years come from :func:`_stated_years`.
    """
    near = _YEAR.findall(text, max(0, lo - _YEAR_CHARS - 1), lo)
    if near:
        return int(near[-1])
    ends, values = _stated_years(text)
    at = bisect.bisect_right(ends, lo)
    return values[at - 1] if at else None
