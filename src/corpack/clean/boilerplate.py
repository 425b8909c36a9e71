"""Cleaning step 5: drop the web page around the report, one line at a time.

Lines are judged by general rules about what page furniture looks like, never by matching known pages.
Keywords are matched on a simplified reading of the line (:mod:`corpack.clean.script`), so 首頁, 來源 and
版權所有 count like 首页, 来源 and 版权所有. A line is boilerplate when it is:

- ``script``: program code (starts like JavaScript, ``function``/``var``/``$(``/``window.``…, or is mostly
  ASCII punctuation and braces);
- ``navigation``: a breadcrumb (starts with 当前位置/您的位置/您当前的位置…, or 首页 followed by a separator;
  or short segments joined by two or more ``>``/``>>``/``»``/``›``; or a short line ending in ``>``), or a
  previous/next link (上一篇/下一篇/上一条/下一条);
- ``page-meta``: a CMS metadata bar, a line of no sentence (no 。) giving at least two of 发布日期/发布时间/
  日期/时间/来源/作者/编辑/浏览次数/点击数/阅读数/字号/打印/发表于 or a timestamp (``2024-11-15 10:21``); a date
  key with its date counts once, so 时间：2023年6月1日 地点：某地 in a report stays. Also a publication-date key
  with its date alone, with or without its year (发布时间：2023-06-01, 发布日期：8月7日); a line that is only
  a numeric timestamp or a mirror stamp
  (``sp20231123``), while a date written 2023年6月1日 alone, as under a notice, stays; a short tag line
  (关键词：…, 标签：…); the site's clock (今天是2024年3月5日 星期二, never read as a date). An aggregator's
  *source line*, 来源 standing alone with a short value (来源：某某网), before the report's first line or
  right beside another metadata line (发布日期：8月7日); elsewhere, as under the report, it is the report's
  own source note and stays. Other
  dates and sources become document metadata (:mod:`corpack.clean.metadata`);
- ``prompt``: a line made only of calls to action and buttons (为您推荐, 相关阅读, 发表评论, 分享到, 微博,
  微信, 打印本页, 关闭窗口, 扫一扫, 字号 [大][中][小], 返回顶部, 网站地图, 联系我们, 写留言, 在看…), or a short
  line (at most 40 characters, no 。) opening with a QR-code or follow prompt (微信扫一扫…, 长按识别…,
  点击上方蓝字…, 收录于合集…, 打开某某新闻 查看精彩图片, 欢迎访问…); or the heading of a box of links, a
  short line ending in a "more" link after a space or separator (人物语录 更多, 热点 MORE>>);
- ``footer``: a record-number or copyright footer (ICP备/ICP证, 公网安备, 版权所有, Copyright, ©, 主办单位,
  技术支持, 投稿邮箱, 联系电话) that is not a sentence; or, at any length, a reprint notice (未经…授权…不得,
  版权归…所有, 转载请注明, 违者…追究, 版权…问题…请…来电). Between the report's first and last lines only a
  record number, copyright or reprint notice counts: there a 主办单位 or 联系电话 line is the report's own;
- ``image``: an image placeholder standing alone (``(相关资料图)``, ``[图片]``) or an aggregator's image
  alt text (``…-第1张图片-…``). Photo captions and credits are report text and stay.

Rules that need the page around a line (menus, site names, related-article lists) are in
:mod:`corpack.clean.menus`; a page title that gave way to the article's own heading (``title-repeat``) is
found by :mod:`corpack.clean.metadata`. A line that no rule is sure about is kept.
"""

from __future__ import annotations

import re

from corpack.clean import menus
from corpack.clean.metadata import read_page_meta
from corpack.clean.script import simplified, simplify_lines

