"""Fact spans marked in place in a document's text: nested ``<mark>`` elements, split where spans cross.

Spans may nest (a place inside a statistic's quote) or cross (a programme name that starts inside one quote
and ends after it). Nested spans become nested marks; a span that crosses another is closed and reopened
around the boundary, so it is drawn as several fragments that share its ``data-fact`` key. Joining the text of
every element with one key, in document order, gives exactly ``text[start:end]``: the page can be checked
against the table in the browser.

A mark carries only its key, in its id: ``<mark id="m<key>" class="f2">`` (a fragment after the first,
``<mark class="f2 cont" data-fact="<key>">``). Its row's cells and link are in the page once, in the row
``id="f<key>"`` of the "facts in this document" table (which ``rows.js`` builds from the page's text).
``document.js`` makes each mark a control when the page loads (``data-fact``, ``tabindex="0"``,
``role="link"``, ``aria-describedby="f<key>"``: the row describes the mark to assistive technology), shows the
row on hover and focus and follows its link on click; without scripts a mark is only marked text, the target
of its row's link. (A title repeating every cell in every mark once made most of a page's bytes; the control's
attributes written into every mark, a third of what was left.)
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
            fragment's ``id`` is ``m<key>``, the other fragments' ``data-fact`` is ``<key>``, its row's ``id``
            ``f<key>``.
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
    return mark_items(text, [(s.start, -s.end, s.order, s.css, s.key) for s in spans])


def _escape(piece: str) -> str:
    """``piece`` escaped for HTML text (a text with one ``&`` has thousands of pieces without any)."""
    if "&" in piece or "<" in piece or ">" in piece:
        return escape(piece, quote=False)
    return piece


def mark_items(text: str, items: list[tuple[int, int, int, str, str]]) -> str:
    """:func:`mark_spans` of spans given as tuples ``(start, -end, order, css, key)`` (sorted as they are, without
    a key function: a document page has thousands).

    Most marks overlap no other: those are written directly; only a run of spans that overlap one another (a
    *cluster*) goes through the stack that nests and splits marks (:func:`_nested`), which gives the same HTML."""
    length = len(text)
    kept = sorted([item for item in items if 0 <= item[0] < -item[1] <= length])
    plain = "&" not in text and "<" not in text and ">" not in text  # most reports: no escaping per piece
    out: list[str] = []
    append = out.append
    done = 0  # the text is written up to here
    i, count = 0, len(kept)
    while i < count:
        start, minus_end, _, css, key = kept[i]
        end, j = -minus_end, i + 1
        while j < count and kept[j][0] < end:  # spans starting inside this cluster belong to it
            if -kept[j][1] > end:
                end = -kept[j][1]
            j += 1
        if start > done:
            append(text[done:start] if plain else _escape(text[done:start]))
        if j == i + 1:
            append(f'<mark id="m{key}" class="{css}">')
            append(text[start:end] if plain else _escape(text[start:end]))
            append("</mark>")
        else:
            _nested(text, kept[i:j], end, plain, append)
        done, i = end, j
    if done < length:
        append(text[done:] if plain else _escape(text[done:]))
    return "".join(out)


def _nested(text: str, kept: list[tuple[int, int, int, str, str]], stop: int, plain: bool, append) -> None:
    """Write ``text`` from the first span's start to ``stop`` with the (sorted, overlapping) spans of ``kept`` as
    nested marks, a span that crosses another closed and reopened around the boundary."""
    stack: list[tuple[int, int, int, str, str]] = []  # the open marks, outermost first
    ends: list[int] = []  # where each of them ends
    done = kept[0][0]
    for start, minus_end, _, css, key in [*kept, (stop + 1, 0, 0, "", "")]:  # the last one only closes the rest
        while ends:
            pos = ends[0] if len(ends) == 1 else min(ends)
            if pos > start:
                break
            if pos > done:
                append(text[done:pos] if plain else _escape(text[done:pos]))
                done = pos
            low = ends.index(pos)
            append("</mark>" * (len(stack) - low))
            reopen = [s for s in stack[low + 1:] if -s[1] > pos]  # inside one that closes, going on: reopened
            del stack[low:], ends[low:]
            for s in reopen:
                append(f'<mark class="{s[3]} cont" data-fact="{s[4]}">')
                stack.append(s)
                ends.append(-s[1])
        if start > stop:
            break
        if start > done:
            append(text[done:start] if plain else _escape(text[done:start]))
            done = start
        append(f'<mark id="m{key}" class="{css}">')
        stack.append((start, minus_end, 0, css, key))
        ends.append(-minus_end)
