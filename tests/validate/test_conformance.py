"""frictionless's own test fixtures (#5, #14): pkg validate gives the same verdict and the same tabular error types.

The fixtures are in ../shared/conformance/frictionless-py (see its README); the tests skip when they are
absent. Every package descriptor among them (JSON or YAML, a top-level ``resources``) is a case, found by
walking the folder, so a fixture added upstream is a case too. Cases where we differ on purpose are listed
in docs/validation.md ("Deliberate differences") and below; ``test_verdict_count`` prints how many verdicts
match (it was 24 of 28 before #14: two YAML descriptors, two packages without a schema).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from dpcheck import validate_package

ROOT = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "frictionless-py"
TABULAR = {"blank-row", "extra-cell", "missing-cell", "type-error", "constraint-error", "unique-error", "primary-key",
           "foreign-key", "incorrect-label", "extra-label", "blank-label", "duplicate-label", "hash-count", "byte-count",
           "package-error", "resource-error", "schema-error"}
# Same verdict, different findings on purpose (docs/validation.md, "Deliberate differences").
DIFFERENT_FINDINGS = {
    # frictionless guesses the header row from row widths when the dialect declares none, and so skips the
    # line "# clean this data!"; we take line 1 as the header, as the default dialect says.
    "data/multiple-folders.package.json": "header row guessed",
}
# Different verdict on purpose: none today.
DIFFERENT_VERDICT: dict[str, str] = {}


def _is_package(path: Path) -> bool:
    if path.stat().st_size > 1 << 20:
        return False
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        value = yaml.safe_load(text) if path.suffix in (".yaml", ".yml") else json.loads(text)
    except (ValueError, yaml.YAMLError):
        return False
    return isinstance(value, dict) and "resources" in value


def _cases() -> list[str]:
    if not ROOT.is_dir():
        return []
    found = [p for p in (ROOT / "data").rglob("*") if p.suffix in (".json", ".yaml", ".yml") and p.is_file() and _is_package(p)]
    return sorted(str(p.relative_to(ROOT)) for p in found)


CASES = _cases()
pytestmark = pytest.mark.skipif(not CASES, reason=f"conformance fixtures not found at {ROOT}")


@pytest.fixture(scope="module")
def verdicts() -> Iterator[dict[str, tuple[bool, set[str], bool, set[str]]]]:
    """Every case judged by frictionless and by us: (their verdict, their types, our verdict, our codes)."""
    from frictionless import validate

    here = Path.cwd()
    os.chdir(ROOT)  # frictionless resolves some fixtures' paths from the working folder, as its README says
    try:
        out = {}
        for case in CASES:
            theirs = validate(case)
            types = {e.type for t in theirs.tasks for e in t.errors} | {e.type for e in theirs.errors}
            ours = validate_package(case, limit=1000)
            out[case] = (theirs.valid, types, ours.valid, {code for _, code in ours.counts})
        yield out
    finally:
        os.chdir(here)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # frictionless leaves a .gz open
def test_verdict_count(verdicts: dict[str, tuple[bool, set[str], bool, set[str]]], capsys: pytest.CaptureFixture[str]) -> None:
    same = sorted(case for case, (theirs, _, ours, _) in verdicts.items() if theirs == ours)
    with capsys.disabled():
        print(f"\nconformance: pkg validate gives frictionless's verdict on {len(same)} of {len(verdicts)} fixture packages")
    assert len(verdicts) >= 28
    assert set(verdicts) - set(same) == set(DIFFERENT_VERDICT)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("case", CASES)
def test_same_verdict_and_error_types_as_frictionless_5(case: str, verdicts: dict[str, tuple[bool, set[str], bool, set[str]]]) -> None:
    their_valid, types, our_valid, codes = verdicts[case]
    if case in DIFFERENT_VERDICT:
        assert their_valid != our_valid
        return
    assert our_valid == their_valid
    if case in DIFFERENT_FINDINGS:
        assert codes & TABULAR != types & TABULAR  # still different: drop it from the list when it is not
    else:
        assert codes & TABULAR == types & TABULAR


def test_every_deliberate_difference_is_documented_14() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "validation.md").read_text(encoding="utf-8")
    for case in (*DIFFERENT_FINDINGS, *DIFFERENT_VERDICT):
        assert case in text
