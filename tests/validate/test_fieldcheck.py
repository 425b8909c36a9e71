"""dpcheck.fieldcheck: one field's check life cycle (batch, then end), driven by the one loop of dpcheck.driver (#14)."""

from __future__ import annotations

import pyarrow as pa
import pytest

from dpcheck import driver
from dpcheck.descriptor import ResourceSpec
from dpcheck.fieldcheck import FieldCheck
from dpcheck.report import Report

FIELD = {"name": "n", "type": "integer", "constraints": {"required": True, "unique": True, "maximum": 5}}


def _batch(values: list[object], arrow_type: pa.DataType, offset: int, spec: ResourceSpec, text: bool) -> driver.Batch:
    col = pa.chunked_array([pa.array(values, arrow_type)])
    fields = spec.resource.schema.fields
    return driver.Batch(offset, offset + 2, len(col), fields, [[""]], lambda _: col, frozenset({0}) if text else frozenset())


@pytest.mark.parametrize("text", [True, False])
def test_batches_then_end_report_as_one_column_in_the_whole_column_order_14(text: bool) -> None:
    spec = ResourceSpec("t", "t.csv", schema={"fields": [FIELD]})
    report = Report(package="p")
    order: list[str] = []
    check = FieldCheck(spec, spec.resource.schema.fields[0], 0, text=text,
                       whole_unique=lambda: order.append(f"unique after {len(report.findings)}"))
    batches = [["1", "x", "7"], [None, "9", "2"]] if text else [[1, None, 7], [None, 9, 2]]
    loads = [lambda values=values, offset=offset: _batch(values, pa.string() if text else pa.int64(), offset, spec, text)
             for values, offset in zip(batches, (0, 3))]
    (done,), rows = driver.run(driver.Read(loads, workers=2), [check], 100)
    assert rows == 6
    check.end(done, report)
    found = [(f.code, f.row, f.message.split(":")[0]) for f in report.findings]
    head = [("type-error", 3, "cell 'x' is not a valid integer")] if text else []
    required = [("constraint-error", r, 'constraint "required" is violated') for r in ([5] if text else [3, 5])]
    maximum = [("constraint-error", r, 'constraint "maximum" is 5') for r in (4, 6)]
    assert found == head + required + maximum
    assert order == [f"unique after {len(head) + len(required)}"]
