"""The simplified shadow: what the extractors read, so that 萬/區/處 count the same as 万/区/处.

``documents.text`` keeps the report as published, in traditional script where the page is. The extractors
search a *shadow* of it in simplified script and cut every quote and offset from the original, so the shadow
must be exactly as long as the text, character for character. It is made with OpenCC's traditional-to-
simplified table (``t2s``), one character at a time: a character whose conversion is not exactly one
character is left as it is (so no phrase rule can shift an offset), and the lengths are asserted equal.
"""

from __future__ import annotations

import numpy as np
import opencc

_CONVERTER = opencc.OpenCC("t2s")
#: What is known of each code point in this process: 0 not met yet, 1 met and kept as it is, 2 met and changed
#: by the shadow (to ``_CHANGES[code]``). A document converts only the characters no earlier document had (one
#: at a time), and a document holding none that changes is not copied. The states are looked up for the whole
#: text at once (numpy, over its UTF-32 code units): making a set of a text's characters, as this module did,
#: cost some 100 ns a character, more than all the extractors' other work on some reports.
_UNSEEN, _KEPT, _CHANGED = 0, 1, 2
_STATE = np.zeros(0x110000, np.uint8)
_CHANGES: dict[int, str] = {}
_FIRST_CHANGING = 0x2E80  # no character before the CJK radicals is simplified


def _simplified_char(char: str) -> str:
    """One character's simplified form, or the character itself when OpenCC gives anything but one character."""
    converted = _CONVERTER.convert(char)
    return converted if len(converted) == 1 else char


def _codes(text: str) -> np.ndarray:
    """The code points of ``text`` (a lone surrogate as its own code)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


def simplified_shadow(text: str) -> str:
    """``text`` with every traditional character replaced by its simplified form, one for one.

    ``simplified_shadow(text)[i]`` is always the simplified form of ``text[i]``, so an offset found in the
    shadow points at the same characters in ``text``.
    """
    codes = _codes(text)
    states = _STATE[codes]
    if not states.all():  # characters met for the first time
        for code in np.unique(codes[states == _UNSEEN]).tolist():
            char = chr(code)
            if code >= _FIRST_CHANGING and (simple := _simplified_char(char)) != char:
                _CHANGES[code] = simple
                _STATE[code] = _CHANGED
            else:
                _STATE[code] = _KEPT
        states = _STATE[codes]
    shadow = text.translate(_CHANGES) if (states == _CHANGED).any() else text
    assert len(shadow) == len(text), "the simplified shadow must keep every offset"
    return shadow
