"""Pattern constraints mean what Python's ``re.fullmatch`` says, though Arrow's RE2 checks them (#5).

RE2 and Python's ``re`` read the same pattern differently (see :mod:`dpcheck.patterns`). The cases
below pin each difference found: what RE2 alone says (so a change in Arrow's RE2 shows up here) and that
:func:`~dpcheck.patterns.mismatches` says what Python says.
"""

from __future__ import annotations

import json
import re
import warnings
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from dpcheck.patterns import fixed_width, mismatches, to_re2
from tests.validate.test_differential import corpack_errors, frictionless_errors

ERROR = "error"

# (pattern, value, Python's re.fullmatch, RE2 on ^(?:pattern)$ as we used to call it): each a dialect difference
DIFFERENCES = [
    (r"\d+", "１２３", True, False),  # full-width digits: \d is Unicode in Python, ASCII in RE2
    (r"\d+", "١٢٣", True, False),  # Arabic-Indic digits
    (r"\D", "１", False, True),
    (r"[\d]", "٣", True, False),
    (r"[^\d]", "１", False, True),
    (r"\w+", "中文", True, False),
    (r"\w+", "é_ª²Ⅳ", True, False),  # letters, digits and numbers of any script, and "_"
    (r"\W", "中", False, True),
    (r"[\w-]+", "上海-1", True, False),
    (r"\s", "\u00a0", True, False),  # no-break space
    (r"\s", "\u3000", True, False),  # ideographic space
    (r"\s", "\x0b", True, False),  # vertical tab
    (r"\s", "\x1c", True, False),  # information separators count as space in Python
    (r"\s", "\u2028", True, False),
    (r"\S", "\u3000", False, True),
    (r"[a-z\s]+", "a\u00a0b", True, False),
    (r"\bé", "é", True, False),  # word boundaries are Unicode in Python, ASCII in RE2
    (r"中\b", "中", True, False),
    (r".\B.", "中a", True, False),
    (r"\B", "", False, True),
    (r"a$\n", "a\n", True, False),  # Python's $ also matches before a final newline
    (r"a\Z", "a", True, ERROR),
    (r"(?i)i", "İ", True, False),  # Python folds dotted and dotless i with i, RE2 does not
    (r"(?i)I", "ı", True, False),
    (r"(?i)[a-z]+", "İı", True, False),
    (r"a{,3}", "aa", True, False),  # {,n} is a repeat in Python, literal text in RE2
    (r"a{,3}", "a{,3}", False, True),
    (r"a{1001}", "a" * 1001, True, ERROR),  # RE2 repeats at most 1000 times
    (r"(?P<y>\d{4})-(?P=y)", "2021-2021", True, ERROR),  # back-references
    (r"(\d)\1", "11", True, ERROR),
    (r"\d+(?=px)px", "12px", True, ERROR),  # look-around
    (r"(?<!-)\d+", "12", True, ERROR),
    (r"(?>a+)b", "aab", True, ERROR),  # atomic groups and possessive repeats
    (r"a++b", "aab", True, ERROR),
    (r"\u00e9", "é", True, ERROR),  # escapes only Python knows
    (r"\N{DIGIT ONE}", "1", True, ERROR),
    (r"(?x) \d + # digits", "12", True, ERROR),  # verbose mode and comments
    (r"(?#note)a", "a", True, ERROR),
    (r"(?a)\w", "中", False, ERROR),  # ASCII-only classes
    (r"\pL", "a", ERROR, True),  # escapes only RE2 knows: Python refuses them
    (r"\p{Han}", "中", ERROR, True),
    (r"\z", "z", ERROR, False),
    (r"\Q.\E", ".", ERROR, True),
    (r"(?<n>a)", "a", ERROR, True),
    (r"[[:digit:]]", "1", False, True),  # a POSIX class in RE2, a set of ":[dgit" then "]" in Python
]


def re2_says(pattern: str, value: str) -> bool | str:
    try:
        return pc.match_substring_regex(pa.array([value]), f"^(?:{pattern})$")[0].as_py()
    except pa.ArrowInvalid:
        return ERROR


