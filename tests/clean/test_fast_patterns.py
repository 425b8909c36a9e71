"""Patterns and tests of the cleaning steps rewritten for speed find what their former forms found (#13)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean import glosses, markup, paragraphs, repair
from tests.helpers import joined_pieces

# The former forms: the lookbehind first (tried at every character of a document).
_GLOSS_BEFORE = re.compile(
    rf"(?<=[{glosses._CJK}])(?:\((?=[^)]*[{glosses._TONED}])[{glosses._LETTERS}]{{1,6}}\)"
    rf"|（(?=[^）]*[{glosses._TONED}])[{glosses._LETTERS}]{{1,6}}）)"
)
_CLOSING_NAMES_BEFORE = re.compile(rf"(?<!<)/(?P<name>{repair._NAME})\s*>")

# Text made of what the patterns look for and what stands around it.
_TEXT = joined_pieces(["統", "區", "a", "Z", "(", ")", "（", "）", "tǒng", "qū", "ǚ", "me", "<", "/", "span", "p", "b1", ">", " ", "\n",
                     "?", "&", "amp;", "图", "摄", "摄影", "：", "某某", "供图", "。", "（图）", "图为"], 30)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_gloss_pattern_finds_what_the_lookbehind_first_form_found_13(text):
    assert [m.span() for m in glosses.GLOSS.finditer(text)] == [m.span() for m in _GLOSS_BEFORE.finditer(text)]
    assert glosses.GLOSS.subn("", text) == _GLOSS_BEFORE.subn("", text)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_closing_tag_remnants_are_found_as_before_13(text):
    found = [(m.span(), m.group("name")) for m in repair._CLOSING_NAMES.finditer(text)]
    assert found == [(m.span(), m.group("name")) for m in _CLOSING_NAMES_BEFORE.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_caption_and_tag_tests_skipped_on_text_without_their_marks_give_what_the_full_tests_gave_13(text):
    caption = bool(paragraphs._CAPTION_LEAD.match(text)) or (len(text) <= paragraphs.CAPTION_MAX and bool(paragraphs._CAPTION_CREDIT.search(text)))
    assert paragraphs.is_caption_marked(text) == caption
    stripped, breaks = markup._BREAKING.subn("\n", text)
    stripped, tags = markup._TAG.subn("", stripped)
    stripped, entities = markup._ENTITY.subn(lambda m: __import__("html").unescape(m.group(0)), stripped)
    if "<" not in text and "&" not in text:
        assert (breaks, tags, entities, stripped) == (0, 0, 0, text)
    assert markup.strip_tags(text)[0] == stripped
    assert glosses.count_damaged(text) == len(glosses.DAMAGED.findall(text))


_LINE = st.lists(
    st.sampled_from(["更多", "MORE", "More", "more", "ore", " ", "\u3000", "|", "》", ">>", "»", "分享", "微信", "。", "、", "热点", "新闻", "扫一扫", "QQ", "[", "】"]),
    max_size=12,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(_LINE)
def test_lines_passed_over_before_the_prompt_and_box_patterns_are_lines_they_never_match_13(line):
    from corpack.clean import boilerplate

    squeezed = line.replace(" ", "").replace("\u3000", "")
    if boilerplate._PROMPT.match(squeezed):
        assert "。" not in line
    if boilerplate._BOX_HEADING.match(line.strip()):
        assert "更多" in line or "ore" in line or "ORE" in line
