"""The year a report's text fixes for a dateline is found as the former patterns found it: the day-year pattern
looks back after the year's digits, and without a stamp no sentence-opening year is looked for (#13)."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean import metadata

_TEXT = st.lists(
    st.sampled_from(["2023", "2022", "12023", "２０２３", "1", "9", "10", "25", "年", "月", "日", "0", "3", " ", "\n", "。", "，", "全年", "上半年",
                     "第一季度", "某某", "以来", "；", "2023年3月1日", "2022年10月25日", "12023年1月9日", "2023年 03月 9日", "2021年，", "2022年全年"]),
    max_size=40,
).map("".join)
_FORMER_DAY_YEAR = r"(?<!\d)(\d{{4}})年\s*0?{month}月\s*(\d{{1,2}})日"


def _former(text: str, month: int, day: int, stamps: list[dt.date]) -> int | None:
    dated = [int(y) for y, d in re.findall(_FORMER_DAY_YEAR.format(month=month), text) if 0 <= day - int(d) <= metadata._STAMP_DAYS]
    if dated:
        return max(dated)
    near = {year for stamp in stamps for year in (stamp.year, stamp.year - 1)}
    opening = [int(m.group(1)) for m in metadata._OPENING_YEAR.finditer(text) if int(m.group(1)) in near]
    return max(opening) if opening else None


@settings(max_examples=700, deadline=None)
@given(_TEXT, st.sampled_from([1, 3, 10]), st.integers(1, 31), st.lists(st.dates(dt.date(2021, 1, 1), dt.date(2024, 12, 31)), max_size=2))
def test_the_text_fixes_the_year_the_former_patterns_found_13(text, month, day, stamps):
    assert metadata._text_year(text, month, day, stamps) == _former(text, month, day, stamps)
    found = re.findall(metadata._DAY_YEAR.format(month=month), text)
    assert found == re.findall(_FORMER_DAY_YEAR.format(month=month), text)
