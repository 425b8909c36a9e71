"""Differential test (#5): on CSV, pkg validate finds the same tabular errors at the same rows and fields as
frictionless validate.

A seeded generator writes a valid two-resource CSV package (every common type, constraints, a primary key, a
foreign key), injects a few random violations (bad cells of each type, broken constraints, duplicate keys,
orphans, short, long and blank rows) and some valid but unusual spellings (`` 12``, ``1e3``, ``+5``),
then both validators run on it and their sets of (error type, row, field) must be equal. Spellings frictionless
reads with Python and the spec does not (``2021-1-5``, ``１２``, ``Infinity``) are deliberate differences,
tested in test_spec_spellings.py.

``CORPACK_DIFF_CASES`` sets the number of cases (default 300, about 25 s); the seed of a failing case is in
the test id, so ``pytest -k "case_17"`` reruns it.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest

from dpcheck import validate_package

CASES = int(os.environ.get("CORPACK_DIFF_CASES", "300"))
ROW_LEVEL = {"primary-key", "foreign-key", "blank-row", "extra-cell", "unique-error"}
TABULAR = ROW_LEVEL | {"type-error", "constraint-error", "missing-cell", "blank-label", "duplicate-label",
                       "incorrect-label", "missing-label", "extra-label"}

# name -> (field descriptor, valid values, (invalid value, expected error) pairs, valid odd spellings)
COLUMNS: dict[str, tuple[dict[str, Any], list[str], list[str], list[str]]] = {
    "name": ({"type": "string", "constraints": {"maxLength": 8, "pattern": "[a-z]+"}},
             ["ann", "bob", "cy", "dee"], ["ABC", "toolongname", "a1"], []),
    "kind": ({"type": "string", "constraints": {"enum": ["a", "b", "c"], "required": True}}, ["a", "b", "c"], ["d", ""], []),
    "score": ({"type": "number", "constraints": {"minimum": 0, "maximum": 100}}, ["1.5", "99", "0", ""],
              ["abc", "-1", "100.5", "1,5"], ["1e1", " 12 ", "+5", ".5", "5."]),
    "count": ({"type": "integer", "constraints": {"minimum": 1}}, ["1", "7", "42", ""], ["1.5", "x", "0", "-3"], ["007", "+8", " 9"]),
    "flag": ({"type": "boolean"}, ["true", "false", "True", "0"], ["yes", "T"], ["1", "FALSE"]),
    "day": ({"type": "date", "constraints": {"minimum": "2000-01-01"}}, ["2021-03-04", "2000-01-01", ""],
            ["2021-02-30", "2021/01/01", "1999-12-31", "x", "0000-01-01"], []),
    "ucode": ({"type": "integer", "constraints": {"unique": True}}, [str(i) for i in range(40)], ["x"], []),
    "yr": ({"type": "year"}, ["2021", "1999"], ["99", "20x1"], []),
    "ym": ({"type": "yearmonth"}, ["2021-03", "1999-12"], ["2021-13", "x"], []),
    "dur": ({"type": "duration"}, ["P1Y2M", "PT3H"], ["P1X", "1 hour"], []),
    "tags": ({"type": "array", "constraints": {"maxLength": 2}}, ['["a"]', "[]"], ["[1,", '["a","b","c"]'], []),
    "when": ({"type": "datetime"}, ["2021-03-04T05:06:07Z", "2021-03-04T05:06:07+08:00"], ["2021-03-04", "x"], []),
    "at": ({"type": "time"}, ["05:06:07", "23:59:59"], ["25:00:00", "x"], []),
}
PARENT_IDS = ["p1", "p2", "p3", "p4", "p5"]


def _csv_cell(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ',"\n') or value != value.strip() else value


def generate(seed: int, folder: Path) -> None:
    """Write case ``seed``: a package whose child.csv has random columns, rows and injected violations."""
    rng = random.Random(seed)
    names = ["id"] + rng.sample(sorted(COLUMNS), rng.randint(2, 5)) + ["ref"]
    n = rng.randint(3, 12)
    rows = []
    for i in range(n):
        row = {"id": str(i + 1), "ref": rng.choice(PARENT_IDS)}
        for name in names[1:-1]:
            _, valid, _, odd = COLUMNS[name]
            row[name] = rng.choice(odd) if odd and rng.random() < 0.15 else rng.choice(valid)
        rows.append([row[name] for name in names])
    extra: list[tuple[int, list[str]]] = []
    for _ in range(rng.randint(0, 4)):
        i = rng.randrange(n)
        action = rng.choice(["bad", "bad", "bad", "dup-key", "orphan", "short", "long", "blank", "null-key"])
        if action == "bad":
            col = rng.randrange(1, len(names) - 1)
            rows[i][col] = rng.choice(COLUMNS[names[col]][2])
        elif action == "dup-key":
            rows[i][0] = rows[(i + 1) % n][0]
        elif action == "orphan":
            rows[i][-1] = "p99"
        elif action == "short":
            rows[i] = rows[i][:-1]
        elif action == "long":
            rows[i] = rows[i] + ["surplus"]
        elif action == "blank":
            rows[i] = [""] * len(names)
        else:
            rows[i][0] = ""
    fields = [{"name": "id", "type": "integer"}] + [{"name": name, **COLUMNS[name][0]} for name in names[1:-1]] + [{"name": "ref", "type": "string"}]
    lines = [",".join(names)] + [",".join(_csv_cell(v) for v in row) for row in rows]
    (folder / "child.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "parent.csv").write_text("pid,label\n" + "".join(f"{p},{p.upper()}\n" for p in PARENT_IDS), encoding="utf-8")
    schema = {"fields": fields, "primaryKey": ["id"],
              "foreignKeys": [{"fields": ["ref"], "reference": {"resource": "parent", "fields": ["pid"]}}]}
    descriptor = {"name": f"case-{seed}", "resources": [
        {"name": "child", "path": "child.csv", "schema": schema},
        {"name": "parent", "path": "parent.csv", "schema": {"fields": [{"name": "pid", "type": "string"}, {"name": "label", "type": "string"}],
                                                            "primaryKey": ["pid"]}},
    ]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor, indent=1), encoding="utf-8")


def frictionless_errors(folder: Path) -> set[tuple[str, str, int | None, str | None]]:
    """(resource, type, row, field) of every tabular error frictionless finds."""
    from frictionless import validate

    report = validate(str(folder / "datapackage.json"))
    out = set()
    for task in report.tasks:
        for error in task.errors:
            if error.type in TABULAR:
                row = getattr(error, "row_number", None)
                field = None if error.type in ROW_LEVEL else (getattr(error, "field_name", None) or getattr(error, "label", None) or None)
                out.add((task.name, error.type, row, field))
    assert report.stats["errors"] < 1000, "frictionless stopped at its error limit"
    return out


def corpack_errors(folder: Path) -> set[tuple[str, str, int | None, str | None]]:
    report = validate_package(folder, limit=10**6)
    return {(f.resource, f.code, f.row, None if f.code in ROW_LEVEL else f.field) for f in report.findings if f.code in TABULAR}


@pytest.mark.parametrize("seed", [pytest.param(seed, id=f"case_{seed}") for seed in range(CASES)])
def test_same_tabular_errors_as_frictionless_on_csv_5(seed: int, tmp_path: Path) -> None:
    generate(seed, tmp_path)
    ours, theirs = corpack_errors(tmp_path), frictionless_errors(tmp_path)
    assert ours == theirs, f"only pkg validate: {sorted(ours - theirs, key=str)}; only frictionless: {sorted(theirs - ours, key=str)}"
