"""Designation lists, quoted programme names and people with roles."""

from __future__ import annotations

from corpack.extract import designations, people, programmes
from tests.extract.helpers import assert_quotes_match, document


def test_list_under_a_heading_with_a_stated_count():
    doc = document("试点城市名单", "(3个)", "北京、南昌、长沙", kinds=("heading", "body", "body"))
    rows = designations.extract(doc)
    assert_quotes_match(doc, rows)
    assert [(r["item_no"], r["item"], r["adcode"], r["province"], r["stated_count"], r["list_title"]) for r in rows] == [
        (1, "北京", "110000", "北京市", 3, "试点城市名单"),
        (2, "南昌", "360100", "江西省", 3, "试点城市名单"),
        (3, "长沙", "430100", "湖南省", 3, "试点城市名单"),
    ]


def test_partial_lists_sentences_and_lists_without_heading_are_not_designations():
    doc = document("名单", "北京、天津、上海等", "北京、天津、上海是直辖市。", kinds=("heading", "body", "body"))
    assert designations.extract(doc) == []
    doc = document("北京、天津、上海")
    assert designations.extract(doc) == [] and doc.skipped[0][2] == "enumeration without a heading"


def test_programmes_one_row_per_name_with_kind_and_mentions():
    doc = document("打造“新心向阳”实践创新基地，擦亮“活力新阶层”品牌。", "“新心向阳”再升级，开展“凝聚力量”主题活动。")
    rows = {r["name"]: r for r in programmes.extract(doc)}
    assert_quotes_match(doc, list(rows.values()))
    assert rows["新心向阳"]["kind"] == "base" and rows["新心向阳"]["mentions"] == 2 and rows["新心向阳"]["first_para_no"] == 1
    assert rows["活力新阶层"]["kind"] == "brand"
    assert rows["凝聚力量"]["kind"] == "activity"


def test_people_need_a_role_from_the_text():
    doc = document("市委统战部部长王建国出席会议。", "王建国指出，要做好工作。张伟说得对。")
    rows = people.extract(doc)
    assert_quotes_match(doc, rows)
    assert [(r["name"], r["role"]) for r in rows] == [("王建国", "市委统战部部长"), ("王建国", "市委统战部部长")]
    assert "张伟" not in {r["name"] for r in rows}


def test_role_from_an_election_after_the_name():
    doc = document("会议选举产生了新一届理事会，张华当选会长。")
    assert [(r["name"], r["role"]) for r in people.extract(doc)] == [("张华", "会长")]
