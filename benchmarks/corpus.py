"""Synthetic report corpus: ``python benchmarks/corpus.py OUT --size 100MB [--seed 0]``.

Writes reports shaped like saved pages of united-front news (see /work/shared/PAGE-SHAPES.md): page
furniture (site names, menus, breadcrumbs, CMS metadata bars, related links, share prompts, footers), a
headline (sometimes repeated or glued to a breadcrumb), a dateline, numbered and bracketed headings, body
paragraphs with figures (Arabic, Chinese numerals and mixed, with units and qualifiers), dates (full,
year-less, day-only), places, quoted programme names and people with titles, flattened tables, repeated
paragraphs and sections, and the damage of a careless tag strip. Some files are GBK or UTF-16, some are in
traditional script (a few with conversion damage: pinyin glosses, doubled punctuation), and a few are very
large documents.

``--figures real`` (the default) draws one body sentence in seven from the figure templates, the rest from
figure-free narrative ones: about as many statistics per MB as the bundled real reports. ``dense`` draws every
one from the figure templates (nine times as many), the bytes this generator wrote before 2026-12-02.

Every word comes from the vocabulary lists below, combined by templates; nothing is copied from real pages.
Document ``i`` is drawn from its own generator seeded by ``(seed, i)``, so the same seed and size give a
byte-identical corpus, and a larger corpus of the same seed starts with the smaller one's files. Files are
written one at a time (a very large document paragraph by paragraph), so memory stays flat at any size.
"""

from __future__ import annotations

import argparse
import codecs
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import opencc

# --- vocabulary (made up for this generator; place names are the real divisions so the gazetteer has work) ---
PROVINCES = ["浙江省", "贵州省", "四川省", "江苏省", "广东省", "湖南省", "河南省", "山东省", "福建省", "云南省", "甘肃省", "江西省"]
CITIES = ["温州市", "贵阳市", "成都市", "苏州市", "佛山市", "长沙市", "洛阳市", "潍坊市", "泉州市", "曲靖市", "天水市", "赣州市",
          "宁波市", "遵义市", "绵阳市", "无锡市", "珠海市", "株洲市", "开封市", "烟台市", "厦门市", "大理白族自治州"]
COUNTIES = ["瑞安市", "息烽县", "双流区", "昆山市", "顺德区", "浏阳市", "栾川县", "寿光市", "晋江市", "陆良县", "秦安县", "瑞金市",
            "余姚市", "湄潭县", "江油市", "江阴市", "斗门区", "醴陵市", "兰考县", "龙口市", "同安区", "宾川县"]
