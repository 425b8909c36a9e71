"""Fixtures: a small, valid corpus package built by hand, and a factory for mutated copies.

The package is written the way the build writes one (zstd Parquet with the real Table Schemas, a v2
descriptor with sha256 hashes, sorted JSON), but without the build, so the validator is tested on its own.
A test changes rows, tables or the descriptor and gets a package whose hashes still match, so that the
only thing wrong with it is the defect under test.
"""

from __future__ import annotations

import copy
import datetime
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq
import pytest

from corpack.schemas import arrow_schema, load_schema
from dpcheck import CODES, Report

PARAGRAPHS = {
    "news/2021/001": ["关于开展安全检查的通知", "各区县：现将有关事项通知如下。", "一、检查范围覆盖全市。"],
    "news/2021/002": ["市政府召开常务会议", "会议研究了民生工程，部署下一步工作。"],
    "news/2022/003": ["Mixed 标题 with ASCII", "第二段：mixed text 与中文。", "第三段。", "结束。"],
}
Rows = list[dict[str, Any]]


def corpus_rows(texts: dict[str, list[str]] | None = None) -> tuple[Rows, Rows]:
    """Return fresh (documents, paragraphs) rows whose offsets, counts and checksums agree.

    ``texts`` maps doc_id to its paragraphs (default :data:`PARAGRAPHS`).
    """
    documents, paragraphs = [], []
    for i, (doc_id, paras) in enumerate(sorted((texts or PARAGRAPHS).items())):
        text = "\n".join(paras)
        raw = text.encode("utf-8")
        documents.append({
            "doc_id": doc_id, "file": f"{doc_id}.html", "title": paras[0], "publisher": "市政府办公室" if i else None,
            "region": "上海市", "published": None if i % 3 == 2 else datetime.date(2021, 3, i % 28 + 1),
            "source_url": None, "encoding": "utf-8", "raw_bytes": len(raw), "raw_sha256": hashlib.sha256(raw).hexdigest(),
            "text": text, "n_chars": len(text), "n_paragraphs": len(paras), "control_chars_removed": 0, "undecodable_bytes": 0, "conversion_repairs": 0,
            "html_removed": 3, "repaired_chars": 0, "unrecoverable_chars": 0, "boilerplate_lines_removed": 1,
            "lines_joined": 0, "duplicate_paragraphs_removed": 0,
        })
        start = 0
        for no, para in enumerate(paras, start=1):
            paragraphs.append({
                "doc_id": doc_id, "para_no": no, "kind": "title" if no == 1 else "body", "text": para,
                "char_start": start, "char_end": start + len(para), "copies_in_source": 1,
                "repaired_chars": 0, "unrecoverable_chars": 0,
            })
            start += len(para) + 1
    return documents, paragraphs


