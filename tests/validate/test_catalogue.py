"""The error catalogue as data (#14): every code is documented, has a tiny package that produces it, and its
findings read as its template says.

Parametrised over :data:`dpcheck.codes.CATALOGUE`, as sqlite-utils' tests/test_docs.py is over its
commands: a code added to the catalogue without a fixture here, or without its line in docs/validation.md,
fails a test.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dpcheck import Report, validate_package
from dpcheck.codes import BY_CODE, CATALOGUE, CODES, NOTICES, Code, is_error, markdown

DOCS = Path(__file__).resolve().parents[2] / "docs" / "validation.md"
SCHEMA = {"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]}
CSV = "id,name\n1,a\n2,b\n"


def _folder(root: Path, csv: str = CSV, schema: dict[str, Any] | None = None, **resource: Any) -> Path:
    """A one-resource CSV package in ``root`` (resource ``t``, file ``t.csv``); ``resource`` overrides keys."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "t.csv").write_bytes(csv.encode("utf-8") if isinstance(csv, str) else csv)
    item = {"name": "t", "path": "t.csv", "schema": SCHEMA if schema is None else schema, **resource}
    (root / "datapackage.json").write_text(json.dumps({"resources": [item]}), encoding="utf-8")
    return root


def _zip(root: Path, sums: str | None, extra: dict[str, bytes] | None = None) -> Path:
    """A release-like zip of a valid package under ``p/``, with ``sums`` as its SHA256SUMS."""
    folder = _folder(root / "src")
    target = root / "release.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted(folder.iterdir()):
            archive.write(path, f"p/{path.name}")
        if sums is not None:
            archive.writestr("p/SHA256SUMS", sums)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return target


