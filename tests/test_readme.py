"""The loading snippets in README.md run as written against the committed package."""

from __future__ import annotations

import os
import re

import pytest

from tests.conftest import ROOT


def _snippets() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_readme_has_loading_snippets_for_pandas_polars_duckdb():
    joined = "\n".join(_snippets())
    for engine in ("pandas", "polars", "duckdb"):
        assert f"import {engine}" in joined


@pytest.mark.parametrize("snippet", _snippets(), ids=lambda s: s.split("\n", 1)[0])
def test_readme_snippet_runs(snippet, monkeypatch, tmp_path):
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # datasets caches here, offline
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    namespace: dict = {}
    exec(compile(snippet, "README.md", "exec"), namespace)  # noqa: S102 - the README's own code
    assert os.getcwd() == str(ROOT)


def test_cli_reference_in_readme_is_current():
    from tests.regen import README, render_readme

    text = README.read_text(encoding="utf-8")
    assert render_readme(text) == text, "run `python -m tests.regen` and commit README.md"
