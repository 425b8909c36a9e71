"""A CSV file parsed in ranges on several threads gives the rows one pass over it gives (#14).

The ranges are cut at newlines without knowing whether a newline lies inside a quoted value; a sentinel row
after each range tells, and where a range did not end a row the rest is read in one pass. These tests cut
files into ranges of a few bytes, so that every cut lands everywhere: inside quoted values, between the two
bytes of CRLF, in a blank line, in the middle of a multi-byte character.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dpcheck import csvarrow, csvcuts, csvfile, model
from dpcheck.csvbatch import Restart
from dpcheck.report import Report


def rows_of(opened) -> tuple[list[str], list[list[str | None]]] | str:
    """The labels and rows a reader gives, or how it stopped."""
    if opened is None:
        return "python reader"
    labels, batches = opened
    try:
        rows = [list(row) for batch in batches for row in zip(*(batch.column(i).to_pylist() for i in range(len(batch.cells))))]
    except Restart:
        return "restart"
    return labels, rows


def in_ranges(data: bytes, block: int, dialect: model.Dialect | None = None):
    return rows_of(csvarrow.read(io.BytesIO(data), dialect or model.Dialect(), block, 3))


def in_one_pass(data: bytes, block: int, dialect: model.Dialect | None = None):
    return rows_of(csvarrow.streamed(io.BytesIO(data), dialect or model.Dialect(), block, 3))


def by_python(data: bytes):
    """The rows Python's reader gives (where one pass of Arrow's gives up at the start)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.csv"
        path.write_bytes(data)
        return rows_of(csvfile.Source([path], model.Dialect()).open(True, Report(package=""), "t", "t.csv"))


cell = st.one_of(
    st.sampled_from(["", "a", "1", "2.5", "中文", "x y", "😀"]),
    st.text(alphabet="ab,\"\n\r 中", max_size=6).map(lambda t: '"' + t.replace('"', '""') + '"'),  # quoted
)


@settings(max_examples=300, deadline=None)
@given(width=st.integers(1, 3), rows=st.lists(st.lists(cell, min_size=1, max_size=3), max_size=40),
       newline=st.sampled_from(["\n", "\r\n"]), last=st.booleans(), block=st.integers(40, 120))
def test_rows_read_in_ranges_are_the_rows_of_one_pass_14(width, rows, newline, last, block) -> None:
    lines = [",".join(f"h{i}" for i in range(width))] + [",".join((row * width)[:width]) for row in rows]
    data = (newline.join(lines) + (newline if last else "")).encode()
    # (the pass reads the file as one block: Arrow drops the \n of a quoted \r\n split between two blocks, see
    # the next test; where a reader leaves the file to Python's reader, as one pass does a lone header without
    # a newline, what counts is what that reader gives)
    got, expected = in_ranges(data, block), in_one_pass(data, len(data) + 64)
    assert (by_python(data) if got == "python reader" else got) == (by_python(data) if expected == "python reader" else expected)


@settings(max_examples=100, deadline=None)
@given(width=st.integers(1, 4), rows=st.lists(st.lists(cell, min_size=1, max_size=4), max_size=20), wrong=st.integers(-3, 3),
       label=st.sampled_from(["h", "1", ""]))
def test_the_first_range_read_for_a_wrong_width_guess_gives_the_same_rows_14(width, rows, wrong, label) -> None:
    # The first range is typed for as many columns as Python's csv module finds in the first row; when the
    # guess is wrong (forced here), Arrow's own width wins and the rows are those of one pass (labels that
    # read as numbers or as nothing are what Arrow would type itself, in a column not typed as text).
    lines = [",".join(label for _ in range(width))] + [",".join((row * width)[:width]) for row in rows]
    data = ("\n".join(lines) + "\n").encode()
    expected = in_one_pass(data, len(data) + 64)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(csvarrow, "_first_width", lambda piece, dialect: max(width + wrong, 1))
        got = in_ranges(data, 4096)
    assert (by_python(data) if got == "python reader" else got) == (by_python(data) if expected == "python reader" else expected)


def test_a_header_read_for_more_columns_than_it_has_is_read_again_14() -> None:
    # A first row of 5,000 cells: more than the columns typed as text. Python's reader takes over, as before.
    data = (",".join(f"h{i}" for i in range(5000)) + "\n" + ",".join("1" for _ in range(5000)) + "\n").encode()
    assert in_ranges(data, 1 << 20) == "python reader"


def test_a_quoted_line_break_over_a_cut_is_kept_whole_14() -> None:
    """Arrow (pyarrow 26) drops the \n of a quoted \r\n when a boundary between its blocks falls between the
    two bytes. Here a cut falls just after that \n; read in one pass from there in 40-byte blocks, as a range
    that did not end a row used to be, the value came back as 'a\\raaa'; the range is now read again joined
    to the next one, as one block (the case the property test above found)."""
    lines = ["h0", "", "a", '""', '""""', '"aa"', '"aaa中"', "中文", "a", '"a中"', '"aaaaa"', '"aaaaa"', '"a\r\naaa"']
    labels, rows = in_ranges("\r\n".join(lines).encode(), 40)
    assert rows[-1] == ["a\r\naaa"] and len(rows) == 12


