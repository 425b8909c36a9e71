"""The simplified shadow keeps every offset; menus, links and datelines are recognised (#12)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import people, place_mentions
from corpack.extract.page import find_dateline, is_link, navigation
from corpack.extract.shadow import simplified_shadow
from tests.extract.helpers import assert_quotes_match, document


def test_shadow_simplifies_one_character_for_one():
    assert simplified_shadow("全區約1.9萬人，處長說") == "全区约1.9万人，处长说"
    assert simplified_shadow("新的社会阶层") == "新的社会阶层"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("萬區處會歲統戰發後髮乾著钟鐘万区处abc 123，。")), max_size=50))
def test_shadow_has_the_length_of_the_text(text):
    assert len(simplified_shadow(text)) == len(text)


def test_places_and_people_in_traditional_script_are_quoted_as_published():
    doc = document("溫州市網聯會會長李建國出席。")
    places = place_mentions.extract(doc)
    assert_quotes_match(doc, places)
    assert [(p["quote"], p["full_name"]) for p in places] == [("溫州市", "温州市")]
    persons = people.extract(doc)
    assert_quotes_match(doc, persons)
    assert [(p["name"], p["role"]) for p in persons] == [("李建國", "溫州市網聯會會長")]


def test_menu_runs_and_space_separated_menus():
    texts = ["首页", "新闻动态", "业务工作", "正文标题很长的一句话，有标点。", "首页 统战要闻 理论园地 图片新闻", "短句"]
    assert navigation(texts) == {0, 1, 2, 4}


def test_related_links_end_in_a_date_and_have_no_sentence():
    assert is_link("某县开展安全巡检2024-03-29")
    assert is_link("某区召开座谈会 [03-29]")
    assert not is_link("2024-03-29")
    assert not is_link("会议于2024-03-29召开。")
    assert not is_link("| 城阳区 | 12.5")
    assert not is_link("某县委统战部 2023年5月6日")
    assert is_link("上一篇：某县召开2023年新联会年会。")
    assert is_link("某区新联会开展义诊进社区5月20日")  # a month and day glued on, no punctuation
    assert not is_link("某县委统战部 5月20日") and not is_link("座谈5月20日") and not is_link("会员，义诊5月20日")


def test_dateline_is_looked_for_at_the_start_of_the_first_paragraphs():
    text = "标题\n中新网某地8月28日电(记者 某某) 会议召开。"
    found = find_dateline(text, [(0, 2), (3, len(text))])
    assert (found.year, found.month, found.day) == (None, 8, 28)
    assert find_dateline("很长的开头" * 10 + "8月28日电", [(0, 57)]) is None
