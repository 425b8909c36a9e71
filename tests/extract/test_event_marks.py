"""Events skips the date scans of a paragraph holding none of the marks a date needs (#13): DATE matches nothing
but empty strings in text without 年, 月, 日, 号 or -, and the day-only pattern nothing in text without 日."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import events

# Every character DATE or the day-only pattern reads, and others; the marks themselves drawn out of it below.
_CHARACTERS = list("当同今去年月日号初底末以来至到—–-~0123456789１２ 电讯内游间近第《》，。的会")


@settings(max_examples=800, deadline=None)
@given(st.text(alphabet=[c for c in _CHARACTERS if c not in events.DATE_MARKS], max_size=40))
def test_text_without_a_date_mark_holds_no_date_13(text):
    assert [m.group(0) for m in events.DATE.finditer(text) if m.group(0)] == []


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=[c for c in _CHARACTERS if c != "日"], max_size=40))
def test_text_without_ri_holds_no_day_only_date_13(text):
    assert list(events._DAY_ONLY.finditer(text)) == []


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_CHARACTERS, max_size=40))
def test_dates_are_found_with_the_marks_13(text):
    found = [m.group(0) for m in events.DATE.finditer(text) if m.group(0)]
    assert all(any(mark in whole for mark in events.DATE_MARKS) for whole in found)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=_CHARACTERS, max_size=40))
def test_a_paragraph_holds_a_mark_when_one_of_the_marks_is_in_it_13(text):
    assert bool(events._DATE_MARK.search(text)) == any(mark in text for mark in events.DATE_MARKS)
