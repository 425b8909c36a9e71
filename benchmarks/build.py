"""Build benchmark: ``python benchmarks/build.py [--size 10MB[,100MB...]] [--jobs 1,2] [--seed 0] [--repeat 3]``.

Generates a corpus with ``benchmarks/corpus.py`` (same seed, size and ``--figures``, same bytes), then runs each mode in a
fresh process (so peak memory is its own), the modes interleaved and repeated so that load from other work on
the machine falls on all of them alike:

- ``floor``: the cheapest honest pipeline over the same files: read, sha256, charset detection (byte-order
  mark, else UTF-8, else charset-normalizer), decode + NFC, a number/unit regex scan, and a zstd Parquet
  write of one row per file. No build can be faster than this;
- ``build -j1`` / ``build -j2``: the full ``pkg build`` (every table, descriptor, card, validation, swap) with
  one and two worker processes (``--jobs`` sets the worker counts), without the row cache (the API's
  default);
- ``build -j1 cache`` / ``build -j2 cache`` (with ``--cache``): the same with the row cache on, as
  ``pkg build`` runs by default, starting from no cache each run: what a first build pays for storing its rows.

Prints, per mode, the median wall time and its spread (min-max over the repeats), MB/s, documents/s, CPU
seconds (the process and its workers), peak RSS (of the largest process) and the peak memory of all its
processes together (shared pages counted once), each mode's speed as a fraction of the floor's, and the
speed-up of ``-j2`` over ``-j1``, for each corpus size in ``--size`` (a summary line per size and worker
count at the end). ``--compare-src DIR`` also runs the build modes with the ``corpack`` package
found in ``DIR`` (a copy of ``src/`` at another commit), for before/after figures from the same run.
``--documents 1MB,5MB`` also cleans and extracts one generated document of each size alone, in a fresh
process after its warm-up, and prints the CPU per MB and the largest's time over the smallest's (time per
byte flat in a document's size).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from corpus import FIGURES, Kinds, generate, parse_size, write_document  # noqa: E402  (benchmarks/ is not a package)

#: The zstd level of the floor's Parquet write: the build's (``corpack.tables.PARQUET_OPTIONS``; a test keeps
#: them equal), so that the floor does no more work per byte than the build it bounds.
ZSTD_LEVEL = 6
#: Figures the floor's regex scan looks for: a number (Arabic, Chinese or mixed), a qualifier, a unit.
NUMBER_UNIT = r"(?:[0-9][0-9,.]*|[零一二三四五六七八九十百千万亿两]+)\s*[万亿千百]?\s*(?:余|多)?\s*(?:人|家|元|万元|亿元|个|名|场|次|户|所|条|件|期|公里|%)"


def floor(corpus: Path, out: Path) -> int:
    """The floor pipeline over every file of ``corpus``; returns the figures found (so none of it is skipped)."""
    import codecs
    import hashlib
    import re
    import unicodedata

    import charset_normalizer
    import pyarrow as pa
    import pyarrow.parquet as pq

    pattern = re.compile(NUMBER_UNIT)
    boms = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
            (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
    schema = pa.schema([("file", pa.string()), ("sha256", pa.string()), ("encoding", pa.string()), ("text", pa.string()), ("figures", pa.int64())])
    found = 0
    batch: dict[str, list] = {name: [] for name in schema.names}
    with pq.ParquetWriter(str(out), schema, compression="zstd", compression_level=ZSTD_LEVEL) as writer:
        for path in sorted(p for p in corpus.rglob("*.txt")):
            data = path.read_bytes()
            sha = hashlib.sha256(data).hexdigest()
            encoding = next((codec for bom, codec in boms if data.startswith(bom)), None)
            if encoding is None:
                try:
                    data.decode("utf-8")
                    encoding = "utf-8"
                except UnicodeDecodeError:
                    best = charset_normalizer.from_bytes(data).best()
                    encoding = best.encoding if best else "gb18030"
            text = unicodedata.normalize("NFC", data.decode(encoding, errors="replace"))
            figures = sum(1 for _ in pattern.finditer(text))
            found += figures
            for name, value in zip(schema.names, (str(path.relative_to(corpus)), sha, encoding, text, figures)):
                batch[name].append(value)
            if len(batch["file"]) >= 256:
                writer.write_table(pa.table(batch, schema=schema))
                batch = {name: [] for name in schema.names}
        if batch["file"]:
            writer.write_table(pa.table(batch, schema=schema))
    return found


def _spin(seconds: float) -> None:
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass


def capacity(seconds: float = 2.0) -> float:
    """How many times one busy process's work two busy processes get done in the same wall time right now
    (2.0 on an idle 2-core machine; near 1.0 when other work holds the cores): the most ``-j2`` can gain."""
    import multiprocessing

    timings = []
    for processes in (1, 2):
        started = time.perf_counter()
        workers = [multiprocessing.Process(target=_spin, args=(seconds,)) for _ in range(processes)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        timings.append(time.perf_counter() - started)
    return 2 * timings[0] / timings[1]


def _tree_memory() -> int:
    """Memory of this process and its child processes (a build's workers) together, in bytes: the sum of their
    proportional set sizes (Pss, from /proc/PID/smaps_rollup: a page shared by the parent and its forked
    workers is counted once, split between them); 0 where there is no /proc."""
    me, total = os.getpid(), 0
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            try:
                if int(entry.name) != me:
                    with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                        if int(handle.read().rsplit(")", 1)[1].split()[1]) != me:
                            continue
                with open(f"/proc/{entry.name}/smaps_rollup", encoding="ascii") as handle:
                    total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:")) * 1024
            except (OSError, ValueError, IndexError, StopIteration):
                continue  # a process that ended while being read
    return total


def run_mode(mode: str, corpus: Path, out: Path) -> None:
    """Run one mode in this process and print a JSON line with its wall time, CPU time, peak memory of its
    largest process (peak RSS) and peak memory of all its processes together (:func:`_tree_memory`, sampled every
    0.2 s); the ``document`` mode, one process, times its one document after the process's warm-up."""
    if mode == "document":
        from corpack.dispatch import process_document, warm_up

        warm_up()  # (imports and dictionaries are a process's, not a document's)
        rel = next(path for path in corpus.rglob("*.txt")).relative_to(corpus).as_posix()
        cpu, started = time.process_time(), time.perf_counter()
        process_document(corpus, rel, {})
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps({"mode": mode, "seconds": seconds, "cpu": cpu, "peak_mb": peak}))
        return
    peak_sum = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.2):
            peak_sum[0] = max(peak_sum[0], _tree_memory())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    if mode == "floor":
        out.mkdir(parents=True, exist_ok=True)
        floor(corpus, out / "floor.parquet")
    else:
        from corpack.pipeline import build

        build(corpus, out, jobs=int(mode.split("-j")[1].split()[0]), progress=False, cache=mode.endswith(" cache"))
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime
    peak = max(me.ru_maxrss, children.ru_maxrss) / 1024
    print(json.dumps({"mode": mode, "seconds": seconds, "cpu": cpu, "peak_mb": peak, "sum_mb": peak_sum[0] / 2**20}))


