"""The package as the site sees it: descriptor, resources with their schema, rows sorted by primary key.

Field names, titles and descriptions come from each resource's schema in ``datapackage.json``, never from a
list in this code, so a column another build adds (``documents.title_source``) shows up on its own. A *fact
resource* is one whose schema has ``doc_id``, ``char_start``, ``char_end`` and ``quote``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpack.loading import load

#: Columns that make a resource a fact table (each row points at words of ``documents.text``).
SPAN_FIELDS = ("doc_id", "char_start", "char_end", "quote")
_SAFE_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass(frozen=True)
class Resource:
    """One resource: its name, schema fields (dicts as in the descriptor), primary key and its rows as an Arrow
    table sorted by that key."""

    name: str
    description: str
    fields: list[dict[str, Any]]
    primary_key: list[str]
    table: pa.Table
    index: int  # position among the descriptor's resources: the colour of its facts

    @classmethod
    def of_rows(cls, name: str, description: str, fields: list[dict[str, Any]], primary_key: list[str],
                rows: list[dict[str, Any]], index: int) -> Resource:
        """A resource from rows given as dicts (in the order given), e.g. to render a made-up package."""
        names = [f["name"] for f in fields]
        table = pa.Table.from_pylist([{n: row.get(n) for n in names} for row in rows]) if rows else \
            pa.table({n: pa.array([], pa.string()) for n in names})
        return cls(name, description, fields, primary_key, table, index)

    @property
    def names(self) -> list[str]:
        """The field names, in schema order."""
        return [f["name"] for f in self.fields]

    @property
    def is_fact(self) -> bool:
        """Whether each row is a span of a document's text."""
        return all(name in self.names for name in SPAN_FIELDS)

    @property
    def num_rows(self) -> int:
        """How many rows the resource has."""
        return self.table.num_rows

    @cached_property
    def rows(self) -> list[dict[str, Any]]:
        """Every row as a dict (for small resources: a million rows as dicts take a minute)."""
        return self.table.to_pylist()

    def key(self, row: dict[str, Any], number: int) -> str:
        """The row's primary key as one string (values joined by ``/``); ``#number`` when there is none."""
        if not self.primary_key:
            return f"#{number}"
        return "/".join(cell(row.get(name)) for name in self.primary_key)


@dataclass
class SitePackage:
    """What a site is built from: the descriptor and every resource, ``documents`` first."""

    descriptor: dict[str, Any]
    resources: list[Resource] = field(default_factory=list)

    def get(self, name: str) -> Resource | None:
        """The resource called ``name``, or None."""
        return next((r for r in self.resources if r.name == name), None)

    @property
    def facts(self) -> list[Resource]:
        """The fact resources, in descriptor order."""
        return [r for r in self.resources if r.is_fact]


def cell(value: Any) -> str:
    """A value as the site prints it: '' for null, ISO for dates, ``true``/``false``, numbers without a trailing .0."""
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese characters or punctuation (its element then gets ``lang="zh"``)."""
    return _CJK.search(text) is not None


def page_name(doc_id: str) -> str:
    """The file name of a document's pages: the doc_id when it is a plain ASCII name, else a hash of it."""
    if _SAFE_FILE.fullmatch(doc_id) and doc_id == doc_id.lower():
        return f"{doc_id}.html"
    return f"doc-{hashlib.sha256(doc_id.encode('utf-8')).hexdigest()[:16]}.html"


def _sorted(table: pa.Table, key: list[str]) -> pa.Table:
    """``table`` sorted by ``key``. A table already in order (as corpack writes them) is kept as it was read, not
    copied: taking every row of a 3 million row package cost seconds, and a second copy of every table (one
    chunk a column) doubled the memory the site needs; the pages combine the chunks of a block of rows at a time."""
    if key and not _in_order(table, key):
        order = pc.sort_indices(table, [(name, "ascending") for name in key])
        if not pc.all(pc.equal(order, pa.array(np.arange(len(order), dtype=np.uint64)))).as_py():
            table = table.take(order)
    return table


def _in_order(table: pa.Table, key: list[str]) -> bool:
    """Whether every row's key is at most the next row's (compared as the sort compares them), found by comparing
    neighbours instead of sorting; a null or a value that does not compare (NaN) answers False, for the sort to
    settle. Equal keys keep their order, as the (stable) sort would."""
    if table.num_rows < 2:
        return True
    later: pa.ChunkedArray | None = None  # the rows are in order as far as the key's later columns say
    for name in reversed(key):
        column = table.column(name)
        if column.null_count:
            return False
        before, after = column.slice(0, len(column) - 1), column.slice(1)
        if later is None:
            later = pc.less_equal(before, after)
        else:
            later = pc.or_(pc.less(before, after), pc.and_(pc.equal(before, after), later))
    return bool(pc.all(later).as_py()) and not later.null_count


def read_package(path: Path | str) -> SitePackage:
    """Read a package (folder or release archive) through :func:`corpack.load`, checksums checked.

    Raises:
        PackageError, IntegrityError: as :func:`corpack.load` does for a package it cannot read.
    """
    data = load(path)
    descriptor = data.descriptor
    site = SitePackage(descriptor)
    for index, spec in enumerate(descriptor.get("resources", [])):
        name = spec.get("name")
        if name not in data:
            continue
        schema = spec.get("schema") if isinstance(spec.get("schema"), dict) else {}
        fields = [f for f in schema.get("fields", []) if isinstance(f, dict) and "name" in f]
        names = [f["name"] for f in fields]
        key = schema.get("primaryKey") or []
        key = [key] if isinstance(key, str) else [k for k in key if k in names]
        table = data[name]
        fields += [{"name": n, "type": "any"} for n in table.column_names if n not in names]
        site.resources.append(Resource(name, str(spec.get("description", "")), fields, key, _sorted(table, key), index))
    site.resources.sort(key=lambda r: (r.name != "documents", r.index))
    return site
