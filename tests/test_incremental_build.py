"""Incremental builds: unchanged files reuse their cached rows, output bytes as a clean build's (#13)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpack import pipeline, rowcache
from corpack.cli import cli
from corpack.pipeline import build
from corpack.rowcache import cache_dir
from tests.helpers import write_corpus


def _report(i: int, extra: str = "") -> bytes:
    return (f"某市召开新的社会阶层人士座谈会第{i}次\n\n2021年3月{i + 1}日，温州市委统战部召开座谈会，部长王建国出席。"
            f"全市成立联谊组织{i + 10}家，吸纳会员{i + 100}余人。{extra}\n").encode()


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def counted(monkeypatch):
    """The corpus-relative paths process_document is called for."""
    calls: list[str] = []
    real = pipeline.process_document

    def counting(corpus_dir, rel, manifest):
        calls.append(rel)
        return real(corpus_dir, rel, manifest)

    monkeypatch.setattr(pipeline, "process_document", counting)
    return calls


@pytest.fixture
def corpus(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    return write_corpus(tmp_path / "corpus", {f"r{i}.txt": _report(i) for i in range(5)})


def test_a_changed_file_is_the_only_one_processed_again_13(tmp_path, corpus, counted):
    out = tmp_path / "out"
    build(corpus, out, cache=True)
    assert sorted(counted) == [f"r{i}.txt" for i in range(5)]
    (corpus / "r2.txt").write_bytes(_report(2, "另有志愿者300人参加。"))
    (corpus / "r5.txt").write_bytes(_report(5))
    counted.clear()
    result = build(corpus, out, cache=True)
    assert sorted(counted) == ["r2.txt", "r5.txt"] and result.reused == 4
    clean = tmp_path / "clean"
    build(corpus, clean)
    assert _digests(out) == _digests(clean)


def test_an_unchanged_rebuild_reads_every_row_from_the_cache_and_prunes_the_rest_13(tmp_path, corpus, counted):
    out = tmp_path / "out"
    first = build(corpus, out, cache=True)
    before = _digests(out)
    (corpus / "r4.txt").unlink()
    counted.clear()
    result = build(corpus, out, cache=True)
    assert counted == [] and result.reused == 4 and first.reused == 0
    assert len(list(cache_dir(out).glob("*/*"))) == 4  # the removed file's entry is gone
    (corpus / "r4.txt").write_bytes(_report(4))
    build(corpus, out, cache=True)
    assert _digests(out) == before


def test_new_code_or_libraries_miss_the_cache_13(tmp_path, corpus, counted, monkeypatch):
    out = tmp_path / "out"
    build(corpus, out, cache=True)
    monkeypatch.setattr(rowcache, "code_fingerprint", lambda: "another corpack")
    counted.clear()
    assert build(corpus, out, cache=True).reused == 0 and len(counted) == 5


def test_a_damaged_entry_is_computed_again_13(tmp_path, corpus, counted):
    out = tmp_path / "out"
    build(corpus, out, cache=True)
    before = _digests(out)
    for entry in cache_dir(out).glob("*/*"):
        entry.write_bytes(b"not a cache entry")
    counted.clear()
    result = build(corpus, out, cache=True)
    assert result.reused == 0 and len(counted) == 5 and _digests(out) == before


def test_a_manifest_change_misses_the_cache_13(tmp_path, corpus, counted):
    out = tmp_path / "out"
    build(corpus, out, cache=True)
    (corpus / "manifest.csv").write_text("file,title\nr1.txt,人工标题\n", encoding="utf-8")
    counted.clear()
    build(corpus, out, cache=True)
    assert counted == ["r1.txt"]


def test_j2_with_the_cache_writes_the_bytes_of_a_clean_build_13(tmp_path, corpus):
    out = tmp_path / "out"
    build(corpus, out, cache=True, jobs=2)
    (corpus / "r0.txt").write_bytes(_report(0, "新增会员20人。"))
    assert build(corpus, out, cache=True, jobs=2).reused == 4
    clean = tmp_path / "clean"
    build(corpus, clean)
    assert _digests(out) == _digests(clean)


def test_pkg_build_caches_by_default_and_no_cache_does_not_13(tmp_path, corpus):
    out, other = tmp_path / "out", tmp_path / "other"
    assert CliRunner().invoke(cli, ["build", str(corpus), "-o", str(out)]).exit_code == 0
    assert list(cache_dir(out).glob("*/*"))
    assert CliRunner().invoke(cli, ["build", str(corpus), "-o", str(other), "--no-cache"]).exit_code == 0
    assert not cache_dir(other).exists()
