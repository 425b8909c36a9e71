"""Find quantities in Chinese text: a number with its qualifier, multiplier and counting unit.

``cn2an`` converts bare numeral cores (一百二十, ０.５万, 1.2亿) but raises on anything carrying a unit,
qualifier or thousands comma, so this module is the small tokenizer in front of it:

    [qualifier] number [ ] [余|多] [万|亿] [余|多] [个] unit [以上|左右|以下]   (7 200 万人: spaced digits)
    [qualifier] number (-|–|—|~|至|到) number [万|亿] unit               (a range)
    [qualifier] 百分之 number [以上|左右|以下]                          (a percentage in words)

A qualifier is one of 约, 大约, 近, 将近, 接近, 超过, 超 (a bare 超 before the number: 超5万人), 突破, 逾,
不到, 不足, or 上 before a round numeral (上百, 上千, 上万). 万 may itself be the numeral (近万个 = nearly
10000, 万余人 = more than 10000); a bare round numeral without qualifier is left to the caller (千家万户).

:func:`parse_number` never raises: a core it cannot read gives ``None`` and the caller skips the mention with
a logged reason.
"""

from __future__ import annotations

import functools
import re
import warnings
from typing import NamedTuple

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import cn2an

CN_DIGITS = "零〇一二两三四五六七八九十百千万"
# Thousands may be grouped by commas (1,200) or by spaces as some typesetting does (7 200).
_ARABIC = r"(?<![0-9０-９.．])(?:[0-9]{1,3}(?:[ \u2009\u202f][0-9]{3})+(?![0-9])|[0-9０-９]+(?:[,，][0-9]{3})*)(?:[.．][0-9０-９]+)?"
_CHINESE = rf"[{CN_DIGITS}]+"
# Units, longest first so 场次 wins over 场. 个 may be followed by a second unit (100多个班次). Left out on
# purpose: 处 (a division of a bureau, 五处), 首 (2023首届), 轮 (三轮车), 节 (八一节), 对 (1对1), 台 (两台胞).
UNITS = (
    "个百分点", "平方米", "平方公里", "公里", "公斤", "万元", "亿元", "美元", "班次", "场次", "人次", "部分", "方面",
    "个", "人", "名", "位", "次", "场", "家", "支", "篇", "期", "份", "座", "项", "种", "类", "股", "户", "所",
    "条", "件", "本", "栋", "幢", "亩", "吨", "斤", "元", "%", "％",
    "课时", "学时", "张", "册", "套", "辆", "间", "块", "箱", "盒", "袋", "株", "棵", "幅", "门",
)
_COMPOUND_AFTER_GE = ("班次", "百分点")
_UNIT = "|".join(map(re.escape, UNITS))
_PREFIX = r"(?P<prefix>约|大约|近|将近|接近|超过|超(?=[0-9０-９一二两三四五六七八九十百千万])|突破|逾|不到|不足|上(?=[百千万]))?"
_CORE = rf"(?P<num>{_ARABIC}|{_CHINESE})"
_RANGE = rf"(?:\s*(?P<sep>[-–—~～至到])\s*(?P<num2>{_ARABIC}|{_CHINESE}))?"
_INFIX = r" ?(?P<infix1>余|多)?(?P<mult>[万亿千])?(?P<infix2>余|多)?"
_SUFFIX = r"(?P<suffix>以上|左右|以下|以内)?"
# Each pattern opens with a lookahead for the characters a match can start with (a qualifier's first, a
# digit): it changes no match, and lets the scan pass over every other character at once.
_QUANTITY_FIRST = rf"(?=[约大近将接超突逾不上0-9０-９{CN_DIGITS}])"
QUANTITY = re.compile(rf"{_QUANTITY_FIRST}{_PREFIX}{_CORE}{_RANGE}{_INFIX}(?P<unit>{_UNIT}){_SUFFIX}")
# What stands right before a unit in every QUANTITY match (the core's last digit or numeral, or a space, 余, 多 or
# a multiplier), followed by a unit's first character: a paragraph without such a pair holds no QUANTITY match,
# and most paragraphs of a report hold none (the pair is found at a charset's speed; QUANTITY tries a match at
# every digit, numeral and qualifier of the text, about six times as slow over report text).
_MAY_HOLD = re.compile(
    "[0-9０-９" + CN_DIGITS + "余多亿 ][" + re.escape("".join(sorted({unit[0] for unit in UNITS}))) + "]"
)
# 百分之八十, 百分之3.5: a percentage written in words.
PERCENT_WORDS = re.compile(rf"(?=[约大近将接超突逾不上百]){_PREFIX}百分之(?P<num>[0-9０-９.．]+|[{CN_DIGITS}点]+){_SUFFIX}")

