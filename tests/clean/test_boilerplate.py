"""Page furniture is recognised by general rules; report sentences are never taken for it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean import boilerplate
from corpack.clean.boilerplate import classify, is_key_line, remove
from corpack.clean.metadata import read_meta_line


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("var _hmt = _hmt || []; (function() { var hm = document.createElement('script'); })();", "script"),
        ("$(document).ready(function(){ $('#nav').show(); });", "script"),
        ("当前位置：首页 > 新闻中心 > 统战要闻", "navigation"),
        ("您的位置: 首页 >> 工作动态", "navigation"),
        ("首页 > 要闻", "navigation"),
        ("上一篇：全省统战工作会议召开", "navigation"),
        ("下一篇: 无", "navigation"),
        ("发布时间：2021-05-06 09:30 来源：湖南日报 作者：李明", "page-meta"),
        ("相关阅读", "prompt"),
        ("【打印】 【关闭】", "prompt"),
        ("分享到：", "prompt"),
        ("Copyright © 2020 某某网 版权所有 京ICP备12345678号", "footer"),
        ("京公网安备 11010502030000号", "footer"),
        # issue 12: traditional script, arrow trails, mirror stamps, share bars, reprint notices, images
        ("首頁>黨派動態>新階層", "navigation"),
        ("您当前的位置 : 某某网  >  某地在线  >  区县新闻", "navigation"),
        ("热点问题 >社会民生 >", "navigation"),
        ("時間:2022-03-01 10:20:30 來源:某某新聞 作者:某某", "page-meta"),
        ("2024-11-15 10:21:33", "page-meta"),
        ("sp20250101", "page-meta"),
        ("发布时间：2023-06-01", "page-meta"),
        ("2023-06-01 08:00 来源:某某网", "page-meta"),
        ("发布时间 2023-06-01 编辑:宣传处 【字体：大 中 小】", "page-meta"),
        ("微博 微信 QQ空间", "prompt"),
        ("字号：[大][中][小]", "prompt"),
        ("人物语录 更多", "prompt"),
        ("热点专题 | MORE", "prompt"),
        ("发布日期：8月7日", "page-meta"),
        ("网站地图 | 联系我们", "prompt"),
        ("1.本网稿件版权均属某某网所有，未经本网书面授权，任何媒体不得转载。违者本网将依法追究责任。", "footer"),
        ("本網其他轉載稿件涉及版權等問題，請作者在一周內來電或來函。", "footer"),
        ("(相关资料图)", "image"),
        ("微信扫一扫关注该公众号", "prompt"),
        ("点击上方蓝字关注我们", "prompt"),
        ("写留言 在看 赞", "prompt"),
        ("打开某某新闻 查看精彩图片", "prompt"),
        ("欢迎访问中共某某市委统战部网站", "prompt"),
        ("今天是：2024年3月5日 星期二", "page-meta"),
        ("关键词：新阶层 人士 统战工作", "page-meta"),
        ("某县召开新联会成立大会-第2张图片-某某网络", "image"),
    ],
)
def test_boilerplate_kinds(line, kind):
    assert classify(line) == kind


@pytest.mark.parametrize(
    "line",
    [
        "近年来，全省各级统战部门每年举办新的社会阶层人士培训班100多个班次，培训4000多人次。",
        "位置优越的园区吸引了大量新的社会阶层人士。",
        "会议从5个方面明确提出了下一步工作方向。",
        "“评论”一词在这里指的是网络评论员队伍建设，来源于基层实践。",
        "首页设计获奖",
        "评论员队伍",
        # issue 12: report lines that mention furniture words stay
        "会议现场 某某公众号 图",
        "(记者 某某)",
        "责任编辑：某某",
        "为群众办实事 提供更多",
        "来源：某市委统战部",
        "报名时间：8月7日",
        "新华社北京3月4日电（记者 某某）某某会议4日在京召开。",
        "参会人员分为三类：企业家>律师>自由职业者，人数依次减少。",
        "2023年，全市新联会会员增长到1200人，版权代理等行业人士加入。",
        "视频",
        "时间：2023年6月1日 地点：某某会议中心",
        "2023年6月1日",
    ],
)
def test_report_sentences_are_kept(line):
    assert classify(line) is None


def test_page_metadata_reads_complete_dates_and_sources_only():
    assert read_meta_line("发布日期：2019-09-20 来源：市委统战部 浏览次数：") == {"published": dt.date(2019, 9, 20), "publisher": "市委统战部"}
    assert read_meta_line("发布日期?019-09-20 来源:市委统战部") == {"publisher": "市委统战部"}


def test_trailing_link_list_goes_but_a_dash_inside_the_text_stays():
    lines = ["标题", "- 不是链接而是正文中的一个破折号开头的较长句子，它结束了。", "正文。", "", "- 相关链接一", "- 相关链接二"]
    keep, removed, _ = remove(lines)
    assert keep == [True, True, True, True, False, False]
    assert removed == {"link-list": 2}


def test_organiser_and_phone_lines_inside_the_report_stay_12():
    body = "近日，某市新的社会阶层人士联谊会举办公益讲座，60余名会员和市民参加了活动。"
    lines = ["某市新联会举办公益讲座", body, "主办单位：某市新联会 承办单位：某区新联会", body.replace("60", "70"), "主办单位：某市委统战部 技术支持：某某公司"]
    keep, removed, _ = remove(lines)
    assert keep == [True, True, True, True, False]
    assert removed == {"footer": 1}


def test_key_lines_before_the_report_are_page_meta_a_source_note_after_it_stays_12():
    body = "8月6日，某市新的社会阶层人士联谊会组织网络主播开展助农直播，销售农产品3000余单。"
    page = ["某市新联会开展助农直播活动", "来源：某某网", "发布日期：8月7日", body, "来源：某市委统战部"]
    keep, removed, meta = remove(page)
    assert keep == [True, False, False, True, True]
    assert removed == {"page-meta": 2}
    assert (meta["title"], meta["publisher"]) == ("某市新联会开展助农直播活动", "某某网")
    assert "published" not in meta  # 8月7日 has no year and nothing fixes one
    assert is_key_line("發佈時間：08-07 10:21") and is_key_line("【来源：某某资讯】")
    assert not is_key_line("来源：据某市统计，全市共有会员120人") and not is_key_line("时间：8月7日")


def test_a_source_line_beside_a_year_less_date_line_goes_even_below_a_lead_12():
    lead = "某市新的社会阶层人士联谊会近日组织网络主播开展助农直播，销售农产品3000余单，助力乡村振兴。"
    body = "8月6日，直播在某镇举行，主播们走进田间地头，向网友介绍当地特色农产品。"
    page = ["某市新联会开展助农直播活动", lead, "来源：某某网", "", "发布日期：8月7日", body, "来源：某市委统战部"]
    keep, removed, _ = remove(page)
    assert keep == [True, True, False, True, False, True, True]
    assert classify("发布时间：08-07 10:21") == "page-meta"


_PIECES = ["发布日期", "发布时间", "日期:", "时间：", "来源:", "作者 :", "编辑：", "浏览次数", "点击数", "阅读：", "字号", "【打印】",
           "打印本页", "分享到", "发表于", "2023-06-01", "2021年5月6日", "10:21", "function(", "document.", "window.", "=>",
           ") {", "} )", "; }", "a", "d", "w", "f", " ", "发", "日", "时", "１２３４", "٢٠٢٣", "。", "x.document."]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_first_character_lookaheads_change_no_match_13(line):
    """The lookaheads heading _CODE_MARKS and _META_KEYS only pass over places no match starts at."""
    for guarded in (boilerplate._CODE_MARKS, boilerplate._META_KEYS):
        plain = re.compile(guarded.pattern[guarded.pattern.index("])") + 2 :])
        assert guarded.findall(line) == plain.findall(line)
