"""The cheap tests statistics and labels run before a costly match (#13) never pass over a match: whenever the
full search finds something, the shortcut lets it run."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import SENTENCE_END, Marks, labels
from corpack.extract.numbers import find_quantities

_PIECES = st.sampled_from([
    "、", "，", "。", "：", "省级", "市级", "县级", "第一批", "8个", "12名", "3家", "成为", "加入", "被吸纳为", "吸纳为", "发展为",
    "会员单位", "会员", "成员", "理事", "统战部", "统战部门", "市委统战部", "中央统战部", "新联会", "网联会", "新阶联",
    "知联会", "联谊会", "联合会", "新的社会阶层人士", "重点项目", "企业", "为", "在", "“", "”", "20", "年",
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=25).map("".join))
def test_item_lists_and_joining_verbs_are_where_the_shortcuts_look_13(text):
    for end in range(len(text) + 1):
        if labels._NEXT_ITEM.match(text, end):
            assert text.find("、", end, end + 5) >= 0
        for hi in range(end, len(text) + 1):
            if labels._JOINING.match(text, end, hi):
                assert text.find("为", end, hi) >= 0 or text.find("加入", end, hi) >= 0


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=25).map("".join))
def test_a_paragraph_naming_no_body_gives_no_figure_a_body_13(text):
    if labels.BODIES.search(text, 0, len(text)) is not None:
        return
    sentences = Marks(SENTENCE_END, text, 0, len(text))
    for q, _match in find_quantities(text):
        if q is not None:
            sentence = sentences.sentence(q.start, q.end, 0, len(text))
            assert labels.body(text, q.start, q.end, sentence) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("开展中在为用“”《》0９会议基地ab")), max_size=30))
def test_the_words_before_the_first_match_are_those_split_gives_13(words):
    for pattern in (labels._VERB, labels._PHRASE_END):
        assert labels._before_first(pattern, words) == pattern.split(words, maxsplit=1)[0]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("到截至在于自从今去前本近两3年年年初底以来月日起2019代-，当同也是")), max_size=16))
def test_every_time_the_year_rule_reads_holds_a_nian_13(words):
    """years.year passes over the words without 年 before trying its year and time-clause patterns."""
    from corpack.extract import years

    if "年" not in words:
        assert not years._YEAR.search(words)
        assert not years._TIME_CLAUSE.fullmatch(words.strip())
        assert not years._RELATIVE_CLAUSE.fullmatch(words.strip())


# Bodies, figures (and what may touch them: 人士, 门), clause breaks and sentence ends, a few words.
_BODY_PIECES = st.sampled_from([
    "统战部", "市委统战部", "中央统战部", "新联会", "新阶联", "联谊会", "新的社会阶层人士", "新阶层", "8个", "12名",
    "约5万人", "近百人", "10％", "两千余名", "人士", "门", "，", "：", "。", "；", "会员", "企业",
])


@settings(max_examples=800, deadline=None)
@given(st.lists(_BODY_PIECES, min_size=1, max_size=25).map("".join), st.data())
def test_a_paragraphs_bodies_give_each_figure_the_body_its_sentence_search_gives_13(text, data):
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    bodies = labels.Bodies(text, lo, hi)
    assert bool(bodies) == (labels.BODIES.search(text, lo, hi) is not None)
    sentences, clauses = Marks(SENTENCE_END, text, lo, hi), Marks(labels.CLAUSE, text, lo, hi)
    for q, _match in find_quantities(text[lo:hi], lo):
        if q is not None:
            sentence = sentences.sentence(q.start, q.end, lo, hi)
            clause_hi = clauses.first(q.end, sentence[1])
            assert bodies.body(q.start, q.end, sentence, clause_hi) == labels.body(text, q.start, q.end, sentence, clause_hi)
