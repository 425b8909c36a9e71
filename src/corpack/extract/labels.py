"""What a statistic counts (``indicator``) and for which organisation (``body``): read from the words around
the number, never from the unit alone. Where (``subject``) is :mod:`~corpack.extract.subjects`, when (``year``)
:mod:`~corpack.extract.years`.

All rules read the simplified shadow. A *sentence* ends at 。！？；, a *clause* also at ，and ：inside it (the
enumeration comma 、 does not end a clause).

**indicator**, first rule that applies:

1. ``share``: a percentage (%, 百分之…, 个百分点), whatever it measures: 覆盖率86%, 增幅达50.5%.
2. Money: ``donations`` when 捐 is in the sentence before it; ``funds`` when its clause speaks of funding
   (资金, 投入, 投资, 筹集, 经费, 融资, 基金, 补贴, 资助, 发放, 慰问金, …); else ``other`` (sales, output,
   value added).
3. Whoever the clause after the number says becomes a member (成为/加入/被吸纳为 … 会员/成员/理事), however
   counted: ``members`` (20家律所负责人成为首批会员), or ``organisations`` for 会员单位.
   A count standing alone in its paragraph ((15个) under a list heading) is read with the paragraph before.
4. For people (人, 名, 位, 人次): what is done to them in the clause before the number: 培训/轮训/研修 → ``trainees``;
   吸纳/发展/入会 → ``members``; 推荐/担任/当选 → ``representatives``; 参加/参与/与会/惠及/服务/受益/为 (为…提供, 为…宣讲: the audience) →
   ``participants``; so are people followed (within 6 characters) by 参加, 出席, 参会, 与会, 观看 (…代表等70人参加会议) or by a
   group noun and then 在/参加/走进 (近200名人士在…); people followed by 当选, 担任, 被推荐为 are ``representatives``
   (两位当选为市政协委员).
5. The counted noun: in a set the figure counts one of (N个…试点城市之一), the noun before 之一; else the first one in
   the noun phrase right after the number (up to 20 characters, within the clause; a phrase with no noun in its
   first 20 takes the noun that ends it within 40, ending at the first verb or
   place word: 开展, 成立, 设立, 中, 在, …; an event word run together with a later noun modifies it: 12家联席会议成员单位
   are organisations; a count of people takes only a people noun of the phrase: 42名服务团成员 are members, 221名…联络员队伍
   none; the phrase also ends at a quotation mark or a digit; a count of kinds, 种/类/项/方面, takes only the noun
   that ends the phrase: 3种会议形式 is other, 4项活动 activities; items sharing one noun, 3个省级、12个市级、40个县级服务站, all
   take the noun after the last), else the noun that ends the words right before it (实践创新基地12个, 会员规模达2468人,
   专业服务队9支; of the people nouns only 志愿者 counts there): 城市 → ``cities``; 基地/示范点/工作站/联络站/报到处/阵地 → ``bases``
   (also 站点/服务点/联系点/驿站); 项目 → ``projects``; 培训班/研修班/班次 → ``training sessions``; 代表/代表人士/政协委员 →
   ``representatives`` (其中骨干代表人士56人); 会员/成员/理事/会长/秘书长/监事 → ``members``; 学员 → ``trainees``;
   志愿者/市民/居民/村民/群众/观众/游客/负责人 (people reached) → ``participants``;
   活动组/小组/组织/联谊会/联合会/协会/学会/商会/新联会/网联会/联盟/机构/部门/单位/服务队/服务团/工作室/分会 → ``organisations``;
   活动/宣讲/讲座/比赛/论坛/沙龙/座谈会/会议/学习 → ``activities``. A count of divisions (25个省) that the clause says set
   something up (成立/建立/设立 … 联谊组织) counts the organisations.
6. A sub-count of the set the figure before it in the sentence counts (在80名理事中，女性有12名: the words
   between hold 中 and no clause break before it) takes that figure's indicator, when both count people or
   neither does. People in a list under a header (the words before a ：) that names representatives, members or trainees
   (代表人士情况如下：…负责人81人) take that label; else ``population``: people (人, 名, 位; not 人次) of a
   group (人士, 人员, 从业者, 群体, 人口, 网民, 网红, 人才, 党员) named in the clause, or in the clause before when the number opens its own (…占比95.5%，约6900万人), with
   no action done to them in the clause: 全市新的社会阶层人士约120万人, 全省现有网络人士3万余人.
7. A breakdown of the figure before it in the sentence (a clause opening with 其中, 包括, 分别, or at most 4
   characters after that figure: 基地23个，其中省级5个、市级18个) takes that figure's indicator, when both
   count people or neither does.
8. A total referring back (a clause holding only 共计/合计/总计/累计/共有/共 and the number: 已命名三批示范点，
   共计45个) takes the last counted noun of the sentence before it.
9. By unit: 人次 → ``participants``; 期/班次 → ``training sessions``; 场/场次/次 → ``activities``.
10. ``other``.

**body** is the organisation the figure counts for when the sentence names one before the number (else
after it in the clause): 中央统战部, 省委/市委/区委/县委统战部, 新联会, 网联会, 新阶联, …联谊会, …联合会.
"""

