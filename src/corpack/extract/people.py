"""People: named persons with the role the text gives them.

Person names are found by the ``jieba`` part-of-speech tagger (tags ``nr*``, 2 to 4 Chinese characters). A
name is kept when the text attaches a role to it:

- before it, the run of words back to the previous clause boundary ending in a title word
  (部长, 主席, 团长, 书记, 编辑, 代表, ...): 中央统战部部长尤权, 省新阶联主席陈志强;
- or a title Chinese puts after a name right after it (总书记, 书记, 主席, 部长, 同志): 习近平总书记;
- or an election or appointment right after it: 张华当选会长, 李四担任秘书长.

A later mention of the same name without a role takes the role given earlier in the document. Names with no
role anywhere in the document are logged as skipped, not guessed.
"""

from __future__ import annotations

import logging
import re
import warnings

from corpack.extract import Document

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import jieba
    import jieba.posseg

jieba.setLogLevel(logging.WARNING)

TITLES = (
    "总书记", "书记", "部长", "副主席", "主席", "会长", "团长", "监事长", "理事长", "秘书长", "主任", "局长", "厅长",
    "市长", "省长", "区长", "县长", "委员", "代表", "总经理", "董事长", "负责人", "编辑", "记者", "院长", "校长",
    "处长", "科长", "社长", "总裁", "创始人", "教授", "律师",
)
_ROLE_BEFORE = re.compile(r"(?P<role>[^，,。；;！？!?：:“”（）()《》\n]{0,40}?(?:" + "|".join(TITLES) + r"))$")
# After a name only the titles Chinese puts there (习近平总书记, 王某书记); 代表 after a word is a noun.
TITLES_AFTER = ("总书记", "书记", "主席", "副主席", "部长", "委员长", "总理", "同志")
_ROLE_AFTER = re.compile(
    r"^(?:" + "|".join(TITLES_AFTER) + r")|^(?:当选为?|担任|出任)(?P<elected>[^，,。；;！？!?]{0,12}?(?:" + "|".join(TITLES) + r"))"
)
_CJK = re.compile(r"^[\u4e00-\u9fff]{2,4}$")


def extract(doc: Document) -> list[dict]:
    """Return the ``people`` rows of one document."""
    rows: list[dict] = []
    roles: dict[str, str] = {}
    pending: list[tuple[int, int, int, str]] = []
    text = doc.text
    for para_no, _kind, lo, hi, _u in doc.paragraphs:
        pos = lo
        for token in jieba.posseg.cut(text[lo:hi]):
            start, end = pos, pos + len(token.word)
            pos = end
            if not token.flag.startswith("nr") or not _CJK.match(token.word):
                continue
            before = _ROLE_BEFORE.search(text[lo:start])
            after = _ROLE_AFTER.match(text[end:hi])
            role = before.group("role").lstrip("、") if before else (after.group("elected") or after.group(0)) if after else None
            if role:
                roles.setdefault(token.word, role)
            pending.append((para_no, start, end, role))
    for para_no, start, end, role in pending:
        name = text[start:end]
        role = role or roles.get(name)
        if not role:
            doc.skipped.append(("people", name, "no role in the document"))
            continue
        rows.append({"person_id": doc.row_id(start, end), **doc.rows_base(para_no, start, end), "name": name, "role": role})
    return rows
