"""Small helpers for tests that build corpora of their own."""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def write_corpus(folder: Path, files: dict[str, bytes]) -> Path:
    """Create a corpus folder holding ``files`` (name -> raw bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def digests(folder: Path) -> dict[str, str]:
    """The sha256 of every file below ``folder``, by its relative path: two builds are byte-identical when equal."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def benchmark_corpus() -> ModuleType:
    """``benchmarks/corpus.py`` (the seeded report generator) as a module."""
    return benchmark("corpus")


def benchmark(stem: str) -> ModuleType:
    """``benchmarks/<stem>.py`` as a module; ``benchmarks/`` is not a package."""
    name = f"bench_{stem}"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "benchmarks" / f"{stem}.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules[name]


def generated_rows(folder: Path, seed: int, documents: int = 6) -> list:
    """The rows (:class:`corpack.tables.DocumentRows`) of the first ``documents`` files of a small generated
    corpus written into ``folder`` (files that fail are left out)."""
    from corpack import dispatch
    from corpack.tables import DocumentRows

    benchmark_corpus().generate(folder, 80_000, seed=seed)
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.txt"))[:documents]
    rows = [dispatch.process_document(folder, rel, {}) for rel in files]
    return [r for r in rows if isinstance(r, DocumentRows)]


def joined_pieces(pieces: list[str], max_size: int):
    """A hypothesis strategy: texts made of up to ``max_size`` of ``pieces`` (what a pattern looks for and what
    stands around it), joined."""
    from hypothesis import strategies as st

    return st.lists(st.sampled_from(pieces), max_size=max_size).map("".join)