from __future__ import annotations

import bisect
import re


CLAUSE = re.compile(r"[，,：:]")

_NOUNS = (
    ("cities", r"城市"),
    ("bases", r"基地|示范点|工作站|联络站|活动站|服务站|站点|服务点|报到处|阵地|联系点|驿站"),
    ("projects", r"项目"),
    ("training sessions", r"培训班|研修班|班次"),
    ("representatives", r"代表人士|代表|政协委员"),
    ("members", r"会员|成员|理事长|理事|会长|秘书长|监事长|监事"),
    ("trainees", r"学员"),
    ("participants", r"志愿者|市民|群众|观众|听众|负责人|网友|居民|村民|游客"),
    ("organisations", r"活动组|工作组|小组|组织|联谊会|联合会|协会|学会|研究会|商会|新联会|网联会|新阶联|联盟|机构|部门|单位|服务队|服务团|小分队|分队|工作室|分会|社团|队伍|专委会|委员会"),
    ("activities", r"活动|宣讲|讲座|比赛|大赛|论坛|沙龙|座谈会|会议|学习|调研|走访"),
)
# Whether any counted noun is there at all: where none is, no rule that looks for one of them can apply, and
# the ten searches, one per label, are not run.
_SOME_NOUN = re.compile("|".join(words for _label, words in _NOUNS))
_LINK = r"(?:[(（][^()（）]{0,8}[)）])?(?:规模|总数|数量|人数|总量|总计|合计)?(?:就|已经|则|也|还)?(?:各|已|共|累计)?(?:达到|达|为|约为|有|共有|超过|突破|近|约|逾)?"


BODIES = re.compile(  # the lookahead admits the characters a body's name starts with: same matches, a faster scan
    r"(?=[中省市区县统新网联知])(?:中央统战部|[省市区县]委统战部|统战部(?!门)|新联会|网联会|新阶联|"
    r"(?:新的社会阶层人士|新社会阶层人士|新的社会阶层|新阶层|网络人士|知联会)?(?:联谊会|联合会))"
)


_LAST_CLAUSE_BREAK = re.compile(r"(?s:.*)[，,：:]")  # the greedy .* backs off from the span's end


def clause_start(text: str, lo: int, pos: int) -> int:
    """Where the clause holding ``pos`` starts (after the last ，：; not before ``lo``)."""
    last = _LAST_CLAUSE_BREAK.match(text, lo, pos)
    return last.end() if last else lo


def clause_end(text: str, pos: int, hi: int) -> int:
    """Where the clause holding ``pos`` ends (at the next ，：; or ``hi``)."""
    m = CLAUSE.search(text, pos, hi)
    return m.start() if m else hi


_NOUN_ANY = [(label, re.compile(words)) for label, words in _NOUNS]
_PEOPLE_ONLY = ("representatives", "members", "trainees", "participants")


def _first_noun(words: str, people: bool) -> str | None:
    """The label of the earliest counted noun in ``words`` (the longer one at the same place). Counts of
    people take only a people noun (42名服务团成员 are members; 221名…联络员队伍 has none); other counts never
    do (27家成员单位 are organisations). An event word (会议, 活动, 论坛…) run together with a
    following noun modifies it (12家联席会议成员单位 are organisations; 6个基地项目 stay bases, as the gold has it)."""
    if not _SOME_NOUN.search(words):
        return None
    every = [(m.start(), -len(m.group(0)), label) for label, pattern in _NOUN_ANY for m in [pattern.search(words)] if m]
    if people:  # people are never a count of bodies, bases or events (221名…联络员队伍)
        hits = [hit for hit in every if hit[2] in _PEOPLE_ONLY]
        return min(hits)[2] if hits else None
    hits = [hit for hit in every if hit[2] not in _PEOPLE_ONLY or hit[2] == "participants"]
    if not hits:
        return None
    first = min(hits)
    head = first
    while first[2] == "activities":  # an event word before other nouns modifies them: 联席会议成员单位 counts 单位
        follow = [hit for hit in every if hit[0] == head[0] - head[1]]
        if not follow:
            break
        head = min(follow)
    return head[2] if head[2] not in _PEOPLE_ONLY or head[2] == "participants" else first[2]