_SCRIPT_START = re.compile(r"^(?:function\b|var\s|let\s|const\s|\$\(|jQuery|window\.|document\.|\(function|if\s*\(|<script)")
# The lookaheads at the head of _CODE_MARKS and _META_KEYS admit the characters a match can start with: no
# match changes, and the scan of a line passes over every other character at once.
_CODE_MARKS = re.compile(r"(?=[)};f=dw])(?:\)\s*\{|\}\s*\)|;\s*\}|function\s*\(|=>|\bdocument\.|\bwindow\.)")
_ARROW = r"(?:>{1,2}|»|›|＞{1,2}|→)"
_BREADCRUMB = re.compile(
    r"^(?:您?当前(?:的)?位置|您的位置|你的位置|您现在的位置|你现在的位置|现在位置|所在位置|当前页面)\s*[:：]?"
    rf"|^位置\s*[:：]|^(?:网站)?首页\s*(?:{_ARROW}|/|\|)"
)
_ARROWS = re.compile(rf"\s*{_ARROW}\s*")
_ARROW_END = re.compile(rf"{_ARROW}\s*$")
_ARROW_CHARS = re.compile(r"[>»›＞→]")  # a line without one has no breadcrumb separator
_KEY_LINE = re.compile(
    r"^[\[【(（]?\s*(?:来源\s*[:：]\s*[^\s。，、；;,:：!！?？]{2,20}"
    r"|(?:发布日期|发布时间|发表时间|更新时间)\s*[:：]?\s*(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}日?"
    r"(?:\s*\d{1,2}[:：]\d{2}(?::\d{2})?)?)\s*[\]】)）]?$"
)
_TAGS = re.compile(r"^[\[【]?(?:关键词|关键字|标签|TAG|Tags)\s*[:：]", re.IGNORECASE)
_PREV_NEXT = re.compile(r"^(?:上一篇|下一篇|上一条|下一条|上篇|下篇|上一页|下一页)\s*[:：]?")
_TIMESTAMP = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?"
_META_KEYS = re.compile(
    r"(?=[发更日时来作编浏点阅访字【打分\d])(?:发布日期|发布时间|发表时间|更新时间|日期\s*[:：]|时间\s*[:：]|来源\s*[:：]|作者\s*[:：]|编辑\s*[:：]|浏览次数|浏览量|"
    r"浏览\s*[:：]|点击数|点击量|点击\s*[:：]|阅读数|阅读量|阅读\s*[:：]|访问量|字号|字体\s*[:：]|【打印】|打印本页|"
    r"分享到|发表于|" + _TIMESTAMP + ")"
)
_NUMERIC_STAMP = r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?|\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}(?::\d{2})?"
_STAMP_ONLY = re.compile(rf"^(?:{_NUMERIC_STAMP}|sp\d{{8}})(?:\s+(?:{_NUMERIC_STAMP}|sp\d{{8}}))*$", re.IGNORECASE)
_KEYED_DATE = re.compile(r"(?:日期|时间)\s*[:：]?\s*" + _TIMESTAMP)
_PUBLISHED_ALONE = re.compile(
    r"^[\[【(（]?(?:发布日期|发布时间|发表时间|更新时间)\s*[:：]?\s*(?:\d{4}\s*[-/.年]\s*)?\d{1,2}\s*[-/.月]\s*\d{1,2}日?"
    r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?[\]】)）]?$"
)
_PROMPTS = (
    "为您推荐", "相关推荐", "推荐阅读", "相关阅读", "相关新闻", "相关文章", "相关链接", "延伸阅读", "猜你喜欢", "热门推荐",
    "热点推荐", "频道推荐", "精彩推荐", "更多", "发表评论", "我要评论", "网友评论", "评论", "分享到", "分享至", "分享",
    "微博", "新浪微博", "微信", "朋友圈", "QQ空间", "Qzone", "QQ", "打印本页", "打印", "关闭窗口", "关闭", "返回顶部",
    "返回首页", "返回列表", "返回", "扫一扫", "扫码", "扫码关注", "二维码", "收藏", "点赞", "在看", "阅读原文",
    "网站地图", "联系我们", "关于我们", "手机版", "设为首页", "加入收藏", "搜索", "APP下载", "下载APP", "纠错",
    "我要纠错", "字号", "字体", "大", "中", "小", "默认", "繁体", "简体", "无障碍", "登录", "注册", "复制链接",
    "写留言", "留言", "赞", "知道了", "取消", "允许", "喜欢此内容的人还喜欢", "预览时标签不可点", "继续滑动看下一个",
    "向上滑动看下一个", "轻触阅读原文", "放大字体", "缩小字体",
)
_PROMPT_LEAD = re.compile(
    r"^[\[【(（]?(?:微信扫一扫|扫一扫|扫码|扫描二维码|长按识别|长按二维码|点击上方|点击蓝字|关注我们|收录于合集|收录于话题"
    r"|打开[\u4e00-\u9fffA-Za-z]{1,8}(?:新闻|客户端|APP|App)\s*(?:查看|阅读|看)|查看精彩图片|欢迎(?:访问|光临))"
)
_BOX_HEADING = re.compile(r"^[^。，,；;：:]{1,16}?(?:\s+|[|｜·>»])(?:更多|MORE|More|more)\s*(?:>>|»|\+|>)?$")
_TODAY = re.compile(r"^今天是\s*[:：]?\s*\d{4}\s*年.{0,12}星期")
_ITEM = r"[\[【(（]?(?:" + "|".join(map(re.escape, sorted(_PROMPTS, key=len, reverse=True))) + r")[\]】)）]?"
_PROMPT = re.compile(rf"^{_ITEM}[:：]?(?:[\s|丨/、·]*{_ITEM}[:：]?)*(?:>>|»)?$", re.IGNORECASE)
_FOOTER = re.compile(r"ICP\s*[备证]|ICP[^\w]|公网安备|网安备|版权所有|Copyright|©|主办单位|承办单位|协办单位|技术支持|网站标识码|投稿邮箱|联系邮箱|联系电话|通讯地址")
_STRONG_FOOTER = re.compile(r"ICP|公网安备|网安备|版权所有|Copyright|©|网站标识码", re.IGNORECASE)
_REPRINT = re.compile(r"未经.{0,30}(?:授权|许可|同意).{0,20}(?:不得|禁止|严禁)|版权(?:均)?(?:属于|属|归).{0,30}所有|转载请注明|违者.{0,20}追究|不得(?:转载|复制|镜像)"
    r"|版权.{0,12}(?:问题|事宜).{0,30}(?:联系|来电|来函)")
