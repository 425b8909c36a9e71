"""Small helpers for tests that build corpora of their own."""

from __future__ import annotations

from pathlib import Path


def write_corpus(folder: Path, files: dict[str, bytes]) -> Path:
    """Create a corpus folder holding ``files`` (name -> raw bytes)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder
