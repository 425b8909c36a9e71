"""The paragraphs a document's subjects were read from are kept for its figures (#13): what is kept of one
text is never another text's answer, and reading a document's place first changes no figure's subject."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import sentence_span, subjects
from corpack.extract.numbers import find_quantities

_PIECES = st.sampled_from([
    "全国", "我国", "国务院", "全省", "全市", "贵州省", "贵阳市", "南明区", "北京", "青岛", "山东省", "作为", "之一",
    "占", "来自", "、", "，", "。", "“", "”", "共有", "企业", "30家", "12个", "5名", "的", "等", "\n",
])
_TEXT = st.lists(_PIECES, min_size=1, max_size=24).map("".join)


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, lo = [], 0
    for line in text.split("\n"):
        spans.append((lo, lo + len(line)))
        lo += len(line) + 1
    return spans


def _subjects(text: str, region: list) -> list[str | None]:
    out = []
    for lo, hi in _paragraphs(text):
        for q, _match in find_quantities(text[lo:hi], lo):
            if q is not None:
                sentence = sentence_span(text, q.start, q.end, lo, hi)
                out.append(subjects.subject(text, q.start, sentence, (lo, hi), region, "标题地"))
    return out


def _fresh(read):
    subjects.forget()
    return read()


@settings(max_examples=200, deadline=None)
@given(_TEXT, _TEXT, st.booleans())
def test_what_is_kept_of_a_text_is_its_own_13(first, second, with_region) -> None:
    region = subjects.region_places("贵州省贵阳市") if with_region else []
    second = "".join(list(second))  # never the same object as first, even when equal
    expected_place = _fresh(lambda: subjects.document_place(second, None, _paragraphs(second)))
    expected = _fresh(lambda: _subjects(second, region))
    subjects.forget()
    subjects.document_place(first, None, _paragraphs(first))  # the first text's paragraphs kept
    _subjects(first, region)
    assert subjects.document_place(second, None, _paragraphs(second)) == expected_place
    assert _subjects(second, region) == expected
    # and with the document's place read first, as statistics.extract does for a document without a region
    subjects.forget()
    subjects.document_place(second, (0, len(second.split("\n")[0])), _paragraphs(second))
    assert _subjects(second, region) == expected
