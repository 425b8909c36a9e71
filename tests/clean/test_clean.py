"""The whole cleaning stage on documents of our own, and its invariants on arbitrary text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean import clean

PAGE = """<script>var a = 1;</script>
function nav() { if(!window.top) {window.location.href='/';} }$(function(){ $('#x').show(); });
当前位置：首页 > 统战动态 > 正文

全市新的社会阶层人士工作综述

发布时间：2021-05-06 来源：市委统战部 浏览次数：

近年来，全市成立联谊组织12家、/span>吸纳会员500余人亅/span>

近年来，全市成立联谊组织12家、/span>吸纳会员500余人亅/span>

上一篇：某某会议召开
为您推荐
京ICP备12345678号 京公网安备11010502030000号
"""


def test_a_web_page_is_reduced_to_its_report():
    cleaned = clean(PAGE)
    assert [p.text for p in cleaned.paragraphs] == ["全市新的社会阶层人士工作综述", "近年来，全市成立联谊组织12家。吸纳会员500余人了"]
    assert cleaned.paragraphs[1].copies == 2
    assert cleaned.counts["duplicate_paragraphs_removed"] == 1
    assert cleaned.counts["repaired_chars"] == 2
    assert cleaned.counts["boilerplate_lines_removed"] == 6
    assert cleaned.counts["html_removed"] == 1  # the <script> element
    assert cleaned.removed == {"script": 1, "navigation": 2, "page-meta": 1, "prompt": 1, "footer": 1}
    assert str(cleaned.metadata["published"]) == "2021-05-06"
    assert cleaned.metadata["publisher"] == "市委统战部"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("新的社会阶层，。、“”<>/span?\n 12345abc亅")), max_size=300))
def test_clean_never_raises_and_spans_index_the_text(text):
    cleaned = clean(text)
    whole = cleaned.text
    for para, (start, end) in zip(cleaned.paragraphs, cleaned.spans()):
        assert whole[start:end] == para.text
        assert para.text and "\n" not in para.text
    assert len({p.text for p in cleaned.paragraphs}) == len(cleaned.paragraphs)


@given(st.text(max_size=200))
def test_clean_accepts_any_string(text):
    cleaned = clean(text)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\ufffd]", cleaned.text)
