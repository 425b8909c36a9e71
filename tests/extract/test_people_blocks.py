"""People tags only the blocks of a sentence (words between two punctuation marks) that hold a title or an
election word (#13): rjieba tags a block's words as it tags them in the sentence, and the rows are those of
tagging the whole sentence."""

from __future__ import annotations

import rjieba
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import Document, Paragraph, people
from corpack.extract.gazetteer import WORD_STOP
from tests.extract.helpers import draw_span

# Names jieba tags nr, titles before and after them, elections, words, marks (stop marks and others), newlines.
_PIECES = st.sampled_from([
    "尤权", "陈志强", "张华", "李四", "习近平", "王明", *people.TITLES, "总理", "同志", "当选", "当选为", "担任", "出任",
    "中央统战部", "省新阶联", "出席", "会议", "的", "和", "12", "a", "，", "。", "、", "：", "“", "”", "（", "）",
    "；", "!", "?", " ", "\n", "-",
])


def _pieces_tagged(text: str) -> list[tuple[str, str]]:
    """rjieba.tag of ``text`` a block at a time, each stop mark tagged alone."""
    words, start = [], 0
    for m in WORD_STOP.finditer(text):
        words += rjieba.tag(text[start : m.start()]) if m.start() > start else []
        words += rjieba.tag(m.group())
        start = m.end()
    return words + (rjieba.tag(text[start:]) if start < len(text) else [])


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=30))
def test_a_blocks_words_are_tagged_as_in_the_sentence_13(pieces):
    text = "".join(pieces)
    assert _pieces_tagged(text) == rjieba.tag(text)


def _document(text: str) -> Document:
    return Document("d", text, [Paragraph(1, "body", 0, len(text))])  # newlines inside: a title before one counts


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40))
def test_people_rows_are_those_of_tagging_whole_sentences_13(pieces):
    text = "".join(pieces)
    blocks = people.title_blocks
    try:
        people.title_blocks = lambda text, lo, hi: [(lo, hi)]  # every sentence tagged whole, as before
        whole = people.extract(_document(text))
    finally:
        people.title_blocks = blocks
    assert people.extract(_document(text)) == whole


def test_title_blocks_are_the_blocks_holding_a_role_word_13():
    text = "会上，中央统战部部长尤权、张华同志和李四出席“会议”，王明当选会长"
    assert [text[a:b] for a, b in people.title_blocks(text, 0, len(text))] == ["中央统战部部长尤权", "张华同志和李四出席", "王明当选会长"]
    assert people.title_blocks(text, 0, 2) == []


def test_a_name_whose_role_follows_it_in_a_block_without_a_title_keeps_it_13():
    rows = people.extract(_document("张华同志出席，会上中央统战部部长尤权讲话，王明当选会长"))
    assert [(row["name"], row["role"]) for row in rows] == [("张华", "同志"), ("尤权", "会上中央统战部部长"), ("王明", "会长")]


def _blocks_holding_a_role_word(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Every block of ``text[lo:hi]`` between two marks, kept when a role word is in it."""
    blocks, start = [], lo
    for m in WORD_STOP.finditer(text, lo, hi):
        blocks.append((start, m.start()))
        start = m.end()
    blocks.append((start, hi))
    return [(a, b) for a, b in blocks if people._ROLE_KEYS.search(text, a, b)]


@settings(max_examples=800, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.data())
def test_title_blocks_are_every_block_holding_a_role_word_13(pieces, data):
    text = "".join(pieces)
    lo, hi = draw_span(data, text)
    assert people.title_blocks(text, lo, hi) == _blocks_holding_a_role_word(text, lo, hi)
