"""Checks a package declares (dpcheck.plugins, #14): they run only where declared and registered, read typed
columns whatever the format, and number rows as the table checks do."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from dpcheck import Plugin, Report, validate_package
from dpcheck.plugins import Tables, flag

SCHEMA = {"fields": [{"name": "name", "type": "string"}, {"name": "age", "type": "integer"}]}
ROWS = [("ann", 34), ("bob", 12), ("cy", 40), ("di", 9)]
seen: list[tuple[str, Any]] = []


def adults(tables: Tables, report: Report) -> None:
    """A plug-in: every person is 18 or older."""
    people = tables["people"]
    seen.append(("type", people.type_of("age")))
    age = people.column("age")
    flag(report, "demo-minor", pc.less(age, 18), people, "age", lambda shown: [f"age {age[i]} is under 18" for i in shown],
         rows=pa.array([people.row_of(i) for i in range(len(age))]))


ADULTS = Plugin("demo.adults", adults, {"demo-minor": "a person is under 18"})


def write(folder: Path, fmt: str, checks: Any = None, header: bool = True, rows: list[tuple[str, int]] = ROWS) -> Path:
    folder.mkdir(parents=True)
    resource: dict[str, Any] = {"name": "people", "path": f"people.{fmt}", "format": fmt, "schema": SCHEMA}
    if fmt == "csv":
        lines = (["name,age"] if header else []) + [f"{n},{a}" for n, a in rows]
        (folder / "people.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        if not header:
            resource["dialect"] = {"header": False}
    else:
        arrow = pa.schema([("name", pa.string()), ("age", pa.int64())])
        pq.write_table(pa.table({"name": [n for n, _ in rows], "age": [a for _, a in rows]}, schema=arrow), folder / "people.parquet")
    descriptor: dict[str, Any] = {"name": "people", "resources": [resource]}
    if checks is not None:
        descriptor["dpcheck:checks"] = checks
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder


def found(report: Report) -> list[tuple[str, int | None, str | None]]:
    return [(f.code, f.row, f.field) for f in report.findings]


@pytest.mark.parametrize(("fmt", "header", "first"), [("parquet", True, 2), ("csv", True, 2), ("csv", False, 1)])
def test_a_declared_check_reads_typed_columns_and_numbers_rows_as_the_table_checks_14(tmp_path, fmt, header, first) -> None:
    seen.clear()
    report = validate_package(write(tmp_path / "p", fmt, ["demo.adults"], header), plugins=[ADULTS])
    assert found(report) == [("demo-minor", first + 1, "age"), ("demo-minor", first + 3, "age")]
    assert report.findings[0].message == "age 12 is under 18" and not report.valid
    assert seen == [("type", pa.int64())]  # an integer column, from CSV text too


def test_a_registered_check_the_package_does_not_declare_does_not_run_14(tmp_path) -> None:
    report = validate_package(write(tmp_path / "p", "csv"), plugins=[ADULTS])
    assert report.valid and report.findings == []


def test_a_declared_check_that_is_not_registered_is_a_notice_14(tmp_path) -> None:
    report = validate_package(write(tmp_path / "p", "csv", ["demo.adults", "demo.adults"]))
    assert report.valid
    assert found(report) == [("not-checked", None, None)]  # declared twice, said once
    assert "'demo.adults'" in report.findings[0].message


@pytest.mark.parametrize("checks", ["demo.adults", [1], {"demo.adults": True}])
def test_a_malformed_declaration_is_a_package_error_14(tmp_path, checks) -> None:
    report = validate_package(write(tmp_path / "p", "csv", checks), plugins=[ADULTS])
    assert found(report) == [("package-error", None, None)]
    assert "dpcheck:checks must be a list of check names" in report.findings[0].message


def test_two_plugins_of_one_name_are_refused_before_any_work_14(tmp_path) -> None:
    with pytest.raises(ValueError, match="demo.adults"):
        validate_package(write(tmp_path / "p", "csv", ["demo.adults"]), plugins=[ADULTS, ADULTS])
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "datapackage.json").write_text("{", encoding="utf-8")  # judged no further than the descriptor
    with pytest.raises(ValueError, match="demo.adults"):
        validate_package(tmp_path / "broken", plugins=[ADULTS, ADULTS])


def test_a_table_without_rows_gives_empty_typed_columns_14(tmp_path) -> None:
    seen.clear()
    assert validate_package(write(tmp_path / "p", "parquet", ["demo.adults"], rows=[]), plugins=[ADULTS]).valid
    assert seen == [("type", pa.int64())]


def test_findings_about_the_declaration_name_a_yaml_descriptor_14(tmp_path) -> None:
    folder = write(tmp_path / "p", "csv", ["demo.adults"])
    (folder / "datapackage.json").rename(folder / "datapackage.yaml")  # JSON is YAML
    report = validate_package(folder)
    assert [(f.code, f.file) for f in report.findings] == [("not-checked", "datapackage.yaml")]


def test_declared_checks_run_at_once_and_report_in_the_order_declared_14(tmp_path) -> None:
    import threading

    both = threading.Barrier(2, timeout=10)  # each check waits for the other: they must run at the same time
    held: list[int] = []

    def waiting(code: str, reads: bool) -> Plugin:
        def run(tables: Tables, report: Report) -> None:
            if reads:
                tables["people"].column("age")
            held.append(id(tables["people"]))
            both.wait()
            if code == "demo-second":
                report.add_rows(code, "second", resource="people", file="people.csv", field="age", rows=[2, 3], total=2)
                both.wait()
            else:
                both.wait()  # (the second check has reported by now: findings follow the declaration, not the clock)
                report.add_rows(code, "first", resource="people", file="people.csv", field="age", rows=[4], total=1)
        return Plugin(f"demo.{code}", run, {code: code})

    first, second = waiting("demo-first", True), waiting("demo-second", False)
    report = validate_package(write(tmp_path / "p", "csv", ["demo.demo-first", "demo.missing", "demo.demo-second"]),
                              plugins=[second, first])
    assert found(report) == [("demo-first", 4, "age"), ("not-checked", None, None), ("demo-second", 2, "age"), ("demo-second", 3, "age")]
    assert report.meaning("demo-first") == "demo-first" and report.counts[("people", "demo-second")] == 2
    assert len(set(held)) == 2  # each check read through tables of its own


def test_declared_checks_of_a_large_package_run_one_at_a_time_14(tmp_path, monkeypatch) -> None:
    import threading
    import time

    import dpcheck.validation

    monkeypatch.setattr(dpcheck.validation, "CHECKS_TOGETHER_BYTES", 1)  # (every package is large)
    running, most, lock = [0], [0], threading.Lock()

    def counting(tables: Tables, report: Report) -> None:
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.2)
        with lock:
            running[0] -= 1

    checks = [Plugin(f"demo.c{i}", counting, {}) for i in range(3)]
    report = validate_package(write(tmp_path / "p", "csv", [check.name for check in checks]), plugins=checks)
    assert report.valid and most[0] == 1  # (a small package's run at once: the test above)
