"""A text is scanned for quantities only when it holds a unit right after what can end a number (#13): every
QUANTITY match holds such a pair, so the quantities found are those of scanning every text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import numbers
from corpack.extract.numbers import QUANTITY, UNITS, find_quantities

_PIECES = st.sampled_from([
    *UNITS, "0", "7", "12", "3.5", "1,200", "7 200", "１２", "．", "一", "两", "十", "百", "千", "万", "亿", "余", "多",
    "约", "近", "超", "超过", "上", "不到", "以上", "左右", " ", "\u2009", "-", "至", "~", "，", "。", "年", "月", "日",
    "百分之", "企业", "的", "第", "\n",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=20).map("".join))
def test_quantities_are_those_of_scanning_every_text_13(text):
    assert [match.span() for _q, match in find_quantities(text)] == sorted(
        [match.span() for match in QUANTITY.finditer(text)]
        + [p.span() for p in numbers.PERCENT_WORDS.finditer(text) if "百分之" in text and not any(
            a < p.end() and p.start() < b for a, b in (m.span() for m in QUANTITY.finditer(text)))]
    )
    if QUANTITY.search(text):
        assert numbers._MAY_HOLD.search(text)


_CORES = st.sampled_from(["0", "12", "3.5", "1,200", "7 200", "１２", "一", "两", "十", "百", "千", "万", "一百二十", "三千万"])
_OPTIONAL = lambda *words: st.sampled_from(["", *words])  # noqa: E731


@settings(max_examples=500, deadline=None)
@given(st.tuples(
    _OPTIONAL("约", "近", "超过", "超", "上", "不到"), _CORES, _OPTIONAL("-3", "至五", " ~ 8"), _OPTIONAL(" "),
    _OPTIONAL("余", "多"), _OPTIONAL("万", "亿", "千"), _OPTIONAL("余", "多"), st.sampled_from(UNITS),
    _OPTIONAL("以上", "左右"), _OPTIONAL("的企业", "年"),
).map("".join))
def test_every_quantity_alone_holds_a_pair_13(text):
    if QUANTITY.search(text):
        assert numbers._MAY_HOLD.search(text), text
        assert find_quantities(text)