def python_says(pattern: str, value: str) -> bool | str:
    try:
        return re.fullmatch(pattern, value) is not None
    except re.error:
        return ERROR


@pytest.mark.parametrize(("pattern", "value", "python", "re2"), DIFFERENCES)
def test_dialect_difference_follows_python_5(pattern: str, value: str, python: bool | str, re2: bool | str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "[[" may one day start a nested set in Python
        assert (python_says(pattern, value), re2_says(pattern, value)) == (python, re2)
        values = pa.chunked_array([pa.array([value, None])])
        if python == ERROR:
            with pytest.raises(ValueError, match="not a valid regular expression"):
                mismatches(values, pattern)
        else:
            assert mismatches(values, pattern).to_pylist() == [not python, None]


EVERY_TEXT = "".join(map(chr, [*range(0xD800), *range(0xE000, 0x110000)]))  # every code point but surrogates
EVERY_CHARACTER = pa.array(list(EVERY_TEXT))


@pytest.mark.parametrize(("flags", "one"), [("", r"\d"), ("", r"\w"), ("", r"\s"), ("", r"\D"), ("", r"[^\w\s]"), ("", "."),
                                           ("(?i)", r"\w"), ("(?i)", r"[^\W\d]"), ("(?i)", "[a-z]"), ("(?i)", "[^k]"),
                                           ("(?i)", "ſ"), ("(?a)", r"\w"), ("(?ai)", r"[a-z\s]")])
def test_one_character_patterns_agree_on_every_code_point_5(flags: str, one: str) -> None:
    # Python's own Unicode tables and case folding decide (RE2's tables are of another Unicode version).
    python = np.zeros(len(EVERY_TEXT), dtype=bool)
    for run in re.finditer(f"{flags}(?:{one})+", EVERY_TEXT):
        python[run.start():run.end()] = True
    ours = pc.invert(mismatches(EVERY_CHARACTER, flags + one)).to_numpy(zero_copy_only=False)
    assert to_re2(flags + one) is not None
    assert np.array_equal(ours, python), [hex(ord(EVERY_TEXT[i])) for i in np.flatnonzero(ours != python)[:10]]


# The grammar: pieces a schema author might write, and characters on which the dialects disagree.
CHARACTERS = ["a", "b", "i", "k", "s", "A", "I", "K", "é", "É", "中", "_", "1", "１", "٣", "²", " ", "\u00a0", "\u3000",
              "\n", "\x0b", "-", ".", "ı", "İ", "\u212a", "ſ"]
ESCAPES = [r"\d", r"\w", r"\s", r"\D", r"\W", r"\S", ".", r"\\d"]
ZERO_WIDTH = ["^", "$", r"\A", r"\Z", r"\b", r"\B"]
CLASS_ITEMS = ["a-z", "0-9", "A-Z", "à-ÿ", r"\d", r"\w", r"\s", r"\D", r"\W", r"\S", r"\\d"] + [re.escape(c) for c in CHARACTERS]
QUANTIFIERS = ["", "", "", "*", "+", "?", "{2}", "{1,2}", "{,2}", "{2,}", "*?", "+?", "{1,3}?", "*+", "++"]
GROUPS = ["({})", "(?:{})", "(?P<g>{})", "(?i:{})", "(?-i:{})", "(?s:{})", "(?=.{})", "(?!{})", "(?<=a{})", "(?>{})"]
FLAGS = ["", "", "", "(?i)", "(?s)", "(?m)", "(?a)", "(?ai)", "(?ms)"]

character_class = st.builds(lambda negate, items: "[" + negate + "".join(items) + "]", st.sampled_from(["", "^"]),
                            st.lists(st.sampled_from(CLASS_ITEMS), min_size=1, max_size=3))
atom = st.one_of(st.sampled_from(CHARACTERS).map(re.escape), st.sampled_from(ESCAPES), character_class)
regex = st.recursive(
    st.builds(str.__add__, atom, st.sampled_from(QUANTIFIERS)) | st.sampled_from(ZERO_WIDTH) | st.just(r"\1"),
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=3).map("".join),
        st.builds(lambda a, b: f"{a}|{b}", inner, inner),
        st.builds(lambda group, body, q: group.format(body) + q, st.sampled_from(GROUPS), inner, st.sampled_from(QUANTIFIERS[:7])),
    ),
    max_leaves=6,
)


