"""corpack.corpus reads documents and paragraphs once: its checks ride on the reads of the offsets check, and
find what each finds alone, in order or not, and when a column fails part way (#13)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from hypothesis import given, strategies as st

import corpack.checks.corpus as corpus
import corpack.checks.windows as windows
from corpack.checking import validate_package
from corpack.checks.codepoints import CodePoints
import dpcheck.stream as stream
from dpcheck.plugins import SourceError, Table
from tests.checks.conftest import record_reads
from tests.checks.test_streaming import _defective, _seen
from tests.validate.conftest import refresh_hash


def _reversed(folder: Path, name: str, group_rows: int) -> None:
    path = folder / "data" / f"{name}.parquet"
    table = pq.read_table(path)
    pq.write_table(table.take(pa.array(range(table.num_rows - 1, -1, -1))), path, row_group_size=group_rows, compression="zstd")
    refresh_hash(folder, name)


def _alone(monkeypatch: Any) -> None:
    """Make corpack.corpus run its checks one after the other, each reading what it needs."""
    monkeypatch.setattr(corpus, "_together", lambda *_args: False)


@pytest.mark.parametrize("unsorted", [None, "documents", "paragraphs"])
@pytest.mark.parametrize("group_rows", [1, 4, 1000])
def test_checks_riding_on_one_read_find_what_they_find_alone_13(make_package, kit, monkeypatch, group_rows: int, unsorted: str | None) -> None:
    folder = _defective(make_package, kit, group_rows)
    if unsorted is not None:
        _reversed(folder, unsorted, group_rows)
    together = _seen(validate_package(folder))
    assert {code for code, *_ in together[0]} >= {"text-defect", "duplicate-paragraph", "paragraph-order", "paragraph-offset"}
    _alone(monkeypatch)
    assert _seen(validate_package(folder)) == together


def test_the_paragraphs_of_a_valid_package_are_read_once_for_every_check_of_them_13(package, monkeypatch) -> None:
    read = record_reads(monkeypatch, corpus)
    assert validate_package(package).valid
    assert [names for name, names in read if name == "paragraphs"] == [("doc_id", "char_start", "char_end", "text", "para_no")]


def test_paragraph_texts_are_searched_for_defects_unless_all_are_slices_of_clean_documents_13(make_package, kit, monkeypatch) -> None:
    documents, paragraphs = kit.corpus_rows()
    paragraphs[1]["text"] = paragraphs[1]["text"][:1] + "\x01" + paragraphs[1]["text"][1:]  # not its slice: the one defect
    folder = make_package(documents, paragraphs)
    together = _seen(validate_package(folder))
    assert {(code, row) for code, _, row, *_ in together[0]} == {("text-defect", 3), ("paragraph-offset", 3)}
    _alone(monkeypatch)
    assert _seen(validate_package(folder)) == together


def test_a_column_failing_part_way_is_reported_as_when_the_checks_run_alone_13(make_package, kit, monkeypatch) -> None:
    folder = _defective(make_package, kit, 4)
    original = windows.batches

    def batches(table: Table, names: Any) -> Any:
        for i, batch in enumerate(original(table, names)):
            if table.name == "paragraphs" and "para_no" in names and i == 2:
                raise SourceError("cannot read column 'para_no': broken")
            yield batch

    monkeypatch.setattr(windows, "batches", batches)
    monkeypatch.setattr(corpus, "batches", batches)
    failed = _seen(validate_package(folder))
    assert ("source-error", None) in {(code, resource) for code, resource, *_ in failed[0]}
    assert {code for code, *_ in failed[0]} >= {"text-defect", "duplicate-paragraph"}  # found before the failure
    _alone(monkeypatch)
    assert _seen(validate_package(folder)) == failed


def test_a_column_read_with_others_that_fails_is_named_as_when_read_alone_13(make_package, kit, monkeypatch) -> None:
    folder = _defective(make_package, kit, 4)
    path = folder / "data" / "paragraphs.parquet"
    table = pq.read_table(path)
    texts = table.column("text").combine_chunks()
    data = bytearray(texts.buffers()[2].to_pybytes())
    data[-1] = 0xFF  # the last paragraph's text is no longer UTF-8
    broken = pa.Array.from_buffers(pa.string(), len(texts), [texts.buffers()[0], texts.buffers()[1], pa.py_buffer(bytes(data))], offset=texts.offset)
    pq.write_table(table.set_column(table.schema.get_field_index("text"), "text", broken), path, row_group_size=4, compression="zstd")
    refresh_hash(folder, "paragraphs")
    together = _seen(validate_package(folder))
    assert any(code == "source-error" and "'text'" in message for code, _, _, _, _, message in together[0])
    original = stream.ParquetReader.in_turn
    monkeypatch.setattr(stream.ParquetReader, "in_turn", lambda self, names=(): original(self))  # a column a read
    assert _seen(validate_package(folder)) == together


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
def test_code_points_of_texts_cut_from_a_longer_array_slice_them_as_python_does_13(kind: pa.DataType) -> None:
    texts = ["前言", "ab", "", "统计公报：增长5.2%。", None, "𠀀x𠀁", "尾"]
    array = pa.array(["跳过的文本"] * 3 + texts, kind).slice(3)  # its offsets start past the first bytes
    index = CodePoints(array)
    spans = [(i, s, e) for i, t in enumerate(texts) if t for s in range(len(t) + 1) for e in range(s, len(t) + 1)]
    doc, start, end = (np.array(column, np.int64) for column in zip(*spans))
    assert index.slice(doc, start, end).to_pylist() == [texts[i][s:e] for i, s, e in spans]


@given(st.lists(st.one_of(st.none(), st.text(), st.text(alphabet="ab</>\n\t\x7f\x85\x9f\xa0\xb7\ufffd中文 ")), max_size=6),
       st.integers(0, 3))
def test_a_column_told_clean_by_its_bytes_has_no_defect_13(values: list[str | None], cut: int) -> None:
    column = pa.array(["<b>\x00"] * 3 + values).slice(min(cut, 3))  # (bytes before the values are not judged)
    if corpus.surely_clean(column):
        assert not pc.any(pc.match_substring_regex(column, corpus._ANYTHING)).as_py()
    if cut >= 3 and corpus.surely_clean(column):
        assert not any(re.search(corpus._ANYTHING, value) for value in values if value is not None)
