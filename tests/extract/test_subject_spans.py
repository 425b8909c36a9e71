"""A statistic's subject found from its sentence's candidates, cut at the figure (#13): the same subject as a
search of the words before the figure alone, for every figure of generated reports and of made-up sentences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack import dispatch
from corpack.extract import Document, sentence_span, subjects
from corpack.extract.gazetteer import find_places
from corpack.extract.numbers import find_quantities
from tests.helpers import benchmark_corpus


def _searched_alone(text, start, sentence, paragraph, region, title):
    """The subject as found before the sentence cache: each range searched on its own."""
    plo, phi = paragraph
    places = list(find_places(text[plo:phi]))
    governing = subjects._governing(text, plo, places)
    member = subjects._set_of_members(text, start, sentence, plo, places, region, governing)
    if member is not subjects._NOT_A_SET:
        return member
    for lo, hi in ((sentence[0], start), (plo, sentence[0])):
        found = subjects._candidates(text, plo, lo, hi, places, region, governing)
        if found:
            return found[-1][1]
    return region[-1].full_name if region else title


def _check(text: str, paragraphs: list[tuple[int, int]], region: list) -> int:
    checked = 0
    for lo, hi in paragraphs:
        for q, _match in find_quantities(text[lo:hi], lo):
            if q is None:
                continue
            sentence = sentence_span(text, q.start, q.end, lo, hi)
            expected = _searched_alone(text, q.start, sentence, (lo, hi), region, "标题地")
            assert subjects.subject(text, q.start, sentence, (lo, hi), region, "标题地") == expected, text[lo:hi]
            checked += 1
    return checked


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> list[tuple[dict, list[tuple[int, int]]]]:
    corpus = tmp_path_factory.mktemp("corpus")
    benchmark_corpus().generate(corpus, 200_000, seed=11)
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt"))
    out = []
    for rel in files:
        rows = dispatch.process_document(corpus, rel, {})
        if hasattr(rows, "paragraphs"):
            paragraphs = [(p["char_start"], p["char_end"]) for p in rows.paragraphs]
            out.append((rows.document, paragraphs))
    return out


def test_every_figure_of_generated_reports_has_the_subject_of_its_own_search_13(reports) -> None:
    checked = 0
    for document, paragraphs in reports:
        text = Document(document["doc_id"], document["text"], []).shadow
        for region in (subjects.region_places(document["region"]), []):
            checked += _check(text, paragraphs, region)
    assert checked > 500


_PIECES = st.sampled_from([
    "全国", "我国", "中共中央统战部", "党中央", "国务院", "全省", "全市", "全区", "全县", "贵州省", "贵阳市", "南明区", "北京",
    "青岛", "作为", "之一", "试点", "占", "居", "来自", "、", "，", "。", "；", "“", "”", "《", "》", "共有", "企业",
    "30家", "12个", "5名", "两个", "的", "等",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=30).map("".join), st.booleans())
def test_made_up_sentences_have_the_subject_of_their_own_search_13(text, with_region) -> None:
    region = subjects.region_places("贵州省贵阳市") if with_region else []
    _check(text, [(0, len(text))], region)


def test_the_paragraph_and_sentence_kept_are_kept_per_thread_13() -> None:
    """A Dask worker may run documents in several threads: what one thread keeps of its last paragraph and
    sentence is never read by another."""
    import threading

    text = "2021年，贵阳市成立联谊组织12家。"
    sentence = sentence_span(text, 13, 16, 0, len(text))
    assert subjects.subject(text, 13, sentence, (0, len(text)), [], None) == "贵阳市"
    seen = {}

    def other() -> None:
        seen["paragraph"] = getattr(subjects._LAST, "paragraph", None)
        seen["sentence"] = getattr(subjects._LAST, "sentence", None)

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    assert seen == {"paragraph": None, "sentence": None}
    assert subjects._LAST.paragraph[0] is text and subjects._LAST.sentence[0] is text
