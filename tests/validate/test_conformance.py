"""frictionless's own test fixtures (#5): pkg validate gives the same verdict and the same tabular error types.

The fixtures are in ../shared/conformance/frictionless-py (see its README); the test skips when they are
absent. Cases where we differ on purpose are listed in docs/validation.md and checked here too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dpcheck import validate_package

ROOT = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "frictionless-py"
TABULAR = {"blank-row", "extra-cell", "missing-cell", "type-error", "constraint-error", "unique-error", "primary-key",
           "foreign-key", "incorrect-label", "extra-label", "blank-label", "duplicate-label", "hash-count", "byte-count",
           "package-error"}
SAME = [
    "data/detailed-with-schema.package.json", "data/geopoint/datapackage.json", "data/invalid/datapackage.json",
    "data/issue-1004.package.json", "data/issue-1100.package.json", "data/issue-1105.package.json",
    "data/issue-905/datapackage.json", "data/number/datapackage.json", "data/package-dialect-no-header.json",
    "data/package-with-fields-993.json", "data/package-with-missingvalues-993.json", "data/package.json",
    "data/package-1067.json", "data/package-with-dereferencing.json", "data/multipart.package.json",
    "data/compression/datapackage.json",
]
# Same verdict; we also report what frictionless leaves out (documented in docs/validation.md).
SAME_VERDICT = ["data/invalid/datapackage_no_foreign_key.json"]
# Same verdict, different findings on purpose (docs/validation.md, "Deliberate differences").
DIFFERENT = {
    # frictionless guesses the header row from row widths when the dialect declares none, and so skips the
    # line "# clean this data!"; we take line 1 as the header, as the default dialect says.
    "data/multiple-folders.package.json": "header row guessed",
}
# Also not matched, listed in docs/validation.md: package/datapackage.json and infer/ (no schema; frictionless
# infers one).


pytestmark = pytest.mark.skipif(not ROOT.is_dir(), reason=f"conformance fixtures not found at {ROOT}")


def _theirs(path: Path) -> tuple[bool, set[str]]:
    from frictionless import validate

    report = validate(str(path))
    return report.valid, {e.type for t in report.tasks for e in t.errors} | {e.type for e in report.errors}


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # frictionless leaves a .gz open
@pytest.mark.parametrize("case", SAME + SAME_VERDICT + list(DIFFERENT))
def test_same_verdict_and_error_types_as_frictionless_5(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # frictionless resolves some fixtures' paths from the working folder, as its README says
    valid, types = _theirs(Path(case))
    report = validate_package(case, limit=1000)
    ours = {code for _, code in report.counts}
    assert report.valid == valid
    if case in SAME:
        assert ours & TABULAR == types & TABULAR
    elif case in SAME_VERDICT:
        assert types & TABULAR <= ours
