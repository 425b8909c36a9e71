"""Two builds, a validate loop and a load loop on one output at once: always a valid package, never a false report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpack.checking import validate_package
from tests.helpers import write_corpus

SECONDS = float(os.environ.get("CORPACK_STRESS_SECONDS", "20"))

# One role of the stress test, looping until the deadline; prints {"runs": n, "failures": [...]}.
LOOP = """
import json, sys, time
from pathlib import Path
role, target, corpus, deadline = sys.argv[1], Path(sys.argv[2]), sys.argv[3], time.time() + float(sys.argv[4])
stop = target.parent / "stop"  # made by the test once both builds are done
runs, failures = 0, []
def more():
    if role == "build":
        return runs < BUILDS or time.time() < deadline
    return runs < 1 or not stop.exists()
while more():
    try:
        if role == "build":
            from corpack.pipeline import build
            build(corpus, target)
        elif role == "validate":
            from corpack.checking import validate_package
            from dpcheck import render_text
            report = validate_package(target)
            if not report.valid:
                failures.append(render_text(report)[:2000])
        else:
            import corpack
            data = corpack.load(target)
            if data["documents"].num_rows not in (2, 3):
                failures.append(f"documents: {data['documents'].num_rows} rows")
    except Exception as exc:
        failures.append(f"{type(exc).__name__}: {exc}")
    runs += 1
print(json.dumps({"runs": runs, "failures": failures}))
""".replace("BUILDS", "3")


def _corpus(folder: Path, documents: int) -> Path:
    return write_corpus(
        folder,
        {f"r{i}.txt": f"新的社会阶层人士工作综述第{i}号\n\n全市成立联谊组织{i + 10}家，吸纳会员{i + 100}余人。\n".encode() for i in range(documents)},
    )


@pytest.mark.slow
def test_builds_validates_and_loads_at_once_never_strand_or_misreport(tmp_path):
    two, three = _corpus(tmp_path / "two", 2), _corpus(tmp_path / "three", 3)  # two builds with different data
    out = tmp_path / "out"
    from corpack.pipeline import build

    build(two, out)
    roles = [("build", two), ("build", three), ("validate", two), ("load", two)]
    processes = [
        subprocess.Popen([sys.executable, "-c", LOOP, role, str(out), str(corpus), str(SECONDS)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for role, corpus in roles
    ]
    results = []
    for (role, _), process in zip(roles, processes):
        stdout, stderr = process.communicate(timeout=SECONDS + 600)
        if role == "build" and all(p.poll() is not None for p in processes[:2]):
            (tmp_path / "stop").touch()  # the readers stop once both builds are done
        assert process.returncode == 0, stderr
        outcome = json.loads(stdout)
        results.append((role, outcome))
        assert outcome["failures"] == [], (role, outcome["failures"][:3])
    assert all(outcome["runs"] >= (3 if role == "build" else 1) for role, outcome in results), results
    assert validate_package(out).valid
    assert [p.name for p in tmp_path.iterdir() if ".tmp-" in p.name or ".old-" in p.name] == []
