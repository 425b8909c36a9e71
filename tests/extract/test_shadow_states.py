"""The simplified shadow, worked out from the per-process states of code points (#13), is the one-character
conversion of every character, whatever texts came before it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract.shadow import _simplified_char, simplified_shadow

_CHARS = list("萬區處會歲統戰發後髮乾著钟鐘万区处abc 123，。\n") + ["\u2e7f", "\u2e80", "𠀀", "𡚸", "\U0002a6a5", "é", "\x00"]


def _one_by_one(text: str) -> str:
    return "".join(_simplified_char(char) if ord(char) >= 0x2E80 else char for char in text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(_CHARS) | st.characters(blacklist_categories=("Cs",)), max_size=40), min_size=1, max_size=4))
def test_shadow_is_each_character_converted_alone_13(texts):
    for text in texts:  # in turn: each text meets the states the texts before it left
        shadow = simplified_shadow(text)
        assert shadow == _one_by_one(text)
        if shadow == text:
            assert shadow is text  # nothing to simplify: the text itself, not a copy