_IMAGE = re.compile(r"^[\[【(（](?:相关)?(?:资料)?(?:图片|配图|资料图|视频)[\]】)）]$|-第\d+张图片-")
_BULLET = re.compile(r"^[-•·*▪►>]\s*\S")
_SENTENCE_END = re.compile(r"[。！？!?]")
_MAX_CHROME = 60  # a line longer than this with a sentence in it is text, whatever it mentions
#: A line (and its simplified reading) longer than this holding a 。 meets none of :func:`classify`'s rules after
#: the script tests but the reprint notice's: each other rule wants a line without a 。, of at most 80 characters,
#: or a pattern no 。 can be part of; such a line is judged by that rule alone (most lines of a report).
_LONG_SENTENCE = 80


def _keyed_dates_marked(plain: str) -> str:
    """``plain`` with each date key and its date (日期：2023-06-01) replaced by one key, counted once; a line
    without 日期 or 时间 holds none and is not scanned."""
    return _KEYED_DATE.sub("时间:", plain) if "日期" in plain or "时间" in plain else plain


def _ascii_share(line: str) -> float:
    return len(line.encode("ascii", "ignore")) / len(line)


def is_breadcrumb(line: str) -> bool:
    """Tell whether ``line`` is a breadcrumb trail (see the module docstring), in either script."""
    return _is_breadcrumb_reading(simplified(line))


def _is_breadcrumb_reading(line: str) -> bool:
    """:func:`is_breadcrumb` of a line's simplified reading."""
    if _BREADCRUMB.match(line) and (len(line) <= _MAX_CHROME or not _SENTENCE_END.search(line)):
        return True
    if "。" in line or not _ARROW_CHARS.search(line):
        return False
    parts = [part for part in _ARROWS.split(line)]
    if len(parts) >= 3 and all(0 < len(part) <= 14 for part in parts[1:-1]) and 0 < len(parts[0]) <= 14:
        return True
    return len(line) <= _MAX_CHROME and bool(_ARROW_END.search(line)) and len(parts) >= 2


def breadcrumb_tail(line: str) -> str:
    """The last segment of a breadcrumb (sometimes the headline glued to it), without its lead-in."""
    parts = [part.strip() for part in _ARROWS.split(line) if part.strip()]
    return parts[-1] if parts else ""


