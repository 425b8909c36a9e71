"""Cleaning step 6: drop exact repeated paragraphs.

Within one document, a paragraph whose text equals an earlier paragraph's text exactly is dropped; the
first copy stays where it was and records in ``copies`` how many times the text occurred. Near-duplicates
are left alone: deciding that two different texts say the same thing is not a cleaning rule.
"""

from __future__ import annotations

from corpack.clean.paragraphs import Paragraph


def dedupe(paragraphs: list[Paragraph]) -> tuple[list[Paragraph], int]:
    """Keep the first copy of each distinct paragraph text.

    Returns:
        ``(kept, removed)``: the kept paragraphs in order, with ``copies`` set, and how many were dropped.
    """
    first: dict[str, Paragraph] = {}
    kept: list[Paragraph] = []
    for para in paragraphs:
        seen = first.get(para.text)
        if seen is None:
            para.copies = 1
            first[para.text] = para
            kept.append(para)
        else:
            seen.copies += 1
    return kept, len(paragraphs) - len(kept)
