"""Cleaning step 5: turn kept lines into paragraphs and say what each one is.

**Joining broken lines.** Some sources are hard-wrapped: a sentence runs on over two or more lines, often
with a blank line between them. A line is joined with the next one when

- it ends with a clause mark (，、,) or an opening bracket or quote: then it is joined unless the next line
  is a caption or opens a list item;
- it ends with a letter, digit or ideograph and is clearly running text: longer than a heading (over 40
  characters), joined from several lines already, or holding a sentence end (。；) or three or more clause
  marks inside it;
- or it ends with a letter, digit or ideograph and the next line ends with a clause mark (a fragment);

In the last two cases the next line must not be heading-like, a caption, a list item or a bracketed note;
in all cases it must not repeat the line before (a repeat is for deduplication, not a continuation).
No characters are added or removed when joining (Chinese text has no spaces between lines).

**Kinds.**

- ``title``: the first paragraph, when it is short (at most 100 characters) and not a sentence ending in
  。; a dash-led line right after it (``——贵阳市…综述``) is its subtitle and also ``title``.
- ``caption``: a photo caption: led by a picture marker (■ ▲ ● ◆ ↑, 图为, 图：) or ending in a photo credit
  (`` 图``, ``摄``, ``供图``), or a short single sentence standing alone in a wider gap than the document's
  usual paragraph gap (the place an image was).
- ``heading``: a short line (at most 40 characters) that is not a sentence: it does not end with
  punctuation other than a closing quote or a colon, has no full stop (。；) inside and at most one clause
  mark.
- ``body``: everything else.
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass

HEADING_MAX = 40
TITLE_MAX = 100
CAPTION_MAX = 80

_SENTENCE_END = "。！？!?；;…"
_FULL_STOP = "。；;"  # inside a line, these (not ? or !, common in headlines) mark running text
_FULL_STOP_MARK = re.compile(f"[{_FULL_STOP}]")
_CLAUSE = "，、,"
_OPENERS = "(（“‘《【「『[〔"
_CLOSERS = "”’」』)）】》]〕"
_CAPTION_LEAD = re.compile(r"^(?:[■□▲△▼▽◆◇●○★☆↑↓◎]|图为|图[:：]|[（(]图|上图|下图|左图|右图)")
_CAPTION_CREDIT = re.compile(r"(?:\s(?:\S{0,12}\s)?(?:图|摄|摄影|供图)|[（(](?:图|摄|摄影|供图|资料图片?)[)）]|摄影?[:：]\s*\S{1,10}|\S{1,10}摄)$")
_LIST_LEAD = re.compile(r"^(?:[一二三四五六七八九十]+[、是]|\d+[.、．)）]|[（(][一二三四五六七八九十\d]+[)）]|[-•·*▪►])")


@dataclass
class Line:
    """A kept line of a document.

    Attributes:
        text: the line's text (non-empty).
        gap: how many blank lines stood before it in the source.
        repaired: characters the repair step restored in it.
        unrecoverable: characters the repair step could not restore in it.
    """

    text: str
    gap: int = 0
    repaired: int = 0
    unrecoverable: int = 0


@dataclass
class Paragraph:
    """A paragraph of a cleaned document.

    Attributes:
        text: the paragraph text.
        kind: title, heading, body or caption.
        copies: how many times it occurred in the source (set by deduplication).
        repaired: characters restored by the repair step.
        unrecoverable: characters the repair step could not restore.
        gap: blank lines before it in the source.
        lines: how many source lines it was joined from.
    """

    text: str
    kind: str = "body"
    copies: int = 1
    repaired: int = 0
    unrecoverable: int = 0
    gap: int = 0
    lines: int = 1


def _last_is_word(text: str) -> bool:
    return text[-1].isalnum()


def clause_marks(text: str) -> int:
    """How many clause marks (:data:`_CLAUSE`) ``text`` holds."""
    return text.count("，") + text.count("、") + text.count(",")  # (the marks of _CLAUSE, counted without a generator)


def _inner_sentence_end(text: str) -> bool:
    return _FULL_STOP_MARK.search(text, 0, len(text) - 1) is not None  # (one of them before the last character)


def is_heading_like(text: str) -> bool:
    """Tell whether ``text`` reads as a heading rather than a sentence (see the module docstring)."""
    if not text or len(text) > HEADING_MAX or _inner_sentence_end(text) or clause_marks(text) > 1:
        return False
    if text[0] in _OPENERS and text[-1] in _CLOSERS and text[0] in "(（[〔【":
        return False  # a bracketed note such as (宗青) or (15个)
    last = text[-1]
    if last in _CLOSERS:
        return len(text) > 1 and text[-2] not in _SENTENCE_END + _CLAUSE
    return last.isalnum() or last in ":："


def is_caption_marked(text: str) -> bool:
    """Tell whether ``text`` carries an explicit photo-caption marker or credit."""
    if _CAPTION_LEAD.match(text):
        return True
    # (every credit holds 图 or 摄: a text with neither is not searched)
    return len(text) <= CAPTION_MAX and ("图" in text or "摄" in text) and bool(_CAPTION_CREDIT.search(text))


def _runs_on(text: str) -> bool:
    if not _last_is_word(text):
        return False
    return len(text) > HEADING_MAX or _inner_sentence_end(text) or clause_marks(text) >= 3


def _may_continue_into(text: str) -> bool:
    return not (is_heading_like(text) or is_caption_marked(text) or _LIST_LEAD.match(text) or text[0] in _OPENERS)


def join_lines(lines: list[Line]) -> tuple[list[Paragraph], int]:
    """Join hard-wrapped lines into paragraphs by the rule in the module docstring.

    Returns:
        ``(paragraphs, joined)``: the paragraphs (kind still ``body``) and the number of joins made.
    """
    paragraphs: list[Paragraph] = []
    joined = 0
    for line in lines:
        if paragraphs and _should_join(paragraphs[-1], line.text):
            last = paragraphs[-1]
            last.text += line.text
            last.repaired += line.repaired
            last.unrecoverable += line.unrecoverable
            last.lines += 1
            joined += 1
            continue
        paragraphs.append(Paragraph(line.text, repaired=line.repaired, unrecoverable=line.unrecoverable, gap=line.gap))
    return paragraphs, joined


def _should_join(previous: Paragraph, text: str) -> bool:
    if not previous.text:
        return False
    last = previous.text[-1]
    if not (last in _CLAUSE or last in _OPENERS or last.isalnum()):
        return False  # (every rule below wants one of these last: a sentence's end, 。, is not asked about captions)
    if is_caption_marked(previous.text) or previous.text.endswith(text):
        return False  # an exact repeat of the line before is a repeat (for dedupe), not a continuation
    if last in _CLAUSE or last in _OPENERS:
        return not (is_caption_marked(text) or _LIST_LEAD.match(text))
    if _runs_on(previous.text) or previous.lines > 1 and _last_is_word(previous.text):
        return _may_continue_into(text)
    if _last_is_word(previous.text) and text[-1] in _CLAUSE:
        return not (is_caption_marked(text) or _LIST_LEAD.match(text) or text[0] in _OPENERS)
    return False


def assign_kinds(paragraphs: list[Paragraph]) -> None:
    """Set ``kind`` on each paragraph in place (see the module docstring)."""
    if not paragraphs:
        return
    usual_gap = statistics.median(p.gap for p in paragraphs[1:]) if len(paragraphs) > 1 else 0
    for index, para in enumerate(paragraphs):
        text = para.text
        if index == 0 and len(text) <= TITLE_MAX and not text.endswith("。") and not _inner_sentence_end(text):
            para.kind = "title"
        elif index == 1 and paragraphs[0].kind == "title" and text.startswith(("——", "—", "--")) and len(text) <= TITLE_MAX:
            para.kind = "title"
        elif is_caption_marked(text) or _stands_alone(paragraphs, index, usual_gap):
            para.kind = "caption"
        elif is_heading_like(text):
            para.kind = "heading"
        else:
            para.kind = "body"


def _stands_alone(paragraphs: list[Paragraph], index: int, usual_gap: float) -> bool:
    para = paragraphs[index]
    if index == 0 or para.gap < 2 or para.gap <= usual_gap or len(para.text) > CAPTION_MAX:
        return False
    if _inner_sentence_end(para.text) or is_heading_like(para.text):
        return False
    return para.text[-1] in "。" or para.text[-1].isalnum()
