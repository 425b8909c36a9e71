"""``pkg score``: measure a built package against a gold folder, on what users rely on.

The gold folder holds, per document, ``<doc>.stats.jsonl``, ``<doc>.events.jsonl`` and ``<doc>.clean.json``
(and optionally ``*_cities.jsonl``), with the conventions of ``shared/gold/README.md``. Gold offsets point
into the raw files, so matching is by content, per document:

- statistics: same value and unit; among rows with the same value and unit, gold rows and predictions are
  paired in text order (the gold labels the first occurrence of a repeated figure). Gold rows marked
  ``borderline`` count neither way (a prediction paired with one is neither a hit nor a false positive).
  Over the matched core pairs: ``qualifier``, ``indicator``, ``year`` and ``subject`` accuracy. A gold
  subject is read as the place it names: the text before any bracket (贵阳市(市、区两级) → 贵阳市), cut to
  the division the gazetteer finds at its start (城阳区新的社会阶层人士 → 城阳区) or 全国; a gold subject that
  names no place (中央统战部) is right when the prediction's ``body`` names it;
- events: same date (ISO, partial dates as in the gold); a publication-date event is also found when
  ``documents.published`` holds that date;
- a document whose gold file of a kind (``<doc>.stats.jsonl``, ``<doc>.events.jsonl``) is empty has no such
  rows: everything predicted for it is a false positive (a document without that file is not scored);
- documents: ``title`` right (NFC, stripped, equal; no title is right when the gold has none), ``published``
  right where the gold states one, and,
  from the raw file's lines, the share of furniture lines (``b``) still present in ``documents.text`` and
  the share of report lines (``c``) missing from it. A line is present when at least 80% of its distinct
  6-character shingles (NFC, whitespace removed) occur in the text; lines under 6 characters are skipped and
  shingles touching an HTML tag remnant (、/span>) are not tested, and a raw line's pinyin glosses (``統(tǒng)``)
  are taken out before its shingles are made, as cleaning must take them out; a furniture line whose text is itself in the
  report lines (a repeated headline) is not scored. The raw file is looked for beside the gold
  files, then in ``../corpus/`` next to the gold folder; without it only titles and dates are scored;
- city lists: the designations of the document, list by list and in order, against the gold cities; every
  item must have a code and the gold's province.

Precision is 0 when nothing was predicted but something was expected (recall is 1 only when nothing was
expected). Documents are matched by file name: gold ``doc`` ``000_x.txt`` is the package document whose
``file`` is ``000_x.txt``. Documents the gold does not cover are left out of the scores.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pyarrow.parquet as pq

from corpack.clean.glosses import repair_glosses
from corpack.errors import PackageError

LABELS = ("qualifier", "indicator", "year", "subject")


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
        """Hits over predictions; 0 when nothing was predicted but something was expected."""
        if self.predicted:
            return self.hits / self.predicted
        return 0.0 if self.expected else 1.0

    @property
    def recall(self) -> float:
        """Hits over gold rows; 1 only when the gold expects nothing."""
        return self.hits / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        """The harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Labels:
    """Accuracy of the labels of matched statistics: ``right[label]`` out of ``pairs``."""

    pairs: int = 0
    right: Counter = field(default_factory=Counter)

    def accuracy(self, label: str) -> float:
        """Share of matched pairs whose ``label`` agrees with the gold (1.0 when nothing matched)."""
        return self.right[label] / self.pairs if self.pairs else 1.0


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _table(package: Path, name: str) -> list[dict]:
    path = package / "data" / f"{name}.parquet"
    if not path.is_file():
        raise PackageError(f"the package has no {name} resource", file=path, hint="rebuild it with this version of corpack")
    return pq.read_table(path).to_pylist()


_BRACKET = re.compile(r"[(（].*$")


def gold_subject(subject: str | None) -> str | None:
    """The place a gold ``subject`` names (see the module docstring), or the subject itself when it names none."""
    from corpack.extract.gazetteer import find_places

    if not subject:
        return None
    head = _BRACKET.sub("", subject).strip()
    if head.startswith("全国"):
        return "全国"
    place = next((p for p in find_places(head) if p.start == 0 and not p.ambiguous), None)
    return place.full_name if place else head


def _subject_right(gold_row: dict, pred: dict) -> bool:
    want = gold_subject(gold_row.get("subject"))
    return pred.get("subject") == want or (want is not None and pred.get("body") == want)


def _label_right(label: str, gold_row: dict, pred: dict) -> bool:
    if label == "subject":
        return _subject_right(gold_row, pred)
    return gold_row.get(label) == pred.get(label)