def _measure(mode: str, corpus: Path, out: Path, src: Path | None) -> dict:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(src), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(out.parent / f".{out.name}.cache", ignore_errors=True)  # (every cached run starts with none)
    process = subprocess.run([sys.executable, __file__, "--mode", mode, "--corpus", str(corpus), "--out", str(out)],
                             capture_output=True, text=True, env=env)
    if process.returncode:
        raise SystemExit(f"{mode} failed:\n{process.stderr}")
    return json.loads(process.stdout.strip().splitlines()[-1])


def _table(size: int, files: int, runs: dict[str, list[dict]], repeat: int) -> dict[str, float]:
    """Print one corpus size's table; return the median seconds per mode."""
    medians = {label: statistics.median(r["seconds"] for r in results) for label, results in runs.items()}
    print(f"\n{files} documents, {size / 1e6:.1f} MB; median of {repeat} (spread min-max)")
    print(f"{'mode':<22} {'seconds':>8} {'spread':>13} {'MB/s':>7} {'docs/s':>7} {'CPU s':>7} {'peak MB':>8} {'sum MB':>7} {'of floor':>9} {'CPU of floor':>13}")
    floor_cpu = statistics.median(r["cpu"] for r in runs["floor"])
    for label, results in runs.items():
        wall = medians[label]
        times = [r["seconds"] for r in results]
        cpu = statistics.median(r["cpu"] for r in results)
        peak = max(r["peak_mb"] for r in results)
        together = max(r.get("sum_mb", r["peak_mb"]) for r in results)
        print(f"{label:<22} {wall:8.2f} {min(times):6.2f}-{max(times):<6.2f} {size / 1e6 / wall:7.2f} {files / wall:7.1f} "
              f"{cpu:7.1f} {peak:8.0f} {together:7.0f} {medians['floor'] / wall:9.3f} {floor_cpu / cpu:13.3f}")
    def suffix(label: str) -> str:  # "build -j2 (compare)" -> " (compare)"
        return label[len("build -j") :].lstrip("0123456789")

    for one in [label for label in runs if label.startswith("build -j1") and not label[len("build -j1") :][:1].isdigit()]:
        for label in runs:
            if label.startswith("build -j") and label != one and suffix(label) == suffix(one):
                pairs = zip(runs[one], runs[label])
                each = ", ".join(f"{a['seconds'] / b['seconds']:.2f}" for a, b in pairs)
                print(f"{label} speed-up over {one}: {medians[one] / medians[label]:.2f}x (each run: {each})")
    return medians


