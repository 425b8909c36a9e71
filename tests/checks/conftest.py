"""Fixtures for corpack's declared checks: the hand-written corpus package of tests/validate, declaring them.

``make_package`` and ``package`` are those of :mod:`tests.validate.conftest` with
``"dpcheck:checks": ["corpack.corpus", "corpack.facts"]`` in the descriptor, as ``pkg build`` writes it; a
test validates them with :func:`corpack.checking.validate_package`, which registers the checks.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import corpack.checks.windows as windows
from corpack.checks import CODES as CHECK_CODES, DECLARED
from dpcheck import CODES, Report
from tests.validate.conftest import MakePackage, corpus_rows, refresh_hash, resource, rewrite_descriptor, write_package


def declaring(edit: Callable[[dict[str, Any]], None] | None = None) -> Callable[[dict[str, Any]], None]:
    """A descriptor edit that declares corpack's checks, then applies ``edit``."""

    def apply(descriptor: dict[str, Any]) -> None:
        descriptor["dpcheck:checks"] = list(DECLARED)
        if edit is not None:
            edit(descriptor)

    return apply


@pytest.fixture
def make_package(tmp_path: Path) -> MakePackage:
    """Factory: ``make_package(documents=..., paragraphs=..., edit=...)`` writes a package declaring corpack's
    checks and returns its folder (omitted tables get the clean rows)."""
    counter = iter(range(1000))

    def make(documents: Any = None, paragraphs: Any = None, edit: Callable[[dict[str, Any]], None] | None = None) -> Path:
        clean_documents, clean_paragraphs = corpus_rows()
        folder = tmp_path / f"pkg{next(counter)}" / "datapackage"
        return write_package(folder, clean_documents if documents is None else documents,
                             clean_paragraphs if paragraphs is None else paragraphs, declaring(edit))

    return make


@pytest.fixture
def package(make_package: MakePackage) -> Path:
    """A clean, valid package folder declaring corpack's checks."""
    return make_package()


def codes(report: Report) -> set[str]:
    """The codes a report found; checks on the way that each is documented (dpcheck's or corpack's checks')."""
    found = {code for _, code in report.counts}
    known = set(CODES) | set(CHECK_CODES)
    assert found <= known, f"undocumented codes: {found - known}"
    return found


@pytest.fixture
def kit() -> SimpleNamespace:
    """Helpers for tests: corpus_rows, rewrite_descriptor, refresh_hash, resource, codes."""
    return SimpleNamespace(corpus_rows=corpus_rows, rewrite_descriptor=rewrite_descriptor, refresh_hash=refresh_hash,
                           resource=resource, codes=codes)


def as_csv(folder: Path, header: bool = True) -> Path:
    """Rewrite every Parquet resource of the package in ``folder`` as CSV (with or without a header row),
    updating path, format, mediatype, hash and dialect; return ``folder``."""
    import hashlib
    import json

    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    for entry in descriptor["resources"]:
        source = folder / entry["path"]
        target = source.with_suffix(".csv")
        pcsv.write_csv(pq.read_table(source), target, pcsv.WriteOptions(include_header=header))
        source.unlink()
        entry.update(path=Path(entry["path"]).with_suffix(".csv").as_posix(), format="csv", mediatype="text/csv",
                     hash="sha256:" + hashlib.sha256(target.read_bytes()).hexdigest())
        if not header:
            entry["dialect"] = {"header": False}
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return folder


def record_reads(monkeypatch: pytest.MonkeyPatch, *modules: Any) -> list[tuple[Any, tuple[str, ...]]]:
    """Record (table name, column names) of every batched read through ``corpack.checks.windows.batches``, as
    ``modules`` (each holding its own name for it) call it; returns the list the reads are added to."""
    read: list[tuple[Any, tuple[str, ...]]] = []
    original = windows.batches

    def batches(table: Any, names: Any) -> Any:
        read.append((table.name, tuple(names)))
        return original(table, names)

    for module in (windows, *modules):
        monkeypatch.setattr(module, "batches", batches)
    return read
