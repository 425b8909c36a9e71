"""The tag-strip repair rule, on strings of our own."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from corpack.clean.repair import has_remnants, repair_line


def test_closing_tag_remnant_restores_the_previous_code_point():
    assert repair_line("共同举办亅/span>30多期", opening=False) == ("共同举办了30多期", 1, 0)
    assert repair_line("进展、/span>下一句", opening=False) == ("进展。下一句", 1, 0)
    assert repair_line("改革开攽/span>40周年", opening=False) == ("改革开放40周年", 1, 0)


def test_question_mark_before_a_remnant_is_kept_and_counted():
    assert repair_line("召开?/span>20次", opening=False) == ("召开?20次", 0, 1)


def test_quotes_and_dashes_are_restored_too():
    line = "开屔/span>‛/span>弘扬正能量“/span>教育, 时仢/span>”—–/span>庆祝"
    assert repair_line(line, opening=False) == ("开展“弘扬正能量”教育, 时代”——庆祝", 5, 0)


def test_opening_remnant_is_repaired_only_when_asked():
    line = "位置9a href=\"//example.org/\" >首页"
    assert repair_line(line, opening=True) == ("位置:首页", 1, 0)
    assert repair_line(line, opening=False)[0] == line


def test_intact_tags_and_ordinary_text_are_left_alone():
    assert repair_line("a</span>b", opening=True) == ("a</span>b", 0, 0)
    assert repair_line("p>0.05, and/or 1/2>0", opening=False) == ("p>0.05, and/or 1/2>0", 0, 0)
    assert repair_line("比例为1/3", opening=True) == ("比例为1/3", 0, 0)


def test_unknown_element_names_are_not_remnants():
    assert repair_line("x/foo>", opening=False) == ("x/foo>", 0, 0)
    assert not has_remnants("km/h> and x/foo>")
    assert has_remnants("了亅/span>")


def test_remnant_at_line_start_is_dropped():
    assert repair_line("/p>正文", opening=False) == ("正文", 0, 0)


@given(st.text(max_size=200))
def test_repair_never_raises_and_is_idempotent_once_remnants_are_gone(text):
    once, _, _ = repair_line(text.replace("\n", ""), opening=True)
    if not has_remnants(once):
        assert repair_line(once, opening=True)[0] == once
