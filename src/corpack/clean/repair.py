"""Cleaning step 2: repair the tag-strip corruption.

Some pages reach us after a broken HTML stripper: for every tag it removed only the ``<`` and, with it, one
code point from the character just before the tag, which became the previous code point. So ``了</span>``
reads ``亅/span>``, ``。</span>`` reads ``、/span>``, ``放</span>`` reads ``攽/span>``, and ``：<a href="…">``
reads ``9a href="…">``. Where the damaged character could not be stored it became ``?``.

The rule, applied line by line:

1. A *closing-tag remnant* is ``/name>`` (``name`` a known HTML element name) not preceded by ``<``. The
   character before it is restored to the next code point and the remnant is dropped. A ``?`` before a
   remnant cannot be restored: it is kept, and counted as unrecoverable.
2. An *opening-tag remnant* is ``name attr="…">`` (a known element name, optional attributes) directly after
   a character that is not an ASCII letter, with no ``<`` before it. It is repaired the same way, but only in
   a document that also has closing-tag remnants: the opening form alone is too much like ordinary text
   (``p>0.05``) to act on.

Intact tags (with their ``<``) are not touched here; :mod:`corpack.clean.markup` removes them.
"""

from __future__ import annotations

import re

#: HTML element names the rule recognises. Remnants of other names are left alone.
TAG_NAMES = frozenset(
    """a abbr address article aside audio b big blockquote body br button caption center cite code col colgroup
    dd del details dfn div dl dt em embed figcaption figure font footer form h1 h2 h3 h4 h5 h6 head header hr
    html i iframe img input ins label legend li link main map mark meta nav noscript object ol optgroup option
    p param picture pre q s samp script section select small source span strike strong style sub summary sup
    svg table tbody td textarea tfoot th thead time title tr tt u ul var video""".split()
)

_NAME = r"[A-Za-z][A-Za-z0-9]{0,9}"
_ATTRS = r"""(?:\s+[A-Za-z_:][-\w:.]*(?:\s*=\s*(?:"[^"\n]*"|'[^'\n]*'|[^\s"'>]+))?)*"""
_CLOSING = re.compile(rf"(?P<char>[^<\n]?)(?<!<)/(?P<name>{_NAME})\s*>")
_CLOSING_NAMES = re.compile(rf"/(?<!</)(?P<name>{_NAME})\s*>")  # (?<!<)/, the slash first: the engine skips to it
_OPENING = re.compile(rf"(?P<char>[^</A-Za-z\n])(?P<name>{_NAME})(?P<attrs>{_ATTRS})\s*/?>")
UNRECOVERABLE = "?"


def has_remnants(text: str) -> bool:
    """Tell whether ``text`` shows the corruption: a closing-tag remnant of a known element name."""
    return any(m.group("name").lower() in TAG_NAMES for m in _CLOSING_NAMES.finditer(text))


def repair_line(line: str, *, opening: bool) -> tuple[str, int, int]:
    """Repair one line by the rule in the module docstring.

    Args:
        line: one line of text, without its newline.
        opening: also repair opening-tag remnants (true when the document has closing-tag remnants).

    Returns:
        ``(line, repaired, unrecoverable)``: the repaired line, the number of characters restored, and the
        number of ``?`` kept because the lost character cannot be known.
    """
    if "/" not in line and not (opening and ">" in line):
        return line, 0, 0  # no remnant without its slash (closing) or its > (opening)
    counts = [0, 0]

    def fix(match: re.Match) -> str:
        if match.group("name").lower() not in TAG_NAMES:
            return match.group(0)
        char = match.group("char") or ""
        if char == UNRECOVERABLE:
            counts[1] += 1
            return char
        if char:
            counts[0] += 1
            return chr(ord(char) + 1)
        return ""

    line = _CLOSING.sub(fix, line)
    if opening:
        line = _OPENING.sub(fix, line)
    return line, counts[0], counts[1]
