"""normalise replaces line breaks by str.replace in order, as the regex scan it replaced did (#13)."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean.normalise import _DROP, normalise

_BREAKS_BEFORE = re.compile("\r\n|[\r\u2028\u2029\x85]")  # the former form


def _normalise_before(text: str) -> tuple[str, int]:
    text = unicodedata.normalize("NFC", _BREAKS_BEFORE.sub("\n", text))
    text, dropped = _DROP.subn("", text)
    text = text.replace("\t", " ").replace("\u00a0", " ")
    return "\n".join(line.strip() for line in text.split("\n")), dropped


_TEXT = st.lists(
    st.sampled_from(["\r", "\n", "\r\n", "\n\r", "\u2028", "\u2029", "\x85", " ", "\t", "\u00a0", "\u3000", "某", "e", "\u0301",
                     "\x00", "\ufeff", "\ufffd", "。"]),
    max_size=40,
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(_TEXT, st.text()))
def test_normalise_breaks_lines_as_the_regex_did_13(text):
    assert normalise(text) == _normalise_before(text)


def test_crlf_is_one_break_13():
    assert normalise("a\r\n\rb\u2028c\x85d\u2029")[0] == "a\n\nb\nc\nd\n"
