"""Site benchmark: ``python benchmarks/site.py [--large PKG] [--repeat 2] [--compare-src DIR]``.

Times ``pkg site`` on the bundled package (``datapackage/``) and, given ``--large``, on a package built from a
generated corpus, each run in a fresh process, against a baseline measured in the same run on the same package:

- ``read``: read every Parquet file of the package into Arrow once (``pyarrow.parquet.read_table``), the least
  any site of the package must do;
- ``site``: ``pkg site PKG -o TMP`` (validation, every page, the search indexes, the swap into place).

Prints, per package and mode, the median wall seconds with their spread, CPU seconds (the process and its
workers), peak RSS of the main process, the site's files and MB, the site's time as a multiple of ``read`` and the
load average (1 minute) seen at the starts and ends of the runs (the machine may be shared: compare CPU seconds);
whether the repeats wrote the same bytes, and the MB of each kind of page; and, with ``--compare-src DIR`` (a copy of ``src/`` at another commit),
the same for that code, for before/after figures from one run.

The large package: ``python benchmarks/site.py --write-corpus DIR --docs 10000`` writes the first 10,000 reports
``benchmarks/corpus.py`` draws (same generator, same seeds; its every 97th report is large, here sized as for a
``--size`` corpus, default 10MB), then ``pkg build DIR -o PKG -j 2`` builds it (about half an hour on 2 cores).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from corpus import document_kinds, parse_size, write_document  # noqa: E402  (benchmarks/ is not a package)

#: Run in a fresh process: prints JSON with the wall seconds, CPU seconds (self and children) and peak RSS.
_READ = """
import json, resource, sys, time
from pathlib import Path
import pyarrow.parquet as pq
t = time.perf_counter()
rows = sum(pq.read_table(p).num_rows for p in sorted(Path(sys.argv[1], "data").glob("*.parquet")))
wall = time.perf_counter() - t
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": me.ru_utime + me.ru_stime, "rss_mb": me.ru_maxrss / 1024, "rows": rows}))
"""
_SITE = """
import json, resource, sys, time
from corpack.site import build_site
t = time.perf_counter()
result = build_site(sys.argv[1], sys.argv[2])
wall = time.perf_counter() - t
me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "cpu": me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime,
                  "rss_mb": me.ru_maxrss / 1024, "files": result.files, "mb": result.bytes / 1e6}))
"""


def write_reports(folder: Path, count: int, size: int, seed: int = 0) -> int:
    """Write reports 0 .. ``count``-1 exactly as :func:`corpus.generate` draws them for a corpus of ``size``
    bytes and ``seed``; return the bytes written."""
    large_chars = min(max(size // 60, 60_000), 5_000_000) // 3
    total = 0
    for index in range(count):
        rng = random.Random(f"corpack-bench/{seed}/{index}")
        kinds = document_kinds(rng, index)
        path = folder / f"{index // 1000:04d}" / f"r{index:07d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        total += write_document(path, rng, kinds, large_chars if kinds.large else rng.randint(1000, 6000))
    return total


def _run(script: str, args: list[str], src: Path | None = None) -> dict:
    env = dict(os.environ, PYTHONHASHSEED="0")
    if src is not None:
        env["PYTHONPATH"] = str(src)
    load = os.getloadavg()[0]
    out = subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"benchmark run failed: {out.stderr.strip().splitlines()[-1] if out.stderr.strip() else out.returncode}")
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "load": (load, os.getloadavg()[0])}


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(path.relative_to(folder).as_posix().encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _kinds(folder: Path) -> dict[str, int]:
    """Bytes of the site by kind of page: the first folder of the path (``documents``, ``resources``, ``search``,
    ``cleaning``, ``assets``), or ``pages`` for the files at the root."""
    sizes: dict[str, int] = {}
    for path in folder.rglob("*"):
        if path.is_file():
            parts = path.relative_to(folder).parts
            kind = parts[0] if len(parts) > 1 else "pages"
            sizes[kind] = sizes.get(kind, 0) + path.stat().st_size
    return dict(sorted(sizes.items(), key=lambda item: -item[1]))


def measure(package: Path, repeat: int, scratch: Path, srcs: dict[str, Path | None]) -> None:
    """Time ``read`` and ``site`` (for each code in ``srcs``) on ``package``, interleaved, and print the figures."""
    runs: dict[str, list[dict]] = {"read": []}
    digests: dict[str, set[str]] = {}
    kinds: dict[str, dict[str, int]] = {}
    for _ in range(repeat):
        runs["read"].append(_run(_READ, [str(package)]))
        for label, src in srcs.items():
            out = scratch / f"site-{label}"
            runs.setdefault(f"site ({label})", []).append(_run(_SITE, [str(package), str(out)], src))
            digests.setdefault(label, set()).add(_digest(out))
            kinds.setdefault(label, _kinds(out))
            shutil.rmtree(out)
    base = statistics.median(r["wall"] for r in runs["read"])
    print(f"\n{package}: {runs['read'][0]['rows']:,} rows")
    print(f"{'mode':<16} {'median s':>9} {'spread s':>13} {'CPU s':>7} {'peak MB':>8} {'files':>7} {'MB':>8} {'x read':>7}"
          f" {'load':>9}")
    for mode, results in runs.items():
        walls = [r["wall"] for r in results]
        med = statistics.median(walls)
        files = f"{results[0]['files']:>7}" if "files" in results[0] else f"{'':>7}"
        mb = f"{results[0]['mb']:>8.0f}" if "mb" in results[0] else f"{'':>8}"
        print(f"{mode:<16} {med:>9.1f} {min(walls):>6.1f}-{max(walls):<6.1f} {statistics.median(r['cpu'] for r in results):>7.1f}"
              f" {max(r['rss_mb'] for r in results):>8.0f} {files} {mb} {med / base:>7.1f}"
              f" {min(min(r['load']) for r in results):>4.1f}-{max(max(r['load']) for r in results):<4.1f}")
    for label, seen in digests.items():
        print(f"site ({label}): {'the same bytes in every run' if len(seen) == 1 else 'DIFFERENT bytes between runs'}; MB by kind: "
              + ", ".join(f"{kind} {size / 1e6:.1f}" for kind, size in kinds[label].items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--large", type=Path, help="a package built from a generated corpus (see --write-corpus)")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each mode, interleaved (default 2)")
    parser.add_argument("--compare-src", type=Path, help="also time pkg site with the corpack package in this src/ folder")
    parser.add_argument("--write-corpus", type=Path, help="write a corpus of --docs reports into this new folder and stop")
    parser.add_argument("--docs", type=int, default=10_000, help="reports for --write-corpus (default 10000)")
    parser.add_argument("--size", default="10MB", help="size the large reports as corpus.py does for this --size (default 10MB)")
    args = parser.parse_args()
    if args.write_corpus:
        if args.write_corpus.exists() and any(args.write_corpus.iterdir()):
            raise SystemExit(f"{args.write_corpus} is not empty")
        written = write_reports(args.write_corpus, args.docs, parse_size(args.size))
        print(f"{args.docs} reports, {written / 1e6:.1f} MB in {args.write_corpus}; now: pkg build {args.write_corpus} -o PKG -j 2")
        return
    srcs: dict[str, Path | None] = {"this": None}
    if args.compare_src:
        srcs["compared"] = args.compare_src.resolve()
    with tempfile.TemporaryDirectory(prefix="corpack-site-bench-") as scratch:
        for package in [ROOT / "datapackage", *([args.large] if args.large else [])]:
            measure(package.resolve(), args.repeat, Path(scratch), srcs)


if __name__ == "__main__":
    main()
