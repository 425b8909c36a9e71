"""Events: dated happenings, with the date kept exactly as precise as the text makes it.

A date expression (single spaces between its parts allowed, as typeset pages have them: 2017 年 2 月) is one
of: 2025年4月25日, 2022年8月, 2017年 (with 初/底/末/以来 after it), 2019-09-20,
11月28日 (a month and day without a year), 2022年1-6月 or 今年1月至6月 (a span of months: one event from the
first month, ``date_end`` the last; a span of months with no year or 今年/去年 before it is no event), or
当年/同年/今年/去年 with an optional month and day.
The year is never taken from today's date or the build time:

- ``stated``: the expression gives the year;
- ``resolved``: 当年 and 同年 take the last year stated before them in the same document (2017年…当年);
- ``unknown``: 今年7月, 3月25日: the date keeps no year (``--07``, ``--03-25``).

A **day-only date** (28日, not after a month) takes its month, and its year when the dateline states one,
from the report's own dateline (中新网某地8月28日电 … 28日 → ``--08-28``; see :mod:`corpack.extract.page`);
with no dateline it keeps only the day, ``---28``. A day-only date is not a date when a duration word
or an ordinal touches it (近3日, 连续5日, 第2日, 3日内, 5日游) or when it is the dateline's own 日电/日讯.

A bare year (no month) in a short label line, at most 16 characters with no punctuation at all
(2021年十九届六中全会, 2019年工作回顾), names a menu item, a section or a heading, not a happening: no event.
A date inside a title in 《》 (《2023年工作要点》) names a document, not an event. Menus and related-article links
(:attr:`corpack.extract.Document.navigation`) give no events, whatever dates they carry. A bare 今年 or 去年 (no
month) fixes nothing and is not an event; neither is a span of years (2018—2020年, a plan period) or a year
inside an anniversary. A range within a month (11月28日至29日) is one event with ``date_end``. ``what`` is the
sentence that holds the date. A document that states the same date with the same words after it twice (a page
lead repeating the first sentence) gives one event.
"""

from __future__ import annotations

import re

from corpack.extract import Document, sentence_span

_NUM = r"[0-9]{1,2}"
# Every part of DATE is optional, so it matches empty wherever no date starts: the lookaheads let the regex
# engine skip those places itself (one Python step per character of a long document otherwise). The first
# admits every character a non-empty match can start with (当同今去, a digit, the dash of -09-20, 至/到/— of
# 至28日); the second, every way one can start: 当年…, a year, a month span (1-6月), a dashed date, a month, a
# day range (至28日). So the digits of an ordinary number (12159人) are passed over too, not matched empty.
_DATE_STARTS = (
    rf"(?=[当同今去0-9\-–—~至到])(?=当年|同年|今年|去年|(?:19|20)[0-9]{{2}}|{_NUM}(?: ?月)? ?[-–—~至到]|-?{_NUM}-[0-9]"
    rf"|{_NUM} ?月|[-–—~至到](?:{_NUM}月)?{_NUM}[日号])"
)
DATE = re.compile(
    rf"{_DATE_STARTS}(?P<rel>当年|同年|今年|去年)?(?P<year>(?:19|20)[0-9]{{2}})?(?(year)(?: ?年(?: (?=[0-9]))?|(?=-{_NUM}-)))"
    rf"(?:(?P<mfrom>{_NUM})(?: ?月)? ?(?:-|–|—|~|至|到) ?(?P<mto>{_NUM}) ?月(?![0-9])"
    rf"|-?(?P<iso_m>{_NUM})-(?P<iso_d>{_NUM})(?![0-9])|(?P<month>{_NUM}) ?月(?:(?: (?=[0-9]))?(?P<day>{_NUM}) ?[日号])?)?"
    rf"(?:(?:至|到|—|–|-|~)(?:(?P<month2>{_NUM})月)?(?P<day2>{_NUM})[日号])?"
    r"(?(year)(?P<suffix>初|底|末|以来)?)"
)
# 28日 with no month before it; 日电/日讯 close a dateline, 内/游/间 make a duration.
# (The lookahead first: the scan passes over characters that are not digits without trying the lookbehind.)
_DAY_ONLY = re.compile(
    r"(?=[0-9])(?<![0-9０-９月年./\-])(?P<day>[0-9]{1,2})日(?:(?:至|到|—|–|-|~)(?P<day2>[0-9]{1,2})日)?(?![电讯内游间])"
)
# A date DATE matches holds one of these (a year needs 年 or the dash of 2019-09-20; a month 月; a day 日 or 号):
# a paragraph holding none has no date to scan for, and one without 日 no day-only date.
DATE_MARKS = ("年", "月", "日", "号", "-")
_DATE_MARK = re.compile("[" + re.escape("".join(DATE_MARKS)) + "]")  # one of them (a search, not five)
_DURATION_BEFORE = re.compile(r"(?:近|连续|每|前|后|数|几|第|历时|用时|为期|长达|共|约)$")
_BOOK_TITLE = re.compile(r"《[^《》]*》")
_YEAR_SPAN_BEFORE = re.compile(r"(?:19|20)[0-9]{2}\s*[-–—~至到]\s*$")
_YEAR_SPAN_AFTER = re.compile(r"\s*[-–—~至到]\s*(?:19|20)[0-9]{2}")  # matched at the date's end


def _iso(year: int | None, month: int | None, day: int | None) -> str:
    head = f"{year:04d}" if year is not None else "-"
    if month is None:
        return f"---{day:02d}" if day is not None else head
    return f"{head}-{month:02d}" + (f"-{day:02d}" if day is not None else "")