_QUALIFIER = {
    "约": "about", "大约": "about", "左右": "about",
    "近": "nearly", "将近": "nearly", "接近": "nearly",
    "超过": "more_than", "超": "more_than", "突破": "more_than", "逾": "more_than", "余": "more_than", "多": "more_than", "上": "more_than",
    "不到": "at_most", "不足": "at_most", "以下": "at_most", "以内": "at_most",
    "以上": "at_least",
}
_SCALE = {"万": 10_000, "亿": 100_000_000, "千": 1_000}
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


class Quantity(NamedTuple):
    """One quantity found in a text (a named tuple: immutable, and built in a fraction of a frozen dataclass's
    time, which counts at one per figure).

    Attributes:
        start, end: its span in the text searched (code points; the quote is ``text[start:end]``).
        value: the number scaled to the base unit (lower end of a range).
        value_max: the upper end of a range, else None.
        unit: the normalised unit (万元 -> 元, 个班次 -> 班次).
        qualifier: exact, more_than, at_least, about, nearly, at_most or range.
        core: the numeral as written (for the exclusion rules).
        chinese: whether the numeral is written in Chinese characters.
    """

    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    qualifier: str
    core: str
    chinese: bool


def parse_number(core: str) -> float | None:
    """Read a numeral core: Arabic (with thousands commas, full-width digits) or Chinese (一百二十, 两, 百).

    Returns None for anything it cannot read; never raises.
    """
    try:  # a plain Arabic numeral (3, 12.5, full-width １２), most of them: what the rewrites below would read
        return float(core)
    except ValueError:
        return _parse_written(core)


