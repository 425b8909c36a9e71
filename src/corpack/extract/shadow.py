"""The simplified shadow: what the extractors read, so that 萬/區/處 count the same as 万/区/处.

``documents.text`` keeps the report as published, in traditional script where the page is. The extractors
search a *shadow* of it in simplified script and cut every quote and offset from the original, so the shadow
must be exactly as long as the text, character for character. It is made with OpenCC's traditional-to-
simplified table (``t2s``), one character at a time: a character whose conversion is not exactly one
character is left as it is (so no phrase rule can shift an offset), and the lengths are asserted equal.
"""

from __future__ import annotations

import opencc

_CONVERTER = opencc.OpenCC("t2s")
#: Every character met so far in this process, those of them whose simplified form differs, and that form as a
#: translation table: a document converts only the characters no earlier document had (one at a time), and a
#: document holding none that changes is not copied.
_SEEN: set[str] = set()
_CHANGING: set[str] = set()
_CHANGES: dict[int, str] = {}


def _simplified_char(char: str) -> str:
    """One character's simplified form, or the character itself when OpenCC gives anything but one character."""
    converted = _CONVERTER.convert(char)
    return converted if len(converted) == 1 else char


def simplified_shadow(text: str) -> str:
    """``text`` with every traditional character replaced by its simplified form, one for one.

    ``simplified_shadow(text)[i]`` is always the simplified form of ``text[i]``, so an offset found in the
    shadow points at the same characters in ``text``.
    """
    chars = set(text)
    for char in chars - _SEEN:
        if ord(char) > 0x2E7F and (simple := _simplified_char(char)) != char:
            _CHANGING.add(char)
            _CHANGES[ord(char)] = simple
    _SEEN.update(chars)
    shadow = text.translate(_CHANGES) if not chars.isdisjoint(_CHANGING) else text
    assert len(shadow) == len(text), "the simplified shadow must keep every offset"
    return shadow
