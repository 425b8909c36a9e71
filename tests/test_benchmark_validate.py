"""benchmarks/validate.py's warm measurement (#14): both tools run in one process each, the first runs dropped."""

from __future__ import annotations

from pathlib import Path

from tests.helpers import benchmark


def test_warm_runs_of_both_tools_give_their_fastest_least_cpu_and_median_14(tmp_path: Path) -> None:
    bench = benchmark("validate")
    descriptor = bench.write(tmp_path / "csv", bench.tables(300, "fair"), "csv")
    for tool in ("bare read", "pkg validate"):
        warm = bench.measure_warm(tool, descriptor, 3)
        assert set(warm) == {"seconds", "cpu", "median"}
        assert 0 < warm["seconds"] <= warm["median"] < 60
        assert warm["cpu"] >= 0
