"""Division names found by the Rust automaton (ahocorasick_rs, #13) are those cpca_new's own matcher finds
with pyahocorasick: the same names, spans and divisions, for texts dense with names run together."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.extract import gazetteer

_NAMES = sorted(gazetteer._AUTOMATON.keys())


def _by_the_matcher(text: str) -> list[tuple[int, int, list]]:
    """What cpca_new's ``Matcher.iter`` yields, as ``(start, end, divisions)`` (end exclusive)."""
    return [(m.start_index, m.end_index + 1, m.attr_infos) for m in gazetteer.cpca_new.matcher.iter(text)]


def _same(text: str) -> None:
    found = gazetteer._matches(text)
    expected = _by_the_matcher(text)
    assert [(s, e) for s, e, _ in found] == [(s, e) for s, e, _ in expected], text
    assert all(a is b for (_, _, a), (_, _, b) in zip(found, expected)), text


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_NAMES), st.sampled_from(list("，。、市区县省州 12和的新"))), max_size=30))
def test_names_run_together_are_found_as_the_matcher_finds_them_13(parts):
    _same("".join(parts))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(sorted({ch for name in _NAMES[::7] for ch in name}) + list("，。 a1")), max_size=60))
def test_any_text_of_name_characters_gives_the_matchers_names_13(text):
    _same(text)


def test_a_short_form_and_its_full_name_give_the_full_name_13():
    found = gazetteer._matches("北京市朝阳区和北京")
    assert [(s, e) for s, e, _ in found] == [(0, 3), (3, 6), (7, 9)]
    _same("北京市朝阳区和北京")


def test_a_text_holding_a_lone_surrogate_gives_the_matchers_names_13():
    """ahocorasick_rs takes only text that encodes as UTF-8; such a text is walked by pyahocorasick instead."""
    _same("\ud800北京市朝阳区，\udcff上海")
    assert [(s, e) for s, e, _ in gazetteer._matches("\ud800北京市")] == [(1, 4)]
