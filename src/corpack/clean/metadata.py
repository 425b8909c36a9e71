"""Cleaning step 5, metadata: the headline, publication date and publisher a page states, and where each
came from.

**Published** (``published_source``), the first of:

1. ``meta-line``: the date of a CMS metadata bar (发布日期/发布时间/日期/时间 followed by a complete date, or a
   timestamp on a line with 来源/作者…), unless that bar is a mirror's;
2. ``dateline``: a dateline that states the year (新华社北京2023年3月4日电);
3. ``mirror-stamp``: a mirror's or aggregator's timestamp, used only when nothing better exists: a bar whose
   source is a mirror stamp (``来源: sp20241116``), a line that is only a timestamp, or a bar whose date
   disagrees with the report's own dateline (中新网厦门3月17日电 under 发布时间:2024-11-16).

A damaged date (``?019-09-20``) is not guessed. A dateline without a year gives no date.

**Publisher**: the 来源 of a metadata bar or of a source line standing alone (来源：某某日报), or the account
before the date of a WeChat bar (原创 作者 某某统战 2023-06-01 18:00 发表于某地), else the agency or outlet
opening a dateline (新华社某地3月4日电, 某某网3月4日某地讯, 某某网某地讯, 【某某网消息】, 某某网消息：);
``本报`` names no one. The value loses mirror stamps,
wrapping or unmatched brackets (【】[]()（）) and trailing separators, and is given in the script the page
uses (keywords are matched on a simplified reading, values are taken from the line as published).

**Title** (``title_source``):

1. ``heading``: among the kept lines before the report's first line (and that first line itself), the
   title-like line nearest above the first metadata bar (passing over a dash-led subtitle, ——某某综述), else
   the first title-like line. Title-like: 6-100
   characters, no 。 or ；, not a byline, a date or mostly ASCII. Menus, breadcrumbs and site names are
   already removed, so they are never the title.
2. A title cut off in one copy is replaced by a whole copy: a title-like line anywhere in the page (kept, or
   removed as navigation) that starts with the title (less a trailing … or ...) and is longer. A page title with the site name after a
   separator (标题 - 某某网, 标题_某某网) or a site name before a colon (某某网:标题) becomes the part before
   the separator when that part is a line of its own, else the shortest title-like line of the page that
   holds the first 10 characters of its longest part (the article's own heading).
   The copy given way to is then furniture (``title-repeat``) when the chosen headline is a kept line of
   its own.
3. ``breadcrumb``: the last segment of a breadcrumb, when no line qualifies and that segment is title-like.

Each value is None, with source None, when the page does not state it.
"""

from __future__ import annotations

import datetime as dt
import re

from corpack.clean.menus import body_bounds
from corpack.clean.script import simplified

_KEY = r"(?:发布日期|发布时间|发表时间|更新时间|日期|时间)"
_DATE = re.compile(_KEY + r"\s*[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_BARE_DATE = re.compile(r"(?<![\d?？])(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SOURCE = re.compile(r"来源\s*[:：]\s*")
_NEXT_KEY = re.compile(r"\s{2,}|\s*(?:作者|编辑|责任编辑|责编|记者|时间|日期|发布|浏览|点击|阅读|字号|字体|打印|分享|来源)\s*[:：]?|\s*[|丨]")
_STAMP = re.compile(r"\bsp\d{8}\b", re.IGNORECASE)
_WRAPPERS = "【】[]()（）<>〈〉「」"
_DATELINE = re.compile(
    r"^[\[【(（]?(?P<pub>[\u4e00-\u9fff]{1,8}?网|[\u4e00-\u9fff]{2,8}?(?:社|报|台))\s*(?:[\u4e00-\u9fff]{1,8}?\s*)?"
    r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?:[\u4e00-\u9fff]{1,6}?\s*)?(?:电|讯)"
)
_FLASH = re.compile(
    r"^[\[【(（]?(?P<pub>[\u4e00-\u9fff]{1,10}?网|[\u4e00-\u9fff]{2,10}?(?:报|台))(?:[\u4e00-\u9fff]{1,4}?)?讯"
    r"|^【(?P<pub2>[\u4e00-\u9fff]{2,12}?(?:网|报|台|社))(?:消息|讯)】"
    r"|^(?P<pub3>[\u4e00-\u9fff]{2,10}?(?:网|台|社))消息\s*[(（:：]"
)
_WECHAT = re.compile(r"(?P<account>[^\s\d]{2,20})\s+\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?\s*发表于")
_BYLINE = re.compile(r"^[\[【(（]?\s*(?:记者|通讯员|作者|编辑|责任编辑|责编|来源|文|图|摄影|审核|校对|原标题)\s*[:：/|丨\s]")
_TITLE_SEP = re.compile(r"\s+[-–—|_｜]\s+|_|｜")
_TRAIL = " |丨｜-_>»"
_SITE_PREFIX = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,10}(?:网|网站|新闻)\s*[:：]\s*")
_CORE = 10
_SUBTITLE = ("——", "—", "--", "－－")
TITLE_MIN, TITLE_MAX = 6, 100


