"""dpcheck.cells and the table checks read the model's Field (#14), not a raw field descriptor."""

from __future__ import annotations

from typing import Any

import pyarrow as pa
import pytest

from dpcheck import cells, tables
from dpcheck.tableschema import Field


def _field(raw: dict[str, Any]) -> Field:
    field = Field.from_descriptor(raw)
    assert field is not None
    return field


def _parse(raw: dict[str, Any], values: list[str | None], missing: tuple[str, ...] = ("",)) -> cells.Parsed:
    return cells.parse(pa.chunked_array([pa.array(values, pa.string())]), _field(raw), missing)


def test_an_integer_field_of_the_model_with_a_group_char_reads_grouped_digits_14() -> None:
    parsed = _parse({"name": "n", "type": "integer", "groupChar": ","}, ["1,000", "12", "x", "NA"], ("NA",))
    assert parsed.values.to_pylist() == [1000, 12, None, None]
    assert parsed.bad.to_pylist() == [False, False, True, False]
    assert parsed.missing.to_pylist() == [False, False, False, True]


def test_a_model_field_with_a_format_goes_to_frictionless_with_its_constraints_14() -> None:
    parsed = _parse({"name": "d", "type": "date", "format": "%d/%m/%Y", "constraints": {"minimum": "01/01/2020"}},
                    ["01/02/2021", "2021-02-01", "01/02/2019"])
    assert not parsed.vectorised
    assert parsed.bad.to_pylist() == [False, True, False]
    assert [(name, mask.to_pylist()) for name, mask in parsed.notes] == [("minimum", [False, False, True])]


@pytest.mark.parametrize(("raw", "kind"), [
    ({"name": "a"}, "string"),  # no type: read as a string, as Table Schema v1 says and these checks always did
    ({"name": "a", "type": "any"}, "any"),
    ({"name": "a", "type": "date"}, "date"),
    ({"name": "a", "type": 5}, None),  # not a type at all (the profile check reports it): not read
])
def test_the_kind_a_field_is_read_as_14(raw: dict[str, Any], kind: str | None) -> None:
    assert cells.kind(_field(raw)) == kind


def test_the_constraints_a_model_field_honours_are_those_of_its_type_14() -> None:
    field = _field({"name": "a", "type": "boolean", "constraints": {"required": True, "maxLength": 3, "enum": [True]}})
    assert tables.supported(field) == {"required": True, "enum": (True,)}
