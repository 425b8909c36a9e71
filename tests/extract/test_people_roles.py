"""The role before a name is found without searching the role pattern at every place (#13), with the same span."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import people

# Pieces a sentence before a name is made of: titles (some ending others: 总书记/书记, 副主席/主席), words,
# the punctuation a role stops at, 、 (trimmed off a role), newlines and spaces.
_PIECES = st.sampled_from([*people.TITLES, "省", "中央统战部", "新阶联", "副", "总", "、", "，", "。", "：", "“", "（", "\n", " ", "a"])


def _by_pattern(text: str, lo: int, pos: int) -> tuple[int, int] | None:
    """What the extractor did before: the role pattern searched in the sentence up to the name."""
    found = people._ROLE_BEFORE.search(text[lo:pos])
    return (lo + found.start("role"), lo + found.end("role")) if found else None


@settings(max_examples=800, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.data())
def test_role_before_gives_the_span_the_role_pattern_matches_13(pieces, data):
    text = "".join(pieces)
    pos = data.draw(st.integers(0, len(text)))
    lo = data.draw(st.integers(0, pos))
    assert people.role_before(text, lo, pos) == _by_pattern(text, lo, pos)


def test_role_before_takes_at_most_40_characters_and_stops_at_punctuation_13():
    words = "某" * 45 + "部长"
    assert people.role_before(words, 0, len(words)) == (5, 47) == _by_pattern(words, 0, len(words))
    words = "某" * 45 + "总书记"  # 40 characters before 总书记, one more than before 书记
    assert people.role_before(words, 0, len(words)) == (5, 48) == _by_pattern(words, 0, len(words))
    text = "会上，中央统战部部长"
    assert people.role_before(text, 0, len(text)) == (3, 10) == _by_pattern(text, 0, len(text))
    assert people.role_before("部长\n", 0, 3) == (0, 2) == _by_pattern("部长\n", 0, 3)
    assert people.role_before("会议代表团", 0, 5) is None is _by_pattern("会议代表团", 0, 5)
