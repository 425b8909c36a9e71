"""Cleaning step 5, page zones: menus, site names and related-article lists, judged by where they stand.

Some furniture cannot be told from a report line by its own text (a menu item 新闻动态 reads like a short
heading), but it can by where it stands. The page is split into three zones:

- the *head*: the lines before the first report line; a report line is one of 20 characters or more with a
  full stop (。！？) or two clause marks (，、,), or any line of 50 characters or more;
- the *body*: from the first report line to the last;
- the *tail*: the lines after the last report line.

In the head and the tail (only when the page has a body):

- a *menu run*: three or more lines in a row (blank lines and removed furniture between them do not break
  the run) that are each link-like: 1-24 characters of letters, digits and ideographs (quotes 《》“” and
  ``·`` allowed), with no sentence or clause mark, bracket or colon, and not a byline. The run is judged as a
  whole: it is a menu (-> ``navigation``, every item) when at least three of its items, and at least a
  third of them, are section names of at most 6 characters (首页 / 新闻动态), so the long topic and slogan
  items a menu ends with (2020年某某专题, 喜迎党的二十大, 学习贯彻某某精神专栏) go with it. In the head,
  when a run ends right before a metadata bar or the first report line, its last item (passing over lines
  that open a report: 本报讯, 编者按, a date) is the headline, not a menu item, when it has 8 characters or
  more and is longer than the median of the items before it; the lines passed over stay too;
- a *menu line*: four or more such items of 2-12 characters on one line, separated by spaces, ``|`` or
  ``·``, the line not opening or closing with ``|`` (a flattened table row) -> ``navigation``.

In the head only: two or more *bullet links*, lines of at most 40 characters opening with ``·•▪►●◆`` and
without a 。 (a box of other stories above the report: ·某县开展安全巡检) -> ``link-list``; a *site or section
name* standing alone, a menu item ending in 网/网站/频道/在线/客户端/
官网/要闻/动态/资讯/专题/专栏/栏目/新闻/中心 (某某区新闻网, 统战要闻), or such names joined by ``-``/``_``/``|``/``·`` (某省新闻网-首屏新闻) -> ``navigation``.

After the head (body and tail):

- a *related-article list*: after a heading that announces one, the following lines up to the next line
  with a 。 or of more than 80 characters, each of at most 80 characters with no 。 and not a byline: other
  stories' headlines, with or without a date, ？ or ！ (-> ``link-list``). The heading is at most 20
  characters whose ideographs, once decorations (【】, ▍, ``-``, ``>>``, a trailing 更多/MORE) are set aside,
  are one of 相关/延伸/推荐/热点/热门/精彩/往期/最新/今日/编辑/新闻/为您/本站/专题 followed by 新闻/阅读/文章/报道/
  推荐/链接/回顾/资讯/内容/关注 (新闻推荐, 相关阅读, 延伸阅读, 热点推荐, 往期回顾), or 猜你喜欢, 更多; the
  heading goes with its list (``prompt``), and stays when no item follows it. A single line between such a
  heading and more report text stays: it may head the report's own background section (延伸阅读 /
  什么是新的社会阶层人士？ / …。);
- a *dated link*: a line of at most 80 characters with no full stop or colon that ends with a date
  (某县开展安全巡检2024-03-29, ``…(2024-03-29)``) -> ``link-list``.

In the tail only: two or more *headline links*, lines of 6-40 characters, mostly not ASCII, with no sentence
mark, colon or ``|`` (a table row), not opening with a bracket, quote or bullet, not a byline and not a photo
caption (headlines of other stories, 某县投入1000万元建设园区) -> ``link-list``. One such line alone is kept,
and nothing after a line that announces a list (ending in a colon, or with 名单/名录/如下, or 附：/附件) is
taken for one or for a menu: an appendix of names belongs to the report.

A report line is never removed by these rules, and neither is a byline (记者/通讯员/作者/编辑/来源…) or a
bracketed note such as ``(宗青)``.
"""

from __future__ import annotations

import re

from corpack.clean.paragraphs import clause_marks, is_caption_marked
from corpack.clean.script import simplified


_FULL_STOP = re.compile(r"[。！？!?]")


def is_report_line(line: str) -> bool:
    """Tell whether ``line`` is running report text (see the module docstring)."""
    if len(line) >= 50:
        return True
    return len(line) >= 20 and (bool(_FULL_STOP.search(line)) or clause_marks(line) >= 2)


_ITEM = re.compile(r"^[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,12}$")


def is_menu_item(line: str) -> bool:
    """Tell whether ``line`` could be one menu item: 1-12 letters, digits or ideographs, no punctuation."""
    return bool(_ITEM.match(line))


_SEPARATORS = re.compile(r"\s*[|丨｜·•]\s*|\s+")
_MIN_LINE_ITEMS = 4


