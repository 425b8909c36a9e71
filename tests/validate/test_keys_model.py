"""The key checks read the model (#14): foreign keys the checks cannot follow are in Schema.malformed_foreign_keys,
with why, and are reported from there as before; the well-formed ones are checked from Schema.foreign_keys."""

from __future__ import annotations

import json
from pathlib import Path

from dpcheck import validate_package
from dpcheck.frozen import thaw
from dpcheck.model import ForeignKey, Schema

KEYS = [
    {"fields": ["ref"]},  # no reference
    {"fields": ["ref"], "reference": {"resource": 7, "fields": ["id"]}},  # a resource that is not a name
    {"fields": ["ref", "id"], "reference": {"resource": "p", "fields": ["id"]}},  # fields of different lengths
    {"fields": "ref", "reference": {"resource": "p", "fields": "id"}},  # v1 strings: well formed
]


def test_the_model_keeps_the_foreign_keys_it_cannot_follow_with_why_14() -> None:
    schema = Schema.from_descriptor({"fields": [{"name": "id"}, {"name": "ref"}], "foreignKeys": KEYS})
    assert [(thaw(raw), why) for raw, why in schema.malformed_foreign_keys] == [
        (KEYS[0], "malformed"), (KEYS[1], "resource"), (KEYS[2], "malformed")]
    assert schema.foreign_keys[-1] == ForeignKey(("ref",), "p", ("id",))


def test_malformed_foreign_keys_are_reported_and_the_others_checked_14(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text("id\n1\n2\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("id,ref\n1,1\n2,9\n", encoding="utf-8")
    descriptor = {"name": "k", "resources": [
        {"name": "p", "path": "p.csv", "schema": {"fields": [{"name": "id", "type": "integer"}], "primaryKey": "id"}},
        {"name": "c", "path": "c.csv", "schema": {"fields": [{"name": "id", "type": "integer"}, {"name": "ref", "type": "integer"}],
                                                  "foreignKeys": KEYS}}]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    found = [(f.code, f.row, f.message) for f in validate_package(tmp_path).findings if "profile" not in f.message]
    assert found == [
        ("schema-error", None, "foreign key {'fields': ['ref']} is malformed; not checked"),
        ("schema-error", None, "foreign key {'fields': ['ref'], 'reference': {'resource': 7, 'fields': … names its resource "
                               "with a non-string; not checked"),
        ("schema-error", None, "foreign key {'fields': ['ref', 'id'], 'reference': {'resource': 'p', 'f… is malformed; not checked"),
        ("foreign-key", 3, "foreign key (ref) = 9 has no match in p.id"),
    ]