def score_statistics(gold: dict[str, list[dict]], predicted: dict[str, list[dict]]) -> tuple[Score, Labels]:
    """Score statistics; also return the label accuracy over matched core pairs."""
    score, labels = Score("statistics"), Labels()
    for doc, rows in gold.items():
        score.expected += sum(not r["borderline"] for r in rows)
        gold_by_key: dict[tuple, list[dict]] = {}
        for row in sorted(rows, key=lambda r: r["offset"]):
            gold_by_key.setdefault((row["value"], row["unit"]), []).append(row)
        pred_by_key: dict[tuple, list[dict]] = {}
        for pred in sorted(predicted.get(doc, []), key=lambda r: r["char_start"]):
            pred_by_key.setdefault((pred["value"], pred["unit"]), []).append(pred)
        for key in sorted(set(gold_by_key) | set(pred_by_key), key=str):
            golds, preds = gold_by_key.get(key, []), pred_by_key.get(key, [])
            for gold_row, pred in zip(golds, preds):
                if gold_row["borderline"]:
                    continue
                score.hits += 1
                score.predicted += 1
                labels.pairs += 1
                for label in LABELS:
                    if _label_right(label, gold_row, pred):
                        labels.right[label] += 1
                    else:
                        want = gold_row.get(label) if label != "subject" else gold_subject(gold_row.get("subject"))
                        score.notes.append(f"{doc}: {pred['quote']} {label} {pred.get(label)}, gold {want}")
            for pred in preds[len(golds) :]:
                score.predicted += 1
                score.false_positives.append(f"{doc}: {pred['quote']} = {pred['value']:g} {pred['unit']}")
            for gold_row in golds[len(preds) :]:
                if not gold_row["borderline"]:
                    score.misses.append(f"{doc}: {gold_row['quote']} = {gold_row['value']:g} {gold_row['unit']}")
    return score, labels


def score_events(gold: dict[str, list[dict]], predicted: dict[str, list[dict]], published: dict[str, str | None] | None = None) -> Score:
    """Score events by date, per document; ``published`` (doc -> documents.published) finds a gold
    publication-date event that the cleaner turned into metadata."""
    score = Score("events")
    published = published or {}
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
        if published.get(doc) and expected[published[doc]] > 0:
            expected[published[doc]] -= 1
            score.hits += 1
            score.predicted += 1
        for date, left in expected.items():
            quotes = [r["quote"] for r in rows if r["date"] == date]
            score.misses += [f"{doc}: {quotes[0]} -> {date}"] * left
    return score


_SHINGLE = 6
_PRESENT = 0.8
_TAG_REMNANT = re.compile(r"</?[A-Za-z][A-Za-z0-9]*[^<>]{0,40}>|.?/[A-Za-z][A-Za-z0-9]*>")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def _shingles(line: str) -> set[str] | None:
    """The distinct testable shingles of a raw line, or None when the line is too short to score.

    Pinyin glosses of script converters (``統(tǒng)``) are taken out first, as the cleaning must take them out.
    """
    line = _squeeze(repair_glosses(line)[0])
    if len(line) < _SHINGLE:
        return None
    damaged = {i for m in _TAG_REMNANT.finditer(line) for i in range(m.start(), m.end())}
    return {line[i : i + _SHINGLE] for i in range(len(line) - _SHINGLE + 1) if not damaged & set(range(i, i + _SHINGLE))}


@dataclass
class Cleaning:
    """Document-level scores: titles and dates right, furniture kept and report lines lost."""

    titles: int = 0
    titles_right: int = 0
    dates: int = 0
    dates_right: int = 0
    furniture: int = 0
    furniture_kept: int = 0
    content: int = 0
    content_lost: int = 0
    misses: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _raw_file(gold_dir: Path, name: str) -> Path | None:
    for candidate in (gold_dir / name, gold_dir.parent / "corpus" / name):
        if candidate.is_file():
            return candidate
    return None


