"""`pkg score`: the quality bar on the bundled corpus against shared/gold, and the scorer's own rules."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from corpack.cli import cli
from corpack.score import Score, gold_subject, score_documents, score_package, score_statistics
from tests.conftest import SHARED

GOLD = SHARED / "gold"


@pytest.mark.slow
@pytest.mark.skipif(not GOLD.is_dir(), reason="shared/gold is not beside the checkout")
def test_targets_are_met_on_the_gold_12(built):
    result = score_package(GOLD, built)
    scores = {s.name: s for s in result["scores"]}
    stats, events, cities = scores["statistics"], scores["events"], scores["designations (city lists)"]
    assert stats.f1 >= 0.97, stats.misses + stats.false_positives
    assert events.f1 >= 0.97, events.misses + events.false_positives
    assert cities.precision == 1.0 and cities.recall == 1.0, cities.misses + cities.false_positives
    labels = result["labels"]
    assert labels.accuracy("indicator") >= 0.95, stats.notes
    assert labels.accuracy("subject") >= 0.90, stats.notes
    assert labels.accuracy("year") >= 0.95, stats.notes


@pytest.mark.slow
@pytest.mark.skipif(not GOLD.is_dir(), reason="shared/gold is not beside the checkout")
def test_score_command_prints_the_table_labels_documents_and_misses_per_document(built):
    result = CliRunner().invoke(cli, ["score", str(GOLD), str(built)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["resource", "precision", "recall", "f1"]
    assert any(line.startswith("statistics labels over ") and "subject" in line for line in lines)
    assert any(line.startswith("documents: title right ") for line in lines)
    assert all(line.startswith(("  ", "resource", "statistics", "events", "designations", "documents")) or line.endswith(":") for line in lines)


def test_precision_is_zero_when_nothing_matches_12():
    assert Score("x", hits=0, predicted=0, expected=3).precision == 0.0
    assert Score("x", hits=0, predicted=0, expected=0).precision == 1.0
    assert Score("x", hits=0, predicted=2, expected=3).f1 == 0.0


def test_gold_subject_is_read_as_a_place():
    assert gold_subject("贵阳市(市、区两级)") == "贵阳市"
    assert gold_subject("城阳区新的社会阶层人士") == "城阳区"
    assert gold_subject("全国(联席会议)") == "全国"
    assert gold_subject("中央统战部") == "中央统战部"


def _gold(value, unit, offset, **labels):
    return {"quote": f"{value:g}{unit}", "value": value, "unit": unit, "offset": offset, "borderline": False,
            "qualifier": "exact", "subject": "长沙市", "indicator": "bases", "year": None, **labels}


def _pred(value, unit, start, **labels):
    return {"quote": f"{value:g}{unit}", "value": value, "unit": unit, "char_start": start,
            "qualifier": "exact", "subject": "长沙市", "body": None, "indicator": "bases", "year": None, **labels}


def test_statistics_pair_in_text_order_and_labels_are_scored_12():
    gold = {"d": [_gold(12, "个", 10), _gold(12, "个", 50, indicator="organisations"), _gold(3, "人", 70, borderline=True)]}
    pred = {"d": [_pred(12, "个", 5), _pred(12, "个", 40, indicator="organisations", subject="湖南省"), _pred(3, "人", 60), _pred(7, "个", 80)]}
    score, labels = score_statistics(gold, pred)
    assert (score.hits, score.predicted, score.expected) == (2, 3, 2)  # the borderline pair counts neither way
    assert labels.pairs == 2 and labels.accuracy("indicator") == 1.0 and labels.accuracy("subject") == 0.5
    assert score.false_positives == ["d: 7个 = 7 个"]


def test_subject_naming_an_organisation_is_right_when_the_body_names_it_12():
    gold = {"d": [_gold(5, "个", 0, subject="中央统战部")]}
    score, labels = score_statistics(gold, {"d": [_pred(5, "个", 0, subject="全国", body="中央统战部")]})
    assert labels.accuracy("subject") == 1.0


def test_documents_title_furniture_and_lost_lines_12(tmp_path):
    (tmp_path / "gold").mkdir()
    raw = "首页 新闻 要闻 统战\n某市新联会成立大会召开\n会议选举产生了第一届理事会成员。\n上一篇：某区召开座谈会议\n"
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(raw, encoding="utf-8")
    label = {"doc": "a.txt", "title": "某市新联会成立大会召开", "published": "2024-01-02", "publisher": None,
             "lines": [[0, "b"], [1, "c"], [2, "c"], [3, "b"]]}
    docs = {"a": {"title": "某市新联会成立大会召开", "published": "2024-01-02",
                  "text": "某市新联会成立大会召开\n上一篇：某区召开座谈会议"}}
    result = score_documents(tmp_path / "gold", {"a": label}, docs)
    assert (result.titles_right, result.titles, result.dates_right) == (1, 1, 1)
    assert (result.furniture_kept, result.furniture) == (1, 2)
    assert (result.content_lost, result.content) == (1, 2)
    assert any("report line lost, line 2" in miss for miss in result.misses)


def test_documents_without_the_raw_file_score_titles_only_12(tmp_path):
    label = {"doc": "gone.txt", "title": "标题", "published": None, "publisher": None, "lines": [[0, "c"]]}
    result = score_documents(tmp_path, {"a": label}, {"a": {"title": "别的", "published": None, "text": ""}})
    assert result.titles_right == 0 and result.content == 0 and "not found" in result.notes[0]



def test_furniture_repeating_a_report_line_is_not_scored_12(tmp_path):
    (tmp_path / "a.txt").write_text("某市新联会成立大会召开\n某市新联会成立大会召开\n会议选举产生了第一届理事会成员。\n", encoding="utf-8")
    label = {"doc": "a.txt", "title": None, "published": None, "publisher": None, "lines": [[0, "b"], [1, "c"], [2, "c"]]}
    docs = {"a": {"title": None, "published": None, "text": "某市新联会成立大会召开\n会议选举产生了第一届理事会成员。"}}
    result = score_documents(tmp_path, {"a": label}, docs)
    assert (result.furniture, result.content, result.content_lost) == (0, 2, 0)


def test_a_glossed_report_line_repaired_by_cleaning_is_not_lost_and_no_title_matches_none_12(tmp_path):
    (tmp_path / "a.txt").write_text("某縣統(tǒng)戰(zhàn)部召開新的社會階層人士座談會。\n", encoding="utf-8")
    label = {"doc": "a.txt", "title": None, "published": None, "publisher": None, "lines": [[0, "c"]]}
    docs = {"a": {"title": None, "published": None, "text": "某縣統戰部召開新的社會階層人士座談會。"}}
    result = score_documents(tmp_path, {"a": label}, docs)
    assert (result.content, result.content_lost) == (1, 0)
    assert (result.titles_right, result.titles) == (1, 1)
    made_up = score_documents(tmp_path, {"a": label}, {"a": {**docs["a"], "title": "首页"}})
    assert made_up.titles_right == 0


def test_an_empty_gold_file_counts_every_prediction_of_its_document_as_false_12(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    gold, data = tmp_path / "gold", tmp_path / "pkg" / "data"
    gold.mkdir()
    data.mkdir(parents=True)
    (gold / "a.events.jsonl").write_text("", encoding="utf-8")  # a labelled page with no events
    (gold / "a.stats.jsonl").write_text("", encoding="utf-8")
    pq.write_table(pa.table({"doc_id": ["a"], "file": ["a.txt"], "published": [None], "title": [None], "text": ["x"]}), data / "documents.parquet")
    pq.write_table(pa.table({"doc_id": ["a"], "quote": ["7月3日"], "date": ["--07-03"]}), data / "events.parquet")
    pq.write_table(pa.table({"doc_id": pa.array([], pa.string())}), data / "statistics.parquet")
    result = score_package(gold, tmp_path / "pkg")
    events = next(s for s in result["scores"] if s.name == "events")
    assert (events.predicted, events.hits, events.precision) == (1, 0, 0.0)
    assert events.false_positives == ["a: 7月3日 -> --07-03"]
