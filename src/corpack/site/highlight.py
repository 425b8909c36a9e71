"""Fact spans marked in place in a document's text: nested ``<mark>`` elements, split where spans cross.

Spans may nest (a place inside a statistic's quote) or cross (a programme name that starts inside one quote
and ends after it). Nested spans become nested marks; a span that crosses another is closed and reopened
around the boundary, so it is drawn as several fragments that share its ``data-fact`` key. Joining the text of
every element with one key, in document order, gives exactly ``text[start:end]``: the page can be checked
against the table in the browser.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape


@dataclass(frozen=True)
class Span:
    """One fact to mark.

    Attributes:
        start, end: character offsets into the text (``end`` exclusive).
        key: what the marks of this fact carry as ``data-fact`` (unique per fact in the page).
        css: class names for its colour.
        title: the tooltip (the row), plain text.
        href: where activating the mark leads (the row in its resource page).
        anchor: the ``id`` of its first fragment, so the row can link back to it.
    """

    start: int
    end: int
    key: str
    css: str
    title: str
    href: str
    anchor: str


def _open(span: Span, first: bool) -> str:
    attrs = [f'class="{escape(span.css)}{"" if first else " cont"}"', f'data-fact="{escape(span.key)}"',
             f'data-href="{escape(span.href)}"', f'title="{escape(span.title)}"']
    if first:
        attrs[0:0] = [f'id="{escape(span.anchor)}"']
        attrs.append('tabindex="0" role="link"')
    return f"<mark {' '.join(attrs)}>"


def mark_spans(text: str, spans: list[Span]) -> str:
    """Return ``text`` escaped as HTML, with every span of ``spans`` wrapped in ``<mark>`` elements.

    Spans outside the text or empty are left out (a valid package has none). Longer spans enclose shorter ones
    that start at the same place; ties are broken by key, so the output does not depend on the input order.
    """
    kept = sorted((s for s in spans if 0 <= s.start < s.end <= len(text)), key=lambda s: (s.start, -s.end, s.key))
    starts: dict[int, list[Span]] = {}
    for span in kept:
        starts.setdefault(span.start, []).append(span)
    cuts = sorted({0, len(text), *(s.start for s in kept), *(s.end for s in kept)})
    out: list[str] = []
    stack: list[Span] = []
    for i, pos in enumerate(cuts):
        ending = [k for k, span in enumerate(stack) if span.end == pos]
        if ending:
            low = ending[0]
            reopen = [span for span in stack[low:] if span.end > pos]
            out.append("</mark>" * (len(stack) - low))
            del stack[low:]
            for span in reopen:
                out.append(_open(span, first=False))
                stack.append(span)
        for span in starts.get(pos, []):
            out.append(_open(span, first=True))
            stack.append(span)
        if i + 1 < len(cuts):
            out.append(escape(text[pos:cuts[i + 1]], quote=False))
    return "".join(out)
