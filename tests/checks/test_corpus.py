"""The check corpack.corpus on documents and paragraphs, in packages that declare it."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.checking import validate_package
from corpack.checks import codepoints
from corpack.checks.codepoints import CodePoints


def _package_with(make_package, kit, texts: dict[str, list[str]]):
    documents, paragraphs = kit.corpus_rows(texts)
    return validate_package(make_package(documents, paragraphs))


def test_paragraph_text_must_be_its_slice(make_package, kit) -> None:
    documents, paragraphs = kit.corpus_rows()
    paragraphs[1]["char_start"] += 1  # still inside the document, but the text no longer matches
    report = validate_package(make_package(documents, paragraphs))
    assert kit.codes(report) == {"paragraph-offset"}
    [finding] = report.findings
    assert (finding.resource, finding.row, finding.field) == ("paragraphs", 3, "text")
    assert f"documents.text[{paragraphs[1]['char_start']}:" in finding.message


def test_paragraph_offsets_must_fit_the_document(make_package, kit) -> None:
    documents, paragraphs = kit.corpus_rows()
    paragraphs[-1]["char_end"] = 999
    report = validate_package(make_package(documents, paragraphs))
    assert kit.codes(report) == {"paragraph-offset"}
    [finding] = report.findings
    assert finding.row == len(paragraphs) + 1 and "do not fit" in finding.message


def test_paragraphs_out_of_order(make_package, kit) -> None:
    documents, paragraphs = kit.corpus_rows()
    paragraphs[0]["para_no"], paragraphs[1]["para_no"] = 2, 1  # offsets and texts stay consistent
    report = validate_package(make_package(documents, paragraphs))
    assert kit.codes(report) == {"paragraph-order"}
    [finding] = report.findings
    assert finding.row == 2 and "paragraph 2 starts at 0" in finding.message


def test_tag_remnant_in_text(make_package, kit) -> None:
    report = _package_with(make_package, kit, {"a": ["标题", "正文/span>继续"], "b": ["另一篇"]})
    assert kit.codes(report) == {"text-defect"}
    where = {(f.resource, f.field, f.row, f.offset) for f in report.findings}
    assert where == {("documents", "text", 2, 5), ("paragraphs", "text", 3, 2)}
    assert all("HTML tag remnant '/span>'" in f.message for f in report.findings)


def test_replacement_character_in_text(make_package, kit) -> None:
    report = _package_with(make_package, kit, {"a": ["标\ufffd题", "正文"]})
    assert kit.codes(report) == {"text-defect"}
    assert {f.field for f in report.findings} == {"text", "title"}
    assert all("U+FFFD" in f.message and f.offset == 1 for f in report.findings)


def test_control_character_in_text(make_package, kit) -> None:
    report = _package_with(make_package, kit, {"a": ["标题", "正\x07文"]})
    assert kit.codes(report) == {"text-defect"}
    assert all("control character U+0007" in f.message for f in report.findings)


def test_duplicate_paragraph(make_package, kit) -> None:
    report = _package_with(make_package, kit, {"a": ["标题", "同一段。", "中间。", "同一段。"], "b": ["同一段。"]})
    assert kit.codes(report) == {"duplicate-paragraph"}
    [finding] = report.findings
    assert (finding.row, finding.field) == (5, "text") and "repeats row 3" in finding.message


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=5), st.data())
def test_slice_matches_python_slicing(texts: list[str], data: st.DataObject) -> None:
    docs = [i for i, t in enumerate(texts) if t]
    if not docs:
        return
    picks = data.draw(st.lists(st.sampled_from(docs), min_size=1, max_size=8))
    bounds = [sorted(data.draw(st.lists(st.integers(0, len(texts[d])), min_size=2, max_size=2, unique=True))) for d in picks]
    array = pa.array(texts).slice(0)  # one chunk, as the check passes it
    got = CodePoints(array).slice(np.array(picks), np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds]))
    assert got.to_pylist() == [texts[d][s:e] for d, (s, e) in zip(picks, bounds)]


# One to four UTF-8 bytes a code point: ASCII, Latin-1, CJK, astral (emoji, CJK extension B).
_MIXED = st.text(st.sampled_from("ab\néü中文。😀𠀀𪛖"), max_size=40)


@settings(max_examples=120, deadline=None)
@given(st.lists(_MIXED, min_size=1, max_size=6), st.integers(0, 3), st.sampled_from([0, 64, 10**9]), st.data())
def test_code_points_indexed_once_slice_like_python_for_several_tables_13(texts: list[str], skip: int, gather_below: int,
                                                                          data: st.DataObject) -> None:
    skip = min(skip, len(texts) - 1)
    array = pa.array(["😀x"] * skip + texts, pa.large_string() if data.draw(st.booleans()) else pa.string()).slice(skip)
    index = CodePoints(array)  # (an array that starts at an offset into its buffers, as a batch of a window does)
    # slices cut by Arrow (0), by numpy in steps of 5 bytes (10**9), or by their length (64)
    with mock.patch.object(codepoints, "GATHER_BELOW", gather_below), mock.patch.object(codepoints, "_GATHER_BYTES", 5):
        for _table in range(3):  # several span tables cut from the one index
            picks = data.draw(st.lists(st.integers(0, len(texts) - 1), max_size=8))
            bounds = [sorted(data.draw(st.lists(st.integers(0, len(texts[d])), min_size=2, max_size=2))) for d in picks]
            got = index.slice(np.array(picks, np.int64), np.array([b[0] for b in bounds], np.int64),
                              np.array([b[1] for b in bounds], np.int64))
            assert got.type == pa.large_string()
            assert got.to_pylist() == [texts[d][s:e] for d, (s, e) in zip(picks, bounds)]


def test_offsets_are_checked_across_document_batches(make_package, kit, monkeypatch) -> None:
    import corpack.checks.spans as spans

    monkeypatch.setattr(spans, "_BATCH_BYTES", 16)  # a batch per document or two
    documents, paragraphs = kit.corpus_rows()
    assert validate_package(make_package(documents, paragraphs)).valid
    paragraphs[-1]["char_start"] -= 1
    paragraphs[3]["char_end"] -= 1
    report = validate_package(make_package(documents, paragraphs))
    assert kit.codes(report) == {"paragraph-offset"}
    assert [f.row for f in report.findings] == [5, len(paragraphs) + 1]


def test_a_mismatch_is_shown_where_the_strings_part() -> None:
    from corpack.checks.spans import difference

    stated = "新的社会阶层人士统战工作座谈会在市委统战部召开，会议由副部长主持。"
    actual = stated.replace("副部长", "部长们")
    message = difference(stated, actual)
    at = stated.index("副")
    assert f"from character {at}" in message
    assert "副部长" in message and "部长们" in message  # the windows hold the difference, not the shared prefix
    assert "from character 3 (of 3 and 5)" in difference("abc", "abcde")
