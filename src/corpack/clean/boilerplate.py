"""Cleaning step 4: drop the web page around the report.

Lines are judged one at a time by general rules about what page furniture looks like, never by matching
known pages. A line is boilerplate when it is:

- ``script``: program code (starts like JavaScript, ``function``/``var``/``$(``/``window.``…, or is mostly
  ASCII punctuation and braces);
- ``navigation``: a breadcrumb (starts with 当前位置/您的位置/所在位置…, or 首页 followed by ``>``), or a
  previous/next link (上一篇/下一篇/上一条/下一条);
- ``page-meta``: a line giving at least two of 发布日期/发布时间/来源/作者/浏览次数/点击数/字号 and no
  sentence; its date and source are kept as document metadata;
- ``prompt``: a short call to action (为您推荐, 相关阅读, 发表评论, 分享到, 打印本页, 关闭窗口, 扫一扫…);
- ``footer``: a record-number or copyright footer (ICP备/ICP证, 公网安备, 版权所有, Copyright, ©,
  主办单位, 技术支持) that is not a sentence;
- ``link-list``: after the last sentence of the report, short bullet items (``- 新湘导读``) that link to
  other pages.
"""

from __future__ import annotations

import datetime as dt
import re

_SCRIPT_START = re.compile(r"^(?:function\b|var\s|let\s|const\s|\$\(|jQuery|window\.|document\.|\(function|if\s*\(|<script)")
_CODE_MARKS = re.compile(r"\)\s*\{|\}\s*\)|;\s*\}|function\s*\(|=>|\bdocument\.|\bwindow\.")
_BREADCRUMB = re.compile(r"^(?:当前位置|您的位置|你的位置|您现在的位置|你现在的位置|现在位置|所在位置)\s*[:：]?|^位置\s*[:：]|^(?:网站)?首页\s*(?:>|»|›|/)")
_PREV_NEXT = re.compile(r"^(?:上一篇|下一篇|上一条|下一条|上篇|下篇|上一页|下一页)\s*[:：]?")
_META_KEYS = re.compile(r"发布日期|发布时间|日期[:：]|时间[:：]|来源[:：]|作者[:：]|浏览次数|点击数|阅读数|阅读量|字号|【打印】|编辑[:：]")
_PROMPTS = (
    "为您推荐", "相关推荐", "推荐阅读", "相关阅读", "相关新闻", "相关文章", "延伸阅读", "猜你喜欢", "热门推荐",
    "发表评论", "我要评论", "网友评论", "评论", "分享到", "分享", "打印本页", "打印", "关闭窗口", "关闭", "返回顶部",
    "扫一扫", "扫码", "收藏", "点赞", "在看", "阅读原文", "【打印】", "【关闭】",
)
_PROMPT = re.compile(r"^[\[【(（]?(?:" + "|".join(map(re.escape, _PROMPTS)) + r")[\]】)）]?(?:[\s|丨/、]*[\[【(（]?(?:" + "|".join(map(re.escape, _PROMPTS)) + r")[\]】)）]?)*[:：]?$")
_FOOTER = re.compile(r"ICP\s*[备证]|ICP[^\w]|公网安备|网安备|版权所有|Copyright|©|主办单位|承办单位|技术支持|网站标识码")
_SENTENCE_END = re.compile(r"[。！？!?]")
_BULLET = re.compile(r"^[-•·*▪►>]\s*\S")
_DATE = re.compile(r"(?:发布日期|发布时间|日期|时间)\s*[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SOURCE = re.compile(r"来源\s*[:：]\s*([^\s|丨]{2,40})")
_MAX_CHROME = 60  # a line longer than this with a sentence in it is text, whatever it mentions


def _ascii_share(line: str) -> float:
    return len(line.encode("ascii", "ignore")) / len(line)


def classify(line: str) -> str | None:
    """Return the kind of boilerplate ``line`` is (see the module docstring), or None for report text."""
    if not line:
        return None
    if _SCRIPT_START.match(line) and _ascii_share(line) > 0.5:
        return "script"
    if len(_CODE_MARKS.findall(line)) >= 2 and _ascii_share(line) > 0.8:
        return "script"
    short = len(line) <= _MAX_CHROME or not _SENTENCE_END.search(line)
    if _BREADCRUMB.match(line) and short:
        return "navigation"
    if _PREV_NEXT.match(line) and len(line) <= 80:
        return "navigation"
    if len(_META_KEYS.findall(line)) >= 2 and len(line) <= 120 and "。" not in line:
        return "page-meta"
    if _PROMPT.match(line.replace(" ", "")):
        return "prompt"
    if _FOOTER.search(line) and (len(line) <= 120 and "。" not in line):
        return "footer"
    return None


def is_link_item(line: str) -> bool:
    """Tell whether a line looks like a bullet item linking elsewhere (``- 新湘导读``)."""
    return bool(_BULLET.match(line)) and len(line) <= 30 and not _SENTENCE_END.search(line)


def page_metadata(line: str) -> dict:
    """Read the publication date and source from a ``page-meta`` line.

    Returns:
        A dict with ``published`` (``datetime.date``) and/or ``publisher`` where the line states them
        completely; a date with a damaged digit is not guessed.
    """
    found: dict = {}
    date = _DATE.search(line)
    if date:
        try:
            found["published"] = dt.date(*(int(part) for part in date.groups()))
        except ValueError:
            pass
    source = _SOURCE.search(line)
    if source:
        found["publisher"] = source.group(1).rstrip("。,，;；")
    return found


def remove(lines: list[str]) -> tuple[list[bool], dict[str, int], dict]:
    """Judge every line of a document.

    Args:
        lines: the document's lines (empty strings for blank lines).

    Returns:
        ``(keep, removed, metadata)``: a keep flag per line, the number of lines removed per kind, and the
        metadata read from page-meta lines.
    """
    keep = [True] * len(lines)
    removed: dict[str, int] = {}
    metadata: dict = {}
    for index, line in enumerate(lines):
        kind = classify(line)
        if kind:
            keep[index] = False
            removed[kind] = removed.get(kind, 0) + 1
            if kind == "page-meta":
                for key, value in page_metadata(line).items():
                    metadata.setdefault(key, value)
    for index in range(len(lines) - 1, -1, -1):
        if not keep[index] or not lines[index]:
            continue
        if not is_link_item(lines[index]):
            break
        keep[index] = False
        removed["link-list"] = removed.get("link-list", 0) + 1
    return keep, removed, metadata
