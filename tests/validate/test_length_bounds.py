"""maxLength counts characters, whether or not the byte lengths of a column let the count be skipped (#14)."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from dpcheck.constraints import _bounds


def _by_count(col: pa.ChunkedArray, limit: int) -> list[bool | None]:
    return [None if v is None else len(v) > limit for v in col.to_pylist()]


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
    assert mask.to_pylist() == _by_count(col, limit)


@given(st.lists(st.none() | st.text(max_size=8), max_size=12), st.integers(0, 10), st.booleans())
def test_max_length_agrees_with_a_character_count_with_or_without_min_length_14(values, limit, with_min) -> None:
    col = pa.chunked_array([pa.array(values, pa.string())])
    constraints = {"maxLength": limit, **({"minLength": 0} if with_min else {})}
    masks = {c: m for c, _, m in _bounds(col, "title", constraints)}
    assert masks["maxLength"].to_pylist() == _by_count(col, limit)
