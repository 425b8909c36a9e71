"""Stage 2, clean: from decoded text to paragraphs of report text, counting every action.

The steps, in order, each in its own module:

0. :mod:`~corpack.clean.html`: a file that is a whole HTML page is reduced to its main text by trafilatura.
1. :mod:`~corpack.clean.normalise`: NFC, line breaks, control and zero-width characters.
2. :mod:`~corpack.clean.markup` (blocks): page script, styles and comments;
   :mod:`~corpack.clean.glosses`: pinyin glosses of script converters (``統(tǒng)`` -> ``統``); damaged
   glosses (``?shù)``) are counted as unrecoverable, not repaired.
3. :mod:`~corpack.clean.repair`: the tag-strip corruption (``亅/span>`` -> ``了``).
4. :mod:`~corpack.clean.markup` (tags): remaining tags and entities.
5. :mod:`~corpack.clean.boilerplate`: navigation, page metadata, prompts, footers, link lists, line by line;
   :mod:`~corpack.clean.menus`: menus, site names and related-article lists, by their place on the page;
   :mod:`~corpack.clean.metadata`: the headline, date and publisher the page states, with their sources.
6. :mod:`~corpack.clean.paragraphs`: hard-wrapped lines joined; title/heading/caption/body.
7. :mod:`~corpack.clean.dedupe`: exact repeated paragraphs dropped, copies counted.

:func:`clean` is a pure function of one document's text, so documents can be cleaned in parallel.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpack.clean import boilerplate, glosses, html, markup, repair
from corpack.clean.dedupe import dedupe
from corpack.clean.metadata import is_title_like
from corpack.clean.normalise import normalise
from corpack.clean.paragraphs import Line, Paragraph, assign_kinds, join_lines

#: The per-document counters, as named in the documents table.
COUNTERS = (
    "control_chars_removed",
    "html_removed",
    "repaired_chars",
    "unrecoverable_chars",
    "conversion_repairs",
    "boilerplate_lines_removed",
    "lines_joined",
    "duplicate_paragraphs_removed",
)
SEPARATOR = "\n"


@dataclass
class Cleaned:
    """A cleaned document.

    Attributes:
        paragraphs: the kept paragraphs in reading order.
        counts: one number per name in :data:`COUNTERS`.
        removed: boilerplate lines removed, per kind (script, navigation, page-meta, prompt, footer,
            link-list).
        metadata: what the page itself states: ``title`` and ``title_source``, ``published`` and
            ``published_source``, ``publisher`` (see :mod:`corpack.clean.metadata`).
    """

    paragraphs: list[Paragraph]
    counts: dict[str, int]
    removed: dict[str, int] = field(default_factory=dict)
    metadata: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The whole cleaned text: paragraphs joined by one newline."""
        return SEPARATOR.join(p.text for p in self.paragraphs)

    def spans(self) -> list[tuple[int, int]]:
        """``(start, end)`` of each paragraph in :attr:`text`, in code points."""
        out, start = [], 0
        for para in self.paragraphs:
            out.append((start, start + len(para.text)))
            start += len(para.text) + len(SEPARATOR)
        return out


def _nothing_to_repair(text: str, opening: bool) -> bool:
    """Whether ``text`` holds none of the marks a step of :func:`_repaired_lines` acts on (see it)."""
    return "/" not in text and not (opening and ">" in text) and "?" not in text and "<" not in text and "&" not in text


def _repaired_lines(text: str, opening: bool, counts: dict[str, int]) -> list[tuple[str, int, int]]:
    """Each line of ``text`` repaired (:mod:`~corpack.clean.repair`), its tags stripped and its entities
    decoded (:mod:`~corpack.clean.markup`), stripped of white space: ``(line, repaired, unrecoverable)``, a
    line a tag broke in two giving two. Adds the tags and controls removed to ``counts``.

    A text with no ``/`` (and no ``>`` where opening remnants are repaired) has nothing to repair, one with
    no ``?`` no damaged gloss, one with no ``<`` or ``&`` no tag or entity: its lines are only stripped, as
    the steps would leave them (each step returns a line without its mark as it is)."""
    if _nothing_to_repair(text, opening):
        return [(raw.strip(), 0, 0) for raw in text.split("\n")]
    raw_lines = []
    for raw in text.split("\n"):
        if _nothing_to_repair(raw, opening):
            raw_lines.append((raw.strip(), 0, 0))  # (the same shortcut, a line at a time)
            continue
        fixed, repaired, unrecoverable = repair.repair_line(raw, opening=opening)
        unrecoverable += glosses.count_damaged(fixed)  # kept as published: the lost characters cannot be known
        stripped, html_count = markup.strip_tags(fixed)
        counts["html_removed"] += html_count
        for part in stripped.split("\n"):
            if html_count:  # decoded entities may bring no-break spaces or controls back
                part, dropped = normalise(part)
                counts["control_chars_removed"] += dropped
            raw_lines.append((part.strip(), repaired, unrecoverable))
            repaired = unrecoverable = 0  # a tag that became a break keeps its counts on the first part
    return raw_lines


def clean(text: str) -> Cleaned:
    """Clean one document's decoded text (see the module docstring for the steps).

    Never raises on any input string; a text with nothing left gives no paragraphs.
    """
    counts = dict.fromkeys(COUNTERS, 0)
    text, counts["control_chars_removed"] = normalise(text)
    page_meta: dict = {}
    if html.is_page(text):
        text, counts["html_removed"], page_meta = html.extract(text)
        text = normalise(text)[0]
    text, blocks = markup.strip_blocks(text)
    counts["html_removed"] += blocks
    text, counts["conversion_repairs"] = glosses.repair_glosses(text)
    opening = repair.has_remnants(text)
    lines: list[Line] = []
    gap = 0
    raw_lines = _repaired_lines(text, opening, counts)
    keep, removed, metadata = boilerplate.remove([line for line, _, _ in raw_lines])
    for (line, repaired, unrecoverable), kept in zip(raw_lines, keep):
        if not line:
            gap += 1
            continue
        if kept:
            lines.append(Line(line, gap, repaired, unrecoverable))
        gap = 0
    paragraphs, counts["lines_joined"] = join_lines(lines)
    assign_kinds(paragraphs)
    paragraphs, counts["duplicate_paragraphs_removed"] = dedupe(paragraphs)
    counts["boilerplate_lines_removed"] = sum(removed.values())
    counts["repaired_chars"] = sum(p.repaired for p in paragraphs)
    counts["unrecoverable_chars"] = sum(p.unrecoverable for p in paragraphs)
    if metadata.get("published_source") == "mirror-stamp" and "published" in page_meta:
        del metadata["published"], metadata["published_source"]  # the page's markup beats a mirror's stamp
    for key, value in page_meta.items():  # the HTML extractor's findings, when the page's lines state none
        if key != "published_source" and key not in metadata:
            metadata[key] = value
            if key == "published":
                metadata["published_source"] = page_meta["published_source"]
    titles = [p.text for p in paragraphs[:1] if p.kind == "title" and is_title_like(p.text)]  # never a caption
    if titles and "title" not in metadata:
        metadata["title"], metadata["title_source"] = titles[0], "heading"
    return Cleaned(paragraphs, counts, removed, metadata)
