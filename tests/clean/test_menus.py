"""Menus, site names and related-article lists are told by their place on the page (#12)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean import clean
from corpack.clean.boilerplate import remove
from corpack.clean.menus import is_menu_line, is_related_heading, is_report_line

BODY = "5月10日，某市新的社会阶层人士联谊会召开年度会议，60余名会员参加。"


def test_a_menu_at_the_top_is_navigation_not_headings_12():
    page = ["首页", "机构概况", "", "工作动态", "2022某市两会专题", "庆祝建党100周年", "某市新联会召开年度会议", BODY]
    cleaned = clean("\n".join(page))
    assert [p.text for p in cleaned.paragraphs] == ["某市新联会召开年度会议", BODY]
    assert cleaned.removed == {"navigation": 5}
    assert not [p for p in cleaned.paragraphs if p.kind == "heading"]
    assert cleaned.metadata["title"] == "某市新联会召开年度会议"


def test_a_menu_on_one_line_and_a_site_name_go_12():
    page = ["首页 | 新闻中心 | 统战要闻 | 理论研究 | 联系我们", "某区统战新闻网", "某区新阶层人士座谈会举行", BODY]
    keep, removed, meta = remove(page)
    assert keep == [False, False, True, True]
    assert removed == {"navigation": 2}
    assert meta["title"] == "某区新阶层人士座谈会举行"


def test_short_headings_inside_the_report_stay_12():
    page = ["某市新联会召开年度会议", BODY, "凝聚共识", "强化引领", "服务大局", BODY.replace("60", "70")]
    keep, _, _ = remove(page)
    assert all(keep)


def test_a_list_of_short_lines_inside_the_report_stays_12():
    page = ["标题行在这里", BODY, "北京", "天津", "上海", "重庆", BODY.replace("60", "80")]
    assert all(remove(page)[0])


def test_related_links_after_a_prompt_and_dated_links_go_byline_stays_12():
    page = [
        "某市新联会召开年度会议",
        BODY,
        "(记者 某某)",
        "相关新闻",
        "某县投入1000万元建设园区",
        "某区开展安全巡检48小时不停歇",
        "某镇召开统战工作会议2024-03-29",
    ]
    keep, removed, _ = remove(page)
    assert keep == [True, True, True, False, False, False, False]
    assert removed == {"prompt": 1, "link-list": 3}


def test_a_page_without_report_lines_is_not_judged_by_place_12():
    page = ["首页", "新闻", "专题", "视频"]
    assert all(remove(page)[0])


def test_report_and_menu_lines_12():
    assert is_report_line(BODY)
    assert not is_report_line("某市新联会召开年度会议")
    assert is_menu_line("首页 新闻动态 业务工作 理论园地 党建窗口")
    assert not is_menu_line("张三 李四 王五")


def test_a_short_title_and_headings_before_the_lead_are_not_a_menu_12():
    page = ["某市新联会成立", "思想引领凝共识", "坚定不移跟党走", BODY]
    assert all(remove(page)[0])


def test_a_flattened_table_after_the_report_stays_12():
    page = ["某市新联会召开年度会议", BODY, "| 城市 | 会员 | 分会 | 备注 |", "|---|---|---|---|", "| 某市 | 120 | 5 | 新设 |"]
    assert all(remove(page)[0])


def test_other_headlines_after_the_report_go_one_alone_stays_12():
    page = ["某市新联会召开年度会议", BODY, "(记者 某某)", "某县投入1000万元建设创业园区", "某区48小时完成安全巡检"]
    keep, removed, _ = remove(page)
    assert keep == [True, True, True, False, False]
    assert removed == {"link-list": 2}
    page = ["某市新联会召开年度会议", BODY, "会议现场 某某公众号 图", "新的征程已经开启"]
    assert all(remove(page)[0])


def test_an_appendix_list_after_the_report_stays_12():
    page = ["某市新联会召开年度会议", BODY, "附：第一批实践创新基地名单", "某区新阶层人士之家", "某园区同心服务站", "某街道统战工作室"]
    assert all(remove(page)[0])
    page = ["某市新联会召开年度会议", BODY, "试点城市名单如下：", "北京", "天津", "上海", "重庆"]
    assert all(remove(page)[0])


_WORDS = ["新的社会阶层人士", "联谊会", "统战部", "会员", "活动", "举办", "服务", "全市", "2023年", "120人", "，", "、"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORDS), min_size=6, max_size=20), min_size=1, max_size=8), st.data())
def test_report_sentences_survive_any_furniture_around_them_12(sentences, data):
    report = ["".join(words) + "。" for words in sentences]
    furniture = ["首页", "新闻动态", "业务工作", "当前位置：首页 > 要闻", "发布时间：2023-06-01 来源：某某网", "分享到：", "京ICP备12345678号",
                 "2020年某市脱贫攻坚专题", "喜迎党的二十大", "来源：某某网", "发布日期：8月7日", "新闻推荐", "热点推荐 更多>>", "sp20241116"]
    head = data.draw(st.lists(st.sampled_from(furniture), max_size=6))
    tail = data.draw(st.lists(st.sampled_from(furniture), max_size=6))
    middle = data.draw(st.lists(st.sampled_from(furniture), max_size=4))  # a box between two report sentences
    text = clean("\n".join([*head, *report[:1], *middle, *report[1:], *tail])).text
    for sentence in report:
        assert sentence in text


def test_a_menu_run_takes_its_year_and_slogan_items_with_it_12():
    menu = ["首页", "机构设置", "统战要闻", "工作动态", "理论研究", "学习贯彻新思想主题教育专题专栏", "2020年某市脱贫攻坚专题", "喜迎党的二十大"]
    page = [*menu, "学习贯彻二十大精神专栏", "某市新联会召开年度会议", BODY]
    cleaned = clean("\n".join(page))
    assert [p.text for p in cleaned.paragraphs] == ["某市新联会召开年度会议", BODY]
    assert cleaned.removed == {"navigation": 9}
    assert cleaned.metadata["title"] == "某市新联会召开年度会议"
    page = [*menu, "凝心聚力！某市新联会召开年度会议", BODY]  # the headline's mark ends the run: the run is judged alone
    assert [p.text for p in clean("\n".join(page)).paragraphs] == ["凝心聚力！某市新联会召开年度会议", BODY]


def test_the_headline_and_the_lines_opening_the_report_after_a_menu_stay_12():
    page = ["首页", "机构设置", "统战要闻", "2023年某市两会专题", "某市新联会召开年度会议", "本报讯", BODY]
    keep, removed, meta = remove(page)
    assert keep == [False, False, False, False, True, True, True]
    assert meta["title"] == "某市新联会召开年度会议"


def test_long_unpunctuated_lines_with_few_section_names_are_not_a_menu_12():
    page = ["某市新联会", "凝聚新力量展现新作为", "奋进新征程建功新时代", "同心共筑中国梦", "某市新联会召开年度会议", BODY]
    assert all(remove(page)[0])


def test_a_related_list_under_its_heading_goes_headlines_with_commas_and_dates_too_12():
    page = [
        "某市新联会召开年度会议",
        BODY,
        "新闻推荐",
        "某县召开新联会工作推进会，部署重点任务，总结全年工作2023-12-01",
        "某区网联会走进社区开展公益活动",
        "热点推荐 更多>>",
        "某县：新阶层人士助力乡村振兴见实效！",
    ]
    keep, removed, _ = remove(page)
    assert keep == [True, True, False, False, False, False, False]
    assert removed["link-list"] == 3 and sum(removed.values()) == 5


def test_a_related_list_ends_where_the_report_goes_on_and_a_bare_heading_stays_12():
    links = ["某区网联会走进社区开展公益活动", "某县新联会举办读书分享会"]
    page = ["某市新联会召开年度会议", BODY, "相关阅读", *links, BODY.replace("60", "70"), "思想引领凝共识"]
    assert remove(page)[0] == [True, True, False, False, False, True, True]
    page = ["某市新联会召开年度会议", BODY, "延伸阅读", "什么是新的社会阶层人士？", BODY.replace("60", "70")]
    assert remove(page)[0] == [True, True, False, True, True]  # one line before more report heads that report
    page = ["某市新联会召开年度会议", BODY, "热点关注", BODY.replace("60", "70")]
    assert all(remove(page)[0])


@pytest.mark.parametrize(
    ("line", "heading"),
    [("新闻推荐", True), ("【相关阅读】", True), ("▍延伸阅读", True), ("热点推荐 更多>>", True), ("- 往期回顾 -", True),
     ("相關閱讀：", True), ("专题推荐", True), ("更多", True), ("热点关注新阶层", False), ("新闻", False), ("推荐某某为代表人士", False)],
)
def test_related_headings_12(line, heading):
    assert is_related_heading(line) is heading
