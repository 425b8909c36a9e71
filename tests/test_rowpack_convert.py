"""Rows become an Arrow table by one struct conversion, with what pyarrow's from_pylist gives (#13)."""

from __future__ import annotations

import math

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpack.rowpack import _schemas, to_table

_SCHEMA = pa.schema(
    [pa.field("a", pa.int64(), nullable=False), pa.field("b", pa.string()), pa.field("c", pa.float64()), pa.field("d", pa.bool_())],
    metadata={b"pandas": b"{}"},
)
# Values that fit a column and values that do not (a str for a number, a bool for an int, too large an int,
# a lone surrogate, bytes), and rows missing a key, holding another, or not being dicts at all.
_VALUES = st.one_of(
    st.none(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), st.booleans(), st.text(max_size=4), st.binary(max_size=2),
    st.just("\ud800"),
)
_ROWS = st.lists(
    st.one_of(
        st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), _VALUES, max_size=5),
        st.fixed_dictionaries({"a": st.integers(0, 9), "b": st.text(max_size=3), "c": st.floats(allow_nan=False), "d": st.booleans()}),
        st.none(),
        st.tuples(st.integers(0, 9)),
    ),
    min_size=1,
    max_size=6,
)


def _outcome(convert, rows, schema):
    try:
        table = convert(rows, schema)
    except Exception as exc:  # noqa: BLE001 - the failure itself is what is compared
        return type(exc)
    assert table.schema.equals(schema, check_metadata=True)
    return [[("nan" if isinstance(v, float) and math.isnan(v) else v) for v in row.values()] for row in table.to_pylist()]


@settings(max_examples=600, deadline=None)
@given(_ROWS)
def test_to_table_gives_what_from_pylist_gives_13(rows):
    assert _outcome(to_table, rows, _SCHEMA) == _outcome(lambda r, s: pa.Table.from_pylist(r, schema=s), rows, _SCHEMA)


@pytest.mark.parametrize("name", sorted(_schemas()))
def test_to_table_keeps_each_resource_schema_and_its_metadata_13(name):
    schema = _schemas()[name]
    row = {field.name: None for field in schema}
    table = to_table([row], schema)
    assert table.schema.equals(schema, check_metadata=True)
    assert table.equals(pa.Table.from_pylist([row], schema=schema))
