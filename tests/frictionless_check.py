"""Run frictionless on a package, filtering exactly its one known false positive on Parquet.

frictionless 5 reads Parquet through pandas, where a null in an integer column becomes NaN, and then reports
a ``type-error`` for every such cell although the field is nullable. This filters those findings, and only
those: a ``type-error`` whose cell is empty/NaN in an ``integer`` field that is not ``required``. Anything else
fails. Used by the test suite and by ``.ci/run``: ``python -m tests.frictionless_check datapackage``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import frictionless

NULLS = {"", "nan", "NaN", "None", "<NA>", "NaT"}


def nullable_integer_fields(descriptor: dict) -> dict[str, set[str]]:
    """Names of the nullable integer fields, per resource."""
    return {
        res["name"]: {f["name"] for f in res["schema"]["fields"] if f.get("type") == "integer" and not f.get("constraints", {}).get("required")}
        for res in descriptor["resources"]
    }


def check(package: Path) -> tuple[list[dict], int]:
    """Validate ``package`` with frictionless; return (real errors, number of filtered false positives)."""
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    nullable = nullable_integer_fields(descriptor)
    report = frictionless.validate(str(package / "datapackage.json"))
    errors, filtered = [], 0
    for error in [*report.errors, *(e for task in report.tasks for e in task.errors)]:
        data = error.to_descriptor()
        field = data.get("fieldName")
        resource = next((t.name for t in report.tasks if error in t.errors), None)
        if data.get("type") == "type-error" and str(data.get("cell")) in NULLS and field in nullable.get(resource, set()):
            filtered += 1
            continue
        errors.append(data)
    return errors, filtered


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "datapackage")
    real, skipped = check(target)
    print(f"frictionless: {len(real)} errors; {skipped} known false positives filtered (null in a nullable integer field read from Parquet)")
    for item in real[:20]:
        print(json.dumps(item, ensure_ascii=False))
    sys.exit(1 if real else 0)
