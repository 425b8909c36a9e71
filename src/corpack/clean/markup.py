"""Cleaning step 3: remove HTML that survived into the text.

- Whole ``<script>``, ``<style>`` and ``<noscript>`` elements and ``<!-- comments -->`` go first, even when
  they span lines (page script is never report text).
- Remaining tags (``<p>``, ``</span>``, ``<br/>``, ``<a href="…">``) are removed; a tag that ends a block
  (``</p>``, ``<br>``, ``</div>``, ``</li>``, headings, table rows) becomes a line break so paragraphs stay
  apart.
- Character entities (``&nbsp;``, ``&amp;``, ``&#8220;``) are decoded.

Each removal or decoding counts once.
"""

from __future__ import annotations

import html
import re

_BLOCKS = re.compile(r"<(script|style|noscript)\b[^>]*>.*?</\1\s*>|<!--.*?-->", re.IGNORECASE | re.DOTALL)
_BREAKING = re.compile(r"</?(?:p|div|br|li|ul|ol|tr|table|h[1-6]|section|article|blockquote|header|footer)\b[^<>]*>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def strip_blocks(text: str) -> tuple[str, int]:
    """Remove script, style and noscript elements and comments; return the text and how many were removed."""
    return _BLOCKS.subn("", text)


def strip_tags(text: str) -> tuple[str, int]:
    """Remove tags (block-ending ones become a line break) and decode entities.

    Returns:
        ``(text, removed)``: the text and the number of tags removed plus entities decoded.
    """
    if "<" not in text and "&" not in text:
        return text, 0  # (every tag holds a <, every entity a &)
    text, breaks = _BREAKING.subn("\n", text)
    text, tags = _TAG.subn("", text)
    count = [0]

    def decode(match: re.Match) -> str:
        decoded = html.unescape(match.group(0))
        if decoded != match.group(0):
            count[0] += 1
        return decoded

    text = _ENTITY.sub(decode, text)
    return text, breaks + tags + count[0]
