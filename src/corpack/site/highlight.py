"""Fact spans marked in place in a document's text: nested ``<mark>`` elements, split where spans cross.

Spans may nest (a place inside a statistic's quote) or cross (a programme name that starts inside one quote
and ends after it). Nested spans become nested marks; a span that crosses another is closed and reopened
around the boundary, so it is drawn as several fragments that share its ``data-fact`` key. Joining the text of
every element with one key, in document order, gives exactly ``text[start:end]``: the page can be checked
against the table in the browser.

A mark carries only its key: ``<mark id="m<key>" class="f2" data-fact="<key>" tabindex="0" role="link"
aria-describedby="f<key>">``. Its row's cells and link are in the page once, in the row ``id="f<key>"`` of the
"facts in this document" table, which describes the mark to assistive technology and which ``document.js``
shows on hover and focus and follows on click (a title repeating every cell in every mark made most of a
page's bytes).
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
        key: the fact's key in the page (``<table>-<rank>``, characters ``0-9-`` only), unique per fact; its first
            fragment's ``id`` is ``m<key>`` and its row's ``f<key>``.
    """

    start: int
    end: int
    order: int
    css: str
    key: str


def mark_spans(text: str, spans: list[Span]) -> str:
    """Return ``text`` escaped as HTML, with every span of ``spans`` wrapped in ``<mark>`` elements.

    Spans outside the text or empty are left out (a valid package has none). Longer spans enclose shorter ones
    that start at the same place; ties are broken by ``order``, so the output does not depend on the input order.
    At one position, marks ending there are closed before marks starting there are opened.
    """
    length = len(text)
    kept = sorted((s for s in spans if 0 <= s.start < s.end <= length), key=lambda s: (s.start, -s.end, s.order))
    piece = (lambda a, b: text[a:b]) if "&" not in text and "<" not in text and ">" not in text else \
        (lambda a, b: escape(text[a:b], quote=False))  # most reports: no escaping per piece
    out: list[str] = []
    stack: list[Span] = []  # the open marks, outermost first
    ends: list[int] = []  # where each of them ends
    done = 0  # the text is written up to here

    def close_to(limit: int) -> None:
        """Close the marks ending at or before ``limit``, in order; a mark inside one that closes is reopened."""
        nonlocal done
        while ends:
            pos = min(ends)
            if pos > limit:
                return
            if pos > done:
                out.append(piece(done, pos))
                done = pos
            low = ends.index(pos)
            out.append("</mark>" * (len(stack) - low))
            reopen = [s for s in stack[low + 1:] if s.end > pos]
            del stack[low:], ends[low:]
            for s in reopen:
                out.append(f'<mark class="{s.css} cont" data-fact="{s.key}">')
                stack.append(s)
                ends.append(s.end)

    for span in kept:
        start = span.start
        if ends:
            close_to(start)
        if start > done:
            out.append(piece(done, start))
            done = start
        key = span.key
        out.append(f'<mark id="m{key}" class="{span.css}" data-fact="{key}" tabindex="0" role="link" aria-describedby="f{key}">')
        stack.append(span)
        ends.append(span.end)
    close_to(length)
    if done < length:
        out.append(piece(done, length))
    return "".join(out)
