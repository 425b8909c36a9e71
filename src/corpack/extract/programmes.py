"""Programmes: named brands, bases, campaigns, activities and organisations given in quotation marks.

A name is the text inside “…” (2 to 16 characters, no sentence or list punctuation: quoted speech and
slogans listing several phrases are not names). Its kind comes from the words right after the closing quote (up to 16, within the clause),
else from the end of the name itself:

- base: 基地, 阵地, 示范点, 园区, 驿站; brand: 品牌; campaign: 行动, 计划, 工程, 专项;
- activity: 活动, 比赛, 大赛, 论坛, 讲坛, 沙龙, 宣讲, 直播; organisation: 联盟, 协会, 联谊会, 服务团,
  服务队, 商会, 中心, 之家, 工作室;
- other: none of these.

One row per name and document, at its first mention, with the number of mentions; the kind is the first
one any mention gives. Quoted slogans and catchwords that no programme word follows stay ``other``.
"""

from __future__ import annotations

import re

from corpack.extract import Document

_NAME = re.compile(r"“(?P<name>[^“”，,。；;！？!?：:、\n]{2,16})”")
_KINDS = (
    ("base", re.compile(r"基地|阵地|示范点|园区|驿站")),
    ("brand", re.compile(r"品牌")),
    ("campaign", re.compile(r"行动|计划|工程|专项")),
    ("activity", re.compile(r"活动|比赛|大赛|论坛|讲坛|沙龙|宣讲|直播")),
    ("organisation", re.compile(r"联盟|协会|联谊会|服务团|服务队|商会|中心|之家|工作室")),
)
# The kinds' words in one pattern, the kinds in the order of their names: its leftmost match is the earliest
# hit of any kind, and at one place the alternatives are tried in that order, so it is the least (start, kind)
# of the kinds' own first hits, as min() of them gives (one search instead of five).
_ANY_KIND = re.compile("|".join(f"(?P<{kind}>{pattern.pattern})" for kind, pattern in sorted(_KINDS)))
_AFTER_WINDOW = 16
_CLAUSE_END = re.compile(r"[，,。；;！？!?、“]")


def _classify(name: str, after: str) -> str:
    """The kind of a quoted ``name`` from the words ``after`` it (at least :data:`_AFTER_WINDOW` characters of
    them, when the paragraph has that many: no more are read), else from the name itself."""
    window = _CLAUSE_END.split(after[:_AFTER_WINDOW], maxsplit=1)[0]
    for text in (window, name):
        hit = _ANY_KIND.search(text)
        if hit:
            return hit.lastgroup
    return "other"


def extract(doc: Document) -> list[dict]:
    """Return the ``programmes`` rows of one document."""
    first: dict[str, dict] = {}
    text, shadow = doc.text, doc.shadow
    for para in doc.prose:
        para_no, hi = para.no, para.end
        for m in _NAME.finditer(shadow, para.start, hi):
            name = text[m.start("name") : m.end("name")]
            if name in first:
                first[name]["mentions"] += 1
                if first[name]["kind"] == "other":
                    first[name]["kind"] = _classify(m.group("name"), shadow[m.end() : min(hi, m.end() + _AFTER_WINDOW)])
                continue
            start, end = m.start("name"), m.end("name")
            first[name] = {
                "programme_id": doc.row_id(start, end),
                **doc.rows_base(para_no, start, end),
                "name": name,
                "kind": _classify(m.group("name"), shadow[m.end() : min(hi, m.end() + _AFTER_WINDOW)]),
                "first_para_no": para_no,
                "mentions": 1,
            }
    return list(first.values())
