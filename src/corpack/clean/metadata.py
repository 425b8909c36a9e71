"""Cleaning step 5, metadata: the headline, publication date and publisher a page states, and where each
came from.

**Published** (``published_source``), the first of:

1. ``meta-line``: the date of a CMS metadata bar (发布日期/发布时间/日期/时间 followed by a complete date, or a
   timestamp on a line with 来源/作者…), unless that bar is a mirror's;
2. ``dateline``: a dateline that states the year (新华社北京2023年3月4日电); or a dateline that gives only
   month and day (中新网某地10月26日电), with its year taken, in this order, from a stamp of the page (a
   mirror's, or a bar that disagreed with the dateline) dated 0-7 days after that month and day in the
   stamp's year or the year before; else from the report's text: the last year of an event dated in the
   week up to the dateline (2023年10月25日 under 10月26日电); else, when the page has a stamp, the last year
   opening a sentence as a period (2023年，… · 2023年上半年…; not 2022年以来 or 2022年10月, which look back)
   that is the stamp's year or the year before (a mirror copies a story within about a year; a lone
   sentence-opening year is as often a look back, 2015年，某某赴港求学, so without a stamp it dates
   nothing); never a date after a stamp of the page;
3. ``mirror-stamp``: a mirror's or aggregator's timestamp, used only when nothing better exists: a bar whose
   source is a mirror stamp (``来源: sp20241116``), a line that is only a timestamp or a mirror stamp
   (``sp20241116`` reads 2024-11-16), or a bar whose date
   disagrees with the report's own dateline (中新网厦门3月17日电 under 发布时间:2024-11-16).

A damaged date (``?019-09-20``) is not guessed. A dateline without a year whose year neither a stamp nor
the text fixes gives no date.

The dateline is looked for at the start of the kept lines from two lines above the report's first running
line down to its third, so a photo caption or a lead summary above it does not hide it; also after a space
within a line's first 100 characters when no sentence ends before it (a headline glued to the lead:
某县新联会成立 中新网某地10月26日电…).

**Publisher**: the 来源 of a metadata bar or of a source line standing alone (来源：某某日报), or the account
before the date of a WeChat bar (原创 作者 某某统战 2023-06-01 18:00 发表于某地), else the agency or outlet
opening a dateline (新华社某地3月4日电, 中新网某地10月26日电, 某某晚报12月29日讯, 某某新闻/某某客户端某地
3月4日电, 某某网3月4日某地讯, 某某网某地讯, 【某某网消息】, 某某网消息：), the outlet being what stands before
the place and date; ``本报`` names no one. The value loses mirror stamps, wrapping or unmatched brackets
(【】[]()（）) and trailing separators, and is given in the script the page uses (keywords are matched on a
simplified reading, values are taken from the line as published).

**Title** (``title_source``):

1. ``heading``: among the kept lines before the report's first line (and that first line itself), the
   title-like line nearest above the first metadata bar (passing over a dash-led subtitle, ——某某综述), else
   the first title-like line after the page's last breadcrumb (当前位置：首页 > … opens the article's own
   area; boxes of other stories above it are not the headline), else the first title-like line. Title-like: 6-100 characters, no 。 or ；, not a byline, a key line (来源：…,
   发布日期：…), a date, a photo caption (图为… 某某 摄), a row of three or more space-separated items of at
   most 3 characters, or mostly ASCII. Menus, breadcrumbs and site names are already removed, so they are
   never the title. An author and date glued after the headline behind two or more spaces (标题     某某
   2026年02月13日09:08) are not part of it.
2. A title cut off in one copy is replaced by a whole copy: a title-like line anywhere in the page (kept, or
   removed as navigation) that starts with the title (less a trailing … or ...) and is longer. A page title with the site name after a
   separator (标题 - 某某网, 标题_某某网) or a site name before a colon (某某网:标题) becomes the part before
   the separator when that part is a line of its own, else the shortest title-like line of the page that
   holds the first 10 characters of its longest part (the article's own heading).
   The copy given way to is then furniture (``title-repeat``) when the chosen headline is a kept line of
   its own.
3. ``breadcrumb``: the last segment of a breadcrumb, when no line qualifies and that segment is title-like;
   before it, a title-like headline glued before the dateline on the same line (``heading``).

Each value is None, with source None, when the page does not state it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from corpack.clean.menus import body_bounds, is_report_line
from corpack.clean.paragraphs import is_caption_marked
from corpack.clean.script import simplified

_KEY = r"(?:发布日期|发布时间|发表时间|更新时间|日期|时间)"
_DATE = re.compile(_KEY + r"\s*[:：]?\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_BARE_DATE = re.compile(r"(?<![\d?？])(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_SOURCE = re.compile(r"来源\s*[:：]\s*")
_NEXT_KEY = re.compile(r"\s{2,}|\s*(?:作者|编辑|责任编辑|责编|记者|时间|日期|发布|浏览|点击|阅读|字号|字体|打印|分享|来源)\s*[:：]?|\s*[|丨]")
_STAMP = re.compile(r"\bsp\d{8}\b", re.IGNORECASE)
_STAMP_DATE = re.compile(r"\bsp(\d{4})(\d{2})(\d{2})\b", re.IGNORECASE)
_WRAPPERS = "【】[]()（）<>〈〉「」"
_DATELINE = re.compile(
    r"^[\[【(（]?(?P<pub>[\u4e00-\u9fff]{1,8}?网|[\u4e00-\u9fff]{2,8}?(?:社|报|台|新闻|客户端)(?:客户端)?)\s*(?:[\u4e00-\u9fff·]{1,12}?\s*)?"
    r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?:[\u4e00-\u9fff]{1,6}?\s*)?(?:电|讯)"
)
_FLASH = re.compile(
    r"^[\[【(（]?(?P<pub>[\u4e00-\u9fff]{1,10}?网|[\u4e00-\u9fff]{2,10}?(?:报|台))(?:[\u4e00-\u9fff]{1,4}?)?讯"
    r"|^【(?P<pub2>[\u4e00-\u9fff]{2,12}?(?:网|报|台|社))(?:消息|讯)】"
    r"|^(?P<pub3>[\u4e00-\u9fff]{2,10}?(?:网|台|社))消息\s*[(（:：]"
)
_WECHAT = re.compile(r"(?P<account>[^\s\d]{2,20})\s+\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?\s*发表于")
_BYLINE = re.compile(
    r"^[\[【(（]?\s*(?:记者|通讯员|作者|编辑|责任编辑|责编|来源|文|图|摄影|审核|校对|原标题|发布日期|发布时间|发表时间|更新时间)"
    r"\s*[:：/|丨\s]"
)
_TITLE_SEP = re.compile(r"\s+[-–—|_｜]\s+|_|｜")
_TRAIL = " |丨｜-_>»"
_SITE_PREFIX = re.compile(r"^[\u4e00-\u9fffA-Za-z]{2,10}(?:网|网站|新闻)\s*[:：]\s*")
_CORE = 10
# (the look back after the year's four digits, not before them: the pattern opens with a digit and the regex
# engine skips to the next one itself, instead of trying the look back at every character of the text)
_DAY_YEAR = r"(\d{{4}})(?<!\d\d{{4}})年\s*0?{month}月\s*(\d{{1,2}})日"
_OPENING_YEAR = re.compile(r"(?:^|[。！？；!?;])\s*(\d{4})年(?:[，,]|全年|[上下]半年|前三季度|第?[一二三四]季度)")
_CREDIT = re.compile(r"^\s*[(（][^)）]{0,30}[)）]")
_DATELINE_PARAGRAPHS = 3
_GAP = re.compile(r"\s+")
_GLUED_MAX = 100
_SENTENCE_STOP = re.compile(r"[。！？!?]")
_GLUED_TAIL = re.compile(r"(?:\s{2,}|\u3000+)\S.*?\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}.*$")
_ROW_ITEMS, _ROW_ITEM_MAX = 3, 3
_STAMP_DAYS = 7
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
    date = _DATE.search(plain) or _BARE_DATE.search(plain) or _STAMP_DATE.search(plain)
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
    if _BYLINE.match(simplified(line)) or _BARE_DATE.search(line) and len(line) < 24 or is_caption_marked(line):
        return False
    parts = line.split()
    if len(parts) >= _ROW_ITEMS and all(len(part) <= _ROW_ITEM_MAX for part in parts):
        return False  # a row of short items (日 报 周 报 人民网) is a menu, not a headline
    return len(line.encode("ascii", "ignore")) / len(line) < 0.5


def _tidy_title(line: str) -> str:
    line = line.strip(_TRAIL).strip()
    glued = _GLUED_TAIL.search(line)  # 标题     某某    2026年02月13日09:08: the author and date are not the headline
    return line[: glued.start()] if glued and glued.start() >= TITLE_MIN else line


def _whole_title(title: str, lines: list[str]) -> str:
    stem = title.rstrip("…. ")
    # (a tidied line is a prefix of the line stripped, so only lines starting with the stem are tidied; a line
    # that does not hold the stem is not even stripped)
    tidied = (_tidy_title(line) for line in lines if stem in line and line.strip(_TRAIL).strip().startswith(stem))
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
        from corpack.clean.boilerplate import is_breadcrumb  # the breadcrumb opens the article's own area

        crumbs = [i for i in range(min(first, len(lines))) if kinds[i] == "navigation" and is_breadcrumb(lines[i])]
        chosen = next((i for i in candidates if crumbs and i > crumbs[-1]), candidates[0])
    if chosen is not None:
        copies = [line for line, kind in zip(lines, kinds) if line and kind in (None, "navigation")]
        title = _whole_title(_tidy_title(lines[chosen]), copies)
        kept = (i for i in itertools.chain(head, range(first, len(lines))) if kinds[i] is None)  # (asked only of a changed title)
        if title != _tidy_title(lines[chosen]) and any(_tidy_title(lines[i]) == title for i in kept):
            kinds[chosen] = "title-repeat"  # a page title or cut copy standing beside the article's heading
        return title, "heading"
    from corpack.clean.boilerplate import breadcrumb_tail  # a breadcrumb's tail is the last resort

    for i, line in enumerate(lines):
        tail = _tidy_title(breadcrumb_tail(line)) if kinds[i] == "navigation" else ""
        if is_title_like(tail) and len(tail) >= 8:
            return tail, "breadcrumb"
    return None, None


def _may_hold_dateline(plain: str) -> bool:
    """Tell whether ``plain`` holds the characters every :data:`_DATELINE` match holds (月, 日, and 电 or 讯): its
    lazy repeats try many ways to split a line's first characters into outlet and place before failing."""
    return "月" in plain and "日" in plain and ("电" in plain or "讯" in plain)