def is_menu_line(line: str) -> bool:
    """Tell whether ``line`` is several menu items on one line (see the module docstring)."""
    if line.startswith(("|", "｜")) or line.endswith(("|", "｜")):
        return False  # a row of a table flattened to text is report content
    items = [item for item in _SEPARATORS.split(line) if item]
    return len(items) >= _MIN_LINE_ITEMS and all(2 <= len(item) <= 12 and is_menu_item(item) for item in items)


_SITE_JOIN = re.compile(r"\s*[-_|丨·>]\s*")
_SITE_END = re.compile(r"(?:网|网站|频道|在线|客户端|官网|要闻|动态|资讯|专题|专栏|栏目|新闻|中心)$")


def is_site_name(line: str) -> bool:
    """Tell whether ``line`` is a site or section name standing alone (see the module docstring)."""
    if is_menu_item(line):
        return bool(_SITE_END.search(simplified(line)))
    parts = [part for part in _SITE_JOIN.split(line) if part]
    named = any(_SITE_END.search(simplified(part)) for part in parts)
    return len(parts) >= 2 and all(is_menu_item(part) for part in parts) and named


_RELATED = re.compile(
    r"^(?:(?:相关|延伸|推荐|热点|热门|精彩|往期|最新|今日|编辑|新闻|为您|本站|频道|专题)"
    r"(?:新闻|阅读|文章|报道|推荐|链接|回顾|资讯|内容|关注)|猜你喜欢|更多)$"
)
_NOT_IDEOGRAPH = re.compile(r"[^\u4e00-\u9fff]+")
_MORE = re.compile(r"(?:更多|MORE|More|more)\W*$")
_RELATED_MAX = 20


def is_related_heading(line: str) -> bool:
    """Tell whether ``line`` is a heading announcing a list of other stories (see the module docstring)."""
    if len(line) > _RELATED_MAX:
        return False
    core = _NOT_IDEOGRAPH.sub("", simplified(_MORE.sub("", line)) if len(line) > 2 else simplified(line))
    return bool(_RELATED.match(core)) or core == "" and bool(_MORE.match(line))


_BULLET_LINK = re.compile(r"^[·•▪►●◆]\s*\S")
_BULLET_MAX = 40


def _is_bullet_link(line: str) -> bool:
    return bool(_BULLET_LINK.match(line)) and len(line) <= _BULLET_MAX and "。" not in line


_BYLINE = re.compile(r"^[\[【(（]?\s*(?:记者|通讯员|作者|编辑|责任编辑|责编|来源|文|图|摄影|摄|审核|校对|供稿|原标题|稿件)\s*[:：/|丨\s]")
_LINK_STOP = re.compile(r"[。！？!?；;：:…|｜]")
_OPENERS = "(（[【〔「『“‘《<-—•·*"


def _is_headline_link(line: str) -> bool:
    plain = simplified(line)
    if not 6 <= len(line) <= 40 or _LINK_STOP.search(line) or line[0] in _OPENERS or _BYLINE.match(plain):
        return False
    return not is_caption_marked(line) and len(line.encode("ascii", "ignore")) * 2 < len(line)


def body_bounds(lines: list[str], kinds: list[str | None]) -> tuple[int, int]:
    """``(first, last)``: the indexes of the first and last report lines not already furniture, or
    ``(len(lines), -1)`` when there is none."""
    def report(i: int) -> bool:
        return bool(lines[i]) and kinds[i] is None and is_report_line(lines[i])

    first = next((i for i in range(len(lines)) if report(i)), None)  # (from each end, stopping at the first found)
    if first is None:
        return len(lines), -1
    return first, next(i for i in range(len(lines) - 1, first - 1, -1) if report(i))


_LINK = re.compile(r"^[0-9A-Za-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff《》“”‘’·•]{1,24}$")
_NAMES_A_PERSON = re.compile(r"记者|通讯员|作者|编辑|摄影?$|供图|撰稿|口述")


def is_run_item(line: str) -> bool:
    """Tell whether ``line`` could be one item of a menu run (see the module docstring): link-like, at most
    24 characters, no sentence, clause or bracket mark, not a byline."""
    return bool(_LINK.match(line)) and not _NAMES_A_PERSON.search(simplified(line))


_OPENS_REPORT = re.compile(r"[讯按]$|^\d{4}年\d{1,2}月\d{1,2}日$")
_HEADLINE_MIN = 8


