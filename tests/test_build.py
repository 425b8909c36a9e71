"""End-to-end builds: the bundled corpus, determinism, atomicity, bad inputs and --skip-bad."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from corpack.pipeline import build
from corpack.schemas import RESOURCES
from corpack.errors import DecodeError, EmptyDocumentError, ManifestError
from tests.conftest import CORPUS
from tests.helpers import digests, write_corpus

GOOD = "新的社会阶层人士工作综述\n\n全市成立联谊组织12家，吸纳会员500余人。\n".encode()



def _documents(package: Path) -> list[dict]:
    return pq.read_table(package / "data" / "documents.parquet").to_pylist()


def _paragraphs(package: Path) -> list[dict]:
    return pq.read_table(package / "data" / "paragraphs.parquet").to_pylist()


@pytest.mark.slow
def test_bundled_corpus_builds_every_file(built):
    docs = _documents(built)
    assert [d["file"] for d in docs] == sorted(p.name for p in CORPUS.glob("*.txt"))
    assert all(d["encoding"] == "utf-8" for d in docs)
    for doc in docs:
        raw = (CORPUS / doc["file"]).read_bytes()
        assert doc["raw_sha256"] == hashlib.sha256(raw).hexdigest() and doc["raw_bytes"] == len(raw)
    assert set(digests(built)) == {"README.md", "datapackage.json", "CITATION.cff", *(f"data/{name}.parquet" for name in RESOURCES)}


@pytest.mark.slow
def test_no_tag_remnant_is_left_and_the_corrupted_report_reads_right_3(built):
    docs = {d["doc_id"]: d for d in _documents(built)}
    assert not any("/span>" in d["text"] or "</" in d["text"] for d in docs.values())
    repaired = docs["004_9fd3433af4c1c817"]
    assert "选取了99个重点项目" in repaired["text"]
    assert "举办了30多期" in repaired["text"]
    assert "近10万名" in repaired["text"]
    assert repaired["repaired_chars"] > 50
    assert repaired["unrecoverable_chars"] == 3
    assert repaired["published"].isoformat() == "2019-09-20"  # from the manifest: the page's own date is damaged
    assert repaired["publisher"] == "市委统战部"  # read from the page's source line
    assert "function" not in repaired["text"] and "ICP" not in repaired["text"]


@pytest.mark.slow
def test_repeated_guiyang_blocks_appear_once_with_their_copy_count_3(built):
    paragraphs = [p for p in _paragraphs(built) if p["doc_id"] == "000_7841371c21362f10"]
    texts = [p["text"] for p in paragraphs]
    assert len(texts) == len(set(texts))
    heading = next(p for p in paragraphs if p["text"] == "突出分层管理 “新”的队伍更加过硬")
    assert heading["copies_in_source"] == 10 and heading["kind"] == "heading"
    block = [p for p in paragraphs if p["text"].startswith("新的社会阶层人士专业优势突出")]
    assert len(block) == 1 and block[0]["copies_in_source"] == 10
    doc = next(d for d in _documents(built) if d["doc_id"] == "000_7841371c21362f10")
    assert doc["duplicate_paragraphs_removed"] == 37


@pytest.mark.slow
def test_paragraph_offsets_slice_the_document_text(built):
    texts = {d["doc_id"]: d["text"] for d in _documents(built)}
    for para in _paragraphs(built):
        assert texts[para["doc_id"]][para["char_start"] : para["char_end"]] == para["text"]


@pytest.mark.slow
def test_two_builds_give_identical_bytes_3(tmp_path, built):
    again = tmp_path / "again"
    build(CORPUS, again, jobs=2)
    assert digests(again) == digests(built)


def test_created_comes_from_source_date_epoch(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    build(corpus, tmp_path / "out", validate=False)
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["created"] == "2023-11-14T22:13:20Z"


def test_failure_late_in_the_build_leaves_the_old_package_untouched(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    out = tmp_path / "out"
    build(corpus, out)
    before = digests(out)
    (corpus / "b.txt").write_bytes(GOOD)

    def crash(staged: Path) -> None:
        assert (staged / "datapackage.json").is_file()  # the new package is complete but not yet in place
        raise RuntimeError("killed just before the swap")

    with pytest.raises(RuntimeError):
        build(corpus, out, before_install=crash)
    assert digests(out) == before
    left = sorted(p.name for p in out.parent.iterdir() if not p.name.endswith(".lock"))  # lock files stay
    assert left == ["c", "out"]  # no staging folder left behind


def test_bad_file_stops_the_build_and_keeps_the_old_package(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    out = tmp_path / "out"
    build(corpus, out)
    before = digests(out)
    (corpus / "b.bin").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(DecodeError) as info:
        build(corpus, out)
    assert "b.bin" in str(info.value) and "--skip-bad" in info.value.hint
    assert digests(out) == before


def test_skip_bad_lists_skipped_files_in_result_and_package(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "empty.txt": b"", "nul.txt": b"ab\x00cd", "only-nav.txt": "上一篇：某文\n下一篇：某文\n".encode()})
    result = build(corpus, tmp_path / "out", skip_bad=True)
    assert result.documents == 1
    assert [(s["file"], s["code"]) for s in result.skipped] == [("empty.txt", "empty-document"), ("nul.txt", "decode-error"), ("only-nav.txt", "empty-document")]
    descriptor = json.loads((tmp_path / "out" / "datapackage.json").read_text(encoding="utf-8"))
    assert [s["file"] for s in descriptor["corpack:build"]["skipped"]] == ["empty.txt", "nul.txt", "only-nav.txt"]
    assert "nul.txt" in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def test_empty_file_stops_the_build(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD, "empty.txt": b""})
    with pytest.raises(EmptyDocumentError, match="empty"):
        build(corpus, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_encodings_are_decoded_and_recorded(tmp_path):
    text = GOOD.decode()
    corpus = write_corpus(tmp_path / "c", {"gbk.txt": text.encode("gbk"), "u16.txt": text.encode("utf-16"), "bom.txt": b"\xef\xbb\xbf" + GOOD})
    build(corpus, tmp_path / "out")
    docs = {d["doc_id"]: d for d in _documents(tmp_path / "out")}
    assert {k: d["encoding"] for k, d in docs.items()} == {"bom": "utf-8-sig", "gbk": "gb18030", "u16": "utf-16"}
    assert len({d["text"] for d in docs.values()}) == 1


def test_manifest_mismatch_stops_the_build(corpus_copy, tmp_path):
    (corpus_copy / "003_1e9bc4b0840491e7.txt").write_bytes((corpus_copy / "003_1e9bc4b0840491e7.txt").read_bytes() + b"\n")
    with pytest.raises(ManifestError, match="sha256"):
        build(corpus_copy, tmp_path / "out")


def test_doc_id_survives_a_text_correction(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"sub/a.txt": GOOD})
    build(corpus, tmp_path / "one", validate=False)
    (corpus / "sub" / "a.txt").write_bytes(GOOD.replace("500".encode(), "600".encode()))
    build(corpus, tmp_path / "two", validate=False)
    assert [d["doc_id"] for d in _documents(tmp_path / "one")] == [d["doc_id"] for d in _documents(tmp_path / "two")] == ["sub/a"]


KILL_SCRIPT = """
import os, signal, sys
import corpack.pipeline as b
from corpack.tables import TableWriter