def _may_hold_flash(plain: str) -> bool:
    """Tell whether ``plain`` holds what every :data:`_FLASH` match holds (讯, or 消息)."""
    return "讯" in plain or "消息" in plain


def _dateline(lines: list[str], kinds: list[str | None]) -> tuple[re.Match | None, str | None, int, int]:
    """The dateline opening the report (matched on the simplified reading), its outlet as published, the
    index of its line (-1 when there is none) and where in that line the dateline ends."""
    first, _ = body_bounds(lines, kinds)
    running = 0
    for index in range(max(0, first - 2), len(lines)):
        line = lines[index]
        if not line or kinds[index] is not None:
            continue
        plain = simplified(line)
        dated = _may_hold_dateline(plain)  # (else neither the line nor any part of it is one)
        match, start = (dated and _DATELINE.match(plain)) or (_may_hold_flash(plain) and _FLASH.match(plain)) or None, 0
        for gap in [] if match or not dated else _GAP.finditer(plain[:_GLUED_MAX]):
            if not _SENTENCE_STOP.search(plain[: gap.start()]) and (match := _DATELINE.match(plain[gap.end():])):
                start = gap.end()  # a headline glued before the dateline: 标题 中新网某地10月26日电
                break
        if match:
            name = next((k for k, v in match.groupdict().items() if k.startswith("pub") and v), None)
            outlet = name and _as_published(line, plain, start + match.start(name), start + match.end(name))
            return match, outlet, index, start + match.end()
        if index >= first and is_report_line(line):
            running += 1
            if running >= _DATELINE_PARAGRAPHS:
                break
    return None, None, -1, 0


