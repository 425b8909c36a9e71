"""The bytes of a file that do not decode as UTF-8, and the control characters of its text, are counted without finding each (#13)."""

from __future__ import annotations

import codecs

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.decoding import _MARKED, _lenient

_BYTES = st.one_of(
    st.binary(max_size=60),
    st.lists(st.sampled_from([b"a", b"\xe4\xb8\xad", b"\xe4\xb8", b"\xff", b"\x80", b"\xed\xa0\x80", b"\xf0\x9f\x98\x80", b"\xc3",
                              b"\xd6\xd0\xce\xc4", codecs.BOM_UTF8, b"\n"]), max_size=30).map(b"".join),
)


@settings(max_examples=1000, deadline=None)
@given(_BYTES, st.sampled_from(["utf-8", "utf-8-sig"]))
def test_undecodable_utf8_bytes_are_the_marks_in_the_text_13(data, codec):
    decoded, _ = _lenient(data, codec)
    assert decoded is not None
    assert decoded.undecodable == len(_MARKED.findall(decoded.text))


def test_a_gbk_file_read_as_utf8_counts_its_bytes_13():
    data = "中文统战部".encode("gbk")
    decoded, _ = _lenient(data, "utf-8")
    assert decoded.undecodable == len(_MARKED.findall(data.decode("utf-8", "surrogateescape"))) > 0


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(["\x00", "\x08", "\t", "\n", "\x0b", "\x0c", "\r", "\x0e", "\x1f", " ", "\x7f",
                                                                   "\x85", "\udc80", "中", "a"]), max_size=40).map("".join)))
def test_control_characters_are_counted_as_the_pattern_finds_them_13(text):
    from corpack.decoding import _CONTROLS, _controls

    assert _controls(text) == len(_CONTROLS.findall(text))