def extract(doc: Document) -> list[dict]:
    """Return the ``events`` rows of one document, resolving 当年/同年 against earlier stated years."""
    rows: list[dict] = []
    text, shadow = doc.text, doc.shadow
    last_year: int | None = None
    seen: set[tuple[str, str]] = set()
    for para in doc.prose:
        para_no, lo, hi = para.no, para.start, para.end
        paragraph = shadow[lo:hi]
        if not _DATE_MARK.search(paragraph):
            continue  # no date, and no day-only date
        taken: list[tuple[int, int]] = []
        titles = [t.span() for t in _BOOK_TITLE.finditer(shadow, lo, hi)]
        label_line = _label_line(paragraph)
        for m in DATE.finditer(shadow, lo, hi):
            whole = m.group(0)
            if not whole:
                continue  # (DATE matches empty where no date starts)
            taken.append(m.span())
            rel, year_text, mfrom, mto, iso_m, iso_d, month_text, day_text, month2, day2, _suffix = m.groups()
            if not (year_text or rel or month_text or iso_m or mfrom):
                continue
            if mfrom and year_text is None and rel is None:
                continue  # 1-6月 alone: a span of months without a year to hold it
            if year_text is None and rel is None and month_text and day_text is None:
                continue  # a bare month (7月) without year or day: too vague, and often a duration
            if iso_m and year_text is None:
                continue  # 1-9月 is a span of months, not a date; a dashed date needs its year
            start, end = m.span()
            if titles and any(a < start and end < b for a, b in titles):
                doc.skipped.append(("events", whole, "inside a title in 《》"))
                continue
            year = int(year_text) if year_text else None
            if year is not None and (_YEAR_SPAN_BEFORE.search(shadow, lo, start) or _YEAR_SPAN_AFTER.match(shadow, end, hi)):
                doc.skipped.append(("events", whole, "part of a span of years"))
                continue
            if label_line and not (month_text or iso_m or mfrom):
                doc.skipped.append(("events", whole, "a bare year in a short label line (menu item or heading)"))
                continue
            month = int(month_text or iso_m or mfrom or 0) or None
            day = int(day_text or iso_d or 0) or None
            source = "stated"
            if year is None:
                if rel in ("当年", "同年") and last_year is not None:
                    year, source = last_year, "resolved"
                elif rel in ("今年", "去年") and month is None:
                    continue
                else:
                    source = "unknown"
                if rel and not year and month is None:
                    continue
            month_to = int(mto) if mto else None
            if month_to is not None and not (month is not None and month < month_to <= 12):
                doc.skipped.append(("events", whole, "not a span of months"))
                continue
            if month is not None and not 1 <= month <= 12 or day is not None and not 1 <= day <= 31:
                doc.skipped.append(("events", whole, "not a calendar date"))
                continue
            if source == "stated":
                last_year = year
            date = _iso(year, month, day)
            date_end = None
            if day2 and day is not None:
                date_end = _iso(year, int(month2 or month), int(day2))
            elif month_to is not None:
                date_end = _iso(year, month_to, None)
            sentence = sentence_span(text, start, end, lo, hi)
            statement = (date, text[start : sentence[1]])
            if statement in seen:
                doc.skipped.append(("events", whole, "repeats an earlier statement of the same event"))
                continue
            seen.add(statement)
            rows.append(_row(doc, para_no, (start, end), sentence, (date, date_end), "day" if day else "month" if month else "year", source))
        if "日" in paragraph:
            rows += _day_only(doc, para_no, lo, hi, taken, seen)
    return rows


_LABEL_PUNCT = re.compile(r"[，,。．.；;：:、！!？?（）()“”‘’\"'《》【】\[\]「」—…·|/]")
_LABEL_MAX = 16


def _label_line(paragraph: str) -> bool:
    """Whether a paragraph is a short label without punctuation (a menu item, a section name, a heading)."""
    paragraph = paragraph.strip()
    return 0 < len(paragraph) <= _LABEL_MAX and not _LABEL_PUNCT.search(paragraph)


def _day_only(doc: Document, para_no: int, lo: int, hi: int, taken: list[tuple[int, int]], seen: set) -> list[dict]:
    """Events of the day-only dates of one paragraph, dated from the dateline (see the module docstring)."""
    rows = []
    dateline = doc.dateline
    for m in _DAY_ONLY.finditer(doc.shadow, lo, hi):
        start, end = m.span()
        if any(a <= start < b for a, b in taken) or _DURATION_BEFORE.search(doc.shadow[max(lo, start - 2) : start]):
            continue
        day = int(m.group("day"))
        if not 1 <= day <= 31:
            continue
        if dateline is not None:
            year, month = dateline.year, dateline.month
            source = "resolved" if year is not None else "unknown"
        else:
            year, month, source = None, None, "unknown"
        date = _iso(year, month, day)
        sentence = sentence_span(doc.text, start, end, lo, hi)
        statement = (date, doc.text[start : sentence[1]])
        if statement in seen:
            continue
        seen.add(statement)
        date_end = _iso(year, month, int(m.group("day2"))) if m.group("day2") else None
        rows.append(_row(doc, para_no, (start, end), sentence, (date, date_end), "day", source))
    return rows


def _row(doc: Document, para_no: int, span: tuple[int, int], sentence: tuple[int, int], dates: tuple, precision: str, source: str) -> dict:
    """One events row: ``span`` is the date's, ``sentence`` the span of the sentence holding it
    (:func:`~corpack.extract.sentence_span`), ``dates`` is (date, date_end)."""
    start, end = span
    date, date_end = dates
    return {
        "event_id": doc.row_id(start, end),
        **doc.rows_base(para_no, start, end),
        "date": date,
        "date_end": date_end,
        "date_precision": precision,
        "year_source": source,
        "what": doc.text[sentence[0] : sentence[1]].strip(),
    }
