"""Keys of Parquet resources as DuckDB SQL over the files: primary keys and ``unique`` by GROUP BY, foreign
keys by an anti-join, each reporting the first rows (frictionless numbering) and counting the rest.

Why DuckDB: a key needs the whole column at once. Arrow's sort or hash of 10M strings holds the column, its
sort indices and copies (about 1 GB). DuckDB reads the key columns from the files and hashes them, so a
valid key costs 8 bytes a row (the hashes, sorted in numpy); only when a hash repeats does a GROUP BY on the
keys themselves run, under a memory limit (spilling to a temporary folder it is given). The rows are numbered by
``file_row_number`` plus the rows of the parts before, so they are the rows a whole-column check reports.

Only plain Parquet columns of the resource go here (strings, integers, dates, booleans), compared as they are
stored; floats (NaN never equals itself in Arrow), nested types, columns read from text (CSV, or Parquet
text read as its field's type) and path names DuckDB would read as a glob stay with the Arrow checks in
:mod:`~dpcheck.keys`. Each function returns False without touching the report when it does not
apply or DuckDB fails, so the caller falls back to Arrow.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from dpcheck.descriptor import ResourceSpec
from dpcheck.reading import TableData
from dpcheck.regularfile import check_regular
from dpcheck.report import Report

MIN_ROWS = 1_000_000  # below this, Arrow is as fast and a DuckDB connection (~50 ms) is not worth opening
MEMORY_LIMIT = "128MB"  # DuckDB's own budget; past it, the GROUP BY and join spill to a temporary folder
PARTITION_ROWS = 1_000_000  # parent rows, about, a foreign key is joined over at a time (see orphans)
_RESERVED = {"file_row_number", "filename"}  # column names read_parquet adds


def _plain(t: pa.DataType) -> bool:
    return (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t) or pa.types.is_date(t)
            or pa.types.is_boolean(t))


def comparable(data: TableData, names: list[str]) -> bool:
    """Whether the columns ``names`` of ``data`` are Parquet columns of a type compared the same way by
    Arrow, Python and DuckDB (strings by their UTF-8 bytes, integers, dates, booleans)."""
    return bool(data.parts) and all(n in data.types and n not in data.parsed and _plain(data.types[n]) for n in names)


def usable(data: TableData, names: list[str], min_rows: int | None = None) -> bool:
    """Whether the columns ``names`` of ``data`` are worth comparing with DuckDB over the Parquet files: they
    are :func:`comparable`, DuckDB reads the files as they are, and there are at least ``min_rows`` rows
    (default :data:`MIN_ROWS`)."""
    least = MIN_ROWS if min_rows is None else min_rows
    return (comparable(data, names) and data.num_rows >= least and not _RESERVED & set(data.columns)
            and all(Path(p).is_absolute() and not set("*?[{") & set(p) for p in data.paths))


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _value(name: str, missing: tuple[str, ...] | None) -> str:
    """SQL for column ``name``'s values, null where a cell is one of its ``missing`` values (as
    :func:`dpcheck.reading.nulled` reads them)."""
    if not missing:
        return _ident(name)
    return f"CASE WHEN {_ident(name)} IN ({', '.join(map(_literal, missing))}) THEN NULL ELSE {_ident(name)} END"


def _rows(data: TableData, names: list[str], numbered: bool = True) -> str:
    """SQL for the columns ``names`` (as k0, k1...) of every part of ``data``, and their ``__row`` if numbered.

    Raises:
        OSError: when a part is no longer a regular file (DuckDB opens it by path; a FIFO would block it).
    """
    selects = []
    offset = data.first_row
    for path, part in zip(data.paths, data.parts):
        check_regular(path)
        columns = ", ".join(f"{_value(n, data.missing.get(n))} AS k{i}" for i, n in enumerate(names))
        literal = _literal(path)
        if numbered:
            selects.append(f"SELECT {columns}, file_row_number + {offset} AS __row "
                           f"FROM read_parquet({literal}, file_row_number = true)")
        else:
            selects.append(f"SELECT {columns} FROM read_parquet({literal})")
        offset += part.metadata.num_rows
    return " UNION ALL ".join(selects)


@contextmanager
def _connect() -> Iterator[Any]:
    """A DuckDB connection under :data:`MEMORY_LIMIT`, spilling to a temporary folder removed afterwards.

    Arrow's allocator first hands back the blocks the checks before it freed: it keeps them for Arrow's reuse,
    and DuckDB allocates its own, so they would be held beside its memory (10x corpack package: the joins
    peaked at 435-444 MB resident, 384-399 MB with them handed back).
    """
    import duckdb

    pa.default_memory_pool().release_unused()
    with tempfile.TemporaryDirectory(prefix="corpack-duckdb-") as spill:
        config = {"memory_limit": MEMORY_LIMIT, "temp_directory": spill, "threads": str(os.cpu_count() or 1),
                  "autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
        con = duckdb.connect(":memory:", config=config)
        try:
            con.execute("SET enable_progress_bar = false")  # it would draw on the terminal; not a connect option
            yield con
        finally:
            con.close()


def _keys(n: int, table: str = "") -> list[str]:
    return [f"{table}k{i}" for i in range(n)]


def _hashes_repeat(con: Any, rows: int, query: str) -> bool:
    """Whether the 64-bit hashes ``query`` selects (one per row) repeat.

    Equal keys have equal hashes, so when no hash repeats the keys are all distinct: the usual case of a
    valid key is settled by sorting 8 bytes a row in numpy (80 MB for 10M rows), where a GROUP BY on the
    keys themselves would spill a hash table of 10M entries. A repeat may be a collision; the caller then
    compares the keys.
    """
    hashes = np.empty(rows, dtype=np.uint64)
    n = 0
    relation = con.sql(query)
    # DuckDB 1.4 renamed fetch_arrow_reader to to_arrow_reader and deprecated the old name
    reader = relation.to_arrow_reader(1 << 20) if hasattr(relation, "to_arrow_reader") else relation.fetch_arrow_reader(1 << 20)
    for batch in reader:
        column = batch.column(0).to_numpy()
        hashes[n:n + len(column)] = column
        n += len(column)
    hashes = hashes[:n]
    hashes.sort()
    return bool(np.any(hashes[1:] == hashes[:-1]))


Repeats = tuple[int, list[int], int, list[tuple[int, int, list[Any]]]]


def repeats(data: TableData, names: list[str], limit: int, repeated: bool = False) -> Repeats | None:
    """Find null and repeated keys (``repeated``: the key's hashes are known to repeat, with no null, so
    they are not computed and sorted again before the keys are grouped).

    Returns:
        (how many rows have a null in the key, the first ``limit`` of them, how many rows repeat an earlier
        row's key, the first ``limit`` of those as (row, first row with that key, key values)), or None
        when DuckDB could not do it.
    """
    import duckdb

    keys = _keys(len(names))
    any_null = " OR ".join(f"{k} IS NULL" for k in keys)
    try:
        with _connect() as con:
            con.execute(f"CREATE TEMP VIEW plain AS {_rows(data, names, numbered=False)}")
            con.execute(f"CREATE TEMP VIEW t AS {_rows(data, names)}")
            nulls = con.execute(f"SELECT count(*) FROM plain WHERE {any_null}").fetchall()[0][0]
            null_rows = [row[0] for row in con.execute(
                f"SELECT __row FROM t WHERE {any_null} ORDER BY __row LIMIT {int(limit)}").fetchall()] if nulls else []
            clash = repeated or _hashes_repeat(con, data.num_rows, f"SELECT hash({', '.join(keys)}) FROM plain WHERE NOT ({any_null})")
            total, shown = 0, []
            if clash:
                con.execute(f"CREATE TEMP TABLE g AS SELECT {', '.join(keys)}, min(__row) AS __first, count(*) AS __n "
                            f"FROM t WHERE NOT ({any_null}) GROUP BY ALL HAVING count(*) > 1")
                total = con.execute("SELECT coalesce(sum(__n - 1), 0) FROM g").fetchall()[0][0]
            if total:
                on = " AND ".join(f"t.{k} = g.{k}" for k in keys)
                rows = con.execute(f"SELECT t.__row, g.__first, {', '.join(_keys(len(names), 't.'))} FROM t JOIN g ON {on} "
                                   f"WHERE t.__row > g.__first ORDER BY t.__row LIMIT {int(limit)}").fetchall()
                shown = [(row[0], row[1], list(row[2:])) for row in rows]
    except (duckdb.Error, OSError):  # OSError: a part is no longer a regular file (the Arrow check reports it)
        return None
    return int(nulls), null_rows, int(total), shown


def orphans(child: TableData, fields: list[str], parent: TableData, ref_fields: list[str],
            limit: int) -> tuple[int, list[tuple[int, list[Any]]]] | None:
    """Rows of ``child`` whose ``fields`` (all present) match no row of ``parent``'s ``ref_fields``.

    DuckDB joins when either side has :data:`MIN_ROWS` rows or more: the Arrow join holds the parent's key
    columns and their distinct values whole (a 40,000-row child of a 3M-row parent held 540 MB), where DuckDB
    builds its hash table within :data:`MEMORY_LIMIT`. A parent of more than :data:`PARTITION_ROWS` rows is
    joined a part at a time, the rows of both sides whose key hashes to the part (equal keys hash alike, so a
    row's match is in its own part): the hash table of a part fits the limit, where that of every key spills
    (3.25M keys: 170 MB more than the process held, 115 MB in 4 parts) and failed with 100M keys. A child
    without rows has no orphan.

    Returns:
        (how many, the first ``limit`` as (row, key values)), or None when DuckDB could not do it, both
        sides are small, or the key types of the two sides differ (the Arrow check compares those as text).
    """
    import duckdb

    least = 0 if parent.num_rows >= MIN_ROWS else MIN_ROWS
    if not (usable(child, fields, min_rows=least) and usable(parent, ref_fields, min_rows=0)) or \
            any(child.types[f] != parent.types[r] for f, r in zip(fields, ref_fields)):
        return None
    if child.num_rows == 0:
        return 0, []
    keys = _keys(len(fields))
    present = " AND ".join(f"c.{k} IS NOT NULL" for k in keys)
    match = " AND ".join(f"p.{k} = c.{k}" for k in keys)
    parts = partitions(parent.num_rows)
    total, rows = 0, []
    try:
        with _connect() as con:
            for part in range(parts):
                parent_keys = (f"(SELECT DISTINCT {', '.join(keys)} FROM ({_rows(parent, ref_fields, numbered=False)}) "
                               f"WHERE {_in_part(keys, part, parts)}) p")
                where = f"{present} AND {_in_part(_keys(len(fields), 'c.'), part, parts)}"
                found = con.execute(f"SELECT count(*) FROM ({_rows(child, fields, numbered=False)}) c ANTI JOIN {parent_keys} "
                                    f"ON {match} WHERE {where}").fetchall()[0][0]
                total += found
                rows += con.execute(f"SELECT c.__row, {', '.join(_keys(len(fields), 'c.'))} FROM ({_rows(child, fields)}) c "
                                    f"ANTI JOIN {parent_keys} ON {match} WHERE {where} ORDER BY c.__row "
                                    f"LIMIT {int(limit)}").fetchall() if found else []
    except (duckdb.Error, OSError):  # OSError: a part is no longer a regular file (the Arrow check reports it)
        return None
    return int(total), [(row[0], list(row[1:])) for row in sorted(rows)[:limit]]


def _in_part(keys: list[str], part: int, parts: int) -> str:
    """SQL: whether a row's ``keys`` hash to part ``part`` of ``parts``."""
    return f"hash({', '.join(keys)}) % {parts} = {part}" if parts > 1 else "true"


def partitions(parent_rows: int) -> int:
    """How many parts :func:`orphans` joins a parent of ``parent_rows`` rows in: one per
    :data:`PARTITION_ROWS` rows, at least one."""
    return max(1, -(-parent_rows // PARTITION_ROWS))


def check_unique(spec: ResourceSpec, data: TableData, name: str, report: Report, repeated: bool = False) -> None:
    """Report values of a ``unique`` field that occur more than once, with DuckDB when it applies (``repeated``:
    the field's hashes were seen to repeat while streaming, see :func:`repeats`)."""
    from dpcheck.flagging import check_unique as arrow_unique, show

    if (name,) in data.distinct_keys:
        return  # no null and no repeat (seen while streaming)
    found = repeats(data, [name], report.limit, repeated) if usable(data, [name]) else None
    if found is None:
        arrow_unique(spec, name, data.column(name), report, first_row=data.first_row)
        return
    _, _, total, shown = found
    if total:
        messages = [f"value {show(values[0])} of a unique field repeats row {first}" for _, first, values in shown]
        report.add_rows("unique-error", messages, resource=spec.name, file=spec.file, field=name,
                        rows=[row for row, _, _ in shown], total=total)
