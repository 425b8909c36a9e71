"""The year of a figure read from its sentence's last time clause back (years._last_time_clause, #13) is the
year the forward reading of every clause from the sentence's start gave, for made-up sentences."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import SENTENCE_END, Marks, years
from corpack.extract.labels import CLAUSE, clause_end, clause_start
from corpack.extract.numbers import find_quantities


def _forward(text: str, start: int, sentence: tuple[int, int]) -> int | None:
    """years.year as it read every clause forward before #13 (kept here as the reference)."""
    lo, _hi = sentence
    clause_lo = clause_start(text, lo, start)
    if text.find("年", lo, start) < 0:
        if years._NOW.search(text, clause_lo, start):
            return None
        return years._last_year_before(text, lo) if years._SAME_YEAR.match(text, lo) else None
    found_years = years._YEAR.findall(text, clause_lo, start)
    if found_years:
        return int(found_years[-1])
    if years._NOW.search(text, clause_lo, start):
        return None
    found = None
    head = years._YEAR.search(text, lo, start)
    if head is not None and head.start() - lo <= years._SENTENCE_START and years._TIME_PREFIX.fullmatch(text[lo : head.start()].strip()):
        found = int(years._YEAR.findall(text[head.start() : clause_end(text, head.end(), start)])[-1])
    pos = lo
    for m in CLAUSE.finditer(text, lo, clause_lo):
        clause = text[pos : m.start()].strip()
        if years._TIME_CLAUSE.fullmatch(clause):
            found = int(years._TIME_CLAUSE.fullmatch(clause).group(1))
        elif pos > lo and years._RELATIVE_CLAUSE.fullmatch(clause):
            found = None
        pos = m.end()
    if found is None and (years._SAME_YEAR.search(text, clause_lo, start) or years._SAME_YEAR.match(text, lo)):
        found = years._last_year_before(text, lo)
    return found


_PIECES = st.sampled_from([
    "2018年", "2019 年", "2020年底", "2021年以来", "到2022年", "截至2023年3月", "今年", "去年", "近两年来", "今年1-6月",
    "当年", "同年", "目前", "现有", "特别是", "全市", "成立", "新增", "产值", "，", "，", "：", "。", "、", "20个", "3家",
    "5亿元", "100人", "年代", "2015—2017年",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=20).map("".join))
def test_every_figure_has_the_year_of_the_forward_reading_13(text):
    sentences = Marks(SENTENCE_END, text, 0, len(text))
    for q, _match in find_quantities(text):
        if q is not None:
            sentence = sentences.sentence(q.start, q.end, 0, len(text))
            assert years.year(text, q.start, sentence) == _forward(text, q.start, sentence), (text, q.start)