_TRAILING_NON_WORD = re.compile(r"\W+$")


def _head_noun(phrase: str) -> str | None:
    """The label of the noun that ends ``phrase`` (3种会议形式 ends in 形式: none), for counts of kinds."""
    phrase = _TRAILING_NON_WORD.sub("", phrase)
    if not _SOME_NOUN.search(phrase):
        return None
    hits = [label for label, pattern in _NOUN_ANY for m in pattern.finditer(phrase) if m.end() == len(phrase)]
    return hits[0] if hits else None


def _last_noun(words: str) -> str | None:
    hits = [(m.end(), len(m.group(0)), label) for label, pattern in _NOUN_ANY for m in pattern.finditer(words)]
    return max(hits)[2] if hits else None


_PEOPLE_UNITS = ("人", "名", "位", "人次")
_PEOPLE_VERBS = (
    ("trainees", re.compile(r"培训|轮训|研修|培养")),
    ("members", re.compile(r"吸纳|发展会员|入会|会员发展")),
    ("representatives", re.compile(r"推荐|担任|当选")),
    ("participants", re.compile(r"参加|参与|与会|惠及|服务|受益|出席|观看|吸引|带动|(?<![数模量约别成作认称])为[^，。为]{0,4}$|组织[^，。]*参")),
)
_AFTER_WINDOW = 20
_LONG_PHRASE = 40
# Items sharing the noun after the last one: 第一批8个、第二批11个重点项目 · 3个省级、12个市级、40个县级服务站.
_NEXT_ITEM = re.compile(
    r"(?:(?:[\u4e00-\u9fff]{1,3}级)?、[^，。；、]{0,6}?[0-9０-９一二两三四五六七八九十百千万]+[^，。；、\u4e00-\u9fff]{0,3}"
    r"[个名人家项支次场座期])+"
)
# A total referring back to the noun counted earlier in the sentence: 已命名三批示范点，共计45个.
_TOTAL = re.compile(r"^(?:共计|合计|总计|累计|总共|一共|共有|共)(?:达到|达|为|有)?$")
# People who become members, counted however: 20家律所负责人成为首批会员 (会员单位 are organisations).
_JOINING = re.compile(r"[^，。；]{0,12}?(?:成为|加入|被吸纳为|吸纳为|发展为)[^，。；]{0,8}?(会员单位|会员|成员|理事)")
# A sub-count of the set the figure before it counts: 在80名理事中，女性有12名.
_SUBSET = re.compile(r"^[^，。；]{0,10}?中[，,]?[^，。；]{0,8}$")
# The noun phrase after a number ends at its verb or place word (近百座商务楼宇中开展…活动 counts buildings).
_VERB = re.compile(
    r"开展|举办|举行|召开|建设|建立|成立|设立|打造|组建|参加|参与|获得|获评|实现|提供|签订|进行|通过|分组|中|在|被|为|用|对|向|赴"
)
_BREAKDOWN = re.compile(r"^(?:其中|包括|含|分别|另有)")
_SERVING = re.compile(r"^[^，。；]{0,3}?(?:当选|担任|被推荐为|获推荐为|被推选为)")
_TAKING_PART = re.compile(r"^[^，。；]{0,6}?(?:参加|参与|出席|参会|与会|到场|观看|聆听|报名)")
_FUNDING = re.compile(r"资金|投入|投资|筹集|募集|筹措|经费|拨付|支出|花费|融资|基金|贷款|补贴|补助|奖励|奖金|资助|帮扶|发放|慰问金|善款")
_PHRASE_END = re.compile(r"[“”\"‘’「」《》]|[0-9０-９]")
_KIND_UNITS = ("种", "类", "项", "方面")
_JOINED = re.compile(r"^[^，。；]{0,12}?(?:人士|人员|代表|企业家|青年|党员)[^，。；]*?(?:在|参加|参与|走进|来到|通过|用|以)")
_NOUN_BEFORE = [(label, re.compile(rf"(?:{words}){_LINK}$")) for label, words in _NOUNS]
_SOME_NOUN_BEFORE = re.compile(rf"(?:{_SOME_NOUN.pattern}){_LINK}$")  # matches where one of _NOUN_BEFORE does
_DIVISION_AFTER = re.compile(r"^[^，。；]{0,4}?(?:省|市|区|县)[^，。；]*?(?:成立|建立|设立|组建)")
_BY_UNIT = {"人次": "participants", "期": "training sessions", "班次": "training sessions", "场": "activities",
            "场次": "activities", "次": "activities"}
