"""Statistics: every quantitative statement, with what it counts and what it is about.

Its ``indicator``, ``subject``, ``body`` and ``year`` are read from the words around the number by the rules
of :mod:`corpack.extract.labels`; menus and related-article links give no statistics.

A quantity (see :mod:`corpack.extract.numbers`) is *not* a statistic, and is logged as skipped, when:

- it is an ordinal: 第 stands right before it (第一批, 第七次);
- it is the indefinite 一 (一个会议, 一支队伍, 一批);
- it is 二 before a measure word, which Chinese counts say with 两: 二次创业 is a compound, not "2 times";
- it is a bare round numeral without a qualifier, only 十/百/千/万 (千家万户, 百家, 万人, 百万人口, 千万家庭):
  idiom, not count (近百座, 近万个 are counts);
- it is written in Chinese numerals inside a short quotation (at most 15 characters: “四个意识”,
  “千名…计划”): a slogan or a name (Arabic counts in quotes, “3方面27家成员单位”, are kept);
- it is part of a formula (1+6, 1A+6S): a + or a Latin letter touches the numeral;
- it is a duration (3个月, 两个小时);
- it follows a ``?`` the repair step could not restore, in a paragraph that has one: the lost character may
  have been 第 (召开?20次全国统战工作会议).

Years, dates and anniversaries never match, since 年, 月, 日 and 周年 are not counting units.

A number with a multiplier and no counting word (网民约12万) is not a statistic: the gold conventions label
a number that *carries* a counting unit, a currency or %, and 万 is a power of ten, not a unit.

The unit is read in the shadow but written as the text has it: 3個分會 has the unit 個 and 4類 the unit 類
(the characters at the same offsets of ``documents.text``), normalised as :mod:`~corpack.extract.numbers`
does (万元 → 元).
"""

from __future__ import annotations

import re

from corpack.extract import SENTENCE_END, Document, Marks
from corpack.extract import labels, subjects, years
from corpack.extract.numbers import find_quantities

_QUOTES = re.compile(r"“[^“”]{1,15}”|‘[^‘’]{1,15}’|「[^「」]{1,15}」|《[^《》]{1,15}》")
_DURATION_AFTER = re.compile(r"月|多月|小时|多小时|星期|礼拜|钟头|工作日")  # matched at the figure's end


def _skip_reason(text: str, q, lo: int, unrecoverable: int) -> str | None:
    start = q.start
    before = text[start - 1] if start > lo else ""
    if before.isspace():
        before = text[lo:start].rstrip()[-1:]  # 第 3 次: spaces between do not hide the ordinal
    after = text[q.end] if q.end < len(text) else ""
    if before == "第":
        return "ordinal (第)"
    if q.chinese and q.core == "一":
        return "indefinite 一"
    if q.chinese and q.core == "二":
        return "二 before a measure word is a compound (counts use 两)"
    if q.chinese and not q.core.strip("十百千万") and q.qualifier == "exact":  # nothing but these characters
        return "bare round numeral without qualifier (idiom)"
    if (before and before in "+＋") or (after and after in "+＋") or (before.isascii() and before.isalpha()):
        return "part of a formula"
    if q.unit == "个" and _DURATION_AFTER.match(text, q.end):
        return "duration"
    if before and before in "?？" and unrecoverable:
        return "follows an unrecoverable character (maybe 第)"
    return None


def unit_as_written(original: str, shadow: str, unit: str) -> str:
    """``unit`` (read in the shadow quote ``shadow``) as the original quote ``original`` writes it: the
    characters at the offsets where the shadow quote's last occurrence of the unit stands (3個 → 個)."""
    at = shadow.rfind(unit)
    return original[at : at + len(unit)] if at >= 0 else unit


def extract(doc: Document) -> list[dict]:
    """Return the ``statistics`` rows of one document (see the module docstring for what is left out)."""
    rows: list[dict] = []
    text, original, doc_id = doc.shadow, doc.text, doc.doc_id
    region = subjects.region_places(doc.region)
    fallback = None
    if not region:
        title = next(((p.start, p.end) for p in doc.paragraphs if p.kind == "title"), None)
        fallback = subjects.document_place(text, title, [(p.start, p.end) for p in doc.prose])
    previous = None
    for paragraph in doc.prose:
        para_no, lo, hi, unrecoverable = paragraph.no, paragraph.start, paragraph.end, paragraph.unrecoverable
        para = text[lo:hi]
        context, previous = previous, para
        found = find_quantities(para, lo)
        if not found:
            continue
        # What the paragraph's figures share is found when the first needs it: a paragraph in four whose
        # quantities are all passed over (一个, 第一批, 二次) needs none of it.
        quoted = sentences = None
        last: tuple[int, int, str, str] | None = None  # (sentence start, end, indicator, unit) of the figure before
        for q, match in found:
            if q is None:
                doc.skipped.append(("statistics", original[lo + match.start() : lo + match.end()], "numeral could not be read"))
                continue
            start, end = q.start, q.end
            reason = _skip_reason(text, q, lo, unrecoverable)
            if reason is None and q.chinese:
                if quoted is None:
                    quoted = [(m.start() + lo, m.end() + lo) for m in _QUOTES.finditer(para)]
                if quoted and any(a < start and end < b for a, b in quoted):
                    reason = "inside a short quotation (slogan or name)"
            if reason:
                doc.skipped.append(("statistics", original[start:end], reason))
                continue
            if sentences is None:
                # The paragraph's sentence ends and clause breaks, found once for all its figures.
                sentences, clauses = Marks(SENTENCE_END, text, lo, hi), Marks(labels.CLAUSE, text, lo, hi)
                # The paragraph's bodies, found once: labels.body searches parts of it, which end at a figure, a
                # clause break or a sentence end, where no body's name crosses and 统战部(?!门) reads as in the
                # paragraph.
                bodies = labels.Bodies(text, lo, hi)
            sentence = sentences.sentence(start, end, lo, hi)
            before = last[1:] if last is not None and last[0] == sentence[0] else None
            clause = (clauses.after_last(sentence[0], start), clauses.first(end, sentence[1]))
            indicator = labels.indicator(text, start, end, q.unit, sentence, context, before, clause)
            last = (sentence[0], end, indicator, q.unit)
            quote = original[start:end]
            rows.append(
                {  # the columns of Document.rows_base, written out: one dict, not two merged, per figure
                    "stat_id": doc.row_id(start, end),
                    "doc_id": doc_id,
                    "para_no": para_no,
                    "char_start": start,
                    "char_end": end,
                    "quote": quote,
                    "value": q.value,
                    "value_max": q.value_max,
                    # a text with nothing to simplify is its own shadow: the unit is written as read
                    "unit": q.unit if original is text else unit_as_written(quote, text[start:end], q.unit),
                    "qualifier": q.qualifier,
                    "subject": subjects.subject(text, start, sentence, (lo, hi), region, fallback),
                    "body": bodies.body(start, end, sentence, clause[1]) if bodies else None,
                    "indicator": indicator,
                    "year": years.year(text, start, sentence, clause[0]),
                }
            )
    return rows
