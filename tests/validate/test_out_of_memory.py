"""Out of memory while validating is a failure, not a finding (#11): exit 2, one line naming the file, a hint.

Running out of memory says nothing about the package, so it must not be reported as a ``source-error`` (exit 1,
"invalid"): whatever raises it (Python's ``MemoryError`` or pyarrow's ``ArrowMemoryError``, which the readers
used to catch as a read failure), ``pkg validate`` stops with ``error[out-of-memory]``.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from corpack.cli import cli
from corpack.errors import CorpackError, OutOfMemoryError
from dpcheck import validate_package


def no_memory(kind: type[BaseException]):
    def fail(*args, **kwargs):
        raise kind("malloc of 4294967296 bytes failed")
    return fail


@pytest.mark.parametrize("kind", [MemoryError, pa.ArrowMemoryError])
@pytest.mark.parametrize("where", ["read_row_groups", "read"])
def test_out_of_memory_reading_parquet_exits_2_with_a_hint_11(package: Path, monkeypatch: pytest.MonkeyPatch,
                                                               kind: type[BaseException], where: str) -> None:
    monkeypatch.setattr(pq.ParquetFile, where, no_memory(kind))
    result = CliRunner().invoke(cli, ["validate", str(package)])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    # read_row_groups: documents' rows; read: documents' keys, read while paragraphs (its child) streams
    file = "documents" if where == "read_row_groups" else "paragraphs"
    assert line.startswith(f"error[out-of-memory] data/{file}.parquet: not enough memory to check")
    assert "(hint: " in line and "Traceback" not in result.output and result.stdout == ""
    with pytest.raises(OutOfMemoryError) as caught:
        validate_package(package)
    assert isinstance(caught.value, CorpackError) and caught.value.exit_code == 2


@pytest.mark.parametrize("kind", [MemoryError, pa.ArrowMemoryError])
def test_out_of_memory_reading_csv_exits_2_11(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: type[BaseException]) -> None:
    folder = tmp_path / "pkg"
    folder.mkdir()
    (folder / "t.csv").write_text("id\n1\n2\n", encoding="utf-8")
    (folder / "datapackage.json").write_text(
        '{"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "id", "type": "integer"}]}}]}',
        encoding="utf-8")
    monkeypatch.setattr("pyarrow.csv.open_csv", no_memory(kind))  # (the one-pass reader)
    monkeypatch.setattr("pyarrow.csv.read_csv", no_memory(kind))  # (the reader of ranges)
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error[out-of-memory] t.csv: not enough memory to check") and "(hint: " in line


def test_out_of_memory_reading_the_descriptor_names_it_11(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("json.loads", no_memory(MemoryError))
    result = CliRunner().invoke(cli, ["validate", str(package)])
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("error[out-of-memory] datapackage.json: not enough memory to check")
