"""A document's lines are converted to simplified script in one call, each reading what it alone gives (#13)."""

from __future__ import annotations

import opencc
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean import script

_ALONE = opencc.OpenCC("t2s")
# Traditional phrases OpenCC converts as phrases (乾隆 keeps its 乾, 頭髮 is not 头发 char by char...), single
# characters, the furniture words of the rules, and the newline a line never holds but a string may.
_LINES = st.lists(
    st.lists(st.sampled_from(["乾隆", "乾燥", "頭髮", "髮", "發佈", "時間", "來源", "首頁", "當前位置", "瀏覽次數", "著", "著名",
                              "干", "后", "後", "的", "了", "。", " ", "a", "1", "\n", ""]), max_size=8).map("".join),
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(_LINES, _LINES)
def test_each_line_reads_as_it_does_converted_alone_13(lines, others):
    script.simplify_lines(lines)
    for line in lines + others:  # the document's lines, then strings it does not hold
        assert script.simplified(line) == (_ALONE.convert(line) if line else line)


def test_the_readings_of_the_document_before_are_not_kept_13():
    script.simplify_lines(["發佈時間"])
    script.simplify_lines(["來源"])
    assert "發佈時間" not in script._READINGS
    assert script.simplified("發佈時間") == "发布时间"