where = sys.argv[3]
if where == "writing":
    original = TableWriter.write
    def write(self, rows):
        original(self, rows)
        os.kill(os.getpid(), signal.SIGKILL)
    TableWriter.write = write
else:
    b.install = lambda staged, target: os.kill(os.getpid(), signal.SIGKILL)
b.build(sys.argv[1], sys.argv[2])
"""


@pytest.mark.parametrize("where", ["writing", "before-swap"])
def test_killed_build_leaves_the_old_package_and_the_next_build_clears_its_debris(tmp_path, where):
    import subprocess
    import sys

    corpus = write_corpus(tmp_path / "c", {"a.txt": GOOD})
    out = tmp_path / "out"
    build(corpus, out)
    before = digests(out)
    (corpus / "b.txt").write_bytes(GOOD.replace("12".encode(), "13".encode()))
    killed = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(corpus), str(out), where], capture_output=True)
    assert killed.returncode == -9
    assert digests(out) == before
    assert any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir())  # the killed build's staging folder
    build(corpus, out)
    assert not any(p.name.startswith(".out.tmp-") for p in tmp_path.iterdir())
    assert len(_documents(out)) == 2


def test_a_batch_is_written_once_it_holds_enough_text_13(tmp_path, monkeypatch):
    """Large documents are not held 256 at a time: a batch goes to Parquet once its text reaches BATCH_CHARS,
    and the rows are those of a build that wrote them all at once."""
    from corpack import pipeline

    corpus = write_corpus(tmp_path / "c", {f"r{i}.txt": f"某市召开座谈会第{i}次\n\n全市成立联谊组织{i + 10}家，吸纳会员{i + 100}余人。\n".encode() for i in range(5)})
    whole = tmp_path / "whole"
    build(corpus, whole, jobs=1, progress=False, cache=False)
    monkeypatch.setattr(pipeline, "BATCH_CHARS", 1)
    split = {jobs: tmp_path / f"split{jobs}" for jobs in (1, 2)}
    for jobs, out in split.items():
        build(corpus, out, jobs=jobs, progress=False, cache=False)
    assert pq.ParquetFile(whole / "data" / "documents.parquet").num_row_groups == 1
    assert pq.ParquetFile(split[1] / "data" / "documents.parquet").num_row_groups == 5
    for name in RESOURCES:
        assert pq.read_table(split[1] / "data" / f"{name}.parquet").equals(pq.read_table(whole / "data" / f"{name}.parquet"))
    assert digests(split[2]) == digests(split[1])


def test_parquet_files_are_zstd_at_the_level_the_benchmark_floor_writes_13(built):
    """The build writes zstd level 6 (#13), and the floor of benchmarks/build.py writes as much per byte: the
    floor it is compared with does no more work than the build."""
    import importlib.util

    from corpack.tables import PARQUET_OPTIONS
    from tests.helpers import ROOT

    spec = importlib.util.spec_from_file_location("bench_build", ROOT / "benchmarks" / "build.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    assert PARQUET_OPTIONS["compression"] == "zstd" and PARQUET_OPTIONS["compression_level"] == bench.ZSTD_LEVEL == 6
    meta = pq.ParquetFile(built / "data" / "documents.parquet").metadata
    assert meta.row_group(0).column(0).compression == "ZSTD"