_HAN = re.compile(r"[\u4e00-\u9fff]")
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]")
_ORGANISATION_WORDS = re.compile(r"组织|联谊会|联合会|新联会|网联会|新阶联|分会|机构|协会|商会")
_HEADER_NOUNS = {label: re.compile(words) for label, words in _NOUNS}


def indicator(text: str, start: int, end: int, unit: str, sentence: tuple[int, int], context: str | None = None,
              previous: tuple[int, str, str] | None = None, clause: tuple[int, int] | None = None) -> str:
    """The indicator of the figure ``text[start:end]`` in ``unit`` (see the module docstring).

    ``context`` is the paragraph before, used when the figure stands alone in its paragraph; ``previous`` is
    ``(end, indicator, unit)`` of the figure before it in the same sentence, for breakdowns (其中省级5个);
    ``clause`` is ``(clause_start(text, sentence[0], start), clause_end(text, end, sentence[1]))`` when the
    caller has them.
    """
    if unit in ("%", "个百分点"):
        return "share"
    lo, hi = sentence
    clause_lo, clause_hi = clause or (clause_start(text, lo, start), clause_end(text, end, hi))
    before = text[clause_lo:start]
    if unit.endswith("元"):
        if "捐" in text[lo:start]:
            return "donations"
        return "funds" if _FUNDING.search(text[clause_lo:clause_hi]) else "other"
    # 第一批15个、第二批36个重点项目: the noun after the last item (an item list has a 、 in its first five characters)
    item = _NEXT_ITEM.match(text, end) if text.find("、", end, end + 5) >= 0 else None
    after_lo = item.end() if item else end
    after_hi = clause_end(text, after_lo, hi) if item else clause_hi
    after = text[after_lo:after_hi][:_AFTER_WINDOW]
    people = unit in _PEOPLE_UNITS
    # every verb of _JOINING but 加入 holds 为: without either, no match
    joining = _JOINING.match(text, end, clause_hi) if text.find("为", end, clause_hi) >= 0 or text.find("加入", end, clause_hi) >= 0 else None
    if joining:
        return "organisations" if joining.group(1) == "会员单位" else "members"
    if context is not None and not (_HAN.search(text, lo, start) or _HAN.search(after)):
        label = _last_noun(context)  # (15个) under a list heading
        return label if label and (people or label not in _PEOPLE_ONLY) else _BY_UNIT.get(unit, "other")
    if people:
        for label, pattern in _PEOPLE_VERBS:
            if pattern.search(before):
                return label
        if _JOINED.match(after) or _TAKING_PART.match(after):
            return "participants"
        if _SERVING.match(after):
            return "representatives"  # 两位当选为市政协委员  # 近200名新的社会阶层人士在…: people taking part
    one_of = text.find("之一", after_lo, after_hi)
    label = _head_noun(text[after_lo:one_of]) if one_of >= 0 else None  # 8个…试点城市之一: the set's noun
    if label:
        return label
    phrase = _before_first(_PHRASE_END, _before_first(_VERB, after))
    label = _head_noun(phrase) if unit in _KIND_UNITS else _first_noun(phrase, people)
    if label is None and len(phrase) == _AFTER_WINDOW:  # a long modifier: the noun that ends the whole phrase
        whole = text[after_lo:after_hi][:_LONG_PHRASE]
        label = _head_noun(_before_first(_PHRASE_END, _before_first(_VERB, whole)))
        label = label if label and (people or label not in _PEOPLE_ONLY) and (not people or label in _PEOPLE_ONLY) else None
    if label:
        return label
    if not people and _DIVISION_AFTER.match(after) and _ORGANISATION_WORDS.search(after):
        return "organisations"
    for label, pattern in _NOUN_BEFORE if _SOME_NOUN_BEFORE.search(before) else ():
        if label in _PEOPLE_ONLY and not people:
            continue
        if pattern.search(before) and (label != "participants" or "志愿者" in before):
            return label
    header = max(text.rfind("：", lo, clause_lo), text.rfind(":", lo, clause_lo)) if people else lo
    if people and header > lo:  # 代表人士情况如下：…负责人81人, a list under a header
        for label in ("representatives", "members", "trainees"):
            if label in _PEOPLE_ONLY and _HEADER_NOUNS[label].search(text, lo, header):
                return label
    if previous is not None and (previous[2] in _PEOPLE_UNITS) == people and _SUBSET.match(text[previous[0] : start]):
        return previous[1]
    if people and unit != "人次" and _population(text, lo, clause_lo, before, after):
        return "population"
    if previous is not None and (previous[2] in _PEOPLE_UNITS) == people and (
        _BREAKDOWN.match(before) or len(_NOT_HAN.sub("", text[previous[0] : start])) <= 4
    ):
        return previous[1]
    if ("共" in before or "计" in before) and _TOTAL.match(_NOT_HAN.sub("", before)):  # every total word has one
        label = _last_noun(text[lo:clause_lo])
        if label and (people or label not in _PEOPLE_ONLY):
            return label
    return _BY_UNIT.get(unit, "other")


