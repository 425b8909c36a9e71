"""A corpus file that is a whole HTML page is reduced to its main text by a kept extractor (#12)."""

from __future__ import annotations

import datetime as dt

from corpack.clean import clean
from corpack.clean.html import is_page

PARAGRAPHS = [
    "近日，某县新的社会阶层人士联谊会成立，首批会员45人，涵盖律师、会计师和网络主播等群体。",
    "会议选举产生了第一届理事会，县委统战部负责人出席会议并讲话，要求联谊会发挥桥梁纽带作用。",
    "据介绍，全县现有新的社会阶层人士约1.2万人，其中新媒体从业人员约800人，自由职业人员约3000人。",
    "下一步，联谊会将围绕乡村振兴和基层治理开展调研，每年组织不少于4次主题活动，服务县域发展大局。",
]
PAGE = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>某县新联会成立_某县新闻网</title>
<meta property="article:published_time" content="2023-06-01"></head>
<body>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/a">新闻动态</a></li><li><a href="/b">业务工作</a></li>
<li><a href="/c">理论园地</a></li><li><a href="/d">党建窗口</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/x">要闻</a> &gt; 正文</div>
<article><h1>某县新联会成立</h1>
<div class="info">发布时间：2023-06-01 来源：某县融媒体中心</div>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS)}
</article>
<div class="related"><h3>相关新闻</h3><ul><li><a href="/1">某镇召开统战工作会议</a></li>
<li><a href="/2">某区开展安全巡检</a></li></ul></div>
<div class="footer">版权所有 某县新闻网 京ICP备12345678号</div>
<script>var a = 1;</script></body></html>
"""


def test_an_html_page_gives_its_report_and_metadata_12():
    cleaned = clean(PAGE)
    texts = [p.text for p in cleaned.paragraphs]
    for paragraph in PARAGRAPHS:
        assert paragraph in texts
    assert not {"首页", "新闻动态", "理论园地", "某镇召开统战工作会议"} & set(texts)
    assert cleaned.metadata["title"] == "某县新联会成立"
    assert (cleaned.metadata["published"], cleaned.metadata["published_source"]) == (dt.date(2023, 6, 1), "meta-line")
    assert cleaned.metadata["publisher"] == "某县融媒体中心"
    assert cleaned.counts["html_removed"] > 20


def test_text_with_a_few_tags_is_not_a_page_12():
    assert not is_page("某县新联会成立<br/>近日，某县新的社会阶层人士联谊会成立。</p>")
    assert is_page(PAGE)


def test_the_extractor_date_is_used_when_the_lines_state_none_12():
    page = PAGE.replace('<div class="info">发布时间：2023-06-01 来源：某县融媒体中心</div>', "")
    cleaned = clean(page)
    assert (cleaned.metadata["published"], cleaned.metadata["published_source"]) == (dt.date(2023, 6, 1), "html-metadata")


def test_the_extractor_date_beats_a_mirror_stamp_12():
    page = PAGE.replace('<div class="info">发布时间：2023-06-01 来源：某县融媒体中心</div>', "<div>发布时间：2025-01-01 来源：sp20250101</div>")
    cleaned = clean(page)
    assert (cleaned.metadata["published"], cleaned.metadata["published_source"]) == (dt.date(2023, 6, 1), "html-metadata")
