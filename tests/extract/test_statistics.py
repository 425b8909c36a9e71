"""Which quantities are statistics, and what is recorded about them (sentences written for the tests)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import statistics
from tests.extract.helpers import assert_quotes_match, document


def _quotes(*paragraphs, **kwargs):
    doc = document(*paragraphs, **kwargs)
    rows = statistics.extract(doc)
    assert_quotes_match(doc, rows)
    return [row["quote"] for row in rows], doc


def test_counts_are_kept_and_non_counts_skipped_with_reasons():
    quotes, doc = _quotes(
        "2021年，全市成立联谊组织15家，发展会员超过300人，第二批建设8个基地，开展“五个一”活动，"
        "一支队伍也在其中，二次创业热潮兴起，千家万户受益，“1+6”模式推广，用了3个月时间。"
    )
    assert quotes == ["15家", "超过300人", "8个"]
    reasons = {quote: reason for _e, quote, reason in doc.skipped}
    assert reasons["一支"] == "indefinite 一"
    assert reasons["二次"].startswith("二 before")
    assert reasons["千家"].startswith("bare round numeral")
    assert reasons["3个"] == "duration"


def test_arabic_counts_inside_quotes_are_kept_chinese_slogans_are_not():
    quotes, _doc = _quotes("明确“3项职责”和“四个意识”。")
    assert quotes == ["3项"]


def test_number_after_an_unrecoverable_character_is_skipped_only_where_one_was_flagged():
    flagged, _ = _quotes("党中央召开?20次会议。", unrecoverable=1)
    plain, _ = _quotes("党中央召开?20次会议。")
    assert flagged == [] and plain == ["20次"]


def test_a_figure_starting_a_paragraph_follows_no_unrecoverable_character():
    """Nothing stands before it, so nothing lost can have been 第 (the empty string is in every string)."""
    quotes, doc = _quotes("3个单位参加，共有5个单位。", unrecoverable=1)
    assert quotes == ["3个", "5个"] and doc.skipped == []


def test_fields_subject_indicator_year():
    doc = document("2019年，长沙市新的社会阶层人士联谊会吸纳会员1200人，捐款50万元。", region="湖南省")
    rows = {row["quote"]: row for row in statistics.extract(doc)}
    members, money = rows["1200人"], rows["50万元"]
    assert members["subject"] == "长沙市" and members["indicator"] == "members" and members["year"] == 2019
    assert money["value"] == 500_000 and money["unit"] == "元" and money["indicator"] == "donations"
    assert members["stat_id"] == "t:" + f"{members['char_start']:07d}-{members['char_end']:07d}"


def test_subject_falls_back_to_the_document_region():
    doc = document("共建成基地12个。", region="湖南省")
    (row,) = statistics.extract(doc)
    assert row["subject"] == "湖南省" and row["indicator"] == "bases"


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("全市共有12个基地，近百座楼宇约3万余人次。第二十大“四个”?一两百千萬個區處溫州")), max_size=60))
def test_every_statistic_quotes_its_span(text):
    doc = document(text)
    assert_quotes_match(doc, statistics.extract(doc))


def test_person_times_are_participants_unless_training():
    doc = document("参与会员达1.2万人次，培训骨干300人次。")
    rows = {row["quote"]: row["indicator"] for row in statistics.extract(doc)}
    assert rows == {"1.2万人次": "participants", "300人次": "trainees"}


def test_a_figure_opening_a_paragraph_is_kept_12():
    quotes, doc = _quotes("45人参加了培训。", "12个基地建成。")
    assert quotes == ["45人", "12个"] and doc.skipped == []


def test_spaced_ordinals_are_still_ordinals_12():
    quotes, _doc = _quotes("召开第 3 次会员大会，到会 120 人。")
    assert quotes == ["120 人"]


def test_unit_is_written_as_the_text_has_it_in_traditional_script_12():
    doc = document("全市已成立7個聯誼會，分為兩類，服務對象3.5萬人，籌集資金12萬元。")
    rows = statistics.extract(doc)
    assert_quotes_match(doc, rows)
    assert [(row["quote"], row["unit"]) for row in rows] == [
        ("7個", "個"), ("兩類", "類"), ("3.5萬人", "人"), ("12萬元", "元"),
    ]


def test_a_bare_wan_without_qualifier_is_an_idiom_and_a_number_without_counting_word_is_no_statistic_12():
    quotes, doc = _quotes("万人徒步活动吸引网民约3万，全县建成近万个联系点，惠及千万家庭、百万人口。")
    assert quotes == ["近万个"]
    assert ("statistics", "万人", "bare round numeral without qualifier (idiom)") in doc.skipped


def test_a_place_opening_a_paragraph_governs_whatever_ends_the_paragraph_before():
    """The words before a place are read within its paragraph: 于 ending the paragraph before is not 于 before it."""
    doc = document("座谈会的成果归功于", "长沙市吸纳会员1200人。", region="湖南省")
    (row,) = statistics.extract(doc)
    assert row["quote"] == "1200人" and row["subject"] == "长沙市"
