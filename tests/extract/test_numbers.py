"""The quantity tokenizer in front of cn2an: odd numbers parse or are skipped, nothing raises."""

from __future__ import annotations

import re
import warnings

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import numbers
from corpack.extract.numbers import find_quantities, parse_number


@pytest.mark.parametrize(
    ("core", "value"),
    [("120", 120), ("1,200", 1200), ("０.５", 0.5), ("一百二十", 120), ("两", 2), ("百", 100), ("十二", 12), ("3.5", 3.5)],
)
def test_parse_number(core, value):
    assert parse_number(core) == value


@pytest.mark.parametrize("core", ["几", "百余", "", "1.2.3"])
def test_unreadable_cores_give_none(core):
    assert parse_number(core) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("投入资金120余万元", (1_200_000, None, "元", "more_than", "120余万元")),
        ("吸纳会员1万余人", (10_000, None, "人", "more_than", "1万余人")),
        ("捐款约3800万元", (38_000_000, None, "元", "about", "约3800万元")),
        ("近百座商务楼宇", (100, None, "座", "nearly", "近百座")),
        ("举办100多个班次", (100, None, "班次", "more_than", "100多个班次")),
        ("惠及6万余人次", (60_000, None, "人次", "more_than", "6万余人次")),
        ("建成3–5个基地", (3, 5, "个", "range", "3–5个")),
        ("增幅达50.5%", (50.5, None, "%", "exact", "50.5%")),
        ("共1,200人参加", (1200, None, "人", "exact", "1,200人")),
        ("培训０.５万人次", (5000, None, "人次", "exact", "０.５万人次")),
        ("一百二十余家企业", (120, None, "家", "more_than", "一百二十余家")),
        ("不到20家", (20, None, "家", "at_most", "不到20家")),
        ("30人以上", (30, None, "人", "at_least", "30人以上")),
        ("约60余万人", (600_000, None, "人", "about", "约60余万人")),
        ("资金1.2亿元", (120_000_000, None, "元", "exact", "1.2亿元")),
        ("上百家企业", (100, None, "家", "more_than", "上百家")),
        ("覆盖率达到百分之八十以上", (80, None, "%", "at_least", "百分之八十以上")),
        ("占比百分之三点五", (3.5, None, "%", "exact", "百分之三点五")),
        ("投资500万美元", (5_000_000, None, "美元", "exact", "500万美元")),
        ("规模为 7 200 万人", (72_000_000, None, "人", "exact", "7 200 万人")),
        ("常住人口1000 万人以上", (10_000_000, None, "人", "at_least", "1000 万人以上")),
    ],
)
def test_quantities(text, expected):
    (quantity, _match), = find_quantities(text)
    assert quantity is not None
    value, value_max, unit, qualifier, quote = expected
    assert (quantity.value, quantity.value_max, quantity.unit, quantity.qualifier) == (value, value_max, unit, qualifier)
    assert text[quantity.start : quantity.end] == quote


def test_years_dates_and_anniversaries_are_not_quantities():
    assert find_quantities("2019年9月20日是改革开放40周年，15岁至59岁") == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789０５.,，一二两三十百千万亿余多约近超过以上左右个人名次元%％-–至第+A ")), max_size=40))
def test_tokenizer_never_raises_and_spans_stay_inside(text):
    for quantity, match in find_quantities(text):
        assert 0 <= match.start() < match.end() <= len(text)
        if quantity is not None:
            assert 0 <= quantity.start < quantity.end <= len(text)
            assert quantity.value >= 0


def test_spaced_digits_never_start_inside_a_number_12():
    text = "2018 200人"
    assert [text[q.start : q.end] for q, _m in find_quantities(text)] == ["200人"]


def test_a_bare_chao_before_the_number_is_more_than_12():
    (quantity, _m), = find_quantities("行业从业者超8千人")
    assert (quantity.value, quantity.qualifier) == (8000, "more_than")
    assert "行业从业者超8千人"[quantity.start : quantity.end] == "超8千人"


def test_wan_may_be_the_numeral_itself_12():
    text = "建起近万个服务点，万余人次受益，上万名群众观看"
    found = [(text[q.start : q.end], q.value, q.qualifier) for q, _m in find_quantities(text)]
    assert found == [("近万个", 10000, "nearly"), ("万余人次", 10000, "more_than"), ("上万名", 10000, "more_than")]


def test_goods_and_teaching_hours_have_units_but_division_words_do_not_12():
    text = "发放便民卡230张、图书60册，授课16课时，统战部五处，2023首届论坛"
    assert [text[q.start : q.end] for q, _m in find_quantities(text)] == ["230张", "60册", "16课时"]


_ALPHABET = st.sampled_from(list("0123456789０５.,，一二两三十百千万亿余多约近超过以上左右个人名次元%％-–至第+A 大将接突破逾不到足之分点班场"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_the_first_character_lookahead_changes_no_match_13(text):
    """The scan's lookahead for the characters a quantity can start with only skips what cannot match."""
    for guarded in (numbers.QUANTITY, numbers.PERCENT_WORDS):
        plain = re.compile(guarded.pattern[guarded.pattern.index(")") + 1 :])
        assert [m.span() for m in guarded.finditer(text)] == [m.span() for m in plain.finditer(text)]


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), st.integers(min_value=0, max_value=10_000))
def test_an_offset_shifts_the_quantities_not_the_matches_13(text, offset):
    plain, shifted = find_quantities(text), find_quantities(text, offset)
    assert [m.span() for _q, m in plain] == [m.span() for _q, m in shifted]
    for (q, _m), (s, _n) in zip(plain, shifted):
        assert (q is None) == (s is None)
        if q is not None:
            assert (s.start, s.end) == (q.start + offset, q.end + offset)
            assert (s.value, s.value_max, s.unit, s.qualifier, s.core) == (q.value, q.value_max, q.unit, q.qualifier, q.core)


def _by_cn2an(text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return cn2an.cn2an(text, "smart")
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):  # what parse_number catches
            return None


def test_plain_chinese_numerals_read_as_cn2an_reads_them_13():
    """The fast reading of plain numerals (一万六千五百五十三) gives cn2an's value for every one it takes."""
    taken = 0
    for n in [*range(0, 100_000, 7), *range(10**4, 10**8, 99_991), 10**8 - 1]:
        written = cn2an.an2cn(n)
        value = numbers._plain_chinese(written)
        if value is not None:
            taken += 1
            assert value == _by_cn2an(written) == n, written
    assert taken > 14_000  # plain numerals do take the fast reading


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("零一二三四五六七八九十百千万两〇亿")), min_size=1, max_size=9))
def test_the_fast_reading_never_disagrees_with_cn2an_13(text):
    value = numbers._plain_chinese(text)
    if value is not None:
        assert value == _by_cn2an(text)
    expected = _by_cn2an(("一" + text) if text[0] in "百千万" else text)
    assert parse_number(text) == (None if expected is None else float(expected))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789０１２３４５６７８９.．,， \u2009\u202f_+-eE一二两三十百千万亿点零〇几余", max_size=12))
def test_a_numeral_float_reads_as_it_is_has_the_value_of_the_full_reading_13(core):
    """parse_number hands a core to float() first (#13): whatever float reads as it is, the full reading
    (full-width digits, thousands marks, cn2an) gives the same value."""
    assert parse_number(core) == numbers._parse_written(core)
