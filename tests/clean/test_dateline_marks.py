"""A line is tried as a dateline only when it holds the characters every dateline holds (#13)."""

from __future__ import annotations

from hypothesis import given, settings

from corpack.clean import metadata
from tests.helpers import joined_pieces

_LINE = joined_pieces(["新华社", "中新网", "某某晚报", "某某客户端", "北京", "某地", "2023年", "3", "10", "月", "26", "日", "电", "讯", "消息", "【", "】",
                     "：", "(", "（", " ", "·", "某某网", "本报", "报", "台", "社", "新闻", "网"], 16)


@settings(max_examples=1000, deadline=None)
@given(_LINE)
def test_every_dateline_holds_the_marks_looked_for_13(line):
    if metadata._DATELINE.match(line):
        assert metadata._may_hold_dateline(line)
    if metadata._FLASH.match(line):
        assert metadata._may_hold_flash(line)


def test_the_marks_find_the_datelines_of_the_docstring_13():
    for line in ["新华社北京2023年3月4日电", "中新网某地10月26日电", "某某晚报12月29日讯", "某某网3月4日某地讯"]:
        assert metadata._DATELINE.match(line) and metadata._may_hold_dateline(line)
    for line in ["某某网某地讯", "【某某网消息】", "某某网消息：", "某某报讯"]:
        assert metadata._FLASH.match(line) and metadata._may_hold_flash(line)
