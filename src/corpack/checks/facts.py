"""The check ``corpack.facts``: rules for corpack's fact tables, found by their columns rather than by name.

It runs only on a package that declares it (``"dpcheck:checks": [..., "corpack.facts"]``, which ``pkg build``
writes), registered with the validator by :mod:`corpack.checking` (see :mod:`dpcheck.plugins`):

- ``quote-mismatch``: in every resource other than ``documents`` and ``paragraphs`` that has the columns
  ``doc_id``, ``char_start``, ``char_end`` and ``quote``, when the package has a ``documents`` resource with
  ``doc_id`` and ``text``: each row's offsets fit its document (``0 <= char_start < char_end <= len(text)``,
  in code points) and ``quote == documents.text[char_start:char_end]``. Rows whose doc_id is not a
  document are left to the foreign key check (see :func:`corpack.checks.spans.check_span_tables`, which reads
  documents.text once for all the fact tables).
- ``list-count``: in a resource named ``designations`` with ``doc_id``, ``list_title`` and
  ``stated_count``, every (doc_id, list_title) group (both present) whose non-null ``stated_count`` differs
  from the number of rows in the group; one finding per group, at the group's first row.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from corpack.checks.corpus import has_columns
from corpack.checks.spans import SpanTable, check_span_tables
from corpack.checks.windows import Found, by_document
from dpcheck.plugins import Table, Tables, plural, show
from dpcheck.report import Report

#: The finding codes of ``corpack.facts``, with what each means.
CODES: dict[str, str] = {
    "quote-mismatch": "a fact's offsets do not fit its document, or its quote is not documents.text[char_start:char_end]",
    "list-count": "a designations list's stated_count differs from the number of rows listed under it",
}

_NOT_FACTS = frozenset({"documents", "paragraphs"})


def check_list_counts(designations: Table, report: Report) -> None:
    """Report (doc_id, list_title) groups whose stated_count is not their number of rows (read a few documents
    at a time, see :func:`corpack.checks.windows.by_document`)."""

    def check(window: pa.Table, found: list[Found]) -> None:
        table = window.filter(pc.and_(pc.is_valid(window.column("doc_id")), pc.is_valid(window.column("list_title"))))
        if table.num_rows == 0:
            return
        groups = table.group_by(["doc_id", "list_title"], use_threads=False).aggregate(
            [("__row", "count"), ("__row", "min"), ("stated_count", "min"), ("stated_count", "max")]
        )
        count = pc.cast(groups.column("__row_count"), pa.int64())
        low, high = pc.cast(groups.column("stated_count_min"), pa.int64()), pc.cast(groups.column("stated_count_max"), pa.int64())
        bad = pc.fill_null(pc.or_(pc.not_equal(low, count), pc.not_equal(high, count)), False)
        groups = groups.filter(bad).sort_by("__row_min")
        shown = groups.slice(0, found[0].room).to_pylist()
        found[0].total += groups.num_rows
        messages = []
        for group in shown:
            stated = group["stated_count_min"] if group["stated_count_min"] == group["stated_count_max"] else \
                f"{group['stated_count_min']} to {group['stated_count_max']}"
            messages.append(f"list {show(group['list_title'], 40)} of document {show(group['doc_id'])} states {stated} "
                            f"items but has {plural(group['__row_count'], 'row')}")
        found[0].keep([group["__row_min"] for group in shown], messages)

    [found] = by_document(designations, ["doc_id", "list_title", "stated_count"], check, 1, report.limit)
    found.report(report, "list-count", designations, "stated_count")


def run(tables: Tables, report: Report) -> None:
    """Run the fact-table checks that the package's tables allow.

    Raises:
        SourceError: when a column cannot be read.
    """
    docs = tables.get("documents")
    if has_columns(docs, doc_id="text", text="text"):
        facts = [SpanTable(table, "quote", "quote-mismatch") for name, table in tables.items()  # in the descriptor's order
                 if name not in _NOT_FACTS and has_columns(table, doc_id="text", char_start="int", char_end="int", quote="text")]
        check_span_tables(docs, facts, report)  # documents.text read once for all of them
        docs.release()
    designations = tables.get("designations")
    if has_columns(designations, doc_id="text", list_title="text", stated_count="int"):
        check_list_counts(designations, report)