def classify(line: str) -> str | None:
    """Return the kind of boilerplate ``line`` is (see the module docstring), or None for report text."""
    if not line:
        return None
    if _SCRIPT_START.match(line) and _ascii_share(line) > 0.5:
        return "script"
    if _ascii_share(line) > 0.8 and len(_CODE_MARKS.findall(line)) >= 2:
        return "script"
    plain = simplified(line)
    if len(line) > _LONG_SENTENCE and len(plain) > _LONG_SENTENCE and "。" in line and "。" in plain:
        return "footer" if _REPRINT.search(plain) else None  # (the one rule below a long sentence can meet)
    if _is_breadcrumb_reading(plain):
        return "navigation"
    # (Each test below asks its cheap questions, length and 。, before its pattern.)
    if len(line) <= 80 and _PREV_NEXT.match(plain):
        return "navigation"
    stripped = plain.strip()
    if _STAMP_ONLY.match(stripped):
        return "page-meta"
    if len(line) <= 40 and _TODAY.match(plain):
        return "page-meta"  # the site's clock (今天是2024年3月5日 星期二), not a date of the report
    if _PUBLISHED_ALONE.match(stripped):
        return "page-meta"
    if len(line) <= 150 and "。" not in line and len(_META_KEYS.findall(_keyed_dates_marked(plain))) >= 2:
        return "page-meta"
    if len(line) <= 60 and "。" not in line and _TAGS.match(plain):
        return "page-meta"
    if "。" not in plain and _PROMPT.match(plain.replace(" ", "").replace("\u3000", "")):  # (no item holds a 。)
        return "prompt"
    if ("更多" in stripped or "ore" in stripped or "ORE" in stripped) and _BOX_HEADING.match(stripped):
        return "prompt"  # the heading of a box of links: 人物语录 更多, 热点 MORE>>
    if len(line) <= 40 and "。" not in line and _PROMPT_LEAD.match(plain):
        return "prompt"
    if _REPRINT.search(plain):
        return "footer"
    if len(line) <= 120 and "。" not in line and _FOOTER.search(plain):
        return "footer"
    if len(line) <= 60 and _IMAGE.search(plain):
        return "image"
    return None


def is_key_line(line: str) -> bool:
    """Tell whether ``line`` is an aggregator's key line: 来源 or a publication-date key standing alone with a
    short value (来源：某某网, 发布日期：8月7日); :func:`remove` takes it for furniture only before the report."""
    return bool(_KEY_LINE.match(simplified(line).strip()))


def _beside_meta(lines: list[str], kinds: list[str | None], index: int) -> bool:
    """Tell whether the nearest non-blank line above or below ``index`` is a metadata line."""
    for step in (-1, 1):
        near = index + step
        while 0 <= near < len(lines) and not lines[near]:
            near += step
        if 0 <= near < len(lines) and kinds[near] == "page-meta":
            return True
    return False


def is_link_item(line: str) -> bool:
    """Tell whether a line looks like a bullet item linking elsewhere (``- 新湘导读``)."""
    return bool(_BULLET.match(line)) and len(line) <= 30 and not _SENTENCE_END.search(line)


def remove(lines: list[str]) -> tuple[list[bool], dict[str, int], dict]:
    """Judge every line of a document.

    Args:
        lines: the document's lines (empty strings for blank lines).

    Returns:
        ``(keep, removed, metadata)``: a keep flag per line, the number of lines removed per kind, and the
        metadata the page states (see :func:`corpack.clean.metadata.read_page_meta`).
    """
    simplify_lines(lines)  # (every rule below reads the lines' simplified readings, converted here at once)
    kinds: list[str | None] = [classify(line) for line in lines]
    first, last = menus.body_bounds(lines, kinds)
    for index in range(first, last + 1):  # inside the report, 主办单位/联系电话 lines are the report's own
        if kinds[index] == "footer" and not (_STRONG_FOOTER.search(lines[index]) or _REPRINT.search(simplified(lines[index]))):
            kinds[index] = None
    for index, line in enumerate(lines):  # 来源：某某网 alone before the report or beside a date line is the page's
        if kinds[index] is None and is_key_line(line) and (index < first or _beside_meta(lines, kinds, index)):
            kinds[index] = "page-meta"
    menus.mark_page_zones(lines, kinds)
    for index in range(len(lines) - 1, -1, -1):
        if kinds[index] or not lines[index]:
            continue
        if not is_link_item(lines[index]):
            break
        kinds[index] = "link-list"
    metadata = read_page_meta(lines, kinds)  # may mark a page-title copy as title-repeat
    keep = [kind is None for kind in kinds]
    removed: dict[str, int] = {}
    for kind in kinds:
        if kind:
            removed[kind] = removed.get(kind, 0) + 1
    return keep, removed, metadata