@functools.lru_cache(maxsize=65536)
def _parse_written(core: str) -> float | None:
    """:func:`parse_number` of a numeral ``float`` does not read as it is (1,200, 7 200, 一百二十). Cached: a
    corpus writes the same numerals again and again, and ``cn2an`` takes a fraction of a millisecond on each."""
    if core.strip(CN_DIGITS):  # not all Chinese digits, which no rewrite below touches and float() never reads
        text = core.translate(_FULL_WIDTH).replace(",", "").replace(" ", "").replace("\u2009", "").replace("\u202f", "")
        try:
            return float(text)
        except ValueError:
            pass
    else:
        text = core
    if text[:1] in ("百", "千", "万"):
        text = "一" + text
    value = _plain_chinese(text)
    if value is not None:
        return float(value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return float(cn2an.cn2an(text, "smart"))
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            return None


# cn2an's reading of a numeral, done here for the plain ones (一万六千五百五十三), which are most: cn2an takes
# some 50 µs on each (script conversion, five rewrites, a long pattern), and a corpus has thousands of distinct
# ones. A numeral is plain when it holds only these characters, cn2an's own rewrites leave it as it is and its
# own pattern of well-formed integers matches all of it; the value is then what cn2an's integer conversion
# computes (the same loop, below). Anything else (两, 〇, 点, 十二三, …) still goes to cn2an.
_PLAIN_DIGITS = {"零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_PLAIN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_PLAIN = re.compile(f"[{''.join(_PLAIN_DIGITS)}{''.join(_PLAIN_UNITS)}]+")
_CN2AN = cn2an.cn2an.__self__
_CN2AN_REWRITES = (
    _CN2AN.ptn_zero_before_thousand, _CN2AN.ptn_big_unit_missing_zero, _CN2AN.ptn_thousand_missing_zero, _CN2AN.ptn_unit_missing_one,
)
_CN2AN_INTEGER = _CN2AN.pattern_dict["normal"]["int"]


def _plain_chinese(text: str) -> int | None:
    """The value cn2an gives a plain Chinese integer numeral (see above), or None when it is not one."""
    if not _PLAIN.fullmatch(text) or "零十" in text or "零百" in text or any(p.search(text) for p in _CN2AN_REWRITES):
        return None
    whole = _CN2AN_INTEGER.search(text)
    if whole is None or whole.group() != text:
        return None
    total, unit, myriad = 0, 1, 1  # cn2an's integer conversion, read from the last character back
    for index, char in enumerate(reversed(text)):
        if char in _PLAIN_DIGITS:
            total += _PLAIN_DIGITS[char] * unit
            continue
        unit = _PLAIN_UNITS[char]
        if unit % 10000 == 0:
            if unit > myriad:
                myriad = unit
            else:
                myriad = unit * myriad
                unit = myriad
        if unit < myriad:
            unit = unit * myriad
        if index == len(text) - 1:
            total += unit
    return int(total)


def find_quantities(text: str, offset: int = 0) -> list[tuple[Quantity | None, re.Match]]:
    """Find every quantity-shaped span in ``text``.

    Args:
        text: the text searched (a paragraph).
        offset: added to each quantity's ``start`` and ``end`` (the paragraph's offset in its document); the
            matches keep their offsets in ``text``.

    Returns:
        ``(quantity, match)`` pairs; quantity is None when the numeral could not be read (the caller logs it).
    """
    out = [(_quantity(match, offset), match) for match in QUANTITY.finditer(text)] if _MAY_HOLD.search(text) else []
    found = len(out)  # in text order, as the scan found them
    if "百分之" in text:
        taken = [match.span() for _, match in out]
        for match in PERCENT_WORDS.finditer(text):
            if not any(a < match.end() and match.start() < b for a, b in taken):
                out.append((_percent(match, offset), match))
    return out if len(out) == found else sorted(out, key=lambda pair: pair[1].start())


def _percent(match: re.Match, offset: int) -> Quantity | None:
    value = parse_number(match.group("num"))
    if value is None:
        return None
    qualifier = "exact"
    for word in (match.group("suffix"), match.group("prefix")):
        if word:
            qualifier = _QUALIFIER[word]
    start, end = match.start() + offset, match.end() + offset
    # Not flagged as a Chinese count: the indefinite-一 and idiom rules are about measure words, not percentages.
    return Quantity(start, end, value, None, "%", qualifier, match.group("num"), False)


_NEW_TUPLE = tuple.__new__  # builds a Quantity without its generated __new__ (one call less per figure)


def _quantity(match: re.Match, offset: int) -> Quantity | None:
    prefix, core, _sep, num2, infix1, mult, infix2, unit, suffix = match.groups()  # QUANTITY's groups, in order
    chinese = core[0] in CN_DIGITS
    # A Chinese core is never read by float() (none of its characters is a decimal digit): straight to the reader.
    value = _parse_written(core) if chinese else parse_number(core)
    if value is None:
        return None
    scale = _SCALE[mult] if mult else 1
    if unit in ("万元", "亿元"):
        scale *= _SCALE[unit[0]]
        unit = "元"
    elif unit == "％":
        unit = "%"
    start, end = match.span()
    if unit == "个":
        for second in _COMPOUND_AFTER_GE:
            if match.string.startswith(second, end):
                unit, end = second, end + len(second)
                break
    value_max = None
    qualifier = "exact"
    if num2:
        upper = parse_number(num2)
        if upper is None or upper <= value:
            return None
        value_max = upper * scale
        qualifier = "range"
    for word in (suffix, infix2, infix1, prefix):
        if word:
            qualifier = _QUALIFIER[word]  # the outermost word wins: 约60余万人 is about
    if num2 and qualifier != "range":
        qualifier = "range"
    return _NEW_TUPLE(Quantity, (start + offset, end + offset, value * scale, value_max, unit, qualifier, core, chinese))
