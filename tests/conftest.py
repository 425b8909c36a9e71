"""Shared fixtures: the repository's paths and one build of the bundled corpus per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import settings

from corpack.pipeline import build

# Tests hold behaviour, not speed (speed lives in benchmarks/): no per-example deadline, which a loaded machine
# can exceed on one run and not the next, a failure Hypothesis then reports as Flaky.
settings.register_profile("corpack", deadline=None)
settings.load_profile("corpack")

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
COMMITTED = ROOT / "datapackage"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    """The bundled corpus built once into a temporary folder (validated before install)."""
    out = tmp_path_factory.mktemp("built") / "datapackage"
    build(CORPUS, out)
    return out


@pytest.fixture
def corpus_copy(tmp_path) -> Path:
    """A writable copy of the bundled corpus."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target