def _text_year(text: str, month: int, day: int, stamps: list[dt.date]) -> int | None:
    """The year the report's text fixes for a dateline of ``month`` and ``day`` (see the module docstring):
    the last year of an event dated in the week before it, else, beside a stamp, the last year opening a
    sentence that is the stamp's year or the year before."""
    dated = [int(y) for y, d in re.findall(_DAY_YEAR.format(month=month), text) if 0 <= day - int(d) <= _STAMP_DAYS]
    if dated:
        return max(dated)
    near = {year for stamp in stamps for year in (stamp.year, stamp.year - 1)}
    if not near:
        return None  # (no year can be near a stamp: the text is not scanned)
    opening = [int(match.group(1)) for match in _OPENING_YEAR.finditer(text) if int(match.group(1)) in near]
    return max(opening) if opening else None


def _dateline_date(dateline: re.Match, stamps: list[dt.date], text: str) -> dt.date | None:
    """The date a dateline gives: its own year, else a stamp's that agrees with it, else the text's; never a
    date after a stamp of the page."""
    if dateline.groupdict().get("y"):
        return _date(dateline.group("y", "m", "d"))
    if not dateline.groupdict().get("m"):
        return None
    month, day = int(dateline.group("m")), int(dateline.group("d"))
    for stamp in stamps:
        for year in (stamp.year, stamp.year - 1):
            stated = _date((year, month, day))
            if stated and 0 <= (stamp - stated).days <= _STAMP_DAYS:
                return stated
    year = _text_year(text, month, day, stamps)
    stated = _date((year, month, day)) if year else None
    if stated is None or any(stated > stamp for stamp in stamps):
        return None
    return stated