def documents(sizes: list[str], seed: int, figures: str, repeat: int, work: Path) -> None:
    """Clean and extract one generated document of each size in a fresh process (after the warm-up every
    process does), ``repeat`` times; print CPU per MB for each and the largest's time over the smallest's."""
    print(f"\none document, cleaned and extracted (corpack.dispatch.process_document), fastest of {repeat}:")
    timed = []
    for size_arg in sizes:
        folder = work / f"document-{size_arg}"
        folder.mkdir(parents=True)
        path = folder / "r0000000.txt"
        written = write_document(path, random.Random(f"corpack-bench-document/{seed}"), Kinds(large=True),
                                 parse_size(size_arg) // 3, FIGURES[figures])
        runs = [_measure("document", folder, work / "out", None) for _ in range(repeat)]
        best = min(runs, key=lambda r: r["cpu"])
        timed.append((written, best["cpu"]))
        print(f"  {written / 1e6:6.2f} MB: {best['cpu']:7.2f} s of CPU ({best['cpu'] / (written / 1e6):.2f} s per MB), "
              f"{best['seconds']:7.2f} s wall, peak {max(r['peak_mb'] for r in runs):.0f} MB")
    (small, small_cpu), (large, large_cpu) = min(timed), max(timed)
    if large > small:
        print(f"  the {large / 1e6:.2f} MB document took {large_cpu / small_cpu:.2f}x the {small / 1e6:.2f} MB one's CPU, "
              f"for {large / small:.2f}x its bytes (issue 13: within 6x for 5 MB against 1 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", default="10MB", help="raw size of the generated corpus, or several: 10MB,100MB (default 10MB; '' for none)")
    parser.add_argument("--jobs", default="1,2", help="worker counts of the build modes (default 1,2)")
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--figures", choices=list(FIGURES), default="real",
                        help="how many sentences of the generated corpus hold figures (see benchmarks/corpus.py; default real)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each mode, interleaved (default 3)")
    parser.add_argument("--corpus", type=Path, help="use this corpus folder instead of generating one")
    parser.add_argument("--documents", help="also time one document of each of these sizes alone, e.g. 1MB,5MB")
    parser.add_argument("--cache", action="store_true", help="also run each build mode with the row cache on, from an empty cache")
    parser.add_argument("--compare-src", type=Path, help="also run the build modes with the corpack package in this folder")
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.mode:
        run_mode(args.mode, args.corpus, args.out)
        return
    work = Path(tempfile.mkdtemp(prefix="corpack-bench-"))
    builds = [f"build -j{jobs}" for jobs in args.jobs.split(",")]
    builds += [f"{mode} cache" for mode in builds] if args.cache else []
    modes = [("floor", None)] + [(mode, None) for mode in builds]
    if args.compare_src:
        modes += [(mode, args.compare_src) for mode in builds]
    summary_lines = []
    capacities = []
    try:
        for size_arg in ([None] if args.corpus else [size for size in args.size.split(",") if size]):
            corpus = args.corpus
            if corpus is None:
                corpus = work / f"corpus-{size_arg}"
                summary = generate(corpus, parse_size(size_arg), args.seed, args.figures)
                print(f"corpus: seed {args.seed}, figures {args.figures}, {summary.files} files, {summary.bytes / 1e6:.1f} MB raw; encodings {summary.encodings}; "
                      f"scripts {summary.scripts}; {summary.large} large")
            files = sorted(corpus.rglob("*.txt"))
            size = sum(path.stat().st_size for path in files)
            runs: dict[str, list[dict]] = {}
            for repeat in range(args.repeat):
                capacities.append(capacity())
                print(f"  run {repeat + 1}: two busy processes do {capacities[-1]:.2f}x the work of one", flush=True)
                for mode, src in modes:
                    label = mode + (" (compare)" if src else "")
                    result = _measure(mode, corpus, work / "out", src)
                    runs.setdefault(label, []).append(result)
                    print(f"  run {repeat + 1}: {label:<22} {result['seconds']:7.2f} s", flush=True)
            medians = _table(size, len(files), runs, args.repeat)
            for label in runs:
                if label != "floor":
                    peak = max(r["peak_mb"] for r in runs[label])
                    together = max(r.get("sum_mb", r["peak_mb"]) for r in runs[label])
                    summary_lines.append(f"{size / 1e6:8.1f} MB  {label:<22} {size / 1e6 / medians[label]:7.2f} MB/s {len(files) / medians[label]:7.1f} docs/s "
                                         f"peak {peak:5.0f} MB (all processes {together:5.0f} MB)  "
                                         f"{medians['floor'] / medians[label]:6.3f} of the floor ({size / 1e6 / medians['floor']:.2f} MB/s)")
            if args.corpus:
                break
        if args.documents:
            documents(args.documents.split(","), args.seed, args.figures, args.repeat, work)
        if len(summary_lines) > len(modes) - 1:
            print("\nper corpus size and worker count:")
            print("\n".join(summary_lines))
        if not capacities:
            return
        print(f"machine: {os.cpu_count()} cores; two busy processes did {min(capacities):.2f}-{max(capacities):.2f}x the work of one during "
              "the runs (2.00 on idle cores): the most -j2 could gain here")
        print("'of floor': the mode's speed as a fraction of the floor pipeline's, same files, same run; 'CPU of floor': the "
              "floor's CPU seconds over the mode's (steadier than wall time on a busy machine); 'peak MB': the largest "
              "resident set of the build's processes (the parent or one worker); 'sum MB': the most memory the "
              "parent and its workers used together (their proportional set sizes, shared pages counted once, sampled every 0.2 s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