def _without_headline(lines: list[str], run: list[int]) -> list[int]:
    cut = len(run)
    while cut > 1 and _OPENS_REPORT.search(lines[run[cut - 1]]):
        cut -= 1  # 本报讯, 编者按 or a date line between the headline and the body
    last = lines[run[cut - 1]]
    others = sorted(len(lines[i]) for i in run[: cut - 1])
    if len(last) >= _HEADLINE_MIN and others and len(last) > others[len(others) // 2]:
        return run[: cut - 1]
    return run


_MIN_RUN = 3
_SECTION_MAX = 6  # section names are short (首页, 新闻动态); report headings are longer
_SECTION_SHARE = 3  # at least one item in three of a menu run is a section name


def is_menu_run(lengths: list[int]) -> bool:
    """Tell whether a run of link-like lines of these lengths is a menu, judged as a whole: three or more
    items, of which at least three, and at least a third, are section names of at most 6 characters."""
    sections = sum(1 for length in lengths if length <= _SECTION_MAX)
    return len(lengths) >= _MIN_RUN and sections >= _MIN_RUN and sections * _SECTION_SHARE >= len(lengths)


def _close(lines: list[str], kinds: list[str | None], run: list[int], before_report: bool) -> None:
    if before_report and run:
        run = _without_headline(lines, run)  # the headline sits between a menu and the bar or the body
    if is_menu_run([len(lines[i]) for i in run]):
        for item in run:
            kinds[item] = "navigation"


def _mark_runs(lines: list[str], kinds: list[str | None], indexes: range, head: bool) -> None:
    run: list[int] = []
    for index in indexes:
        if head and kinds[index] == "page-meta":
            _close(lines, kinds, run, True)
            run = []
        if not lines[index] or kinds[index]:
            continue  # blank lines and furniture do not break a run
        if is_run_item(lines[index]):
            run.append(index)
            continue
        _close(lines, kinds, run, False)
        run = []
    _close(lines, kinds, run, head)


_MIN_LINKS = 2
_ANNOUNCES_LIST = re.compile(r"[:：]\s*$|名单|名录|^附(?:件|表|录)?\s*[:：\d一二三四五六七八九十]|如下")


def mark_page_zones(lines: list[str], kinds: list[str | None]) -> None:
    """Mark menus, site names and related-article lists in ``kinds`` (one kind or None per line), in place."""
    first, last = body_bounds(lines, kinds)
    if last < 0:
        return  # no report line: nothing tells the head from the tail, so nothing is judged by its place
    announced = (
        i for i in range(last, len(lines)) if lines[i] and kinds[i] is None and _ANNOUNCES_LIST.search(simplified(lines[i]))
    )
    listed = next(announced, len(lines))  # after a line announcing a list (附：某某名单) the lines are the report's
    for zone, head in ((range(0, first), True), (range(last + 1, listed), False)):
        _mark_runs(lines, kinds, zone, head)
        for index in zone:
            if kinds[index] is None and lines[index] and is_menu_line(lines[index]):
                kinds[index] = "navigation"
    for index in range(0, first):
        if kinds[index] is None and lines[index] and is_site_name(lines[index]):
            kinds[index] = "navigation"
    bullets = [i for i in range(0, first) if lines[i] and kinds[i] is None and _is_bullet_link(lines[i])]
    if len(bullets) >= _MIN_LINKS:  # a box of other stories above the report: ·某地开展… / ·某县举办…
        for index in bullets:
            kinds[index] = "link-list"
    headlines = [i for i in range(last + 1, listed) if lines[i] and kinds[i] is None and _is_headline_link(lines[i])]
    if len(headlines) >= _MIN_LINKS:
        for index in headlines:
            kinds[index] = "link-list"
    _mark_related(lines, kinds, first)


_LINK_MAX = 80


def _mark_related(lines: list[str], kinds: list[str | None], first: int) -> None:
    """Mark related-article lists and dated links after the report's first line (see the module docstring)."""
    block: list[int] = []  # the heading (when it was not furniture already) and the items under it
    for index in range(first + 1, len(lines) + 1):
        end = index == len(lines)
        line = "" if end else lines[index]
        if not end and not line:
            continue
        heading = not end and is_related_heading(line)  # (asked once a line)
        goes_on = not end and kinds[index] is None and ("。" in line or len(line) > _LINK_MAX)
        if end or heading or goes_on:
            if len(block) == 2 and not end and not heading:
                block = []  # one line between the heading and more report: the heading of the report's own text
            for marked in block if len(block) > 1 else []:  # a heading with nothing under it stays
                kinds[marked] = kinds[marked] or ("link-list" if block[0] != marked else "prompt")
            block = [index] if heading else []
            continue
        if kinds[index] is not None:
            continue
        plain = simplified(line).replace(" ", "")
        if block and not _BYLINE.match(plain):
            block.append(index)
        elif _is_dated_link(line, plain):
            kinds[index] = "link-list"


_DATED = re.compile(r"^(?P<head>.{4,80}?)\s*[\[(（]?\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?[\])）]?$")


def _is_dated_link(line: str, plain: str) -> bool:
    if is_report_line(line) or _FULL_STOP.search(line) or _BYLINE.match(plain) or ":" in line or "：" in line:
        return False
    return _may_end_dated(line) and bool(_DATED.match(line))


def _may_end_dated(line: str) -> bool:
    """Tell whether ``line`` ends as a :data:`_DATED` match must (a decimal digit, 日 or a closing bracket, before
    a final line break if any): the pattern's lazy head tries the date after each of its first 80 characters."""
    last = line[-2:-1] if line.endswith("\n") else line[-1:]
    return last.isdecimal() or last in ("日", "]", ")", "）")
