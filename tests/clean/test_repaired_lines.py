"""Shortcuts of the cleaning steps: the lines of a text with no repair, damaged-gloss or tag mark are only
stripped, as each step would leave them (clean._repaired_lines); a text with no toned vowel has no gloss (#13)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean import _repaired_lines, glosses, markup, repair
from corpack.clean.normalise import normalise

_TEXT = st.lists(
    st.sampled_from(["統", "某某", "a", " ", "\u3000", "\n", "。", ">", "/", "span", "p", "?", "tǒng)", "<", "&", "amp;", ";",
                     "/span>", "<b>", "&nbsp;", "\u00a0", "%"]),
    max_size=30,
).map("".join)


def _line_by_line(text: str, opening: bool) -> tuple[list[tuple[str, int, int]], int, int]:
    """Every step run on every line (the code before the shortcut)."""
    out, html, controls = [], 0, 0
    for raw in text.split("\n"):
        fixed, repaired, unrecoverable = repair.repair_line(raw, opening=opening)
        unrecoverable += glosses.count_damaged(fixed)
        stripped, html_count = markup.strip_tags(fixed)
        html += html_count
        for part in stripped.split("\n"):
            if html_count:
                part, dropped = normalise(part)
                controls += dropped
            out.append((part.strip(), repaired, unrecoverable))
            repaired = unrecoverable = 0
    return out, html, controls


@settings(max_examples=800, deadline=None)
@given(_TEXT, st.booleans())
def test_repaired_lines_are_those_of_each_step_line_by_line_13(text, opening):
    counts = {"html_removed": 0, "control_chars_removed": 0}
    lines = _repaired_lines(text, opening, counts)
    assert (lines, counts["html_removed"], counts["control_chars_removed"]) == _line_by_line(text, opening)


def test_a_text_without_marks_is_only_stripped_13():
    counts = {"html_removed": 0, "control_chars_removed": 0}
    assert _repaired_lines(" 某某。\n\n\u3000统战 ", False, counts) == [("某某。", 0, 0), ("", 0, 0), ("统战", 0, 0)]
    assert counts == {"html_removed": 0, "control_chars_removed": 0}


_GLOSSY = st.lists(st.sampled_from(["統", "區", "(", ")", "（", "）", "tong", "tǒng", "qū", "ǚ", "a", "ɡ", "?", "\n", " "]), max_size=30).map("".join)


@settings(max_examples=800, deadline=None)
@given(_GLOSSY)
def test_a_text_without_a_toned_vowel_holds_no_gloss_13(text):
    """glosses.repair_glosses passes over a text holding none of the toned vowels: the gloss pattern needs one."""
    if not any(toned in text for toned in glosses._TONED):
        assert glosses.GLOSS.search(text) is None and glosses.DAMAGED.search(text) is None
        assert glosses.repair_glosses(text) == (text, 0)