def test_a_quoted_value_over_a_cut_is_one_value_and_the_other_ranges_still_go_apart_14(monkeypatch: pytest.MonkeyPatch) -> None:
    parsed: list[bool] = []
    whole_rows = csvarrow.whole_rows

    def counted(*args):
        table = whole_rows(*args)
        parsed.append(table is not None)
        return table

    monkeypatch.setattr(csvarrow, "whole_rows", counted)
    head = "id,note\n" + "".join(f"{i},plain\n" for i in range(40))
    long = '40,"a note\nover three\nlines"\n'
    tail = "".join(f"{i},plain\n" for i in range(41, 80))
    data = (head + long + tail).encode()
    labels, rows = in_ranges(data, 64)
    assert labels == ["id", "note"]
    assert [r[0] for r in rows] == [str(i) for i in range(80)]
    assert rows[40] == ["40", "a note\nover three\nlines"]
    assert parsed.count(True) >= 3  # ranges before the quoted value went apart ...
    assert (labels, rows) == in_one_pass(data, 64)


def test_a_range_that_starts_a_row_of_another_width_stops_as_one_pass_does_14() -> None:
    data = ("a,b\n" + "1,2\n" * 30 + "3\n" + "4,5\n" * 30).encode()
    assert in_ranges(data, 16) == "restart" == in_one_pass(data, 16)


def test_a_row_spelled_as_the_sentinel_is_a_row_not_the_end_of_a_range_14(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csvarrow, "_TOKEN", "stop")
    one = ("v\n" + "x\n" * 20 + "stop\n" + "y\n" * 20).encode()  # one column: the sentinel is a valid row
    labels, rows = in_ranges(one, 8)
    assert rows.count(["stop"]) == 1 and len(rows) == 41
    two = ("a,b\n" + "1,2\n" * 20 + "stop\n" + "3,4\n" * 20).encode()  # wider: a short row, which one pass rejects
    assert in_ranges(two, 8) == "restart" == in_one_pass(two, 8)


def test_pieces_end_after_a_newline_and_join_to_the_stream_14() -> None:
    data = b"ab\ncdef\n\nghijklmnop\nq"
    cuts = csvcuts.Cuts(io.BytesIO(data), b"S\n")
    pieces = []
    while (piece := cuts.take(3)) is not None:
        pieces.append(piece)
    assert b"".join(bytes(p.read()) for p in pieces) == data
    assert all(bytes(p.read()).endswith(b"\n") for p in pieces[:-1])
    assert [bytes(p.data) for p in pieces][-1] == b"q\nS\n"  # the last line had no newline: one comes before the row
    cuts = csvcuts.Cuts(io.BytesIO(data), b"S\n")
    first, second = cuts.take(3), cuts.take(3)
    assert cuts.rest([second]).read() == data[first.size:]


def test_a_csv_resource_checked_in_ranges_gets_the_findings_of_one_pass_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dpcheck import validate_package

    rows = [f'{i},"n{i}\nsecond line",{"x" if i % 7 == 0 else i}' for i in range(300)]
    (tmp_path / "t.csv").write_text("id,note,n\n" + "\n".join(rows) + "\n", encoding="utf-8")
    fields = [{"name": "id", "type": "integer"}, {"name": "note", "type": "string"}, {"name": "n", "type": "integer"}]
    (tmp_path / "datapackage.json").write_text(
        '{"resources": [{"name": "t", "path": "t.csv", "schema": {"fields": %s, "primaryKey": ["id"]}}]}'
        % str(fields).replace("'", '"'), encoding="utf-8")
    monkeypatch.setattr(csvfile, "BATCH_ROWS", 16)
    monkeypatch.setattr(csvfile, "ARROW_BATCH_ROWS", 16)
    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 128)
    found = [(f.code, f.row, f.field) for f in validate_package(tmp_path / "datapackage.json", limit=100).findings]
    monkeypatch.setattr(csvarrow, "read", lambda stream, *args: csvarrow.streamed(stream, *args))
    assert found == [(f.code, f.row, f.field) for f in validate_package(tmp_path / "datapackage.json", limit=100).findings]
    assert [row for code, row, _ in found if code == "type-error"] == [i + 2 for i in range(0, 300, 7)]


