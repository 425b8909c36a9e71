"""Incremental builds: unchanged files reuse their cached rows, output bytes as a clean build's (#13)."""

from __future__ import annotations


import pytest
from click.testing import CliRunner

from corpack import dispatch, rowcache
from corpack.cli import cli
from corpack.pipeline import build
from corpack.rowcache import cache_dir
from tests.helpers import benchmark_corpus, digests, write_corpus



def _report(i: int, extra: str = "") -> bytes:
    return (f"某市召开新的社会阶层人士座谈会第{i}次\n\n2021年3月{i + 1}日，温州市委统战部召开座谈会，部长王建国出席。"
            f"全市成立联谊组织{i + 10}家，吸纳会员{i + 100}余人。{extra}\n").encode()



@pytest.fixture
def counted(monkeypatch):
    """The corpus-relative paths process_document is called for."""
    calls: list[str] = []
    real = dispatch.process_document

    def counting(corpus_dir, rel, manifest):
        calls.append(rel)
        return real(corpus_dir, rel, manifest)

    monkeypatch.setattr(dispatch, "process_document", counting)
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
    assert digests(out) == digests(clean)


def test_an_unchanged_rebuild_reads_every_row_from_the_cache_and_prunes_the_rest_13(tmp_path, corpus, counted):
    out = tmp_path / "out"
    first = build(corpus, out, cache=True)
    before = digests(out)
    (corpus / "r4.txt").unlink()
    counted.clear()
    result = build(corpus, out, cache=True)
    assert counted == [] and result.reused == 4 and first.reused == 0
    assert len(list(cache_dir(out).glob("*/*"))) == 4  # the removed file's entry is gone
    (corpus / "r4.txt").write_bytes(_report(4))
    build(corpus, out, cache=True)
    assert digests(out) == before


def test_new_code_or_libraries_miss_the_cache_13(tmp_path, corpus, counted, monkeypatch):
    out = tmp_path / "out"
    build(corpus, out, cache=True)
    monkeypatch.setattr(rowcache, "code_fingerprint", lambda: "another corpack")
    counted.clear()
    assert build(corpus, out, cache=True).reused == 0 and len(counted) == 5


def test_a_damaged_entry_is_computed_again_13(tmp_path, corpus, counted):
    out = tmp_path / "out"
    build(corpus, out, cache=True)
    before = digests(out)
    for entry in cache_dir(out).glob("*/*"):
        entry.write_bytes(b"not a cache entry")
    counted.clear()
    result = build(corpus, out, cache=True)
    assert result.reused == 0 and len(counted) == 5 and digests(out) == before


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
    assert digests(out) == digests(clean)


def test_pkg_build_caches_by_default_and_no_cache_does_not_13(tmp_path, corpus):
    out, other = tmp_path / "out", tmp_path / "other"
    assert CliRunner().invoke(cli, ["build", str(corpus), "-o", str(out)]).exit_code == 0
    assert list(cache_dir(out).glob("*/*"))
    assert CliRunner().invoke(cli, ["build", str(corpus), "-o", str(other), "--no-cache"]).exit_code == 0
    assert not cache_dir(other).exists()


def test_no_cache_processes_every_file_again_and_writes_the_same_bytes_13(tmp_path, corpus, counted):
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(corpus), "-o", str(out)]).exit_code == 0
    before, entries = digests(out), sorted(cache_dir(out).glob("*/*"))
    counted.clear()
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(out), "--no-cache", "-j", "1"])  # (counted here)
    assert result.exit_code == 0, result.output
    assert sorted(counted) == [f"r{i}.txt" for i in range(5)] and "5 processed, 0 from the cache" in result.stdout
    assert digests(out) == before
    assert sorted(cache_dir(out).glob("*/*")) == entries  # left as it was for the next cached build
    counted.clear()
    result = CliRunner().invoke(cli, ["build", str(corpus), "-o", str(out), "-j", "1"])
    assert counted == [] and "0 processed, 5 from the cache" in result.stdout



def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_adding_and_changing_a_few_generated_reports_reprocesses_only_those_with_j2_13(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    generator = benchmark_corpus()
    corpus, larger = tmp_path / "corpus", tmp_path / "larger"
    generator.generate(corpus, 120_000, seed=8)
    generator.generate(larger, 140_000, seed=8)  # the same files, then a few more
    out = tmp_path / "out"
    first = build(corpus, out, jobs=2, cache=True, skip_bad=True)
    files = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*.txt"))
    added = sorted(p.relative_to(larger).as_posix() for p in larger.rglob("*.txt") if not (corpus / p.relative_to(larger)).exists())
    assert len(added) >= 2
    for rel in added[:2]:
        (corpus / rel).write_bytes((larger / rel).read_bytes())
    utf8 = [rel for rel in files if _is_utf8((corpus / rel).read_bytes())]
    for rel in (utf8[1], utf8[-2]):  # text added to two reports, as a correction would
        (corpus / rel).write_bytes((corpus / rel).read_bytes() + "\n另据统计，全市新增会员120人。\n".encode())
    rebuilt = build(corpus, out, jobs=2, cache=True, skip_bad=True)
    assert rebuilt.documents == first.documents + 2
    assert rebuilt.reused == first.documents - 2  # only the two changed and two added files were processed
    clean = tmp_path / "clean"
    build(corpus, clean, jobs=1, skip_bad=True)
    assert digests(out) == digests(clean)


def test_j2_entries_are_written_by_the_workers_not_by_the_builds_process_13(tmp_path, corpus, monkeypatch):
    """The process writing the package does not encode every document's rows for the cache after its workers:
    each worker keeps the rows it computed (a fifth of a -j2 build's wall time was that encoding)."""
    import os

    writers = tmp_path / "writers"
    writers.mkdir()
    real = rowcache.EntryWriter.store

    def noting(self, rows, manifest):
        (writers / str(os.getpid())).touch()
        return real(self, rows, manifest)

    monkeypatch.setattr(rowcache.EntryWriter, "store", noting)  # (the workers fork with it)
    out = tmp_path / "out"
    build(corpus, out, cache=True, jobs=2)
    stored = {int(p.name) for p in writers.iterdir()}
    assert stored and os.getpid() not in stored
    assert len(list(cache_dir(out).glob("*/*"))) == 5
    assert build(corpus, out, cache=True, jobs=2).reused == 5
