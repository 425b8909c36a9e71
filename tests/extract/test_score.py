"""The issue's quality bar, measured with `pkg score` on the bundled corpus against shared/gold."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from corpack.cli import cli
from corpack.score import score_package
from tests.conftest import SHARED

GOLD = SHARED / "gold"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not GOLD.is_dir(), reason="shared/gold is not beside the checkout")]


def test_targets_are_met_on_the_gold_4(built):
    result = score_package(GOLD, built)
    scores = {s.name: s for s in result["scores"]}
    stats, events, cities = scores["statistics"], scores["events"], scores["designations (city lists)"]
    assert stats.precision >= 0.95 and stats.recall >= 0.95, stats.misses + stats.false_positives
    assert events.precision >= 0.95 and events.recall >= 0.95, events.misses + events.false_positives
    assert cities.precision == 1.0 and cities.recall == 1.0, cities.misses + cities.false_positives


def test_score_command_prints_the_table_and_the_misses(built):
    result = CliRunner().invoke(cli, ["score", str(GOLD), str(built)])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].split()[:4] == ["resource", "precision", "recall", "f1"]
    assert "events missed: 004_9fd3433af4c1c817: ?019-09-20" in result.stdout
