"""Cleaning step 2b: repair the damage some traditional-script reposts carry from a script converter.

Some mirror sites run reports through a simplified-to-traditional converter that glues the pinyin of each
character it changed after the character, in brackets: ``統(tǒng)戰(zhàn)工作`` for ``統戰工作``, ``區(qū)`` for ``區``.
The same converters often double a punctuation mark (``,,`` ``,、`` ``,。``).

The rules, applied to the whole text:

1. A *gloss* is a bracket pair, ASCII ``( )`` or full-width ``（ ）``, right after a CJK character, holding
   one pinyin syllable: 1 to 6 Latin letters (ü and the pinyin ɡ included) of which at least one is a vowel
   with a tone mark (ā á ǎ à, ē é ě è, ī í ǐ ì, ō ó ǒ ò, ū ú ǔ ù, ǖ ǘ ǚ ǜ). The bracket pair and its
   contents are removed; the character stays as published (no script conversion). Bracketed text without a tone mark (``(me)``, ``(APP)``,
   ``(2021)``) is never touched: it cannot be told from real text.
2. A *doubled mark*: an ASCII comma directly followed by another clause or sentence mark (``,`` ``，`` ``、``
   ``。`` ``；`` ``;``) in a line that had a gloss; the comma is removed and the second mark kept.

Each removed gloss and each removed comma counts once (``conversion_repairs``).

3. A *damaged gloss*: ``?`` followed by a pinyin syllable with a tone mark and a closing bracket, with no
   opening bracket (``當?shù)亟?jīng)濟``). It is what a gloss becomes when the text was later read as GBK out
   of step by one byte: the ``?`` stands for the last byte of the glossed character together with the ``(``,
   and the ideograph after the ``)`` is often made of halves of two real characters (亟 from the ends of 地
   and 經). The characters lost cannot be known from the text, so there is no safe repair: the line is kept
   as published, and each damaged gloss counts once as unrecoverable (:func:`count_damaged`, summed into
   ``unrecoverable_chars`` like a ``?`` before a tag remnant). Removing the debris alone would leave wrong
   characters looking sound.
"""

from __future__ import annotations

import re

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_LETTERS = "a-zA-Züɡ" + _TONED  # ɡ (U+0261): the pinyin g some converters print
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# The bracket first and the character before it looked back at: the same matches as (?<=[CJK])(?:\(…\)|（…）),
# but the regex engine skips to the next bracket instead of trying the lookbehind at every character.
GLOSS = re.compile(rf"\((?<=[{_CJK}]\()(?=[^)]*[{_TONED}])[{_LETTERS}]{{1,6}}\)|（(?<=[{_CJK}]（)(?=[^）]*[{_TONED}])[{_LETTERS}]{{1,6}}）")
_DOUBLED = re.compile(r",(?=[,，、。；;])")
DAMAGED = re.compile(rf"\?(?=[^)]*[{_TONED}])[{_LETTERS}]{{1,6}}\)")


def repair_glosses(text: str) -> tuple[str, int]:
    """Remove pinyin glosses and the doubled commas of glossed lines (see the module docstring).

    Returns:
        ``(text, repairs)``: the repaired text and how many glosses and commas were removed.
    """
    if not any(toned in text for toned in _TONED) or not GLOSS.search(text):
        return text, 0  # (every gloss holds a toned vowel: 24 scans for one are cheaper than the pattern's)
    lines = []
    count = 0
    for line in text.split("\n"):
        line, glosses = GLOSS.subn("", line)
        while glosses and (more := GLOSS.subn("", line))[1]:  # a gloss glossed twice: 統(tǒng)(tǒng)
            line, glosses = more[0], glosses + more[1]
        if glosses:
            line, doubled = _DOUBLED.subn("", line)
            count += glosses + doubled
        lines.append(line)
    return "\n".join(lines), count


def count_damaged(line: str) -> int:
    """How many damaged glosses (``?shù)``: a gloss whose character and opening bracket were lost) ``line``
    holds; they are counted, never repaired (see the module docstring)."""
    return len(DAMAGED.findall(line)) if "?" in line else 0
