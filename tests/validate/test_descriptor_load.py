"""The descriptor stage as a public API (#11): ``descriptor.load`` and ``descriptor.resources``, which
``pkg diff`` and ``corpack.load`` reuse, report every hostile descriptor cleanly, one finding each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpack.errors import PackageError
from dpcheck import Report, descriptor, validate_package

DEEP = 10_000
HOSTILE = {
    "a list": ("[" + json.dumps({"resources": []}) + "]", "must hold a JSON object, not list"),
    "a string": ('"datapackage"', "must hold a JSON object, not str"),
    "10,000 levels deep": ('{"resources": [], "x": ' + "[" * DEEP + "]" * DEEP + "}",
                           "nests objects and arrays far deeper than the limit of 64 levels"),
    "10,000 levels deep at the top": ("[" * DEEP + "]" * DEEP, "nests objects and arrays far deeper"),
    "65 levels deep": ('{"resources": [], "x": ' + "[" * 64 + "]" * 64 + "}", "deeper than 64 levels"),
    "a 5,000-digit integer": ('{"resources": [], "x": ' + "7" * 5000 + "}", "a number has more than 4300 digits"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_descriptor_is_one_package_error_11(tmp_path: Path, case: str) -> None:
    text, words = HOSTILE[case]
    path = tmp_path / "datapackage.json"
    path.write_text(text, encoding="utf-8")
    report = Report(package="p")
    assert descriptor.load(path, report) is None
    [finding] = report.findings
    assert finding.code == "package-error" and finding.file == "datapackage.json" and words in finding.message
    assert "sys.set_int_max_str_digits" not in finding.message  # Python's advice is not the user's to take
    whole = validate_package(tmp_path)
    assert whole.exit_code == 1 and [f.message for f in whole.findings] == [finding.message]


def test_duplicate_resource_names_are_found_by_the_descriptor_stage_11(tmp_path: Path) -> None:
    resources = [{"name": "a", "path": "a.csv"}, {"name": "a", "path": "b.csv"}]
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps({"resources": resources}), encoding="utf-8")
    report = Report(package="p")
    parsed = descriptor.load(path, report)
    assert parsed is not None and report.findings == []
    specs = descriptor.resources(parsed, tmp_path, report, trusted=False)
    assert [spec.name for spec in specs] == ["a", "a"]
    assert [(f.code, f.message) for f in report.findings] == [("package-error", "resource name 'a' is used more than once")]


def test_descriptor_that_is_not_a_regular_file_is_a_package_error_11(tmp_path: Path) -> None:
    # A FIFO is tested in test_special_files.py, in a child process: on a regression it would block here.
    path = tmp_path / "datapackage.json"
    path.mkdir()
    with pytest.raises(PackageError, match="is a folder, not a regular file; it is not read") as caught:
        descriptor.load(path, Report(package="p"))
    assert caught.value.file == str(path)


def test_a_lone_data_file_is_not_taken_for_a_descriptor(tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq
    from click.testing import CliRunner

    from corpack.cli import cli

    pq.write_table(pa.table({"a": [1, 2]}), tmp_path / "x.parquet")
    (tmp_path / "table.bin").write_bytes((tmp_path / "x.parquet").read_bytes())  # Parquet under another name
    for name in ("x.parquet", "table.bin"):
        result = CliRunner().invoke(cli, ["validate", str(tmp_path / name)])
        assert result.exit_code == 2
        assert "a Parquet data file, not a package" in result.stderr and "UTF-8" not in result.stderr
        assert result.stderr.count("\n") == 1
