"""indicator, subject, body and year of statistics, on sentences written for these tests (#12)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import labels, statistics
from tests.extract.helpers import assert_quotes_match, document


def _rows(*paragraphs, **kwargs):
    doc = document(*paragraphs, **kwargs)
    rows = statistics.extract(doc)
    assert_quotes_match(doc, rows)
    return {row["quote"]: row for row in rows}


@pytest.mark.parametrize(
    ("sentence", "quote", "indicator"),
    [
        ("全县新的社会阶层人士约3.5万人，分布在各个行业。", "约3.5万人", "population"),
        ("目前全区共有网络人士4200余人。", "4200余人", "population"),
        ("其中自由职业人员占比为41.2%，约1.4万人。", "约1.4万人", "population"),
        ("其中自由职业人员占比为41.2%，约1.4万人。", "41.2%", "share"),
        ("乡镇覆盖率达到百分之七十。", "百分之七十", "share"),
        ("新增会员较去年提高3个百分点。", "3个百分点", "share"),
        ("分会吸纳新的社会阶层人士650人入会。", "650人", "members"),
        ("举办专题研修班，轮训骨干180名。", "180名", "trainees"),
        ("为300多名创业青年提供法律咨询。", "300多名", "participants"),
        ("近80名新的社会阶层人士在广场参加义诊。", "近80名", "participants"),
        ("联谊会现有理事46名。", "46名", "members"),
        ("推荐26人担任区政协委员。", "26人", "representatives"),
        ("设立新的社会阶层人士联络站15个。", "15个", "bases"),
        ("新组建律师服务团3支。", "3支", "organisations"),
        ("共有18家成员单位参加联席会议。", "18家", "organisations"),
        ("第一批8个、第二批11个重点项目落地。", "8个", "projects"),
        ("举办读书分享会6场。", "6场", "activities"),
        ("全年开展座谈交流19次。", "19次", "activities"),
        ("服务队在7个商务楼宇中开展义诊活动。", "7个", "other"),
        ("29个县(市、区)成立了新联会。", "29个", "organisations"),
        ("联谊会会员人数为215人。", "215人", "members"),
        ("选举产生会长1名、副会长6名、秘书长1名。", "6名", "members"),
        ("全区已有网络人士约8000人，其中中介组织从业人员约900人。", "约900人", "population"),
        ("区侨联、工商联代表等60人参加座谈。", "60人", "participants"),
        ("联谊会筹集资金45万元。", "45万元", "funds"),
        ("会员企业年产值达到12亿元。", "12亿元", "other"),
        ("会员捐赠物资折合30万元。", "30万元", "donations"),
        ("为困难会员发放慰问金6万元。", "6万元", "funds"),
        ("建成服务站20个，其中县级6个、乡镇14个。", "14个", "bases"),
        ("展馆收藏作品300多件，60余名手艺人在此驻场。", "60余名", "other"),
        ("入库代表人士分布如下：律师事务所负责人35人、会计师42人。", "42人", "representatives"),
        ("社区志愿者150人参与清洁行动。", "150人", "participants"),
        ("联谊会中有3人当选为区政协委员。", "3人", "representatives"),
        ("建立三类联络机制和“4项服务”。", "三类", "other"),
        ("推出4项活动。", "4项", "activities"),
        ("成立六个会员活动组。", "六个", "organisations"),
        ("明确“2项职责”“5家成员单位”。", "2项", "other"),
    ],
)
def test_indicator_is_read_from_the_words_around_the_number(sentence, quote, indicator):
    assert _rows(sentence)[quote]["indicator"] == indicator


def test_a_count_alone_under_a_list_heading_takes_the_heading():
    rows = _rows("示范城市名单", "(6个)", "甲、乙、丙、丁、戊、己", kinds=("heading", "body", "body"))
    assert rows["6个"]["indicator"] == "cities"


def test_subject_is_the_governing_place_never_a_list_item_or_an_organisation():
    rows = _rows("在南京、苏州、无锡等9个城市开展试点，市新联会发展会员800人。", region="江苏省")
    assert rows["9个"]["subject"] == "江苏省"  # the list names no governing place
    assert rows["800人"]["subject"] == "江苏省" and rows["800人"]["body"] == "新联会"


def test_subject_skips_places_compared_with_and_names_in_quotes():
    rows = _rows("芜湖市人口增幅居安徽省第一，青年人口占比61.3%。“合肥市优秀品牌”评选中获奖4项。", region="安徽省芜湖市")
    assert rows["61.3%"]["subject"] == "芜湖市"
    assert rows["4项"]["subject"] == "芜湖市"


def test_subject_from_sentence_then_paragraph_then_region():
    rows = _rows("株洲市积极探索。全市建成基地8个。", "全省成立联谊组织96家。", "另有报到处30个。", region="湖南省株洲市")
    assert rows["8个"]["subject"] == "株洲市"  # paragraph
    assert rows["96家"]["subject"] == "湖南省"  # 全省: the region's province
    assert rows["30个"]["subject"] == "株洲市"  # the region's most specific division


def test_national_bodies_stand_for_the_whole_country_and_are_the_body():
    rows = _rows("中央统战部在12个城市开展试点。")
    assert rows["12个"]["subject"] == "全国" and rows["12个"]["body"] == "中央统战部"


def test_document_without_region_naming_several_provinces_is_national():
    rows = _rows("会议在成都市召开。", "广州市建立联络站。杭州市成立联盟。", "共确定示范项目40个。")
    assert rows["40个"]["subject"] == "全国"


def test_year_of_the_clause_or_a_sentence_initial_year_only():
    rows = _rows(
        "该会成立于2015年，现有会员320人。",
        "2021年，全市新建基地7个，发展会员90人。",
        "到2022年底，联谊组织达到14家。",
        "为推动工作，2020年，市委统战部新建工作站5个。",
        "2016年成立的网联会，目前已有会员210人。",
        "继2018年确定6个试点后，又确定10个推广单位。",
    )
    assert rows["320人"]["year"] is None
    assert rows["7个"]["year"] == 2021 and rows["90人"]["year"] == 2021
    assert rows["14家"]["year"] == 2022
    assert rows["5个"]["year"] == 2020
    assert rows["210人"]["year"] is None
    assert rows["6个"]["year"] == 2018 and rows["10个"]["year"] is None


def test_same_year_words_take_the_year_stated_before():
    rows = _rows("2019年，区新联会成立。", "同年，新建联络站6个。当年发展会员80人。今年又新增会员40人。")
    assert rows["6个"]["year"] == 2019 and rows["80人"]["year"] == 2019 and rows["40人"]["year"] is None


def test_the_end_of_a_span_of_years_is_no_year():
    rows = _rows("培训规划(2019—2021年)共安排班次12期。")
    assert rows["12期"]["year"] is None


def test_traditional_script_is_read_through_the_simplified_shadow():
    rows = _rows("溫州市新的社會階層人士約1.9萬人。", region=None)
    row = rows["約1.9萬人"]
    assert row["value"] == 19000 and row["qualifier"] == "about"
    assert row["subject"] == "温州市" and row["indicator"] == "population"


def test_places_people_come_from_do_not_govern():
    rows = _rows("来自全国各地的40名代表参加培训。", region="云南省昆明市")
    assert rows["40名"]["subject"] == "昆明市"


def test_whole_level_words_without_a_region_take_the_division_named_before():
    rows = _rows("株洲市醴陵市积极探索，全市建成联络站14个。")
    assert rows["14个"]["subject"] == "醴陵市"


@pytest.mark.parametrize(
    ("sentence", "quote", "indicator"),
    [
        ("全市共建成2个省级、9个市级、31个县级联络站。", "2个", "bases"),  # items sharing the last noun
        ("全市共建成2个省级、9个市级、31个县级联络站。", "9个", "bases"),
        ("先后认定两批实践基地，共计27个。", "27个", "bases"),  # a total referring back
        ("该区作为6个全省新兴领域统战工作创新实践试点城市之一，积极探索。", "6个", "cities"),
        ("其中青年代表人士38人。", "38人", "representatives"),
        ("全区15家会计师事务所负责人加入协会成为首批会员。", "15家", "members"),
        ("9家企业成为会员单位。", "9家", "organisations"),
        ("在60名理事中，女性有17名。", "17名", "members"),
        ("在60名理事中，女性有17名。", "60名", "members"),
        ("建成社区站点23个。", "23个", "bases"),
    ],
)
def test_indicator_of_shared_nouns_totals_sets_and_members_12(sentence, quote, indicator):
    assert _rows(sentence)[quote]["indicator"] == indicator


def test_a_national_designation_does_not_govern_the_subject_12():
    rows = _rows("遵义市被确定为全国示范城市，建成21个市级站点。", region="贵州省")
    assert rows["21个"]["subject"] == "遵义市"
    rows = _rows("全国首批9个试点城市中有遵义市。", region="贵州省")
    assert rows["9个"]["subject"] == "全国"  # a figure between: 全国 is the set's scope


def test_a_place_in_a_set_is_not_the_subject_of_the_set_count_12():
    rows = _rows("遵义市作为11个试点城市之一，先行先试。", region="贵州省遵义市")
    assert rows["11个"]["subject"] is None
    rows = _rows("遵义市作为全国11个试点城市之一，先行先试。", region="贵州省遵义市")
    assert rows["11个"]["subject"] == "全国"
    rows = _rows("遵义市是7个省级试点城市之一。", region="贵州省遵义市")
    assert rows["7个"]["subject"] == "贵州省"


def test_a_clause_stating_its_own_relative_time_takes_no_sentence_initial_year_12():
    rows = _rows("2023年全区接待游客80万人次，今年1-5月接待游客45万人次，近两年新增民宿30家。")
    assert rows["80万人次"]["year"] == 2023
    assert rows["45万人次"]["year"] is None and rows["30家"]["year"] is None


@pytest.mark.parametrize(
    ("sentence", "quote", "indicator"),
    [
        ("镇里组建了86名网格联络员队伍。", "86名", "other"),  # people are never a count of organisations
        ("省级示范项目就达40多个。", "40多个", "projects"),  # an adverb between the noun and the number
        ("会上新设两个专委会。", "两个", "organisations"),
    ],
)
def test_indicator_people_only_people_nouns_and_adverbs_before_the_number_12(sentence, quote, indicator):
    assert _rows(sentence)[quote]["indicator"] == indicator


def test_a_promotion_city_designation_does_not_make_the_subject_national_12():
    rows = _rows("某市是全国新的社会阶层人士统战工作创新推广城市。会上新设两个专委会。", region="福建省厦门市")
    assert rows["两个"]["subject"] == "厦门市"


def test_a_relative_time_clause_ends_the_year_stated_before_it_12():
    rows = _rows("2023年全区接待游客80万人次，去年同期，接待游客60万人次。")
    assert rows["80万人次"]["year"] == 2023 and rows["60万人次"]["year"] is None


@pytest.mark.parametrize(
    ("sentence", "quote", "indicator"),
    [
        ("近90名村民热情参加了义诊。", "近90名", "participants"),
        ("分4个小分队入户走访。", "4个", "organisations"),
    ],
)
def test_indicator_residents_taking_part_and_squads_12(sentence, quote, indicator):
    assert _rows(sentence)[quote]["indicator"] == indicator


def test_nouns_run_together_count_by_their_head_12():
    rows = _rows("会议明确了31家联席会议成员单位的分工，打造4个活动项目。")
    assert rows["31家"]["indicator"] == "organisations" and rows["4个"]["indicator"] == "projects"


def test_a_long_modifier_before_the_counted_noun_12():
    rows = _rows("该区入选全省9个新兴领域统战工作高质量发展综合改革创新试点城市。")
    assert rows["9个"]["indicator"] == "cities"


def test_same_year_words_read_only_their_own_document_13():
    first = _rows("2015年，区新联会成立。", "当年发展会员80人。")
    second = _rows("区新联会成立。", "当年发展会员60人。")
    assert first["80人"]["year"] == 2015 and second["60人"]["year"] is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="2019年代0 -至1。，当", max_size=40), st.data())
def test_the_year_before_a_sentence_is_the_last_one_a_scan_finds_13(text, data):
    # the lookup of 当年/同年 uses an index of the document's years instead of rescanning it from the start
    from corpack.extract.years import _YEAR, _last_year_before

    lo = data.draw(st.integers(0, len(text)))
    scanned = _YEAR.findall(text, 0, lo)
    assert _last_year_before(text, lo) == (int(scanned[-1]) if scanned else None)


_WORDS = ["城市", "基地", "项目", "会员", "单位", "会员单位", "代表", "志愿者", "活动", "会议", "规模", "达", "共有", "已", "为", "（含）",
          "人", "个", "，", "的", "新建", "联谊会", "其中", "学员", "理事长"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=8).map("".join))
def test_the_any_noun_filters_match_where_one_label_does_13(words):
    """The one-pass filters in front of the per-label noun searches pass every text one of those searches matches."""
    assert bool(labels._SOME_NOUN.search(words)) == any(p.search(words) for _l, p in labels._NOUN_ANY)
    assert bool(labels._SOME_NOUN_BEFORE.search(words)) == any(p.search(words) for _l, p in labels._NOUN_BEFORE)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["中央统战部", "省委统战部", "统战部", "统战部门", "新联会", "网联会", "新阶联", "新的社会阶层人士", "知联会",
                                 "联谊会", "联合会", "新阶层", "网络人士", "谊会", "市", "委", "新", "，"]), max_size=8).map("".join))
def test_the_body_lookahead_changes_no_match_13(text):
    plain = re.compile(labels.BODIES.pattern[labels.BODIES.pattern.index("])") + 2 :])
    assert [m.span() for m in labels.BODIES.finditer(text)] == [m.span() for m in plain.finditer(text)]
