"""People: named persons with the role the text gives them.

Person names are found by the part-of-speech tagger of ``rjieba`` (the Rust port of jieba, same dictionary
and tags; tags ``nr*``, 2 to 4 Chinese characters). A name is kept when the text attaches a role to it:

- before it, the run of words back to the previous clause boundary ending in a title word
  (部长, 主席, 团长, 书记, 编辑, 代表, ...): 中央统战部部长尤权, 省新阶联主席陈志强;
- or a title Chinese puts after a name right after it (总书记, 书记, 主席, 部长, 同志): 习近平总书记;
- or an election or appointment right after it: 张华当选会长, 李四担任秘书长.

Only sentences holding a title word are tagged (tagging is the slow part). Every other mention of a name
that got a role in the document takes that role; names with no role anywhere are not rows.
"""

from __future__ import annotations

import re

import ahocorasick
import rjieba

from corpack.extract import SENTENCE_END, Document
from corpack.extract.gazetteer import LAST_WORD_STOP, WORD_STOP

TITLES = (
    "总书记", "书记", "部长", "副主席", "主席", "会长", "团长", "监事长", "理事长", "秘书长", "主任", "局长", "厅长",
    "市长", "省长", "区长", "县长", "委员", "代表", "总经理", "董事长", "负责人", "编辑", "记者", "院长", "校长",
    "处长", "科长", "社长", "总裁", "创始人", "教授", "律师",
)
_ROLE_CHARS = r"[^，,。；;！？!?：:“”（）()《》\n]"  # what the words of a role before a name may hold
_ROLE_BEFORE = re.compile(r"(?P<role>" + _ROLE_CHARS + r"{0,40}?(?:" + "|".join(TITLES) + r"))$")
# After a name only the titles Chinese puts there (习近平总书记, 王某书记); 代表 after a word is a noun.
TITLES_AFTER = ("总书记", "书记", "主席", "副主席", "部长", "委员长", "总理", "同志")
_ROLE_AFTER = re.compile(
    r"^(?:" + "|".join(TITLES_AFTER) + r")|^(?:当选为?|担任|出任)(?P<elected>[^，,。；;！？!?]{0,12}?(?:" + "|".join(TITLES) + r"))"
)
_CJK = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_ANY_TITLE = re.compile("|".join(TITLES))
_TITLE_SET = frozenset(TITLES)
_TITLE_LENGTHS = sorted({len(title) for title in TITLES}, reverse=True)
_ROLE_WORDS = re.compile(_ROLE_CHARS + r"*\Z")
# How far the role after a name can reach (当选为, 12 characters and a title): it is matched on that much of
# the sentence, not all the rest of it (the same match: the pattern looks no further).
_AFTER_REACH = len("当选为") + 12 + max(map(len, TITLES + TITLES_AFTER))


def _sentences(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    spans, start = [], lo
    for m in SENTENCE_END.finditer(text, lo, hi):
        spans.append((start, m.end()))
        start = m.end()
    if start < hi:
        spans.append((start, hi))
    return spans


# What a name's role is read from, all next to the name: a title ending right before it (role_before), a title
# after it or an election (_ROLE_AFTER's first words).
_ROLE_KEYS = re.compile("|".join(dict.fromkeys(TITLES + TITLES_AFTER + ("当选", "担任", "出任"))))


def title_blocks(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """The blocks of the sentence ``text[lo:hi]`` (the words between two :data:`~corpack.extract.gazetteer.WORD_STOP`
    marks) that hold a title or an election word: the only blocks where a name can have a role, as the words a role
    is read from touch the name (a newline between them is no mark). rjieba tags a block's words as it tags them in
    the sentence (it segments runs of Han characters, letters and digits one by one and gives every mark a word of
    its own), so tagging these blocks alone finds the sentence's names with a role.

    Found from the role words (no mark is in a word): each one's block, from the mark before it to the mark after."""
    blocks: list[tuple[int, int]] = []
    taken = lo  # the end of the last block given
    for key in _ROLE_KEYS.finditer(text, lo, hi):
        if key.start() < taken:
            continue  # in the block given last
        before = LAST_WORD_STOP.match(text, lo, key.start())
        after = WORD_STOP.search(text, key.end(), hi)
        taken = after.start() if after else hi
        blocks.append((before.end() if before else lo, taken))
    return blocks


def role_before(text: str, lo: int, pos: int) -> tuple[int, int] | None:
    """The span of the role right before a name at ``pos`` in the sentence ``text[lo:...]``: the span
    :data:`_ROLE_BEFORE` matches in ``text[lo:pos]``, found without trying the pattern at every place.

    A match ends where ``text[lo:pos]`` does (or before its final newline) with a title; it starts at the
    first of the up to 40 role characters before the longest title ending there (a shorter one allows fewer).
    """
    end = pos - 1 if pos > lo and text[pos - 1] == "\n" else pos
    for length in _TITLE_LENGTHS:
        if end - length >= lo and text[end - length : end] in _TITLE_SET:
            title = end - length
            return _ROLE_WORDS.search(text, max(lo, title - 40), title).start(), end
    return None


def extract(doc: Document) -> list[dict]:
    """Return the ``people`` rows of one document."""
    roles: dict[str, str] = {}
    pending: list[tuple[int, int, int, str]] = []
    text = doc.shadow  # names, titles and offsets are read in the simplified shadow; quotes come from doc.text
    for para in doc.prose:
        para_no = para.no
        if not _ANY_TITLE.search(text, para.start, para.end):
            continue  # (no sentence of it holds a title: a title holds no sentence end)
        for slo, shi in _sentences(text, para.start, para.end):
            if not _ANY_TITLE.search(text, slo, shi):
                continue  # tagging is costly; a name without a title nearby gets its role from elsewhere
            for blo, bhi in title_blocks(text, slo, shi):
                at = blo  # each word's start in the text
                for word, flag in rjieba.tag(text[blo:bhi]):
                    start = at
                    at = end = start + len(word)
                    if flag[:2] != "nr" or not _CJK.match(word):
                        continue
                    before = role_before(text, slo, start)
                    if before:
                        role = doc.text[before[0] : before[1]].lstrip("、")
                    elif after := _ROLE_AFTER.match(text[end : min(shi, end + _AFTER_REACH)]):
                        group = "elected" if after.group("elected") else 0
                        role = doc.text[end + after.start(group) : end + after.end(group)]
                    else:
                        role = None  # the role is cut from documents.text, so it reads as published
                    if role:
                        roles.setdefault(word, role)
                        pending.append((para_no, start, end, role))
    # Later mentions of a name that got a role, in sentences without a title.
    seen = {(start, end) for _p, start, end, _r in pending}
    if roles:
        # One automaton over every name (a regular expression alternating thousands of names, as a long
        # document has, costs time per name at every character): the longest name at the leftmost place.
        names = ahocorasick.Automaton()
        for name in roles:
            names.add_word(name, len(name))
        names.make_automaton()
        for para in doc.prose:  # the paragraph, not the text with bounds: pyahocorasick copies what it is given
            for last, length in names.iter_long(text[para.start : para.end]):
                span = (para.start + last + 1 - length, para.start + last + 1)
                if span not in seen:
                    pending.append((para.no, *span, None))
    pending.sort(key=lambda item: item[1])
    return [
        {"person_id": doc.row_id(start, end), **doc.rows_base(para_no, start, end), "name": doc.text[start:end], "role": role or roles[text[start:end]]}
        for para_no, start, end, role in pending
    ]
