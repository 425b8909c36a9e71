"""Joining hard-wrapped lines, marking kinds, and dropping repeats."""

from __future__ import annotations

from corpack.clean import clean
from corpack.clean.dedupe import dedupe
from corpack.clean.paragraphs import Line, Paragraph, assign_kinds, is_heading_like, join_lines


def _texts(paragraphs):
    return [p.text for p in paragraphs]


def test_line_broken_inside_a_sentence_is_joined():
    lines = [Line("他们逐步梳理出工作模式。“标准化是企业发展法宝，也同", 0), Line("样适用于组织建设，取得了成效。", 1)]
    paragraphs, joined = join_lines(lines)
    assert _texts(paragraphs) == ["他们逐步梳理出工作模式。“标准化是企业发展法宝，也同样适用于组织建设，取得了成效。"]
    assert joined == 1


def test_narrow_column_wrap_is_joined_across_several_lines():
    lines = [Line(t, 1) for t in ["在服务经济发展上，有“彩虹”创业", "导师团为企业提供咨询、培训、", "融资辅导等服务，目前", "已孵化企业百余家；在过去两年", "里捐赠物资多批。"]]
    paragraphs, joined = join_lines(lines)
    assert _texts(paragraphs) == ["在服务经济发展上，有“彩虹”创业导师团为企业提供咨询、培训、融资辅导等服务，目前已孵化企业百余家；在过去两年里捐赠物资多批。"]
    assert joined == 4


def test_headings_lists_and_notes_are_not_joined():
    lines = [Line(t, 1) for t in ["探索破局 填补空白", "“四有五好”赢在起跑线，“标准化”成为关键词", "正文第一句话写在这里，内容完整。", "北京、天津、上海、重庆、大连", "推广城市名单", "(15个)"]]
    paragraphs, joined = join_lines(lines)
    assert joined == 0 and len(paragraphs) == 6


def test_kinds_title_subtitle_heading_caption_body():
    text = "\n".join(
        [
            "凝聚新力量 展现新担当",
            "",
            "——某市新的社会阶层人士统战工作综述",
            "",
            "",
            "",
            "某基地重点项目在高新区举行揭牌仪式。",
            "",
            "正文第一段，讲述了全市的工作情况，内容比较长，远远超过一个标题应有的长度。",
            "",
            "突出分类指导",
            "",
            "正文第二段。",
            "",
            "■活动现场。",
            "",
            "会议现场 微信公众号某某 图",
        ]
    )
    kinds = [(p.kind, p.text[:6]) for p in clean(text).paragraphs]
    assert kinds == [
        ("title", "凝聚新力量 "),
        ("title", "——某市新的"),
        ("caption", "某基地重点项"),
        ("body", "正文第一段，"),
        ("heading", "突出分类指导"),
        ("body", "正文第二段。"),
        ("caption", "■活动现场。"),
        ("caption", "会议现场 微"),
    ]


def test_wide_gaps_are_not_captions_when_every_gap_is_wide():
    text = "\n\n\n".join(["标题", "第一段。", "短句。", "第三段。"])
    assert [p.kind for p in clean(text).paragraphs] == ["title", "body", "body", "body"]


def test_heading_like():
    assert is_heading_like("“组织起来”")
    assert is_heading_like("附:")
    assert not is_heading_like("（宗青）")
    assert not is_heading_like("北京、天津、上海")
    assert not is_heading_like("这是一句完整的话。")


def test_dedupe_keeps_first_and_counts_copies():
    paragraphs = [Paragraph(t) for t in ["A", "B", "A", "C", "A", "B"]]
    kept, removed = dedupe(paragraphs)
    assert [(p.text, p.copies) for p in kept] == [("A", 3), ("B", 2), ("C", 1)]
    assert removed == 3


def test_assign_kinds_on_empty_list_is_a_no_op():
    assign_kinds([])