def _before_first(pattern: re.Pattern, words: str) -> str:
    """``words`` up to the first match of ``pattern`` (``pattern.split(words, maxsplit=1)[0]`` for a pattern
    without groups or empty matches, without the list)."""
    m = pattern.search(words)
    return words[: m.start()] if m else words


_GROUP = re.compile(r"人士|人员|从业者|群体|人口|网民|网红|人才|党员|新阶层")
_ACTION = re.compile(
    r"培训|吸纳|发展|参加|参与|推荐|担任|当选|联系|引导|带动|服务|惠及|举办|开展|吸引|动员|招募|选拔|评选|表彰|走访|"
    r"慰问|帮扶|资助|吸收|提供|获得|获|表达|组建|成立|建立"
)
_APPROXIMATE = re.compile(r"约|近|超过|逾|共|达|多|余|万|亿")


def _population(text: str, lo: int, clause_lo: int, before: str, after: str) -> bool:
    words = before + after
    if not _HAN.search(_APPROXIMATE.sub("", before)) and clause_lo > lo:
        words = text[clause_start(text, lo, clause_lo - 1) : clause_lo] + words  # the number opens its clause
    return bool(_GROUP.search(words)) and not _ACTION.search(words)


class Bodies:
    """The bodies :data:`BODIES` finds in one paragraph ``text[lo:hi]``, found in one scan, so that a figure's
    :func:`body` is a bisection, not a scan of its sentence. The same answer: a body's name holds none of the
    characters a figure starts or ends with (digits, numerals, qualifiers; its 人 is never a unit's, as 人士
    follows a name, not a number), none of the clause breaks and sentence ends :func:`body` stops at, and
    ``统战部(?!门)`` meets a figure or a mark after it, never 门: so no body found in the paragraph crosses
    the bounds body searches within, and those searches find the paragraph's bodies that lie inside them.

    Args:
        text, lo, hi: the paragraph ``text[lo:hi]``.
    """

    __slots__ = ("starts", "found")

    def __init__(self, text: str, lo: int, hi: int) -> None:
        self.found = [(m.start(), m.end(), m.group(0)) for m in BODIES.finditer(text, lo, hi)]
        self.starts = [found[0] for found in self.found]

    def __bool__(self) -> bool:
        return bool(self.found)

    def body(self, start: int, end: int, sentence: tuple[int, int], clause_hi: int) -> str | None:
        """:func:`body` of the figure ``text[start:end]`` of the paragraph, ``clause_hi`` given."""
        found = self.found
        i = bisect.bisect_left(self.starts, start)  # the bodies before i start before the figure, so end by it
        if i and found[i - 1][0] >= sentence[0]:
            return found[i - 1][2]
        i = bisect.bisect_left(self.starts, end, i)
        return found[i][2] if i < len(found) and found[i][1] <= clause_hi else None


def body(text: str, start: int, end: int, sentence: tuple[int, int], clause_hi: int | None = None) -> str | None:
    """The organisation the sentence names for the figure: the nearest before it, else the first after it in
    its clause (which ends at ``clause_hi``, ``clause_end(text, end, sentence[1])``, when the caller has it)."""
    before = list(BODIES.finditer(text, sentence[0], start))
    if before:
        return before[-1].group(0)
    after = BODIES.search(text, end, clause_end(text, end, sentence[1]) if clause_hi is None else clause_hi)
    return after.group(0) if after else None
