"""Lines a pattern cannot match are not scanned with it: the date keys of a metadata bar, the date ending a
dated link (#13)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean import boilerplate, menus

_LINE = st.lists(
    st.sampled_from(["日期", "时间", "日", "期", "时", "间", "：", ":", " ", "\n", "2023", "-", "/", ".", "年", "6", "月", "1", "10:21", "１", "٣",
                     "某县开展安全巡检", "(", ")", "（", "）", "[", "]", "来源", "作者：", "某", "abc"]),
    max_size=30,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_LINE)
def test_date_keys_are_marked_as_the_pattern_marks_them_13(line):
    assert boilerplate._keyed_dates_marked(line) == boilerplate._KEYED_DATE.sub("时间:", line)


@settings(max_examples=500, deadline=None)
@given(_LINE)
def test_a_line_the_dated_pattern_matches_ends_as_it_must_13(line):
    if menus._DATED.match(line):
        assert menus._may_end_dated(line)


_DATED = st.tuples(
    st.text(st.sampled_from("某县开展安全巡检 abc-|"), min_size=4, max_size=20),
    st.sampled_from(["", "[", "(", "（"]),
    st.sampled_from(["2023", "２０２３", "٢٠٢٣"]),
    st.sampled_from(["-", "/", ".", "年"]),
    st.sampled_from(["6", "06", "１"]),
    st.sampled_from(["-", "/", ".", "月"]),
    st.sampled_from(["1", "29", "３"]),
    st.sampled_from(["", "日"]),
    st.sampled_from(["", " 10:21", " 9:05:33"]),
    st.sampled_from(["", "]", ")", "）"]),
    st.sampled_from(["", "\n"]),
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_DATED)
def test_every_dated_link_ends_as_the_dated_pattern_ends_13(line):
    assert menus._DATED.match(line)
    assert menus._may_end_dated(line)
