"""Stage 3, tables: turn one decoded and cleaned document into its rows (documents, paragraphs and the fact
tables of :mod:`corpack.extract`), and write rows as Parquet.

Rows are plain dicts keyed by the field names of ``schemas/``; :class:`TableWriter` checks every batch
against the schema's field list, so a field renamed in the schema and not here fails the build loudly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpack.clean import COUNTERS, Cleaned
from corpack.extract import Document, Paragraph, extract_all
from corpack.errors import SchemaError
from corpack.schemas import arrow_schema, field_names
from corpack.sources import Source

#: Parquet writer settings, set in this one place so every build writes the same bytes. zstd level 6: about
#: half the CPU of level 9 (the build's process writes while its workers extract, on the same cores) for files
#: about 5 % larger (the 4 MB generated corpus: 0.42 against 0.76 s, 4.08 against 3.89 MB).
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 6,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
    "version": "2.6",
    "store_schema": True,
}


@dataclass
class DocumentRows:
    """The rows one document contributes: one ``documents`` row, its ``paragraphs`` rows, its fact rows
    per fact resource, and the spans the extractors passed over on purpose ``(extractor, quote, reason)``."""

    document: dict[str, Any]
    paragraphs: list[dict[str, Any]]
    facts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    skipped: list[tuple[str, str, str]] = field(default_factory=list)

    def rows(self, resource: str) -> list[dict[str, Any]]:
        """The rows this document contributes to ``resource``."""
        if resource == "documents":
            return [self.document]
        if resource == "paragraphs":
            return self.paragraphs
        return self.facts.get(resource, [])


def document_rows(source: Source, cleaned: Cleaned) -> DocumentRows:
    """Build the rows of one document.

    Metadata precedence: the manifest (a human's word) first, then what the page itself states; the title's
    and the date's sources say which (``manifest``, or the page's: see :mod:`corpack.clean.metadata`).
    """
    text = cleaned.text
    meta = {**cleaned.metadata, **source.metadata}
    for name in ("title", "published"):
        meta[f"{name}_source"] = "manifest" if source.metadata.get(name) else cleaned.metadata.get(f"{name}_source")
    document = {
        "doc_id": source.doc_id,
        "file": source.file,
        "title": meta.get("title"),
        "title_source": meta.get("title_source") if meta.get("title") else None,
        "publisher": meta.get("publisher"),
        "region": meta.get("region"),
        "published": meta.get("published"),
        "published_source": meta.get("published_source") if meta.get("published") else None,
        "source_url": meta.get("source_url"),
        "encoding": source.encoding,
        "undecodable_bytes": source.undecodable_bytes,
        "raw_bytes": source.raw_bytes,
        "raw_sha256": source.raw_sha256,
        "text": text,
        "n_chars": len(text),
        "n_paragraphs": len(cleaned.paragraphs),
        **{name: cleaned.counts[name] for name in COUNTERS},
    }
    paragraphs = [
        {
            "doc_id": source.doc_id,
            "para_no": number,
            "kind": para.kind,
            "text": para.text,
            "char_start": start,
            "char_end": end,
            "copies_in_source": para.copies,
            "repaired_chars": para.repaired,
            "unrecoverable_chars": para.unrecoverable,
        }
        for number, (para, (start, end)) in enumerate(zip(cleaned.paragraphs, cleaned.spans()), start=1)
    ]
    doc = Document(
        source.doc_id,
        text,
        [Paragraph(p["para_no"], p["kind"], p["char_start"], p["char_end"], p["unrecoverable_chars"]) for p in paragraphs],
        document["region"],
    )
    facts = extract_all(doc)
    return DocumentRows(document, paragraphs, facts, doc.skipped)


class TableWriter:
    """Stream rows of one resource into a Parquet file, one row group per :meth:`write` call.

    Args:
        path: the Parquet file to create.
        schema: the resource's Table Schema (from ``schemas/``).
    """

    def __init__(self, path: Path, schema: dict[str, Any]) -> None:
        self.names = field_names(schema)
        self.schema = arrow_schema(schema)
        self.rows = 0
        self._writer = pq.ParquetWriter(str(path), self.schema, **PARQUET_OPTIONS)

    def write(self, rows: list[dict[str, Any]] | pa.Table) -> None:
        """Write ``rows`` (in primary-key order) as one row group: dicts, or an Arrow table of the schema's
        types (rows packed by :mod:`corpack.rowpack`, written as they are).

        Raises:
            SchemaError: when a row's keys are not exactly the schema's fields, a table's schema is not the
                resource's, or a value does not fit its declared type.
        """
        if isinstance(rows, pa.Table):
            table = rows
            if not table.schema.equals(self.schema, check_metadata=True):
                raise SchemaError(f"a table with fields {table.schema.names} is not of the schema declaring {self.names}")
        else:
            if not rows:
                return
            if list(rows[0]) != self.names:  # every row of a batch comes from the same builder
                raise SchemaError(f"rows have fields {list(rows[0])} but the schema declares {self.names}")
            columns = {name: [row[name] for row in rows] for name in self.names}
            try:
                table = pa.table(columns, schema=self.schema)
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                raise SchemaError(f"a value does not fit its declared type: {exc}") from None
        if not table.num_rows:
            return
        self._writer.write_table(table, row_group_size=table.num_rows)
        self.rows += table.num_rows

    def close(self) -> None:
        """Finish the file (writes the footer)."""
        self._writer.close()

    def abandon(self) -> None:
        """Close the file of a failed build without raising (a full disk fails the footer too), so that
        pyarrow does not retry at garbage collection and print a traceback."""
        try:
            self._writer.close()
        except Exception:  # noqa: BLE001 - the build has already failed; its first error is the one reported
            pass
        self._writer.is_open = False