def test_a_compressed_csv_is_cut_into_ranges_as_it_is_inflated_14(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gzip

    from dpcheck import validate_package

    body = "id,note\n" + "".join(f'{i},"{"x" if i % 9 else "a,b"}"\n' for i in range(400)) + "oops,z\n"
    (tmp_path / "plain").mkdir()
    (tmp_path / "packed").mkdir()
    (tmp_path / "plain" / "t.csv").write_text(body, encoding="utf-8")
    (tmp_path / "packed" / "t.csv.gz").write_bytes(gzip.compress(body.encode()))
    schema = '{"fields": [{"name": "id", "type": "integer"}, {"name": "note", "type": "string"}]}'
    for folder, path in (("plain", "t.csv"), ("packed", "t.csv.gz")):
        (tmp_path / folder / "datapackage.json").write_text(
            '{"resources": [{"name": "t", "path": "%s", "schema": %s}]}' % (path, schema), encoding="utf-8")
    monkeypatch.setattr(csvfile, "BLOCK_BYTES", 256)  # (dozens of ranges)
    found = {folder: [(f.code, f.row, f.field) for f in validate_package(tmp_path / folder / "datapackage.json").findings]
             for folder in ("plain", "packed")}
    assert found["plain"] == found["packed"] == [("type-error", 402, "id")]


def test_a_file_of_one_range_is_given_in_a_batch_for_each_thread_14(monkeypatch) -> None:
    # A small table (one range) would otherwise be one batch, checked on one thread while the others wait.
    monkeypatch.setattr(csvarrow, "PARSERS", 2)
    data = b"id,name\n" + b"".join(b"%d,n%d\n" % (i, i) for i in range(5000))
    labels, batches = csvarrow.read(io.BytesIO(data), model.Dialect(), 1 << 20, 98_304)
    sizes = [batch.num_rows for batch in batches]
    assert labels == ["id", "name"] and sizes == [2500, 2500]
    assert in_ranges(data, 1 << 20) == in_one_pass(data, 1 << 20)


def test_pieces_and_their_rows_are_allocated_from_dpchecks_pool_14() -> None:
    # Not pyarrow's default mimalloc, whose huge pages a file read piece by piece keeps faulting in afresh
    # (see csvcuts): the bytes of every piece, and the tables parsed from them, come from csvcuts.POOL.
    assert csvcuts.POOL.backend_name in ("jemalloc", "system")
    data = ("id,text\n" + "".join(f"{i},value {i}\n" for i in range(5000))).encode()
    before = csvcuts.POOL.total_bytes_allocated()
    piece = csvcuts.Cuts(io.BytesIO(data), b"end\n").take(1 << 12)
    assert piece is not None and csvcuts.POOL.total_bytes_allocated() - before >= piece.size
    held, held_by_default = csvcuts.POOL.bytes_allocated(), pa.default_memory_pool().bytes_allocated()
    labels, batches = csvarrow.read(io.BytesIO(data), model.Dialect(), 1 << 14, 1000)
    tables = [pa.Table.from_arrays(list(batch.cells), names=labels) for batch in batches]
    assert sum(t.num_rows for t in tables) == 5000
    # (the rows' strings, held, are the pool's: none of the default pool's memory holds them)
    assert csvcuts.POOL.bytes_allocated() - held >= sum(t.nbytes for t in tables)
    assert pa.default_memory_pool().bytes_allocated() - held_by_default < sum(t.nbytes for t in tables) // 10


def test_a_chosen_arrow_pool_is_kept_and_no_jemalloc_means_the_system_pool_14(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    assert csvcuts._pool().backend_name == pa.default_memory_pool().backend_name
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL")

    def no_jemalloc() -> pa.MemoryPool:
        raise pa.ArrowNotImplementedError("jemalloc support is not built")

    monkeypatch.setattr(pa, "jemalloc_memory_pool", no_jemalloc)
    assert csvcuts._pool().backend_name == "system"


@pytest.mark.parametrize("row", [b"\xff\xfe", b"1,2,\xe4", b"\xe4\xb8"])
def test_a_row_of_another_width_holding_bytes_not_utf8_prints_no_traceback_14(row: bytes, tmp_path: Path) -> None:
    # Found by the long fuzz run: given a handler of rows of another width, pyarrow turned such a row's bytes
    # into text before calling it, and where they were not UTF-8 that failed outside any caller: `pkg validate`
    # reported the right encoding-error but printed "Exception ignored in ... UnicodeDecodeError" and a
    # traceback. The ranges are read without a handler now (the sentinel row has as many cells as the header).
    import subprocess
    import sys

    data = b"id,name\n1,a\n" + row + b"\n2,b\n"
    (tmp_path / "t.csv").write_bytes(data)
    resource = {"name": "t", "path": "t.csv", "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}}
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}), encoding="utf-8")
    # (ended by os._exit, as `pkg` ends: Arrow's thread pools may abort a process in C++ teardown, apache/arrow#34314)
    code = ("import os, sys; from dpcheck import validate_package; r = validate_package(sys.argv[1]); "
            "print([(f.code, f.offset) for f in r.findings], flush=True); sys.stderr.flush(); os._exit(0)")
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120)
    bad = next(i for i, b in enumerate(data) if b >= 0x80)
    assert (run.stdout.strip(), run.stderr) == (f"[('encoding-error', {bad})]", "")