def compiles(pattern: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            re.compile(pattern)
    except (re.error, Warning):
        return False
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(st.data(), st.builds(str.__add__, st.sampled_from(FLAGS), regex).filter(compiles))
def test_mask_is_not_fullmatch_5(data: st.DataObject, pattern: str) -> None:
    values = data.draw(st.lists(st.text(st.sampled_from(CHARACTERS), max_size=4), min_size=1, max_size=20)) + [None]
    expected = [None if v is None else re.fullmatch(pattern, v) is None for v in values]
    event("some value matches" if False in expected else "no value matches")
    event("RE2" if to_re2(pattern) else "Python")
    arr = pa.array(values, pa.string())
    assert mismatches(arr, pattern).to_pylist() == expected
    translated = to_re2(pattern)
    if translated is not None:  # the rewrite alone, without the fallback
        assert pc.invert(pc.match_substring_regex(arr, translated)).to_pylist() == expected


def test_full_width_digits_meet_a_digit_pattern_as_in_frictionless_5(tmp_path: Path) -> None:
    (tmp_path / "codes.csv").write_text("code,word\n123,中文\n１２３,é\n12a,a b\n٣,x\u00a0y\n", encoding="utf-8")
    fields = [{"name": "code", "type": "string", "constraints": {"pattern": r"\d+"}},
              {"name": "word", "type": "string", "constraints": {"pattern": r"\w+"}}]
    descriptor = {"name": "codes", "resources": [{"name": "codes", "path": "codes.csv", "schema": {"fields": fields}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    ours = corpack_errors(tmp_path)
    assert ours == frictionless_errors(tmp_path)
    assert ours == {("codes", "constraint-error", 4, "code"), ("codes", "constraint-error", 4, "word"),
                    ("codes", "constraint-error", 5, "word")}


# Fixed-width ASCII patterns (an identifier such as s[0-9]{8}) are checked over the column's bytes, without RE2 (#14).
FIXED_ATOMS = ["s", "x", "-", "[0-9]", "[a-f0-9]", "[A-Z]", "[ace]", "[^\\x80-\\U0010ffff]", r"(?a:\d)", r"(?a:\w)"]
fixed_pattern = st.lists(st.builds(lambda atom, count: atom + count, st.sampled_from(FIXED_ATOMS),
                                   st.sampled_from(["", "{2}", "{3}"])), min_size=1, max_size=4).map("".join)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["", "^", "(?i)(?a)"]), fixed_pattern, st.sampled_from(["", "$", r"\Z"]),
       st.lists(st.none() | st.text(st.sampled_from("sx-09afAZce_中\n"), max_size=8), min_size=1, max_size=30),
       st.integers(0, 3))
def test_a_fixed_width_pattern_is_checked_over_bytes_as_fullmatch_14(head: str, body: str, tail: str, values: list[str | None],
                                                                      skip: int) -> None:
    pattern = head + body + tail
    assert fixed_width(pattern) is not None
    arr = pa.array(values, pa.string()).slice(min(skip, len(values) - 1))  # an offset into the buffers, as a batch has
    expected = [None if v is None else re.fullmatch(pattern, v) is None for v in arr.to_pylist()]
    assert mismatches(arr, pattern).to_pylist() == expected
    assert mismatches(pa.chunked_array([arr, arr]), pattern).to_pylist() == expected * 2


@pytest.mark.parametrize("pattern", [r"\d{4}", "(?i)[a-z]{2}", "s.{3}", "[0-9]+", "a?", "中{2}", r"\bx", "(a)\\1", ""])
def test_patterns_of_varying_width_or_beyond_ascii_are_not_fixed_width_14(pattern: str) -> None:
    assert fixed_width(pattern) is None  # (\d and case folding under (?i) reach beyond ASCII)