def score_documents(gold_dir: Path, gold: dict[str, dict], documents: dict[str, dict]) -> Cleaning:
    """Score titles, publication dates and cleaning against ``<doc>.clean.json`` (see the module docstring)."""
    result = Cleaning()
    for doc, label in gold.items():
        row = documents[doc]
        result.titles += 1
        title = unicodedata.normalize("NFC", (row.get("title") or "").strip())
        if label.get("title") is None and not title:
            result.titles_right += 1  # no headline, and none made up
        elif label.get("title") is not None and title == unicodedata.normalize("NFC", label["title"].strip()):
            result.titles_right += 1
        else:
            result.misses.append(f"{doc}: title {row.get('title')!r}, gold {label.get('title')!r}")
        if label.get("published"):
            result.dates += 1
            if str(row.get("published")) == label["published"]:
                result.dates_right += 1
            else:
                result.misses.append(f"{doc}: published {row.get('published')}, gold {label['published']}")
        raw = _raw_file(gold_dir, label["doc"])
        if raw is None:
            result.notes.append(f"{doc}: raw file {label['doc']} not found beside the gold: lines not scored")
            continue
        lines = raw.read_bytes().decode("utf-8", errors="replace").splitlines()
        text = _squeeze(row.get("text") or "")
        present = {text[i : i + _SHINGLE] for i in range(len(text) - _SHINGLE + 1)}
        content = {s for line_no, kind in label["lines"] if kind == "c" and line_no < len(lines) for s in _shingles(lines[line_no]) or ()}
        for line_no, kind in label["lines"]:
            shingles = _shingles(lines[line_no]) if line_no < len(lines) else None
            if not shingles:
                continue
            kept = sum(s in present for s in shingles) / len(shingles) >= _PRESENT
            if kind == "b" and sum(s in content for s in shingles) / len(shingles) >= _PRESENT:
                continue  # furniture that repeats report lines (a headline copy) cannot be told apart by its text
            if kind == "b":
                result.furniture += 1
                if kept:
                    result.furniture_kept += 1
                    result.misses.append(f"{doc}: furniture kept, line {line_no}: {lines[line_no].strip()[:40]}")
            else:
                result.content += 1
                if not kept:
                    result.content_lost += 1
                    result.misses.append(f"{doc}: report line lost, line {line_no}: {lines[line_no].strip()[:40]}")
    return result


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
        ``{"scores": [Score, ...], "labels": Labels, "documents": Cleaning, "qualifier_accuracy": float,
        "qualifier_pairs": int}``.

    Raises:
        PackageError: when the gold folder or a resource of the package is missing.
    """
    gold_dir, package = Path(gold_dir), Path(package)
    if not gold_dir.is_dir():
        raise PackageError("gold folder not found", file=gold_dir)
    documents = {d["doc_id"]: d for d in _table(package, "documents")}
    files = {d["file"]: doc_id for doc_id, d in documents.items()}

    stems = {PurePosixPath(file).stem: doc_id for file, doc_id in files.items()}

    def by_doc(pattern: str) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for path in sorted(gold_dir.glob(pattern)):
            stem = path.name[: -len(pattern) + 1]
            if stem in stems:  # a document's own gold file: an empty one says it has no such rows
                out.setdefault(stems[stem], [])
            for row in _jsonl(path):
                if row["doc"] in files:
                    out.setdefault(files[row["doc"]], []).append(row)
        return out

    def grouped(resource: str) -> dict[str, list[dict]]:
        out: dict[str, list[dict]] = {}
        for row in _table(package, resource):
            out.setdefault(row["doc_id"], []).append(row)
        return out

    stats, labels = score_statistics(by_doc("*.stats.jsonl"), grouped("statistics"))
    published = {doc_id: str(d["published"]) if d.get("published") else None for doc_id, d in documents.items()}
    events = score_events(by_doc("*.events.jsonl"), grouped("events"), published)
    scores = [stats, events]
    cities = by_doc("*_cities.jsonl")
    if cities:
        scores.append(score_cities(cities, grouped("designations")))
    clean_gold = {}
    for path in sorted(gold_dir.glob("*.clean.json")):
        label = json.loads(path.read_text(encoding="utf-8"))
        if label["doc"] in files:
            clean_gold[files[label["doc"]]] = label
    return {
        "scores": scores,
        "labels": labels,
        "documents": score_documents(gold_dir, clean_gold, documents),
        "qualifier_accuracy": labels.accuracy("qualifier"),
        "qualifier_pairs": labels.pairs,
    }


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "not scored"


def render(result: dict) -> str:
    """A readable score report: one line per resource, label accuracy, documents, then the misses grouped by
    document."""
    lines = [f"{'resource':<28} {'precision':>9} {'recall':>7} {'f1':>6} {'hits':>5} {'pred':>5} {'gold':>5}"]
    for s in result["scores"]:
        lines.append(f"{s.name:<28} {s.precision:9.3f} {s.recall:7.3f} {s.f1:6.3f} {s.hits:5d} {s.predicted:5d} {s.expected:5d}")
    labels: Labels = result["labels"]
    lines.append(f"statistics labels over {labels.pairs} matched pairs: "
                 + ", ".join(f"{label} {labels.accuracy(label):.3f}" for label in LABELS))
    docs: Cleaning = result["documents"]
    lines.append(f"documents: title right {_share(docs.titles_right, docs.titles)}, published right {_share(docs.dates_right, docs.dates)}, "
                 f"furniture kept {_share(docs.furniture_kept, docs.furniture)}, report lines lost {_share(docs.content_lost, docs.content)}")
    per_doc: dict[str, list[str]] = {}
    items = [(f"{s.name} {label}", item) for s in result["scores"]
             for label, entries in (("missed", s.misses), ("false positive", s.false_positives), ("label", s.notes)) for item in entries]
    items += [("documents", item) for item in docs.misses + docs.notes]
    for kind, item in items:
        doc, _, what = item.partition(": ")
        per_doc.setdefault(doc, []).append(f"  {kind}: {what}")
    for doc in sorted(per_doc):
        lines += [f"{doc}:", *per_doc[doc]]
    return "\n".join(lines) + "\n"
