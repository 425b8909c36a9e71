"""The year pattern looks back after its 19 or 20 (#13), so the regex engine skips to a 1 or 2 by itself: it
finds what the pattern looking back first found, in any text and any part of one."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import years
from tests.extract.helpers import draw_span

_BEFORE_FIRST = re.compile(r"(?<![-–—~至0-9])((?:19|20)[0-9]{2}) ?年(?!代)")  # the pattern before #13's change
_CHARACTERS = st.sampled_from(list("1290８ 年代-–—~至到初\n的") + ["19", "20", "2019", "1998年", "2020年代"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_CHARACTERS, max_size=25), st.data())
def test_the_year_pattern_finds_what_it_found_looking_back_first_13(pieces, data):
    text = "".join(pieces)
    pos, endpos = draw_span(data, text)
    found = [(m.span(), m.groups()) for m in years._YEAR.finditer(text, pos, endpos)]
    assert found == [(m.span(), m.groups()) for m in _BEFORE_FIRST.finditer(text, pos, endpos)]
    assert years._YEAR.findall(text, pos, endpos) == _BEFORE_FIRST.findall(text, pos, endpos)


def test_a_year_after_a_digit_or_a_dash_is_none_13():
    assert years._YEAR.findall("2018-2020年，12019年，至2021年，2022年代，2023 年") == ["2023"]
