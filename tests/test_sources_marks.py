"""Decoding's byte marks and text checks, made in C, read the bytes as the per-character rules say (#13).

corpack.decoding marks each undecodable byte as U+DC00 + byte with the built-in ``surrogateescape`` handler where
it can, counts non-ASCII characters and control characters without a Python loop per character; these
properties compare it with the rules written one character at a time.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack import decoding as sources
from corpack.errors import CorpackError, DecodeError

CODECS = ["utf-8", "utf-8-sig", "utf-16", "utf-32", "gb18030", "big5", "big5hkscs", "shift-jis", "euc-kr", "hz"]


def _marked_one_by_one(data: bytes, codec: str) -> str:
    """Each undecodable byte marked by corpack's own handler, called once per failure."""
    return data.decode(codec, "corpack.mark")


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=200), codec=st.sampled_from(CODECS))
def test_undecodable_bytes_are_marked_as_by_the_handler_of_one_byte_at_a_time_13(data, codec):
    try:
        expected = _marked_one_by_one(data, codec)
    except (UnicodeError, LookupError):
        expected = None
    decoded, _reason = sources._lenient(data, codec)
    if expected is None:
        assert decoded is None
        return
    assert decoded.text == expected
    assert decoded.undecodable == sum(1 for ch in expected if 0xDC00 <= ord(ch) <= 0xDCFF)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FFF, blacklist_categories=("Cs",)), max_size=300))
def test_control_characters_and_multibyte_are_counted_as_one_character_at_a_time_13(text):
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\n\r\f\x0b")
    assert sources._multibyte(text) == sum(1 for ch in text if ord(ch) >= 0x80)
    if text and controls / len(text) > sources._MAX_CONTROL_SHARE:
        with pytest.raises(DecodeError, match=f" {controls} control characters in {len(text)}:"):
            sources._check_text(text, "x.txt")
    else:
        assert sources._check_text(text, "x.txt") is text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.binary(max_size=4), st.integers(min_value=0, max_value=60))
def test_damaged_utf8_is_judged_by_its_multibyte_characters_13(text, junk, at):
    raw = text.encode("utf-8", "surrogatepass")
    data = raw[:at] + junk + raw[at:]
    try:
        decoded = sources.decode_text(data, "x.txt")
    except CorpackError:
        return
    if decoded.encoding == "utf-8" and decoded.undecodable:
        marked = data.decode("utf-8", "corpack.mark")
        assert sum(1 for ch in marked if ord(ch) >= 0x80) - decoded.undecodable >= sources.UTF8_EVIDENCE * decoded.undecodable
