"""Build benchmark: ``python benchmarks/build.py [--docs N]``.

Makes a synthetic corpus of N reports from the bundled ones (each copy gets its own number in every
paragraph, so no two documents are alike), then, each in a fresh process so peak memory is its own:

- baseline ``read+decode``: read and decode every file (the sources stage alone): the floor any build pays;
- ``clean``: decode and clean every document, no output;
- ``build -j1``: the full ``pkg build`` (Parquet, descriptor, card, validation, swap) in one process;
- ``build -j2``: the same with two worker processes.

Prints wall time, documents per second, peak RSS and each time as a ratio to the baseline.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_corpus(folder: Path, docs: int) -> None:
    """Write ``docs`` variants of the bundled reports into ``folder`` (GB18030 for every fifth one)."""
    seeds = sorted((ROOT / "corpus").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in seeds]
    folder.mkdir(parents=True)
    for number in range(docs):
        text = texts[number % len(texts)]
        lines = [f"{line}（{number}）" if len(line) > 20 else line for line in text.split("\n")]
        body = "\n".join(lines)
        data = body.encode("gb18030") if number % 5 == 4 else body.encode("utf-8")
        (folder / f"{number // 1000:03d}" / f"r{number:06d}.txt").parent.mkdir(exist_ok=True)
        (folder / f"{number // 1000:03d}" / f"r{number:06d}.txt").write_bytes(data)


def run_mode(mode: str, corpus: Path, out: Path) -> None:
    """Run one mode in this process and print a JSON line with its time and peak memory."""
    from corpack.pipeline import build
    from corpack.clean import clean
    from corpack.sources import discover, read_source

    started = time.perf_counter()
    if mode == "read+decode":
        for rel in discover(corpus):
            read_source(corpus, rel)
    elif mode == "clean":
        for rel in discover(corpus):
            clean(read_source(corpus, rel).text)
    else:
        build(corpus, out, jobs=int(mode[-1]), progress=False)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"mode": mode, "seconds": seconds, "peak_mb": max(peak_mb, children_mb)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--docs", type=int, default=2000, help="synthetic documents to build (default 2000)")
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--corpus", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        run_mode(args.mode, args.corpus, args.out)
        return
    work = Path(tempfile.mkdtemp(prefix="corpack-bench-"))
    try:
        corpus = work / "corpus"
        make_corpus(corpus, args.docs)
        size = sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file())
        print(f"corpus: {args.docs} documents, {size / 1e6:.1f} MB raw")
        results = []
        for mode in ("read+decode", "clean", "build -j1", "build -j2"):
            line = subprocess.run(
                [sys.executable, __file__, "--mode", mode, "--corpus", str(corpus), "--out", str(work / "out")],
                check=True, capture_output=True, text=True,
            ).stdout.strip().splitlines()[-1]
            results.append(json.loads(line))
        base = results[0]["seconds"]
        print(f"{'mode':<12} {'seconds':>8} {'docs/s':>8} {'peak MB':>8} {'x baseline':>10}")
        for row in results:
            print(f"{row['mode']:<12} {row['seconds']:8.2f} {args.docs / row['seconds']:8.0f} {row['peak_mb']:8.0f} {row['seconds'] / base:10.1f}")
        print("baseline: read+decode (the sources stage alone, same files, same run)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
