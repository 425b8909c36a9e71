"""maxLength counts characters, whether or not the byte lengths of a column let the count be skipped (#14)."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dpcheck.constraints import _bounds


def _by_count(col: pa.ChunkedArray, limit: int) -> list[int]:
    """The positions of the values with more characters than ``limit``."""
    return [i for i, v in enumerate(col.to_pylist()) if v is not None and len(v) > limit]


def _flagged(mask: pa.Array | pa.ChunkedArray) -> list[int]:
    """The positions a mask flags (null flags none; an empty mask, none at all)."""
    return [i for i, v in enumerate(mask.to_pylist()) if v]


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
@pytest.mark.parametrize(("values", "limit"), [
    (["ab", None, "abc"], 3),         # every value short in bytes: the byte lengths decide
    (["中文", "中文字", None], 2),     # 6 and 9 bytes over a limit of 2: counted, 中文 keeps to it
    (["中文字", "abc"], 3),           # at the limit in characters, over it in bytes
    ([None, None], 1),
])
def test_max_length_flags_values_with_more_characters_than_the_limit_14(values, limit, kind) -> None:
    col = pa.chunked_array([pa.array(values, kind)])
    (constraint, got_limit, mask), = _bounds(col, "title", {"maxLength": limit})
    assert (constraint, got_limit) == ("maxLength", limit)
    assert _flagged(mask) == _by_count(col, limit)


@given(st.lists(st.none() | st.text(max_size=8), max_size=12), st.integers(0, 10), st.booleans())
def test_max_length_agrees_with_a_character_count_with_or_without_min_length_14(values, limit, with_min) -> None:
    col = pa.chunked_array([pa.array(values, pa.string())])
    constraints = {"maxLength": limit, **({"minLength": 0} if with_min else {})}
    masks = {c: m for c, _, m in _bounds(col, "title", constraints)}
    assert _flagged(masks["maxLength"]) == _by_count(col, limit)


_NUMBERS = st.none() | st.floats(allow_nan=True, allow_infinity=True, width=64)
# A bound is never null or NaN. Drawn as such, not filtered out of _NUMBERS: filtering rejected so many draws
# that Hypothesis's filter_too_much health check failed the test about once in 150 runs (twice in full runs
# on 2026-12-04).
_BOUNDS = st.floats(allow_nan=False, allow_infinity=True, width=64)


@given(st.lists(_NUMBERS, max_size=12), _BOUNDS, _BOUNDS)
def test_numeric_bounds_flag_the_values_python_comparisons_flag_14(values, low, high) -> None:
    # A batch whose smallest and largest values keep to a bound is not compared cell by cell: the verdicts
    # must be the same either way, NaN (which breaks no bound, as in frictionless) and nulls included.
    col = pa.chunked_array([pa.array(values, pa.float64())])
    constraints = {"minimum": low, "maximum": high, "exclusiveMinimum": low, "exclusiveMaximum": high}
    masks = {c: _flagged(m) for c, _, m in _bounds(col, "value", constraints)}
    present = [(i, v) for i, v in enumerate(values) if v is not None]
    assert masks == {
        "minimum": [i for i, v in present if v < low],
        "maximum": [i for i, v in present if v > high],
        "exclusiveMinimum": [i for i, v in present if v <= low],
        "exclusiveMaximum": [i for i, v in present if v >= high],
    }


@pytest.mark.parametrize("kind", [pa.string(), pa.large_string()])
@given(values=st.lists(st.none() | st.text(max_size=6), min_size=2, max_size=16), data=st.data())
def test_max_length_reads_the_byte_lengths_of_sliced_chunks_14(kind, values, data) -> None:
    # A CSV batch is a slice of a parsed range: the offsets of its chunks start part way into their buffers.
    whole = pa.array(values, kind)
    cut = data.draw(st.integers(1, len(values) - 1))
    start = data.draw(st.integers(0, cut))
    col = pa.chunked_array([whole.slice(start, cut - start), whole.slice(cut)], kind)
    limit = data.draw(st.integers(0, 8))
    (_, _, mask), = _bounds(col, "title", {"maxLength": limit})
    assert _flagged(mask) == _by_count(col, limit)
