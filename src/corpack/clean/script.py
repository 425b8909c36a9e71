"""A simplified-script reading of a line, for matching the words of page furniture.

Reposts in traditional script name their furniture in traditional characters (首頁, 當前位置, 發佈時間, 來源,
瀏覽次數, 版權所有, 相關閱讀). The cleaning rules match their keywords on a simplified reading made with
OpenCC (``t2s``), so one keyword list serves both scripts. The reading is used for matching only: the text
kept in the package is the text as published.
"""

from __future__ import annotations

import functools

import opencc

_T2S = opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=4096)
def simplified(line: str) -> str:
    """Return ``line`` converted to simplified characters (for keyword matching only)."""
    return _T2S.convert(line) if line else line