def write_tables(folder: Path, fmt: str, tables: dict[str, pa.Table], schemas: dict[str, Any]) -> Path:
    """Write ``tables`` into a new ``folder`` as a package of resources of their names, each a ``fmt`` file
    ("parquet" or "csv", as pyarrow writes them: a null as an empty cell, an empty string as ``""``) with its
    schema from ``schemas``; return the folder."""
    folder.mkdir()
    resources = []
    for name, table in tables.items():
        if fmt == "parquet":
            pq.write_table(table, folder / f"{name}.parquet")
        else:
            pcsv.write_csv(table, folder / f"{name}.csv")
        resources.append({"name": name, "path": f"{name}.{fmt}", "format": fmt, "schema": schemas[name]})
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": resources}), encoding="utf-8")
    return folder


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_package(
    folder: Path,
    documents: Rows | pa.Table,
    paragraphs: Rows | pa.Table,
    edit: Callable[[dict[str, Any]], None] | None = None,
) -> Path:
    """Write a package into ``folder``; ``edit`` may change the descriptor (hashes already filled in)."""
    (folder / "data").mkdir(parents=True)
    resources = []
    for name, rows in (("documents", documents), ("paragraphs", paragraphs)):
        schema = load_schema(name)
        table = rows if isinstance(rows, pa.Table) else pa.Table.from_pylist(rows, schema=arrow_schema(schema))
        path = folder / "data" / f"{name}.parquet"
        pq.write_table(table, path, compression="zstd")
        resources.append({
            "name": name, "type": "table", "path": f"data/{name}.parquet", "format": "parquet",
            "mediatype": "application/vnd.apache.parquet", "hash": f"sha256:{sha256(path)}", "schema": schema,
        })
    descriptor: dict[str, Any] = {
        "$schema": "https://datapackage.org/profiles/2.0/datapackage.json",
        "name": "test-corpus",
        "title": "Test corpus",
        "version": "0.1.0",
        "created": "2024-01-01T00:00:00Z",
        "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/", "title": "CC BY 4.0"}],
        "sources": [{"title": "Hand-written test reports"}],
        "contributors": [{"title": "corpack tests", "roles": ["creator"]}],
        "keywords": ["test", "corpus"],
        "corpack:version": "0.1.0",
        "resources": resources,
    }
    if edit is not None:
        edit(descriptor)
    text = json.dumps(descriptor, sort_keys=True, ensure_ascii=False, indent=2) + "\n"
    (folder / "datapackage.json").write_text(text, encoding="utf-8")
    (folder / "README.md").write_text("# Test corpus\n\nA dataset card.\n", encoding="utf-8")
    return folder


MakePackage = Callable[..., Path]


@pytest.fixture
def make_package(tmp_path: Path) -> MakePackage:
    """Factory: ``make_package(documents=..., paragraphs=..., edit=...)`` writes a package and returns its folder.

    Omitted tables get the clean rows; each call writes a new folder under the test's tmp_path.
    """
    counter = iter(range(1000))

    def make(documents: Rows | pa.Table | None = None, paragraphs: Rows | pa.Table | None = None,
             edit: Callable[[dict[str, Any]], None] | None = None) -> Path:
        clean_documents, clean_paragraphs = corpus_rows()
        folder = tmp_path / f"pkg{next(counter)}" / "datapackage"
        return write_package(
            folder,
            clean_documents if documents is None else copy.deepcopy(documents),
            clean_paragraphs if paragraphs is None else copy.deepcopy(paragraphs),
            edit,
        )

    return make


@pytest.fixture
def package(make_package: MakePackage) -> Path:
    """A clean, valid package folder."""
    return make_package()


def rewrite_descriptor(folder: Path, edit: Callable[[dict[str, Any]], None]) -> None:
    """Edit an existing package's descriptor in place (the data files are left alone)."""
    path = folder / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    edit(descriptor)
    path.write_text(json.dumps(descriptor, sort_keys=True, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def refresh_hash(folder: Path, name: str) -> None:
    """Set resource ``name``'s declared hash to its file's current sha256."""
    file = folder / "data" / f"{name}.parquet"

    def edit(descriptor: dict[str, Any]) -> None:
        for resource in descriptor["resources"]:
            if resource["name"] == name:
                resource["hash"] = f"sha256:{sha256(file)}"

    rewrite_descriptor(folder, edit)


def resource(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    """Return the resource called ``name`` of a descriptor dict."""
    return next(r for r in descriptor["resources"] if r["name"] == name)


@pytest.fixture
def kit() -> SimpleNamespace:
    """The helpers above, for tests: corpus_rows, rewrite_descriptor, refresh_hash, resource, codes."""
    return SimpleNamespace(
        corpus_rows=corpus_rows, rewrite_descriptor=rewrite_descriptor, refresh_hash=refresh_hash,
        resource=resource, codes=codes,
    )


def codes(report: Report) -> set[str]:
    """The codes a report found; checks on the way that each is a documented code."""
    found = {code for _, code in report.counts}
    assert found <= set(CODES), f"undocumented codes: {found - set(CODES)}"
    return found
