"""Fact spans marked in place in a document's text: nested ``<mark>`` elements, split where spans cross.

Spans may nest (a place inside a statistic's quote) or cross (a programme name that starts inside one quote
and ends after it). Nested spans become nested marks; a span that crosses another is closed and reopened
around the boundary, so it is drawn as several fragments that share its ``data-fact`` key. Joining the text of
every element with one key, in document order, gives exactly ``text[start:end]``: the page can be checked
against the table in the browser.
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple


class Span(NamedTuple):
    """One fact to mark.

    Attributes:
        start, end: character offsets into the text (``end`` exclusive).
        order: breaks ties between spans of the same extent (so the output does not depend on the input order).
        css: class names for its colour.
        attrs: the rest of its attributes, already escaped: `` data-fact="<key>" data-href="<row>" title="<row>"``
            (:func:`attributes`); ``data-fact`` is unique per fact in the page.
        anchor: the ``id`` of its first fragment, so the row can link back to it.
    """

    start: int
    end: int
    order: int
    css: str
    attrs: str
    anchor: str


def attributes(key: str, href: str, title: str) -> str:
    """A span's :attr:`Span.attrs` from plain text: the fact's key, its row's link and the tooltip."""
    return f' data-fact="{escape(key)}" data-href="{escape(href)}" title="{escape(title)}"'


def _open(span: Span, first: bool) -> str:
    if first:
        return f'<mark id="{span.anchor}" class="{span.css}"{span.attrs} tabindex="0" role="link">'
    return f'<mark class="{span.css} cont"{span.attrs}>'


def mark_spans(text: str, spans: list[Span]) -> str:
    """Return ``text`` escaped as HTML, with every span of ``spans`` wrapped in ``<mark>`` elements.

    Spans outside the text or empty are left out (a valid package has none). Longer spans enclose shorter ones
    that start at the same place; ties are broken by ``order``, so the output does not depend on the input order.
    """
    kept = sorted((s for s in spans if 0 <= s.start < s.end <= len(text)), key=lambda s: (s.start, -s.end, s.order))
    starts: dict[int, list[Span]] = {}
    for span in kept:
        starts.setdefault(span.start, []).append(span)
    cuts = sorted({0, len(text), *(s.start for s in kept), *(s.end for s in kept)})
    plain = "&" not in text and "<" not in text and ">" not in text  # most reports: no escaping per piece
    out: list[str] = []
    stack: list[Span] = []
    for i, pos in enumerate(cuts):
        if stack and any(span.end == pos for span in stack):
            low = next(k for k, span in enumerate(stack) if span.end == pos)
            reopen = [span for span in stack[low:] if span.end > pos]
            out.append("</mark>" * (len(stack) - low))
            del stack[low:]
            for span in reopen:
                out.append(_open(span, first=False))
                stack.append(span)
        for span in starts.get(pos, ()):
            out.append(_open(span, first=True))
            stack.append(span)
        if i + 1 < len(cuts):
            out.append(text[pos:cuts[i + 1]] if plain else escape(text[pos:cuts[i + 1]], quote=False))
    return "".join(out)
