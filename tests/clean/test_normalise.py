"""Unicode and line normalisation."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from corpack.clean.normalise import normalise


def test_nfc_not_nfkc_keeps_full_width_punctuation():
    text, dropped = normalise("全国３１个省（区、市），“新”力量：e\u0301")
    assert text == "全国３１个省（区、市），“新”力量：\u00e9"
    assert dropped == 0


def test_controls_zero_width_bom_and_replacement_chars_are_dropped_and_counted():
    text, dropped = normalise("\ufeff正\u200b文\x07\ufffd。")
    assert (text, dropped) == ("正文。", 4)


def test_line_breaks_unified_and_indentation_stripped():
    assert normalise("　　第一段。\r\n\t第二段。\r第三段。\u2029")[0] == "第一段。\n第二段。\n第三段。\n"


@given(st.text(max_size=300))
def test_normalise_is_idempotent(text):
    once, _ = normalise(text)
    assert normalise(once) == (once, 0)
