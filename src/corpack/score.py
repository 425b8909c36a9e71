"""``pkg score``: measure a built package's fact tables against a gold folder.

The gold folder holds, per document, ``<doc>.stats.jsonl`` and ``<doc>.events.jsonl`` (and optionally
``*_cities.jsonl``), with the conventions of ``shared/gold/README.md``. Gold offsets point into the raw
files, so matching is by content, per document:

- statistics: same value and unit (a multiset match); gold rows marked ``borderline`` count neither way
  (a prediction matching one is neither a hit nor a false positive); qualifier accuracy is reported over the
  matched pairs;
- events: same date (ISO, partial dates as in the gold);
- city lists: the designations of the document, list by list and in order, against the gold cities; every
  item must have a code and the gold's province.

Documents are matched by file name: gold ``doc`` ``000_x.txt`` is the package document whose ``file`` is
``000_x.txt``. Documents the gold does not cover are left out of the scores.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from corpack.errors import PackageError


@dataclass
class Score:
    """Precision, recall and the rows behind them for one resource."""

    name: str
    hits: int = 0
    predicted: int = 0
    expected: int = 0
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.hits / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _table(package: Path, name: str) -> list[dict]:
    path = package / "data" / f"{name}.parquet"
    if not path.is_file():
        raise PackageError(f"the package has no {name} resource", file=path, hint="rebuild it with this version of corpack")
    return pq.read_table(path).to_pylist()


def score_statistics(gold: dict[str, list[dict]], predicted: dict[str, list[dict]]) -> tuple[Score, tuple[int, int]]:
    """Score statistics; also return (qualifier matches, matched pairs)."""
    score = Score("statistics")
    qualifier_ok = pairs = 0
    for doc, rows in gold.items():
        core = [r for r in rows if not r["borderline"]]
        border = Counter((r["value"], r["unit"]) for r in rows if r["borderline"])
        expected = Counter((r["value"], r["unit"]) for r in core)
        score.expected += len(core)
        for pred in predicted.get(doc, []):
            key = (pred["value"], pred["unit"])
            if expected[key] > 0:
                expected[key] -= 1
                score.hits += 1
                score.predicted += 1
                gold_row = next(r for r in core if (r["value"], r["unit"]) == key)
                pairs += 1
                qualifier_ok += gold_row["qualifier"] == pred["qualifier"]
                if gold_row["qualifier"] != pred["qualifier"]:
                    score.notes.append(f"{doc}: {pred['quote']} qualifier {pred['qualifier']}, gold {gold_row['qualifier']}")
            elif border[key] > 0:
                border[key] -= 1
            else:
                score.predicted += 1
                score.false_positives.append(f"{doc}: {pred['quote']} = {pred['value']:g} {pred['unit']}")
        for (value, unit), left in expected.items():
            quotes = [r["quote"] for r in core if (r["value"], r["unit"]) == (value, unit)]
            score.misses += [f"{doc}: {quotes[0]} = {value:g} {unit}"] * left
    return score, (qualifier_ok, pairs)


def score_events(gold: dict[str, list[dict]], predicted: dict[str, list[dict]]) -> Score:
    """Score events by date, per document."""
    score = Score("events")
    for doc, rows in gold.items():
        expected = Counter(r["date"] for r in rows)
        score.expected += len(rows)
        for pred in predicted.get(doc, []):
            score.predicted += 1
            if expected[pred["date"]] > 0:
                expected[pred["date"]] -= 1
                score.hits += 1
            else:
                score.false_positives.append(f"{doc}: {pred['quote']} -> {pred['date']}")
        for date, left in expected.items():
            quotes = [r["quote"] for r in rows if r["date"] == date]
            score.misses += [f"{doc}: {quotes[0]} -> {date}"] * left
    return score


def score_cities(gold: dict[str, list[dict]], predicted: dict[str, list[dict]]) -> Score:
    """Score city lists: each gold list must come out exactly, in order, with codes and provinces."""
    score = Score("designations (city lists)")
    for doc, rows in gold.items():
        lists: dict[str, list[dict]] = {}
        for row in rows:
            lists.setdefault(row["designation"], []).append(row)
        found: dict[str, list[dict]] = {}
        for row in predicted.get(doc, []):
            found.setdefault(row["list_title"], []).append(row)
        score.expected += len(rows)
        score.predicted += sum(len(v) for v in found.values())
        unmatched = list(found.values())
        for designation, items in lists.items():
            names = [r["city"] for r in items]
            match = next((lst for lst in unmatched if [r["item"] for r in lst] == names), None)
            if match is None:
                score.misses += [f"{doc}: {designation} list {names[:3]}… not found as one list"]
                continue
            unmatched.remove(match)
            for gold_row, pred in zip(items, match):
                if pred["adcode"] and pred["province"] == gold_row["province"]:
                    score.hits += 1
                else:
                    score.misses.append(f"{doc}: {pred['item']} code {pred['adcode']} province {pred['province']}, gold {gold_row['province']}")
        for lst in unmatched:
            score.false_positives += [f"{doc}: {r['list_title']}: {r['item']}" for r in lst]
    return score


def score_package(gold_dir: Path | str, package: Path | str) -> dict:
    """Score ``package`` against ``gold_dir``.

    Returns:
        ``{"scores": [Score, ...], "qualifier_accuracy": float, "qualifier_pairs": int}``.

    Raises:
        PackageError: when the gold folder or a resource of the package is missing.
    """
    gold_dir, package = Path(gold_dir), Path(package)
    if not gold_dir.is_dir():
        raise PackageError("gold folder not found", file=gold_dir)
    files = {d["file"]: d["doc_id"] for d in pq.read_table(package / "data" / "documents.parquet", columns=["doc_id", "file"]).to_pylist()}

    def by_doc(pattern: str) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for path in sorted(gold_dir.glob(pattern)):
            for row in _jsonl(path):
                if row["doc"] in files:
                    out.setdefault(files[row["doc"]], []).append(row)
        return out

    def grouped(resource: str) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for row in _table(package, resource):
            out.setdefault(row["doc_id"], []).append(row)
        return out

    stats, (ok, pairs) = score_statistics(by_doc("*.stats.jsonl"), grouped("statistics"))
    events = score_events(by_doc("*.events.jsonl"), grouped("events"))
    scores = [stats, events]
    cities = by_doc("*_cities.jsonl")
    if cities:
        scores.append(score_cities(cities, grouped("designations")))
    return {"scores": scores, "qualifier_accuracy": ok / pairs if pairs else 1.0, "qualifier_pairs": pairs}


def render(result: dict) -> str:
    """A readable score report: one line per resource, then every miss and false positive."""
    lines = [f"{'resource':<28} {'precision':>9} {'recall':>7} {'f1':>6} {'hits':>5} {'pred':>5} {'gold':>5}"]
    for s in result["scores"]:
        lines.append(f"{s.name:<28} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.hits:5d} {s.predicted:5d} {s.expected:5d}")
    lines.append(f"qualifier accuracy (statistics, matched pairs): {result['qualifier_accuracy']:.3f} over {result['qualifier_pairs']}")
    for s in result["scores"]:
        for label, items in (("missed", s.misses), ("false positive", s.false_positives), ("note", s.notes)):
            lines += [f"  {s.name} {label}: {item}" for item in items]
    return "\n".join(lines) + "\n"
