"""dpcheck.cells reads an integer or number column Arrow casts whole without a Python call per value (#14), and
gives frictionless's verdict and value for every cell all the same."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dpcheck import cells
from dpcheck.tableschema import Field


def _parse(type_: str, values: list[str | None]) -> cells.Parsed:
    field = Field.from_descriptor({"name": "n", "type": type_})
    assert field is not None
    return cells.parse(pa.chunked_array([pa.array(values, pa.string())]), field, ("",))


def _frictionless(type_: str, cell: str) -> Any:
    """frictionless's own reading of one cell: the value, or None when the cell is not of the type."""
    return cells.frictionless_field({"name": "n", "type": type_}).create_value_reader()(cell)


def _same(ours: Any, theirs: Any) -> bool:
    if theirs is None or ours is None:
        return ours is None and theirs is None
    theirs = float(theirs) if isinstance(theirs, Decimal) else theirs
    return ours == theirs or (math.isnan(ours) and math.isnan(theirs))


def test_a_number_column_arrow_casts_whole_is_read_without_frictionless_14(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_oracle(*args: Any) -> None:
        raise AssertionError("the cells were read one by one")

    monkeypatch.setattr(cells, "_oracle", no_oracle)
    parsed = _parse("number", ["1e5", "+.5", "-0", "007", "", None])
    assert parsed.values.to_pylist() == [100000.0, 0.5, 0.0, 7.0, None, None]
    assert parsed.bad.to_pylist() == [False] * 6
    assert parsed.missing.to_pylist() == [False] * 4 + [True, True]


def test_special_numbers_are_the_spec_s_three_in_any_case_14() -> None:
    # (Arrow and Python also read Infinity, +inf and -nan; the spec lists NaN, INF and -INF: a column holding a
    # NaN or an infinity is read cell by cell, where the spelling is judged)
    parsed = _parse("number", ["1", "NaN", "inf", "-INF", " nan ", "Infinity", "+inf", "-nan", "-Infinity"])
    assert parsed.bad.to_pylist() == [False] * 5 + [True] * 4
    assert parsed.values.to_pylist()[:4] == [1.0, pytest.approx(math.nan, nan_ok=True), math.inf, -math.inf]


@pytest.mark.parametrize(("type_", "values", "bad"), [
    ("integer", ["12", "0x10", "-3"], [False, True, False]),  # Arrow reads 0x10 as 16; int() refuses it
    ("integer", ["12", " 7", "+5"], [False, False, False]),  # int() strips and takes a sign; Arrow refuses " 7"
    ("integer", ["1", "9223372036854775808"], [False, False]),  # too large for Arrow's int64, an integer all the same
    ("number", ["1.5", "1,5", "abc"], [False, True, True]),
    ("number", ["1.5", "\u0665"], [False, True]),  # Decimal reads an Arabic-Indic five, the spec's 0-9 do not (test_spec_spellings.py)
])
def test_a_column_arrow_refuses_is_read_cell_by_cell_as_before_14(type_: str, values: list[str], bad: list[bool]) -> None:
    parsed = _parse(type_, values)
    assert parsed.bad.to_pylist() == bad
    for cell, value, is_bad in zip(values, parsed.values.to_pylist(), bad):
        if not is_bad and value is not None:
            assert _same(value, _frictionless(type_, cell))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="0123456789+-.eEinfatyxX _", min_size=1, max_size=8), min_size=1, max_size=6),
       st.sampled_from(["integer", "number"]))
def test_every_cell_gets_frictionless_verdict_and_value_14(values: list[str], type_: str) -> None:
    parsed = _parse(type_, values)
    for cell, value, bad, missing in zip(values, parsed.values.to_pylist(), parsed.bad.to_pylist(), parsed.missing.to_pylist()):
        if missing:
            continue
        theirs = _frictionless(type_, cell)
        # (frictionless's verdict, but for what Python reads and the spec does not: an underscore between digits,
        # and special numbers other than NaN, INF and -INF)
        special = type_ == "number" and re.fullmatch(r"[+-]?(?:nan|inf(?:inity)?)", cell.strip(), re.IGNORECASE) is not None
        unspecified = special and cell.strip().lower() not in ("nan", "inf", "-inf")
        assert bad == (theirs is None or re.search(r"[0-9]_[0-9]", cell) is not None or unspecified), cell
        if not bad and value is not None:  # (an integer beyond int64 is held as null, but is not bad)
            assert _same(value, theirs), cell


def test_frictionless_reads_a_field_with_one_field_object_over_the_batches_and_tells_1_from_true_14() -> None:
    one = Field.from_descriptor({"name": "n", "type": "integer", "constraints": {"enum": [1]}})
    true = Field.from_descriptor({"name": "n", "type": "integer", "constraints": {"enum": [True]}})
    assert one is not None and true is not None
    assert one == true  # (equal as Python compares them: 1 == True)
    assert cells._frictionless(one, constraints=True) is cells._frictionless(one, constraints=True)
    assert cells._frictionless(true, constraints=True) is not cells._frictionless(one, constraints=True)
    assert cells._frictionless(one, constraints=False) is not cells._frictionless(one, constraints=True)