def _as_published(line: str, plain: str, start: int, end: int) -> str:
    """The span ``start:end`` of ``plain`` (the simplified reading) in the script the page uses; the simplified
    text when the reading changed the line's length (a phrase conversion) and spans no longer line up."""
    return line[start:end] if len(line) == len(plain) else plain[start:end]


def _date(groups) -> dt.date | None:
    try:
        return dt.date(*(int(part) for part in groups))
    except ValueError:
        return None


def clean_publisher(value: str) -> str | None:
    """Tidy a publisher name read from a page: no mirror stamps, wrapping or unmatched brackets or trailing
    separators; None when nothing is left."""
    value = _STAMP.sub("", value).strip(" ,，。;；:：|丨/")
    for _ in range(3):
        if len(value) >= 2 and value[0] in "【[(（<〈「" and value[-1] in "】])）>〉」":
            value = value[1:-1].strip()
    for opener, closer in ("【】", "[]", "()", "（）", "「」", "《》"):
        if value.count(opener) != value.count(closer):
            value = value.replace(opener, "").replace(closer, "")
    value = re.sub(r"\s*[(（][A-Za-z0-9_.-]+[)）]$", "", value).strip(" ,，。;；:：|丨/")  # 某某网(abc2012)
    if not value or value in {"本站", "本网", "本报", "网络", "互联网"} or not re.search(r"[^\W\d_]", value):
        return None
    return value


def read_meta_line(line: str) -> dict:
    """Read the publication date and source of one metadata line.

    Returns:
        A dict with ``published`` (``datetime.date``) and/or ``publisher`` where the line states them
        completely, and ``mirror`` (True) when the line is a mirror's stamp; a damaged date is not guessed.
    """
    plain = simplified(line)
    found: dict = {}
    date = _DATE.search(plain) or _BARE_DATE.search(plain)
    if date and (value := _date(date.groups())):
        found["published"] = value
    source = _SOURCE.search(plain)
    if source:
        start = source.end()
        rest = _as_published(line, plain, start, len(plain))
        cut = _NEXT_KEY.search(simplified(rest))
        publisher = clean_publisher(rest[: cut.start()] if cut else rest)
        if publisher:
            found["publisher"] = publisher
    if _STAMP.search(line) or (not source and not _DATE.search(plain) and date):
        found["mirror"] = True
    return found


def is_title_like(line: str) -> bool:
    """Tell whether ``line`` could be a headline (see the module docstring)."""
    if not TITLE_MIN <= len(line) <= TITLE_MAX or "。" in line or "；" in line:
        return False
    if _BYLINE.match(simplified(line)) or _BARE_DATE.search(line) and len(line) < 24:
        return False
    return len(line.encode("ascii", "ignore")) / len(line) < 0.5


def _tidy_title(line: str) -> str:
    return line.strip(_TRAIL).strip()


def _whole_title(title: str, lines: list[str]) -> str:
    stem = title.rstrip("…. ")
    tidied = (_tidy_title(line) for line in lines)
    longer = [line for line in tidied if line != title and line.startswith(stem) and is_title_like(line)]
    if title != stem or longer:
        longer = [line for line in longer if len(line) > len(stem)]
        if longer:
            title = max(longer, key=len)
    parts = [part for part in _TITLE_SEP.split(_SITE_PREFIX.sub("", title)) if part]
    if len(parts) > 1 or _SITE_PREFIX.match(title):
        own = {_tidy_title(line) for line in lines}
        if parts[0] in own and is_title_like(parts[0]):
            return parts[0]
        core = max(parts, key=len)[:_CORE]
        fuller = [line for line in own if line != title and len(core) == _CORE and core in line and is_title_like(line)]
        if fuller:
            return min(fuller, key=len)
    return title


