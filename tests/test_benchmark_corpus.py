"""The benchmark corpus generator (benchmarks/corpus.py): deterministic, mixed, and a corpus pkg build accepts (#13)."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpack.cli import cli
from corpack.sources import read_source

ROOT = Path(__file__).resolve().parents[1]


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_corpus", ROOT / "benchmarks" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_corpus", module)
    spec.loader.exec_module(module)
    return module


corpus_module = _load_generator()
MB = 1_000_000


def _digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench") / "corpus"
    return folder, corpus_module.generate(folder, MB, seed=7)


def test_same_seed_and_size_give_the_same_bytes_13(generated, tmp_path):
    folder, summary = generated
    again = corpus_module.generate(tmp_path / "again", MB, seed=7)
    assert _digest(tmp_path / "again") == _digest(folder)
    assert again == summary
    other = corpus_module.generate(tmp_path / "other", MB, seed=8)
    assert _digest(tmp_path / "other") != _digest(folder) and other.files > 0


def test_a_smaller_corpus_is_the_start_of_a_larger_one_13(generated, tmp_path):
    folder, _ = generated
    small = corpus_module.generate(tmp_path / "small", MB // 4, seed=7)
    for path in sorted((tmp_path / "small").rglob("*.txt")):
        assert path.read_bytes() == (folder / path.relative_to(tmp_path / "small")).read_bytes()
    assert 0 < small.files < len(list(folder.rglob("*.txt")))


def test_size_is_reached_and_the_mix_is_there_13(generated):
    folder, summary = generated
    files = sorted(folder.rglob("*.txt"))
    assert summary.files == len(files) and summary.bytes == sum(p.stat().st_size for p in files)
    assert MB <= summary.bytes < 1.2 * MB
    assert {"utf-8", "gbk", "utf-16"} <= set(summary.encodings) and summary.encodings["utf-8"] > summary.files / 2
    assert summary.scripts.get("traditional", 0) >= 3 and summary.large >= 1
    decoded = [read_source(folder, path.relative_to(folder).as_posix()) for path in files]
    encodings = {source.encoding for source in decoded}
    assert "utf-16" in encodings and encodings & {"gb18030", "gbk"}
    texts = "\n".join(source.text for source in decoded)
    for shape in ("首页", "当前位置", "发布日期:", "相关新闻", "【", "（一）", "|---|", "&nbsp;", "萬", "區", "(tǒng)", "“", "部长", "万元", "余"):
        assert shape in texts, shape
    assert max(source.raw_bytes for source in decoded) > 5 * sorted(source.raw_bytes for source in decoded)[len(decoded) // 2]


def test_parse_size_13():
    assert corpus_module.parse_size("1MB") == MB and corpus_module.parse_size("1gb") == 1000 * MB
    assert corpus_module.parse_size("512KB") == 512_000 and corpus_module.parse_size("2048") == 2048
    with pytest.raises(ValueError):
        corpus_module.parse_size("lots")


def test_pkg_build_skip_bad_accepts_the_generated_corpus_13(generated, tmp_path):
    folder, summary = generated
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(tmp_path / "pkg"), "--skip-bad", "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "skipped" not in result.stderr
    documents = pq.read_table(tmp_path / "pkg" / "data" / "documents.parquet", columns=["file", "encoding"]).to_pylist()
    assert len(documents) == summary.files


def test_the_command_writes_the_same_bytes_in_another_process_13(generated, tmp_path):
    folder, summary = generated
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "corpus.py"), str(tmp_path / "cli"), "--size", "1MB", "--seed", "7"],
                          capture_output=True, text=True, env=env, check=True)
    assert done.stdout.startswith(f"{summary.files} files, 1.0 MB")
    assert _digest(tmp_path / "cli") == _digest(folder)


def _figures_per_thousand(texts: list[str]) -> float:
    """Figures (a number, then a unit: the floor pipeline's scan in benchmarks/build.py) per 1,000 characters."""
    import re

    spec = importlib.util.spec_from_file_location("bench_build_figures", ROOT / "benchmarks" / "build.py")
    build_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build_module)
    pattern = re.compile(build_module.NUMBER_UNIT)
    return 1000 * sum(len(pattern.findall(text)) for text in texts) / sum(len(text) for text in texts)


def test_real_figures_are_as_dense_as_the_bundled_reports_and_dense_far_denser_13(generated, tmp_path):
    folder, _ = generated
    texts = [read_source(folder, path.relative_to(folder).as_posix()).text for path in sorted(folder.rglob("*.txt"))]
    bundled = ROOT / "corpus"
    reports = [read_source(bundled, path.name).text for path in sorted(bundled.glob("*.txt"))]
    real, reference = _figures_per_thousand(texts), _figures_per_thousand(reports)
    assert reference / 2 < real < reference * 2, (real, reference)
    corpus_module.generate(tmp_path / "dense", MB // 4, seed=7, figures="dense")
    dense = [read_source(tmp_path / "dense", path.relative_to(tmp_path / "dense").as_posix()).text
             for path in sorted((tmp_path / "dense").rglob("*.txt"))]
    assert _figures_per_thousand(dense) > 4 * real
    with pytest.raises(ValueError, match="figures must be one of real, dense"):
        corpus_module.generate(tmp_path / "other", MB, seed=7, figures="sparse")
