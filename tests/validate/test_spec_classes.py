"""A package is judged by the spec alone, without frictionless's plug-in system (#14): a field type a
frictionless plug-in adds is still not a Table Schema type, and validating loads no plug-in (their discovery
imports every format frictionless has, a fifth of a second of every run)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from frictionless import Field, Plugin, system

from dpcheck import validate_package


def _package(folder: Path, field_type: str) -> Path:
    (folder / "rows.csv").write_text("id,tag\n1,a\n2,b\n", encoding="utf-8")
    fields = [{"name": "id", "type": "integer"}, {"name": "tag", "type": field_type}]
    descriptor = {"name": "p", "resources": [{"name": "rows", "path": "rows.csv", "schema": {"fields": fields}}]}
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    return folder / "datapackage.json"


@pytest.fixture
def custom_type_plugin() -> Iterator[None]:
    """A frictionless plug-in that adds a field type ``custom`` (as frictionless's own tests register one)."""

    class CustomField(Field):
        type = "custom"

        def create_value_reader(self):  # type: ignore[no-untyped-def]
            return lambda cell: [cell]

    class CustomPlugin(Plugin):
        def select_field_class(self, type):  # type: ignore[no-untyped-def]  # noqa: A002 - frictionless's name
            return CustomField if type == "custom" else None

    system.register("corpack-test-custom", CustomPlugin())
    try:
        yield
    finally:
        system.deregister("corpack-test-custom")


def test_a_field_type_a_frictionless_plugin_adds_is_still_not_a_spec_type_14(tmp_path: Path, custom_type_plugin: None) -> None:
    report = validate_package(_package(tmp_path, "custom"))
    assert not report.valid
    errors = [f for f in report.findings if f.code == "schema-error"]
    assert errors and all(f.resource == "rows" for f in errors)
    assert any('"custom"' in f.message and "not supported" in f.message for f in errors), [f.message for f in errors]


def test_a_spec_field_type_is_valid_with_the_plugin_registered_too_14(tmp_path: Path, custom_type_plugin: None) -> None:
    assert validate_package(_package(tmp_path, "string")).valid


def test_validating_loads_no_frictionless_plugin_14(tmp_path: Path) -> None:
    descriptor = _package(tmp_path, "string")
    code = ("import sys; from frictionless import system; from dpcheck import validate_package\n"
            f"report = validate_package({str(descriptor)!r})\n"
            "print(report.valid, 'plugins' in system.__dict__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