def _text_from(lines: list[str], kinds: list[str | None], at: int, end: int) -> str:
    """The kept lines from the dateline's (line ``at``, the dateline ending at ``end``) on, simplified: the
    first from the dateline's end, less a credit opening it (…电（记者 某某）2023年，opens a sentence)."""
    kept = [simplified(line) for i, line in enumerate(lines) if line and kinds[i] is None and i >= at]
    if kept:
        kept[0] = _CREDIT.sub("", kept[0][end:])
    return "\n".join(kept)


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
        is_bar = kinds[index] == "page-meta"
        if not line or not is_bar and len(line) > 40:
            continue  # (neither a bar nor a source line standing alone)
        plain = simplified(line)
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
    dateline, outlet, at, end = _dateline(lines, kinds)
    if outlet and not publisher and simplified(outlet) not in {"本报", "本网"}:
        publisher = clean_publisher(outlet)
    if own and dateline and "m" in dateline.groupdict() and dateline.group("m"):
        month, day = int(dateline.group("m")), int(dateline.group("d"))
        stated = _date((own.year, month, day))
        if stated is None or abs((own - stated).days) > _STAMP_DAYS:
            own, mirror = None, mirror or own  # the bar disagrees with the report's own dateline
    from_dateline = _dateline_date(dateline, [mirror] if mirror else [], _text_from(lines, kinds, at, end)) if dateline and not own else None
    if own:
        meta["published"], meta["published_source"] = own, "meta-line"
    elif from_dateline:
        meta["published"], meta["published_source"] = from_dateline, "dateline"
    elif mirror:
        meta["published"], meta["published_source"] = mirror, "mirror-stamp"
    if publisher:
        meta["publisher"] = publisher
    title, source = find_title(lines, kinds)
    start = end - dateline.end() if dateline else 0
    glued = _tidy_title(_as_published(lines[at], simplified(lines[at]), 0, start)) if start else ""
    if (not title or source == "breadcrumb") and is_title_like(glued):
        title, source = glued, "heading"  # the headline glued before the dateline
    if title:
        meta["title"], meta["title_source"] = title, source
    return meta
