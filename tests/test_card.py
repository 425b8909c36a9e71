"""The dataset card's code runs as printed, against the package it describes."""

from __future__ import annotations

import re

import pytest

FENCE = re.compile(r"```python\n(.*?)```", re.S)


def _blocks(card: str) -> list[str]:
    return FENCE.findall(card)


@pytest.mark.slow
def test_every_code_block_in_the_card_runs_against_its_package(built, monkeypatch, capsys):
    blocks = _blocks((built / "README.md").read_text(encoding="utf-8"))
    assert blocks, "the card has no Python code block"
    monkeypatch.chdir(built)  # the card says: run from the package folder
    for block in blocks:
        exec(compile(block, "README.md (card)", "exec"), {})  # noqa: S102 - the card's own code
    assert "│" in capsys.readouterr().out  # DuckDB printed its table


def test_the_card_of_a_package_with_other_resource_names_runs(tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from corpack.card import _loading

    (tmp_path / "data").mkdir()
    pq.write_table(pa.table({"id": [1, 2], "label": ["a", "b"]}), tmp_path / "data" / "my-items.parquet")
    descriptor = {
        "resources": [
            {
                "name": "my-items",
                "path": "data/my-items.parquet",
                "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "label", "type": "string"}], "primaryKey": ["id"]},
            }
        ]
    }
    monkeypatch.chdir(tmp_path)
    for block in _blocks(_loading(descriptor)):
        exec(compile(block, "card", "exec"), {})  # noqa: S102