def find_title(lines: list[str], kinds: list[str | None]) -> tuple[str | None, str | None]:
    """The page's headline and where it came from (see the module docstring); a page-title copy that gave
    way to the article's heading is marked ``title-repeat`` in ``kinds``."""
    first, _ = body_bounds(lines, kinds)
    head = [i for i in range(min(first + 1, len(lines))) if lines[i] and kinds[i] is None]
    bars = [i for i in range(min(first + 1, len(lines))) if kinds[i] == "page-meta"]
    candidates = [i for i in head if is_title_like(_tidy_title(lines[i]))]
    chosen = None
    if bars and candidates:
        above = [i for i in candidates if i < bars[0]]
        while len(above) > 1 and lines[above[-1]].startswith(_SUBTITLE):
            above.pop()  # a subtitle (——某某综述) sits under its headline
        chosen = above[-1] if above else None
    if chosen is None and candidates:
        chosen = candidates[0]
    if chosen is not None:
        copies = [line for line, kind in zip(lines, kinds) if line and kind in (None, "navigation")]
        title = _whole_title(_tidy_title(lines[chosen]), copies)
        kept = [i for i in head + list(range(first, len(lines))) if kinds[i] is None]
        if title != _tidy_title(lines[chosen]) and any(_tidy_title(lines[i]) == title for i in kept):
            kinds[chosen] = "title-repeat"  # a page title or cut copy standing beside the article's heading
        return title, "heading"
    from corpack.clean.boilerplate import breadcrumb_tail  # a breadcrumb's tail is the last resort

    for i, line in enumerate(lines):
        tail = _tidy_title(breadcrumb_tail(line)) if kinds[i] == "navigation" else ""
        if is_title_like(tail) and len(tail) >= 8:
            return tail, "breadcrumb"
    return None, None


def _dateline(lines: list[str], kinds: list[str | None]) -> tuple[re.Match | None, str | None]:
    """The dateline opening the report (matched on the simplified reading) and its outlet as published."""
    first, _ = body_bounds(lines, kinds)
    for index in range(max(0, first - 2), min(len(lines), first + 2)):
        if lines[index] and kinds[index] is None:
            plain = simplified(lines[index])
            match = _DATELINE.match(plain) or _FLASH.match(plain)
            if match:
                name = next((k for k, v in match.groupdict().items() if k.startswith("pub") and v), None)
                return match, name and _as_published(lines[index], plain, *match.span(name))
    return None, None


def read_page_meta(lines: list[str], kinds: list[str | None]) -> dict:
    """Read title, published and publisher, each with its source, from a page's judged lines.

    Args:
        lines: the page's lines; kinds: the furniture kind of each line, None for kept lines.

    Returns:
        A dict with ``title``, ``title_source``, ``published`` (``datetime.date``), ``published_source`` and
        ``publisher``, holding only the values the page states.
    """
    meta: dict = {}
    own, mirror, publisher = None, None, None
    for index, line in enumerate(lines):
        if not line:
            continue
        plain = simplified(line)
        is_bar = kinds[index] == "page-meta"
        standalone_source = len(line) <= 40 and plain.lstrip("[【(（").startswith("来源")
        if not (is_bar or standalone_source):
            continue
        if plain.startswith("今天是"):
            continue  # the site's clock
        found = read_meta_line(line)
        if "published" in found and is_bar:
            if found.get("mirror"):
                mirror = mirror or found["published"]
            else:
                own = own or found["published"]
        publisher = publisher or found.get("publisher")
        wechat = _WECHAT.search(plain) if is_bar else None
        if wechat:
            publisher = publisher or clean_publisher(_as_published(line, plain, *wechat.span("account")))
    dateline, outlet = _dateline(lines, kinds)
    if outlet and not publisher and simplified(outlet) not in {"本报", "本网"}:
        publisher = clean_publisher(outlet)
    if own and dateline and "m" in dateline.groupdict() and dateline.group("m"):
        month, day = int(dateline.group("m")), int(dateline.group("d"))
        stated = _date((own.year, month, day))
        if stated is None or abs((own - stated).days) > 7:
            own, mirror = None, mirror or own  # the bar disagrees with the report's own dateline
    if own:
        meta["published"], meta["published_source"] = own, "meta-line"
    elif dateline and dateline.groupdict().get("y") and (value := _date(dateline.group("y", "m", "d"))):
        meta["published"], meta["published_source"] = value, "dateline"
    elif mirror:
        meta["published"], meta["published_source"] = mirror, "mirror-stamp"
    if publisher:
        meta["publisher"] = publisher
    title, source = find_title(lines, kinds)
    if title:
        meta["title"], meta["title_source"] = title, source
    return meta
