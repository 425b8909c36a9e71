"""Run frictionless, the reference implementation, on a package: every error it reports fails.

Nullable integer columns carry pandas metadata (:func:`corpack.schemas.pandas_metadata`), so frictionless,
which reads Parquet through pandas, sees their nulls as nulls and no filter is needed. Used by the test suite
and by ``.ci/run``: ``python -m tests.frictionless_check datapackage``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import frictionless


def check(package: Path) -> list[dict]:
    """Validate ``package`` with frictionless; return every error it reports, as descriptors."""
    report = frictionless.validate(str(Path(package) / "datapackage.json"))
    return [error.to_descriptor() for error in [*report.errors, *(e for task in report.tasks for e in task.errors)]]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "datapackage")
    errors = check(target)
    print(f"frictionless: {len(errors)} errors")
    for item in errors[:20]:
        print(json.dumps(item, ensure_ascii=False))
    sys.exit(1 if errors else 0)
