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
import string
from collections.abc import Callable

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
# (the name first, so the engine skips to a letter itself; the look back after its first letter passes over
# letters inside a word, which _OPENING's character cannot be)
_OPENING_NAMES = re.compile(rf"(?P<name>[A-Za-z](?<=[^</A-Za-z\n][A-Za-z])[A-Za-z0-9]{{0,9}})(?P<attrs>{_ATTRS})\s*/?>")
_NOT_BEFORE_OPENING = frozenset("</\n" + string.ascii_letters)  # what _OPENING's character is not
UNRECOVERABLE = "?"


def has_remnants(text: str) -> bool:
    """Tell whether ``text`` shows the corruption: a closing-tag remnant of a known element name."""
    return any(m.group("name").lower() in TAG_NAMES for m in _CLOSING_NAMES.finditer(text))


def _closing_replaced(line: str, fix) -> str:
    """``_CLOSING.sub(fix, line)``, found from each remnant's slash (:data:`_CLOSING_NAMES`): the pattern opens
    with an optional character, so the regex engine tries it at every character of the line. A remnant ends
    where its slash-first match ends, so the matches resume at the same places, and its character is the one
    before the slash unless that is a ``<`` or a line break, or belongs to the remnant before (scanning
    resumes after it)."""
    parts, at = [], 0
    for found in _CLOSING_NAMES.finditer(line):
        slash = found.start()
        start = slash - 1 if slash > at and line[slash - 1] not in "<\n" else slash
        parts.append(line[at:start])
        parts.append(fix(_CLOSING.match(line, start)))
        at = found.end()
    if not parts:
        return line
    parts.append(line[at:])
    return "".join(parts)


def _opening_replaced(line: str, fix) -> str:
    """``_OPENING.sub(fix, line)``, found from each remnant's name (:data:`_OPENING_NAMES`): the pattern opens
    with the character before the name, which most characters are, so the regex engine tries it at every
    character of the line. A name found counts when the character before it may open the pattern; after a
    remnant, names are looked for from the second character on (the first is the next remnant's character)."""
    parts, at = [], 0
    found = _OPENING_NAMES.search(line, 1)
    while found is not None:
        start = found.start() - 1
        if line[start] in _NOT_BEFORE_OPENING:
            found = _OPENING_NAMES.search(line, found.start() + 1)
            continue
        parts.append(line[at:start])
        parts.append(fix(_OPENING.match(line, start)))
        at = found.end()
        found = _OPENING_NAMES.search(line, at + 1)
    if not parts:
        return line
    parts.append(line[at:])
    return "".join(parts)


def remnant_fix(counts: list[int]) -> Callable[[re.Match], str]:
    """What a match of a tag remnant (groups ``name`` and ``char``) is replaced with: itself when the name is
    not a tag's; else the character the strip lost (the one before it, plus one), counted in ``counts[0]``, or
    a kept ``?`` (that character cannot be known), counted in ``counts[1]``; else nothing."""

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

    return fix


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
    fix = remnant_fix(counts)
    if "/" in line:
        line = _closing_replaced(line, fix)
    if opening:
        line = _opening_replaced(line, fix)
    return line, counts[0], counts[1]
