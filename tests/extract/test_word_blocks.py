"""A short form's word boundaries found in its block (the words between two punctuation marks jieba never joins
to a word, #13) are those of the whole text: rjieba cuts the words of a block as it cuts them in the text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import gazetteer

_CHARACTERS = st.sampled_from(list("北京市东方红广场大同心圆资兴投建南昌湖长沙县新区的和在人民政府会议12３a.%-+# \n，。；：！？、“”‘’《》（）"))


def _same(text: str) -> None:
    whole = gazetteer.word_boundaries(text)
    blocks = gazetteer._Blocks(text)
    for start in range(len(text)):
        for end in range(start + 1, len(text) + 1):
            if gazetteer._WORD_STOP.search(text, start, end):
                break  # a name holds no such mark
            assert blocks.whole_word(start, end) == (start in whole and end in whole), (text, start, end)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_CHARACTERS, max_size=40))
def test_a_blocks_boundaries_are_the_whole_texts_13(text):
    _same(text)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["投资兴建", "东方红广场", "最大同心圆", "北京", "长沙", "南昌市", "，", "。", "“", "”", "12个", " "]), max_size=15))
def test_place_words_run_together_cut_as_in_the_whole_text_13(parts):
    _same("".join(parts))


def test_a_short_form_inside_a_word_is_still_passed_over_13():
    assert [p.name for p in gazetteer.find_places.__wrapped__("投资兴建，资兴市")] == ["资兴市"]
