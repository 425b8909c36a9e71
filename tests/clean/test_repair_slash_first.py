"""The closing-tag remnants of a line are found from their slash, the opening ones from their name, and repaired as the patterns opening with the
character before them repaired them (#13)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.clean import repair

_TEXT = st.lists(
    st.sampled_from(["了", "亅", "。", "、", "?", "a", "Z", "1", "<", "/", "//", "span", "SPAN", "p", "b1", "br", "xyz", ">", " ", "\n",
                     "\t", "/span>", "</p>", "?/p>", "/ b>", "/b >", "<a href=\"x\">", "p>0.05", "ab/"]),
    max_size=25,
).map("".join)


def _former(line: str, opening: bool) -> tuple[str, int, int]:
    """repair_line as it was: the closing pattern substituted over the whole line."""
    counts = [0, 0]
    fix = repair.remnant_fix(counts)
    line = repair._CLOSING.sub(fix, line)
    if opening:
        line = repair._OPENING.sub(fix, line)
    return line, counts[0], counts[1]


@settings(max_examples=500, deadline=None)
@given(_TEXT, st.booleans())
def test_a_line_is_repaired_as_the_closing_pattern_substituted_over_it_repaired_it_13(line, opening):
    assert repair.repair_line(line, opening=opening) == _former(line, opening)


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_the_remnants_found_from_their_slash_are_the_pattern_matches_13(line):
    spans = []
    repair._closing_replaced(line, lambda match: spans.append((match.span(), match.group("char"), match.group("name"))) or "")
    assert spans == [(m.span(), m.group("char"), m.group("name")) for m in repair._CLOSING.finditer(line)]


@settings(max_examples=500, deadline=None)
@given(_TEXT)
def test_the_opening_remnants_found_from_their_name_are_the_pattern_matches_13(line):
    spans = []
    repair._opening_replaced(line, lambda match: spans.append((match.span(), match.group("char"), match.group("name"), match.group("attrs"))) or "")
    assert spans == [(m.span(), m.group("char"), m.group("name"), m.group("attrs")) for m in repair._OPENING.finditer(line)]
