"""A programme's kind is found by one search of every kind's words (#13): the kind of the earliest hit, and of
hits at one place the first kind by name, as the least (start, kind) of each kind's own first hit."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import programmes

_WORDS = [word for _kind, pattern in programmes._KINDS for word in pattern.pattern.split("|")]
_TEXT = st.lists(st.sampled_from([*_WORDS, "基", "地", "动", "服务", "联", "盟", "的", "，", "“", "、", "。", "新"]), max_size=12).map("".join)


def _by_each_kind(name: str, after: str) -> str:
    """The kind as worked out before the kinds' words were one pattern: each kind searched on its own."""
    window = programmes._CLAUSE_END.split(after[: programmes._AFTER_WINDOW], maxsplit=1)[0]
    for text in (window, name):
        hits = [(m.start(), kind) for kind, pattern in programmes._KINDS for m in [pattern.search(text)] if m]
        if hits:
            return min(hits)[1]
    return "other"


@settings(max_examples=500, deadline=None)
@given(_TEXT, _TEXT)
def test_the_kind_is_the_least_hit_of_each_kind_searched_alone_13(name, after):
    assert programmes._classify(name, after) == _by_each_kind(name, after)
