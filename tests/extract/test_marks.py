"""A paragraph's sentence ends and clause breaks found once (extract.Marks, #13): the sentence and clause of
every figure are those the scans of sentence_span, clause_start and clause_end find."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import SENTENCE_END, Marks, sentence_span
from corpack.extract.labels import CLAUSE, clause_end, clause_start

_ALPHABET = st.sampled_from(list("。！？!?；;，,：:、甲乙丙12 \n"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, min_size=1, max_size=40), st.data())
def test_marks_find_the_sentence_and_clause_the_scans_find_13(text, data):
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    start = data.draw(st.integers(lo, hi))
    end = data.draw(st.integers(start, hi))
    sentences, clauses = Marks(SENTENCE_END, text, lo, hi), Marks(CLAUSE, text, lo, hi)
    assert sentences.sentence(start, end, lo, hi) == sentence_span(text, start, end, lo, hi)
    s_lo, s_hi = sentence_span(text, start, end, lo, hi)
    inner = data.draw(st.integers(s_lo, s_hi))
    assert clauses.after_last(s_lo, inner) == clause_start(text, s_lo, inner)
    assert clauses.first(inner, s_hi) == clause_end(text, inner, s_hi)


def test_marks_outside_the_range_asked_about_are_not_taken_13():
    text = "甲，乙。丙，丁。"
    clauses = Marks(CLAUSE, text, 0, len(text))
    assert clauses.after_last(2, 5) == clause_start(text, 2, 5) == 2  # the ， at 1 lies before the range
    assert clauses.first(2, 4) == clause_end(text, 2, 4) == 4  # the ， at 5 lies after it
