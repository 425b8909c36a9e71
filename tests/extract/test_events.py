"""Dates keep their precision, years are resolved only from the text, never from the clock."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import events
from tests.extract.helpers import assert_quotes_match, document


def _events(*paragraphs):
    doc = document(*paragraphs)
    rows = events.extract(doc)
    assert_quotes_match(doc, rows)
    return [(r["quote"], r["date"], r["date_end"], r["date_precision"], r["year_source"]) for r in rows], doc


def test_partial_dates_stay_partial_and_are_never_guessed():
    rows, _ = _events("3月25日，推进会召开。今年7月，活动举行。2017年2月，会议召开。2025年4月25日，分会成立。")
    assert rows == [
        ("3月25日", "--03-25", None, "day", "unknown"),
        ("今年7月", "--07", None, "month", "unknown"),
        ("2017年2月", "2017-02", None, "month", "stated"),
        ("2025年4月25日", "2025-04-25", None, "day", "stated"),
    ]


def test_relative_years_resolve_from_the_text():
    rows, _ = _events("2019年，基地建成。当年，协会成立。", "同年6月，调研组到访。")
    assert [r[:2] for r in rows] == [("2019年", "2019"), ("当年", "2019"), ("同年6月", "2019-06")]
    assert [r[4] for r in rows] == ["stated", "resolved", "resolved"]


def test_unresolvable_relative_year_and_bare_this_year_are_not_events():
    rows, _ = _events("当年，协会成立。今年是改革开放40周年。")
    assert rows == []


def test_ranges_and_spans_of_years():
    rows, doc = _events("11月28日至29日，会议在深圳召开。培训方案（2018-2020年）出台。2018年初启动计划。")
    assert rows == [("11月28日至29日", "--11-28", "--11-29", "day", "unknown"), ("2018年初", "2018", None, "year", "stated")]
    assert ("events", "2020年", "part of a span of years") in doc.skipped


def test_what_is_the_sentence_and_repeated_statements_count_once():
    doc = document("标题11月28日至29日，会议召开。", "11月28日至29日，会议召开。尤权出席。")
    rows = events.extract(doc)
    assert len(rows) == 1 and rows[0]["what"] == "标题11月28日至29日，会议召开。"


def test_day_only_dates_take_the_month_of_the_dateline_12():
    rows, _ = _events("本网某市9月14日电 某市新联会换届。", "16日，理事会召开首次会议，连续3日开展走访。")
    assert [r[:2] for r in rows] == [("9月14日", "--09-14"), ("16日", "--09-16")]


def test_a_dateline_with_a_year_gives_the_year_too_12():
    rows, _ = _events("某报讯 2023年5月6日讯 联谊会成立。", "8日至9日，会员开展义诊。")
    assert rows[-1] == ("8日至9日", "2023-05-08", "2023-05-09", "day", "resolved")


def test_bare_day_without_a_dateline_keeps_only_the_day_12():
    rows, _ = _events("活动于8日举行，为期5日，第2日开展义诊。")
    assert rows == [("8日", "---08", None, "day", "unknown")]


def test_menus_and_related_links_give_no_events_12():
    rows, doc = _events("首页", "统战动态", "2021年专题", "党建窗口", "某区召开联谊会换届大会2024-03-29", "2019年，联谊会成立。")
    assert [r[:2] for r in rows] == [("2019年", "2019")]
    assert doc.navigation == {1, 2, 3, 4, 5}


def test_a_span_of_months_is_not_a_dashed_date_12():
    # 1-9月 is January to September (a span with date_end, as the gold's range convention has it), never 9 January.
    rows, _ = _events("今年1-9月，会员企业产值增长。2019-09-20，会议召开。1-9月，活动不断。")
    assert [r[:3] for r in rows] == [("今年1-9月", "--01", "--09"), ("2019-09-20", "2019-09-20", None)]


def test_spans_of_months_with_a_year_are_events_with_an_end_12():
    rows, doc = _events("2022年3月至8月，全区开展走访。去年2-5月，联谊会举办义诊。今年9-3月，数据有误。")
    assert [r[:4] for r in rows] == [
        ("2022年3月至8月", "2022-03", "2022-08", "month"), ("去年2-5月", "--02", "--05", "month"),
    ]
    assert ("events", "今年9-3月", "not a span of months") in doc.skipped


def test_a_bare_year_in_a_short_label_line_is_no_event_12():
    rows, doc = _events("2020年脱贫攻坚专题", "2020年5月，联谊会成立。", "2024年3月8日")
    assert [r[0] for r in rows] == ["2020年5月", "2024年3月8日"]
    assert ("events", "2020年", "a bare year in a short label line (menu item or heading)") in doc.skipped


def test_related_article_teasers_and_long_menu_items_give_no_events_12():
    rows, _ = _events(
        "首页", "要闻", "2022年全国两会专题报道", "基层动态", "2022年6月，协会成立。", "某区新联会开展义诊进社区5月20日"
    )
    assert [r[0] for r in rows] == ["2022年6月"]


def test_a_date_inside_a_book_title_is_no_event_12():
    rows, doc = _events("2023年3月，市新联会印发《2023年会员活动安排》。")
    assert [r[:2] for r in rows] == [("2023年3月", "2023-03")]
    assert ("events", "2023年", "inside a title in 《》") in doc.skipped


def test_spaced_dates_as_typeset_pages_have_them_12():
    rows, _ = _events("全国会议于 2017 年 2 月举行，2021 年 1 月 5 日条例印发。")
    assert [r[:2] for r in rows] == [("2017 年 2 月", "2017-02"), ("2021 年 1 月 5 日", "2021-01-05")]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(list("0123456789０年月日号至到-–—~ 当同今去初底末以来电人个，。") + ["19", "20", "201", "年1", "月2"]), max_size=24).map("".join))
def test_the_date_start_lookahead_passes_over_no_date_13(text):
    """DATE's second lookahead (the ways a date can start) skips ordinary digits, and finds every non-empty
    match the pattern finds without it."""
    plain = re.compile(events.DATE.pattern.replace(events._DATE_STARTS, "(?=[当同今去0-9\\-–—~至到])", 1))
    assert plain.pattern != events.DATE.pattern
    for lo in (0, len(text) // 2):
        found = [(m.span(), m.groupdict()) for m in events.DATE.finditer(text, lo) if m.group(0)]
        assert found == [(m.span(), m.groupdict()) for m in plain.finditer(text, lo) if m.group(0)]
