"""A simplified-script reading of a line, for matching the words of page furniture.

Reposts in traditional script name their furniture in traditional characters (首頁, 當前位置, 發佈時間, 來源,
瀏覽次數, 版權所有, 相關閱讀). The cleaning rules match their keywords on a simplified reading made with
OpenCC (``t2s``), so one keyword list serves both scripts. The reading is used for matching only: the text
kept in the package is the text as published.
"""

from __future__ import annotations

import opencc

_T2S = opencc.OpenCC("t2s")
#: Readings kept: those of the lines of the document being cleaned (:func:`simplify_lines`), and of other
#: strings asked for, up to :data:`_KEEP` of them.
_READINGS: dict[str, str] = {}
_KEEP = 4096


def simplified(line: str) -> str:
    """Return ``line`` converted to simplified characters (for keyword matching only)."""
    try:
        return _READINGS[line]
    except KeyError:
        pass
    reading = _T2S.convert(line) if line else line
    if len(_READINGS) < _KEEP:
        _READINGS[line] = reading
    return reading


def simplify_lines(lines: list[str]) -> None:
    """Convert the lines of one document in one call of OpenCC, so that :func:`simplified` finds each of them
    (the readings of the document before are dropped). The same readings as line by line: OpenCC replaces
    the longest dictionary entry at each place, and no entry holds a newline, so no replacement crosses
    from one line into the next."""
    _READINGS.clear()
    todo = list(dict.fromkeys(line for line in lines if line and "\n" not in line))
    readings = _T2S.convert("\n".join(todo)).split("\n") if todo else []
    if len(readings) == len(todo):  # (else a reading held a newline: each line is converted when asked for)
        _READINGS.update(zip(todo, readings))