def _good_sums(root: Path) -> str:
    folder = _folder(root / "sums")
    return "".join(f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n" for n in ("datapackage.json", "t.csv"))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


#: code -> (builds a package in the folder given, returns (path, validate_package keyword arguments)).
FIXTURES: dict[str, Callable[[Path], tuple[Path, dict[str, Any]]]] = {
    "package-error": lambda d: (_write(d, "[]"), {}),
    "resource-error": lambda d: (_folder(d, bytes="12"), {}),
    "schema-error": lambda d: (_folder(d, schema={"fields": [{"name": "id", "type": "integr"}, {"name": "name"}]}), {}),
    "unsafe-path": lambda d: (_folder(d, path="../t.csv"), {}),
    "scheme-error": lambda d: (_folder(d, path="https://example.org/t.csv"), {}),
    "not-checked": lambda d: (_folder(d, path="https://example.org/t.csv"), {"trusted": True}),
    "archive-hash": lambda d: (_zip(d, None), {"sha256": "0" * 64}),
    "sums-error": lambda d: (_zip(d, _good_sums(d) + "not a line\n"), {}),
    "member-hash": lambda d: (_zip(d, _good_sums(d).replace(_good_sums(d)[:64], _sha("x"), 1)), {}),
    "member-missing": lambda d: (_zip(d, _good_sums(d) + f"{_sha('y')}  gone.csv\n"), {}),
    "member-unlisted": lambda d: (_zip(d, _good_sums(d), {"p/payload.sh": b"echo hi\n"}), {}),
    "source-error": lambda d: (_folder(d, path="absent.csv"), {}),
    "hash-count": lambda d: (_folder(d, hash="sha256:" + _sha("other")), {}),
    "byte-count": lambda d: (_folder(d, bytes=3), {}),
    "encoding-error": lambda d: (_folder(d, "id,name\n1,caf\xe9\n".encode("latin-1")), {}),
    "blank-label": lambda d: (_folder(d, "id,\n1,a\n"), {}),
    "duplicate-label": lambda d: (_folder(d, "id,id\n1,a\n"), {}),
    "missing-label": lambda d: (_folder(d, "id\n1\n"), {}),
    "extra-label": lambda d: (_folder(d, "id,name,more\n1,a,x\n"), {}),
    "incorrect-label": lambda d: (_folder(d, "id,title\n1,a\n"), {}),
    "extra-cell": lambda d: (_folder(d, "id,name\n1,a,x\n"), {}),
    "missing-cell": lambda d: (_folder(d, "id,name\n1\n"), {}),
    "blank-row": lambda d: (_folder(d, "id,name\n1,a\n,\n"), {}),
    "type-error": lambda d: (_folder(d, "id,name\nx,a\n"), {}),
    "constraint-error": lambda d: (_folder(d, schema={"fields": [{"name": "id", "type": "integer", "constraints": {"minimum": 5}},
                                                                 {"name": "name"}]}), {}),
    "unique-error": lambda d: (_folder(d, "id,name\n1,a\n2,a\n", schema={"fields": [{"name": "id", "type": "integer"},
                                                                                     {"name": "name", "constraints": {"unique": True}}]}), {}),
    "primary-key": lambda d: (_folder(d, "id,name\n1,a\n1,b\n", schema={**SCHEMA, "primaryKey": "id"}), {}),
    "foreign-key": lambda d: (_folder(d, "id,name\n1,a\n2,9\n", schema={
        "fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "integer"}],
        "foreignKeys": [{"fields": "name", "reference": {"fields": "id"}}]}), {}),
}


def _write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "datapackage.json").write_text(text, encoding="utf-8")
    return folder


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching what ``template`` renders to, whatever fills its placeholders (``{hint}``,
    a suggestion after a semicolon, may be left out)."""
    out, rest = [], template
    for match in re.finditer(r"\{[^{}]*\}", template):
        out.append(re.escape(rest[: match.start() - (len(template) - len(rest))]))
        out.append("(; .+)?" if match.group() == "{hint}" else ".+")
        rest = template[match.end():]
    out.append(re.escape(rest))
    return re.compile("".join(out), re.DOTALL)


def _produce(code: str, tmp_path: Path) -> Report:
    path, options = FIXTURES[code](tmp_path / code)
    return validate_package(path, **options)


def test_every_code_has_a_fixture_and_every_fixture_a_code_14() -> None:
    assert set(FIXTURES) == set(CODES)


@pytest.mark.parametrize("code", [entry.code for entry in CATALOGUE])
def test_fixture_produces_its_code_14(code: str, tmp_path: Path) -> None:
    report = _produce(code, tmp_path)
    assert code in {c for _, c in report.counts}, report.findings
    assert {c for _, c in report.counts} <= set(CODES)
    assert report.valid == all(not is_error(c) for _, c in report.counts)


@pytest.mark.parametrize("entry", CATALOGUE, ids=lambda e: e.code)
def test_catalogue_entry_is_complete_14(entry: Code) -> None:
    assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)*", entry.code)
    assert entry.title and entry.title[0].isupper()
    assert entry.description.endswith(".") and len(entry.description) > 20
    assert entry.stage in ("descriptor", "archive", "files", "tables")
    assert entry.render(**dict.fromkeys(entry.placeholders, "X"))
    assert BY_CODE[entry.code] is entry


def test_codes_are_unique_and_notices_are_the_marked_ones_14() -> None:
    assert len({entry.code for entry in CATALOGUE}) == len(CATALOGUE)
    assert NOTICES == {"not-checked"}
    assert not is_error("not-checked") and is_error("type-error")


@pytest.mark.parametrize("code", [entry.code for entry in CATALOGUE])
def test_findings_read_as_the_template_says_14(code: str, tmp_path: Path) -> None:
    pattern = _pattern(BY_CODE[code].template)
    messages = [f.message for f in _produce(code, tmp_path).findings if f.code == code]
    assert messages and all(pattern.fullmatch(message) for message in messages), (BY_CODE[code].template, messages)


def test_render_names_a_missing_placeholder_14() -> None:
    with pytest.raises(KeyError, match="path"):
        BY_CODE["member-missing"].render()
    assert BY_CODE["member-missing"].render(path="x.csv") == "SHA256SUMS lists 'x.csv', which the archive does not hold"


def test_docs_hold_the_catalogue_table_14() -> None:
    """docs/validation.md holds the table :func:`markdown` writes (``python -m tests.regen`` refreshes it)."""
    text = DOCS.read_text(encoding="utf-8")
    assert markdown() in text
    for entry in CATALOGUE:
        assert f"`{entry.code}`" in text


def test_markdown_lists_every_code_in_catalogue_order_14() -> None:
    rows = [line.split("|")[1].strip().strip("`") for line in markdown().splitlines()[2:]]
    assert rows == [entry.code for entry in CATALOGUE]
