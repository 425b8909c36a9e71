"""Pinyin glosses of script converters are removed by one general rule, and counted (#12)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from corpack.clean import clean
from corpack.clean.glosses import GLOSS, count_damaged, repair_glosses


def test_gloss_after_a_character_is_removed_and_counted_12():
    assert repair_glosses("本區(qū)統(tǒng)戰(zhàn)部門召開會議。") == ("本區統戰部門召開會議。", 3)


def test_full_width_brackets_and_doubled_commas_in_glossed_lines_12():
    assert repair_glosses("會議強調(diào),,要做好聯誼工作,。") == ("會議強調,要做好聯誼工作。", 3)


def test_pinyin_script_g_counts_as_a_letter_12():
    assert repair_glosses("統(tǒnɡ)戰") == ("統戰", 1)


def test_a_character_glossed_twice_loses_both_12():
    assert repair_glosses("統(tǒng)(tǒng)戰") == ("統戰", 2)


def test_brackets_without_tone_marks_and_unglossed_lines_stay_12():
    text = "什麼(me)應用(APP)在(2021)年上線,,\n他說（lǎo）不在漢字後"
    assert repair_glosses("什麼(me)應用(APP)在(2021)年上線,,") == ("什麼(me)應用(APP)在(2021)年上線,,", 0)
    assert repair_glosses(text)[1] == 1  # only the gloss after 說


def test_traditional_text_stays_traditional_12():
    cleaned = clean("全市新的社會階層人士約1.9萬人,已成立聯(lián)誼會12個。")
    assert cleaned.text == "全市新的社會階層人士約1.9萬人,已成立聯誼會12個。"
    assert cleaned.counts["conversion_repairs"] == 1


@given(st.text(alphabet=st.sampled_from(list("統戰(tǒnɡ)（zhàn）,，。、區qū ")), max_size=80))
def test_repair_leaves_no_gloss_and_is_idempotent_12(text):
    once, _ = repair_glosses(text)
    assert not GLOSS.search(once)
    assert repair_glosses(once) == (once, 0)


def test_a_damaged_gloss_is_kept_as_published_and_counted_unrecoverable_12():
    line = "推進某區(qū)?shù)亟?jīng)工作。"
    assert repair_glosses(line) == ("推進某區?shù)亟?jīng)工作。", 1)  # only the whole gloss is repaired
    assert count_damaged("推進某區?shù)亟?jīng)工作。") == 2
    assert count_damaged("他問?(shù)說明)數量?") == 0  # no tone mark after the ?, or an opening bracket
    cleaned = clean("某縣新聯會成立大會召開\n會議強調,要推進某區?shù)亟?jīng)工作,做好聯誼服務。")
    assert "?shù)亟?jīng)" in cleaned.text
    assert cleaned.counts["unrecoverable_chars"] == 2
    assert sum(p.unrecoverable for p in cleaned.paragraphs) == 2
