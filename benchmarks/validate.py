"""Benchmark ``pkg validate`` against ``frictionless validate`` and a bare pyarrow read, in one run (#5).

    python benchmarks/validate.py                 # 1M rows, Parquet and CSV, all three tools
    python benchmarks/validate.py --rows 10000000 --skip-frictionless --formats parquet

It writes a seeded package into a temporary folder: ``documents`` (10k rows) and ``statistics`` (N rows:
a pattern-checked primary key, a foreign key into documents, enums, a maxLength string, nullable numbers,
a year), once as zstd Parquet (row groups of 64k rows) and once as CSV. Each tool runs in its own process, so
the peak memory printed (max RSS) is that tool's alone. The ratios are frictionless / pkg validate and
pkg validate / bare read.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

DOCS = 10_000
REGIONS = ["北京市", "上海市", "广东省", "浙江省", "四川省"]
UNITS = ["人", "个", "家", "万元", "%"]

SCHEMAS = {
    "documents": {"fields": [
        {"name": "doc_id", "type": "string", "constraints": {"required": True, "pattern": "d[0-9]{5}"}},
        {"name": "title", "type": "string", "constraints": {"maxLength": 40}},
        {"name": "region", "type": "string", "constraints": {"enum": REGIONS}},
        {"name": "published", "type": "date"},
    ], "primaryKey": ["doc_id"]},
    "statistics": {"fields": [
        {"name": "stat_id", "type": "string", "constraints": {"required": True, "pattern": "s[0-9]{8}"}},
        {"name": "doc_id", "type": "string", "constraints": {"required": True}},
        {"name": "value", "type": "number", "constraints": {"minimum": 0}},
        {"name": "unit", "type": "string", "constraints": {"enum": UNITS}},
        {"name": "indicator", "type": "string", "constraints": {"maxLength": 24}},
        {"name": "year", "type": "integer", "constraints": {"minimum": 1949, "maximum": 2030}},
    ], "primaryKey": ["stat_id"],
        "foreignKeys": [{"fields": ["doc_id"], "reference": {"resource": "documents", "fields": ["doc_id"]}}]},
}


def tables(rows: int, seed: int = 5) -> dict[str, pa.Table]:
    """The two tables, seeded."""
    rng = np.random.default_rng(seed)
    doc_ids = np.char.add("d", np.char.zfill(np.arange(DOCS).astype(str), 5))
    documents = pa.table({
        "doc_id": doc_ids,
        "title": np.char.add("关于开展工作的通知 ", np.arange(DOCS).astype(str)),
        "region": np.array(REGIONS)[rng.integers(0, len(REGIONS), DOCS)],
        "published": pa.array(rng.integers(10_000, 19_000, DOCS).astype("int32"), pa.int32()).cast(pa.date32()),
    })
    value = rng.random(rows) * 1000
    statistics = pa.table({
        "stat_id": np.char.add("s", np.char.zfill(np.arange(rows).astype(str), 8)),
        "doc_id": doc_ids[rng.integers(0, DOCS, rows)],
        "value": pa.array(value, mask=rng.random(rows) < 0.1),
        "unit": np.array(UNITS)[rng.integers(0, len(UNITS), rows)],
        "indicator": np.char.add("新的社会阶层人士 ", (np.arange(rows) % 1000).astype(str)),
        "year": pa.array(rng.integers(1990, 2025, rows)),
    })
    return {"documents": documents, "statistics": statistics}


def write(folder: Path, data: dict[str, pa.Table], fmt: str) -> Path:
    """Write the package in ``fmt`` (parquet or csv) into ``folder``; return the descriptor path."""
    folder.mkdir(parents=True)
    resources = []
    for name, table in data.items():
        path = folder / f"{name}.{fmt}"
        if fmt == "parquet":
            pq.write_table(table, path, compression="zstd", row_group_size=65_536)
        else:
            pcsv.write_csv(table, path, pcsv.WriteOptions(quoting_style="needed"))
        resources.append({"name": name, "path": path.name, "format": fmt, "schema": SCHEMAS[name]})
    descriptor = folder / "datapackage.json"
    descriptor.write_text(json.dumps({"name": f"bench-{fmt}", "resources": resources}, ensure_ascii=False), encoding="utf-8")
    return descriptor


# Each tool runs in a fresh interpreter that prints {"seconds": ..., "peak_mb": ..., "valid": ...}.
# Imports happen before the clock starts.
_IMPORTS = {
    "frictionless": "from frictionless import validate",
    "pkg validate": "from corpack.validate import validate_package",
    "bare read": "import pyarrow.parquet as pq, pyarrow.csv as pc, pathlib",
}
_RUNNERS = {
    "frictionless": "r = validate(PATH); valid = r.valid; errors = r.stats['errors']",
    "pkg validate": "r = validate_package(PATH); valid = r.valid; errors = r.errors",
    "bare read": ("for p in sorted(pathlib.Path(PATH).parent.glob('*.*')):\n"
                  "    if p.suffix == '.parquet': pq.read_table(p)\n"
                  "    elif p.suffix == '.csv': pc.read_csv(p)\n"
                  "valid = None; errors = None"),
}
_WRAP = """
import json, time
PATH = {path!r}
{imports}
t = time.perf_counter()
{body}
seconds = time.perf_counter() - t
# VmHWM, not ru_maxrss: after fork+exec, Linux's ru_maxrss still counts the parent's memory at the fork.
hwm = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print(json.dumps({{"seconds": seconds, "peak_mb": hwm / 1024,
                  "valid": valid, "errors": errors}}))
"""


def measure(tool: str, descriptor: Path) -> dict:
    code = _WRAP.format(path=str(descriptor), imports=_IMPORTS[tool], body=_RUNNERS[tool])
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", default="parquet,csv")
    parser.add_argument("--skip-frictionless", action="store_true")
    args = parser.parse_args()
    import frictionless

    print(f"rows={args.rows:,} documents={DOCS:,} frictionless {frictionless.__version__} pyarrow {pa.__version__}")
    with tempfile.TemporaryDirectory(prefix="corpack-bench-") as temp:
        data = tables(args.rows)
        for fmt in args.formats.split(","):
            descriptor = write(Path(temp) / fmt, data, fmt)
            size = sum(p.stat().st_size for p in descriptor.parent.iterdir()) / 1e6
            results = {}
            tools = ["bare read", "pkg validate"] + ([] if args.skip_frictionless else ["frictionless"])
            for tool in tools:
                results[tool] = measure(tool, descriptor)
                r = results[tool]
                print(f"{fmt:8} {tool:13} {r['seconds']:8.2f} s  peak {r['peak_mb']:7.0f} MB  valid={r['valid']} errors={r['errors']}  ({size:.0f} MB of files)")
            ours = results["pkg validate"]["seconds"]
            line = f"{fmt:8} pkg validate / bare read = {ours / results['bare read']['seconds']:.2f}x"
            if "frictionless" in results:
                line += f"; frictionless / pkg validate = {results['frictionless']['seconds'] / ours:.1f}x"
            print(line)


if __name__ == "__main__":
    main()
