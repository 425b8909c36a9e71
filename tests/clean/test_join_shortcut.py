"""A paragraph ending in neither a clause mark, an opening bracket or quote, nor a letter, digit or ideograph (a
sentence's end) is never joined to the next line, without asking whether it is a caption (#13)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean import paragraphs
from corpack.clean.paragraphs import Paragraph

_TEXT = st.lists(
    st.sampled_from(["某某", "图", "摄", " ", "图为", "■", "。", "；", "，", "、", ",", "（", "(", "“", "《", "”", "）", "a", "1", "一、", "1.", "-",
                     "：", "!", "?", "…", "某某 摄", "（图）"]),
    min_size=1,
    max_size=20,
).map("".join)


def _former(previous: Paragraph, text: str) -> bool:
    """_should_join as it was: the caption test first."""
    if len(previous.text) == 0 or paragraphs.is_caption_marked(previous.text) or previous.text.endswith(text):
        return False
    if previous.text[-1] in paragraphs._CLAUSE or previous.text[-1] in paragraphs._OPENERS:
        return not (paragraphs.is_caption_marked(text) or paragraphs._LIST_LEAD.match(text))
    if paragraphs._runs_on(previous.text) or previous.lines > 1 and paragraphs._last_is_word(previous.text):
        return paragraphs._may_continue_into(text)
    if paragraphs._last_is_word(previous.text) and text[-1] in paragraphs._CLAUSE:
        return not (paragraphs.is_caption_marked(text) or paragraphs._LIST_LEAD.match(text) or text[0] in paragraphs._OPENERS)
    return False


@settings(max_examples=700, deadline=None)
@given(st.one_of(st.just(""), _TEXT), _TEXT, st.integers(1, 3))
def test_lines_are_joined_as_the_caption_test_first_joined_them_13(previous, text, lines):
    paragraph = Paragraph(previous, lines=lines)
    assert paragraphs._should_join(paragraph, text) == _former(paragraph, text)