TOWNS = ["城关镇", "新华街道", "桥头镇", "马场镇", "东湖街道", "清水乡", "金山镇", "白云街道"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段章钱汤尹黎易常武乔贺赖龚文"
GIVEN = "建国伟华明军平志红芳丽静敏强磊洋勇艳杰娟涛超秀英霞刚桂兰玉萍辉鹏飞宇浩然思远晓东雪梅海燕春生嘉怡子涵文博俊峰振宁立新永胜德"
TITLES = ["市委常委、统战部部长", "区委统战部副部长", "县委书记", "市工商联主席", "省政协副主席", "新联会会长", "市委统战部常务副部长",
          "镇党委书记", "街道办事处主任", "民营企业家", "律师", "社区党支部书记", "市民宗局局长", "知联会秘书长", "副处长", "科长"]
ORGS = ["市委统战部", "区委统战部", "县委统战部", "市工商联", "新的社会阶层人士联谊会", "知识分子联谊会", "党外知识分子联谊会",
        "网络人士联谊会", "市政协", "民营经济人士服务中心", "同心服务团", "侨联", "海外联谊会", "归国留学人员联谊会"]
ORG_PLAIN = [o for o in ORGS if not o.startswith(("市", "区", "县"))]
ACTIVITIES = ["座谈会", "培训班", "专题调研", "联谊活动", "志愿服务活动", "实践创新基地授牌仪式", "工作推进会", "主题教育活动",
              "理论研讨会", "成立大会", "换届大会", "恳谈会", "观摩交流会", "送温暖活动"]
TOPICS = ["新的社会阶层人士统战工作", "民营经济统战工作", "党外知识分子工作", "网络统战工作", "民族宗教工作", "港澳台海外统战工作",
          "基层统战工作", "同心实践活动", "乡村振兴", "营商环境建设", "共同富裕示范区建设", "铸牢中华民族共同体意识"]
VERBS = ["召开", "举办", "开展", "启动", "组织", "举行", "部署", "推进"]
BRANDS = ["同心", "新力量", "石榴籽", "红色引擎", "山海协作", "心连心", "同心圆", "新青年", "百企帮百村", "光彩行", "connect新阶层", "1+N"]
BRAND_SUFFIX = ["工程", "行动", "计划", "服务站", "工作室", "品牌", "驿站", "基地"]
UNITS = [("人", "参与"), ("家", "企业"), ("万元", "资金"), ("亿元", "投资"), ("个", "项目"), ("场", "活动"), ("次", "走访"),
         ("名", "代表人士"), ("所", "学校"), ("户", "困难家庭"), ("条", "建议"), ("件", "提案"), ("期", "培训"), ("公里", "道路")]
QUALIFIERS = ["", "", "", "近", "超过", "约", "逾", "累计", "共"]
AFTER = ["", "", "余", "多"]
CN_DIGITS = "零一二三四五六七八九"
MENU_ITEMS = ["首页", "新闻动态", "业务工作", "理论园地", "党建窗口", "组织机构", "微信大厅", "政策法规", "统战要闻", "基层动态",
              "图片新闻", "专题专栏", "通知公告", "联系我们", "领导信息", "互动交流", "网上展馆"]
MENU_WITH_NUMBERS = ["{y}两会专题", "庆祝建党100周年", "{y}年主题教育", "第{n}届论坛专题", "{y}年度工作要点"]
SITES = ["统战新闻网", "同心网", "新闻中心", "信息中心", "统一战线网", "统战要闻", "融媒体中心"]
SOURCES = ["市委统战部", "宣传处", "办公室", "综合处", "新闻网", "融媒体中心", "区委统战部"]
AGENCIES = ["新华社", "中新网", "人民网", "本报"]
CLOSERS = ["下一步，{org}将继续{verb}{topic}，推动各项工作再上新台阶。", "与会人员纷纷表示，将以此次{act}为契机，进一步凝聚共识、汇聚力量。",
           "{title}{person}强调，要坚持{topic}与中心工作同部署、同推进。", "活动现场气氛热烈，{n}{unit}群众参与其中。"]
SENTENCES = [
    "{date}，{place}{org}{verb}{topic}{act}，{title}{person}出席并讲话。",
    "{year}年以来，{place}{qual}{num}{after}{unit}{what}，{org}累计{verb}“{brand}”{suffix}{n2}个。",
    "截至{date}，全{level}共有{what}{qual}{num}{after}{unit}，比上年增长{pct}%。",
    "{title}{person}介绍，“{brand}”{suffix}已覆盖{place}{n2}个乡镇（街道），受益群众{cnnum}人。",
    "会上，{person}、{person2}等{n2}名代表人士作交流发言，围绕{topic}提出意见建议{n3}条。",
    "{place}坚持“{brand}”理念，{verb}{topic}，{qual}{mixed}{unit}{what}。",
    "据统计，{year}年{place}新增{what}{num}{unit}，其中{level}级以上{n2}{unit}，占比{pct}%。",
    "同年{m}月，{org}在{place}{town}设立“{brand}”{suffix}，首批吸纳会员{n3}名。",
    "{m}月{d}日，{title}{person}带队赴{place}调研{topic}，走访企业{n2}家。",
    "当天，{org}还组织{n3}名青年代表开展{act}，发放资料{num}余份。",
    "{person}（{title}）表示，将带动{what}{cnnum}{unit}，力争在{year2}年前实现翻番。",
    "目前，{place}已建成{level}级{brand}{suffix}{n2}个、县级{n3}个，培育骨干{num}{after}人。",
]
# Figure-free sentences, longer than the figure ones as real narrative is (60-90 characters): most of a real report.
NARRATIVE = [
    "{org}始终把{topic}作为一项基础性工作来抓，坚持高位推动、系统谋划，不断健全统一领导、部门协同、各方参与的工作格局。",
    "会议指出，做好新形势下的{topic}，对于巩固和发展最广泛的爱国统一战线、凝聚人心汇聚力量具有十分重要的意义。",
    "会议要求，各级{org}要进一步提高政治站位，切实增强做好{topic}的责任感和使命感，在服务大局中展现新担当。",
    "{title}{person}充分肯定了{place}近年来在{topic}方面取得的成效，并就下一步工作提出明确要求。",
    "与会人员结合各自领域和岗位实际，围绕{topic}畅谈学习体会，交流工作思路，现场气氛热烈。",
    "近年来，{place}积极探索{topic}的新路径新方法，着力打造“{brand}”{suffix}，形成了一批可复制、可推广的经验做法。",
    "{org}将以此次{act}为契机，持续深化{topic}，引导广大新的社会阶层人士在推动高质量发展中建功立业。",
    "活动期间，大家实地参观了“{brand}”{suffix}，详细了解{topic}开展情况，并就加强交流合作进行了深入探讨。",
    "{person}表示，作为新的社会阶层人士中的一员，将立足本职岗位，主动建言献策，为家乡发展贡献智慧和力量。",
    "下一步，{org}将进一步完善组织体系和工作机制，推动{topic}与基层社会治理深度融合、同频共振。",
    "本次{act}由{org}主办，有关部门和单位负责同志参加，{title}{person}主持会议。",
    "{title}{person}在讲话中强调，要坚持团结和引导相统一，坚持信任和培养相结合，不断扩大团结面、增强包容性。",
    "大家一致认为，此次{act}主题鲜明、内容丰富、形式新颖，既是一次思想洗礼，也是一次凝聚共识的生动实践。",
    "据悉，{org}自成立以来，坚持政治引领与服务成长并重，持续开展{act}，在团结凝聚各方面人士方面发挥了积极作用。",
    "一是强化政治引领，深入开展理想信念教育；二是搭建平台载体，引导成员参与{topic}；三是加强自身建设，提升服务能力。",
    "{place}各级统战部门积极作为、主动担当，推动{topic}各项任务落地见效，工作呈现出良好态势。",
    "通过{act}，进一步增进了党外人士对党的理论和路线方针政策的政治认同、思想认同和情感认同。",
    "座谈中，大家围绕加强思想政治建设、发挥桥梁纽带作用、服务经济社会发展等方面踊跃发言、建言献策。",
    "会上，{title}{person}传达学习了上级有关会议精神，通报了{org}近期重点工作安排。",
    "{org}负责同志表示，将认真梳理研究大家提出的意见建议，及时推动解决，切实把工作做到人心坎上。",
    "{date}，{org}组织开展{act}，邀请专家学者围绕{topic}作专题辅导，引导大家坚定信心、凝聚共识。",
    "大家纷纷表示，要把学习成果转化为推动工作的实际行动，在{topic}中展现新气象、实现新作为。",
]
#: The share of body sentences drawn from the figure templates, by ``--figures`` (None: every one, as before).
FIGURES = {"real": 0.15, "dense": None}
HEADINGS = ["一、{topic}", "二、突出{brand}引领 凝聚{what}力量", "（一）{verb}{topic}", "（二）强化{act}", "【{brand}{suffix}】",
            "{n2}. 持续{verb}{topic}", "三、{place}经验做法", "【核心提示】"]
RELATED = ["{place}{verb}{act}{date_glued}", "{org}{verb}{topic}{date_glued}", "{place}投入{num}万元支持{what}{date_glued}",
           "{place}{n2}小时完成{act}", "前{n3}名{what}获表彰"]
TAG_DAMAGE = ["<p>", "</p>", "&nbsp;", "<br/>", "</span>", "<span style=\"font-size:16px\">", "&ldquo;", "&rdquo;", "&amp;",
              "<strong>", "</strong>", "<div class=\"TRS_Editor\">", "</div>", "<!--startprint-->", "<img src=\"/u/{n3}.jpg\">"]
PINYIN = {"統": "tǒng", "戰": "zhàn", "區": "qū", "會": "huì", "萬": "wàn", "縣": "xiàn", "經": "jīng", "濟": "jì", "聯": "lián",
          "業": "yè", "發": "fā", "導": "dǎo", "黨": "dǎng", "織": "zhī", "團": "tuán", "書": "shū", "記": "jì"}

_S2T = opencc.OpenCC("s2t")


def _chinese_number(value: int) -> str:
    """``value`` (< 100000) in Chinese numerals (三千五百, 一万二千)."""
    if value == 0:
        return "零"
    parts, zero = [], False
    for unit_value, unit in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, value = divmod(value, unit_value)
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(("" if (unit == "十" and not parts and digit == 1) else CN_DIGITS[digit]) + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


@dataclass
class Kinds:
    """What one document is: its encoding, script, damage and size class."""

    encoding: str = "utf-8"
    script: str = "simplified"
    glosses: bool = False
    tags: bool = False
    large: bool = False


@dataclass
class Summary:
    """What :func:`generate` wrote: files, bytes, and files per encoding, script and size class."""

    files: int = 0
    bytes: int = 0
    encodings: dict[str, int] = field(default_factory=dict)
    scripts: dict[str, int] = field(default_factory=dict)
    large: int = 0


class Report:
    """The text of one synthetic report, drawn from ``rng``; :meth:`paragraphs` yields it piece by piece."""

    def __init__(self, rng: random.Random, kinds: Kinds, target_chars: int, figure_share: float | None = None) -> None:
        self.rng, self.kinds, self.target, self.figure_share = rng, kinds, target_chars, figure_share
        self.year = rng.randint(2015, 2025)
        self.month = rng.randint(1, 12)
        self.day = rng.randint(1, 28)
        self.province = rng.choice(PROVINCES)
        self.city = rng.choice(CITIES)
        self.county = rng.choice(COUNTIES)

    def _person(self) -> str:
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))

    def _place(self) -> str:
        rng = self.rng
        return rng.choice([self.city, self.county, self.province + self.city, self.city + self.county, rng.choice(CITIES),
                           self.county + rng.choice(TOWNS), self.city.rstrip("市"), "全市", "全国"])

    def _date(self) -> str:
        rng = self.rng
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        return rng.choice([f"{self.year}年{month}月{day}日", f"{month}月{day}日", f"{day}日", f"今年{month}月", f"去年{month}月",
                           f"{self.year}年{month}月", f"{self.year} 年 {month} 月 {day} 日", f"{self.year}-{month:02d}-{day:02d}", "当天"])

    def _number(self) -> str:
        rng = self.rng
        return rng.choice([str(rng.randint(2, 999)), str(rng.randint(1000, 99999)), f"{rng.randint(1000, 99999):,}",
                           f"{rng.randint(1, 99)}.{rng.randint(1, 9)}", _chinese_number(rng.randint(2, 99999))])

    def _mixed(self) -> str:
        rng = self.rng
        return rng.choice([f"{rng.randint(1, 99)}.{rng.randint(1, 9)}万", f"{rng.randint(2, 999)}万", f"{rng.randint(1, 50)}亿",
                           f"{rng.randint(2, 9)}千余", f"{_chinese_number(rng.randint(2, 99))}万", f"{rng.randint(1, 9)} 200 万"])

    def fill(self, template: str) -> str:
        """``template`` with every slot drawn from the vocabulary."""
        rng = self.rng
        unit, what = rng.choice(UNITS)
        values = {
            "date": self._date(), "place": self._place(), "org": rng.choice(ORGS), "verb": rng.choice(VERBS),
            "topic": rng.choice(TOPICS), "act": rng.choice(ACTIVITIES), "title": rng.choice(TITLES), "person": self._person(),
            "person2": self._person(), "year": str(rng.randint(2012, self.year)), "year2": str(self.year + rng.randint(1, 5)),
            "qual": rng.choice(QUALIFIERS), "num": self._number(), "after": rng.choice(AFTER), "unit": unit, "what": what,
            "brand": rng.choice(BRANDS), "suffix": rng.choice(BRAND_SUFFIX), "n": str(rng.randint(20, 900)),
            "n2": str(rng.randint(2, 60)), "n3": str(rng.randint(10, 500)), "pct": f"{rng.randint(1, 99)}.{rng.randint(0, 9)}",
            "level": rng.choice(["市", "省", "县", "区"]), "cnnum": _chinese_number(rng.randint(11, 20000)), "mixed": self._mixed(),
            "m": str(rng.randint(1, 12)), "d": str(rng.randint(1, 28)), "town": rng.choice(TOWNS),
            "date_glued": f"{self.year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        }
        return template.format(**values)

    def headline(self) -> str:
        """The report's headline."""
        rng = self.rng
        return rng.choice([f"{self.city}{rng.choice(ORG_PLAIN)}{rng.choice(VERBS)}{rng.choice(TOPICS)}{rng.choice(ACTIVITIES)}",
                           f"凝聚“{rng.choice(BRANDS)}”力量 {self.county}扎实推进{rng.choice(TOPICS)}",
                           f"{self.province}{rng.choice(TOPICS)}综述"])

    def _head(self, title: str) -> list[str]:
        rng = self.rng
        lines = []
        if rng.random() < 0.6:
            lines.append(rng.choice(SITES))
        if rng.random() < 0.7:
            items = rng.sample(MENU_ITEMS, rng.randint(4, 10))
            items.insert(rng.randrange(len(items) + 1), rng.choice(MENU_WITH_NUMBERS).format(y=self.year, n=rng.randint(2, 9)))
            lines.extend(items)
        crumb = rng.choice(["当前位置:首页 > 要闻 > 正文", "首页>>各领域工作>>新阶层>> 内容", "热点问题 >社会民生 >", ""])
        if crumb and rng.random() < 0.3:
            lines.append(crumb + title)
        elif crumb:
            lines.extend([crumb, title])
        else:
            lines.append(title)
        if rng.random() < 0.4:
            lines.append(title[: rng.randint(6, len(title))])
        if rng.random() < 0.7:
            lines.append(f"发布日期:{self.year}-{self.month:02d}-{self.day:02d} 来源:{rng.choice(SOURCES)} 浏览次数:{rng.randint(10, 9999)} 字号:[大][中][小] 打印 关闭")
        if rng.random() < 0.2:
            lines.append(f"sp{self.year + rng.randint(0, 3)}{self.month:02d}{self.day:02d}")
        return lines

    def _tail(self) -> list[str]:
        rng = self.rng
        lines = []
        if rng.random() < 0.3:
            lines.append(rng.choice(["（相关资料图）", f"会议现场 {rng.choice(SITES)} 图", f"记者|{self._person()} 摄"]))
        lines.append(f"责任编辑:{self._person()}")
        if rng.random() < 0.6:
            lines.append(f"上一篇：{self.headline()}")
            lines.append(f"下一篇：{self.headline()}")
        if rng.random() < 0.6:
            lines.append("相关新闻")
            lines.extend(self.fill(rng.choice(RELATED)) for _ in range(rng.randint(2, 6)))
        lines.extend(rng.sample(["分享到：微信 微博 QQ空间", "【打印本页】【关闭窗口】", "扫一扫在手机打开当前页",
                                 f"ICP备{rng.randint(10000000, 99999999)}号", f"公网安备 {rng.randint(10 ** 13, 10 ** 14 - 1)}号",
                                 f"版权所有：{self.city}{rng.choice(ORGS)}"], rng.randint(1, 4)))
        return lines

    def _body_paragraph(self) -> str:
        rng = self.rng
        sentences = [self._sentence() for _ in range(rng.randint(1, 5))]
        if rng.random() < 0.2:
            sentences.append(self.fill(rng.choice(CLOSERS)))
        return "".join(sentences)

    def _sentence(self) -> str:
        rng = self.rng
        if self.figure_share is None or rng.random() < self.figure_share:  # (dense: no draw, so the old bytes)
            return self.fill(rng.choice(SENTENCES))
        return self.fill(rng.choice(NARRATIVE))

    def _table(self) -> list[str]:
        rng = self.rng
        rows = ["地区|企业数|参与人数", "---|---|---"]
        rows += [f"{rng.choice(COUNTIES)}|{rng.randint(3, 300)}|{rng.randint(10, 9000)}" for _ in range(rng.randint(2, 6))]
        return rows

    def paragraphs(self):
        """Yield the report's lines (furniture, headline, dateline, headings, body, tail) until about ``target`` characters."""
        rng = self.rng
        title = self.headline()
        yield from self._head(title)
        if rng.random() < 0.5:
            agency = rng.choice(AGENCIES)
            yield (f"本报讯(记者 {self._person()}) " if agency == "本报" else f"{agency}{self.city.rstrip('市')}{self.month}月{self.day}日电(记者 {self._person()}) ") + self._body_paragraph()
        written, recent = 0, []
        while written < self.target:
            roll = rng.random()
            if roll < 0.12:
                piece = [self.fill(rng.choice(HEADINGS))]
            elif roll < 0.15:
                piece = self._table()
            elif roll < 0.19 and recent:
                piece = rng.choice(recent) * rng.randint(1, 3)  # a CMS repeating a paragraph or a section
            else:
                piece = [self._body_paragraph()]
                recent = (recent + [piece])[-4:]
            for line in piece:
                if self.kinds.tags and rng.random() < 0.3:
                    line = self.fill(rng.choice(TAG_DAMAGE)) + line + self.fill(rng.choice(TAG_DAMAGE))
                if rng.random() < 0.01:
                    line = line.replace("统战", "")  # a site filtering a term
                written += len(line) + 1
                yield line
        yield from self._tail()


def _traditional(line: str, rng: random.Random, glosses: bool) -> str:
    """``line`` in traditional script; with ``glosses``, the damage of a careless converter."""
    line = _S2T.convert(line)
    if glosses:
        line = "".join(f"{c}({PINYIN[c]})" if c in PINYIN and rng.random() < 0.5 else c for c in line)
        line = line.replace("，", "，，" if rng.random() < 0.5 else "，、")
    return line


def document_kinds(rng: random.Random, index: int) -> Kinds:
    """Draw a document's encoding, script and damage: ~8% GBK, ~4% UTF-16, ~10% traditional, a few large ones."""
    kinds = Kinds(large=index % 97 == 41)
    roll = rng.random()
    if roll < 0.10:
        kinds.script, kinds.glosses = "traditional", rng.random() < 0.4
    if 0.10 <= roll < 0.18:
        kinds.encoding = "gbk"
    elif roll >= 0.96:
        kinds.encoding = "utf-16"
    kinds.tags = rng.random() < 0.15
    return kinds


def write_document(path: Path, rng: random.Random, kinds: Kinds, target_chars: int, figure_share: float | None = None) -> int:
    """Write one report to ``path``, line by line through an incremental encoder; return its size in bytes."""
    encoder = codecs.getincrementalencoder(kinds.encoding)()
    size = 0
    with path.open("wb") as handle:
        for line in Report(rng, kinds, target_chars, figure_share).paragraphs():
            if kinds.script == "traditional":
                line = _traditional(line, rng, kinds.glosses)
            data = encoder.encode(line + "\n\n" if rng.random() < 0.5 else line + "\n")
            handle.write(data)
            size += len(data)
        data = encoder.encode("", final=True)
        handle.write(data)
    return size + len(data)


def parse_size(text: str) -> int:
    """``"100MB"``, ``"1GB"``, ``"512KB"`` or a byte count -> bytes (decimal units)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMG]?B?)\s*", text.upper())
    if not match:
        raise ValueError(f"not a size: {text!r} (use e.g. 1MB, 100MB, 1GB)")
    return int(float(match.group(1)) * {"": 1, "B": 1, "K": 1e3, "KB": 1e3, "M": 1e6, "MB": 1e6, "G": 1e9, "GB": 1e9}[match.group(2)])


def generate(folder: Path, size: int, seed: int = 0, figures: str = "real") -> Summary:
    """Write a corpus of about ``size`` bytes (at least ``size``) into ``folder``, deterministically from ``seed``
    and ``figures`` (``real`` or ``dense``: see the module docstring).

    Documents are ``NNNN/rNNNNNNN.txt`` (1000 a folder). Ordinary reports hold 1,000-6,000 characters; every
    97th is large: size/60 bytes, at least 60 KB and at most 5 MB.

    Raises:
        FileExistsError: when ``folder`` exists and is not empty.
        ValueError: when ``figures`` is neither.
    """
    if figures not in FIGURES:
        raise ValueError(f"figures must be one of {', '.join(FIGURES)}, not {figures!r}")
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} is not empty")
    summary = Summary()
    large_chars = min(max(size // 60, 60_000), 5_000_000) // 3
    while summary.bytes < size:
        index = summary.files
        rng = random.Random(f"corpack-bench/{seed}/{index}")
        kinds = document_kinds(rng, index)
        target = large_chars if kinds.large else rng.randint(1000, 6000)
        path = folder / f"{index // 1000:04d}" / f"r{index:07d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        summary.bytes += write_document(path, rng, kinds, target, FIGURES[figures])
        summary.files += 1
        summary.encodings[kinds.encoding] = summary.encodings.get(kinds.encoding, 0) + 1
        summary.scripts[kinds.script] = summary.scripts.get(kinds.script, 0) + 1
        summary.large += kinds.large
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("folder", type=Path, help="empty or new folder to write the corpus into")
    parser.add_argument("--size", default="10MB", help="about how much raw text: 1MB .. 1GB (default 10MB)")
    parser.add_argument("--seed", type=int, default=0, help="same seed and size, same bytes (default 0)")
    parser.add_argument("--figures", choices=list(FIGURES), default="real",
                        help="real: one body sentence in seven holds figures, as dense as the bundled reports; dense: all of them, "
                             "the corpus of the benchmarks before 2026-12-02 (default real)")
    args = parser.parse_args()
    summary = generate(args.folder, parse_size(args.size), args.seed, args.figures)
    print(f"{summary.files} files, {summary.bytes / 1e6:.1f} MB; encodings {summary.encodings}; scripts {summary.scripts}; large {summary.large}")


if __name__ == "__main__":
    main()
