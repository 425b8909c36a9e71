"""A line of more than 80 characters holding a 。 is judged by the reprint rule alone, which is what every rule
of boilerplate.classify gives it (#13)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean import boilerplate

_LINE = st.lists(
    st.sampled_from(["。", "，", "某某", "統戰", "当前位置", "首页", ">", ">>", " ", "\u3000", "来源：", "发布时间：", "2023-06-01", "10:21",
                     "2023年6月1日", "今天是", "星期二", "版权所有", "未经授权不得转载", "版權歸某某所有", "转载请注明", "ICP备", "更多",
                     "MORE", "分享到", "微信", "扫一扫", "关键词：", "上一篇", "[图片]", "-第1张图片-", "sp20231123", "function(", "var ",
                     "{", "}", ";", "=>", "document.", "abc", "/", "|"]),
    min_size=1,
    max_size=60,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_LINE, st.integers(0, 90))
def test_a_long_sentence_line_is_judged_as_every_rule_judges_it_13(line, padding):
    line = line + "某" * padding  # (many of them past 80 characters)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(boilerplate, "_LONG_SENTENCE", 10**9)  # the shortcut never taken: every rule asked
        every_rule = boilerplate.classify(line)
    assert boilerplate.classify(line) == every_rule
