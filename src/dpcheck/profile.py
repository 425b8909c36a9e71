"""Stage 1, the profile part: a descriptor and its resources against the Data Package profile, with frictionless.

:func:`vet_profile` keeps only official ``$schema``/``profile`` values (a custom profile is never fetched:
a ``not-checked`` notice); :func:`check_profile` runs frictionless's metadata validation on the package and
on each resource (as sanitised by :mod:`~dpcheck.descriptor`, so nothing is opened or fetched) and
turns its errors into findings that name the resource.
"""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING, Any

from frictionless import FrictionlessException, Package
from frictionless.metadata import ValidationContext

from dpcheck.frictionless_types import spec_resource
from dpcheck.report import Finding, Report

if TYPE_CHECKING:
    from dpcheck.descriptor import ResourceSpec

_BUILTIN_PROFILES = {"data-package", "tabular-data-package", "data-resource", "tabular-data-resource"}
# The official profile URLs: Data Package v2 (https://datapackage.org/profiles/2.0/...) and v1 (1.0, or the
# older specs.frictionlessdata.io/schemas/...). A datapackage.org URL with another version is an error.
_OFFICIAL = re.compile(r"^https?://datapackage\.org/profiles/(?P<version>[^/]+)/(?P<kind>[a-z-]+)\.json$")
_V1_URL = re.compile(r"^https?://specs\.frictionlessdata\.io/schemas/(?P<kind>[a-z-]+)\.json$")
_KNOWN_VERSIONS = {"1.0", "2.0"}
# frictionless error types -> our codes; anything else keeps the level it was found at.
_ERROR_CODES = {
    "package-error": "package-error",
    "resource-error": "resource-error",
    "schema-error": "schema-error",
    "field-error": "schema-error",
    "dialect-error": "resource-error",
}


def vet_profile(item: dict[str, Any], code: str, name: str | None, file: str | None, report: Report) -> None:
    """Check a package's or resource's ``$schema`` (v2) and ``profile`` (v1); keep only official values.

    A value that is not a string, or a datapackage.org profile URL of a version other than 1.0 and 2.0, is
    reported as ``code`` and removed; any other custom profile is removed with a ``not-checked`` notice, as
    it is never fetched. Official values stay in ``item`` for frictionless to check (and to tell v1 from v2).
    """
    for key in ("$schema", "profile"):
        if key not in item:
            continue
        value = item[key]
        official = _OFFICIAL.match(value) if isinstance(value, str) else None
        if not isinstance(value, str):
            report.add(Finding(code, f"{key} must be a string, not {type(value).__name__}", name, file))
        elif official and official.group("version") not in _KNOWN_VERSIONS:
            message = f"{key} {show_value(value)} names Data Package version {official.group('version')!r}; only 1.0 and 2.0 exist"
            report.add(Finding(code, message, name, file))
        elif official or _V1_URL.match(value) or value in _BUILTIN_PROFILES:
            continue
        else:
            report.add(Finding("not-checked", f"custom profile {show_value(value)} is never fetched, so not checked", name, file))
        del item[key]


#: Field types whose values a ``jsonSchema`` constraint describes (Table Schema v2).
JSON_SCHEMA_TYPES = ("object", "array")


def for_frictionless(schema: dict[str, Any]) -> dict[str, Any]:
    """A copy of a Table Schema that frictionless's profile check reads as the spec means it.

    frictionless validates the descriptor as written, before its own v1 normalisation, and knows no v2
    ``jsonSchema`` constraint; so, as :mod:`dpcheck.model` reads them:

    - a v1 string ``primaryKey``, or a foreign key's string ``fields``, becomes a one-item list;
    - a foreign key whose ``reference`` has no ``resource`` gets ``""`` (a self-reference, as v2 says);
    - a repeated field name (v2 allows it) is renamed in the copy, so that frictionless does not call the
      names "not unique" (keys naming it still mean its first occurrence);
    - ``jsonSchema`` is removed from the constraints of object and array fields (checked by
      :mod:`~dpcheck.schemarules`); on any other type it stays, and frictionless reports it unsupported.
    """
    clean = copy.deepcopy(schema)
    if isinstance(clean.get("primaryKey"), str):
        clean["primaryKey"] = [clean["primaryKey"]]
    for fk in clean.get("foreignKeys") if isinstance(clean.get("foreignKeys"), list) else []:
        if not isinstance(fk, dict):
            continue
        if isinstance(fk.get("fields"), str):
            fk["fields"] = [fk["fields"]]
        reference = fk.get("reference")
        if isinstance(reference, dict):
            reference.setdefault("resource", "")
            if isinstance(reference.get("fields"), str):
                reference["fields"] = [reference["fields"]]
    fields = clean.get("fields") if isinstance(clean.get("fields"), list) else []
    taken = {item["name"] for item in fields if isinstance(item, dict) and isinstance(item.get("name"), str)}
    seen: set[str] = set()
    for item in fields:
        if not isinstance(item, dict):
            continue
        name = item.get("name")
        if isinstance(name, str) and name in seen:
            number = 2
            while f"{name}{number}" in taken:
                number += 1
            item["name"] = f"{name}{number}"
            taken.add(item["name"])
        seen.add(name if isinstance(name, str) else "")
        constraints = item.get("constraints")
        if item.get("type") in JSON_SCHEMA_TYPES and isinstance(constraints, dict):
            constraints.pop("jsonSchema", None)
    return clean


def show_value(value: Any, width: int = 80) -> str:
    """``repr(value)`` cut to ``width`` characters, for messages about descriptor values."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


def _frictionless_errors(validate: Any, default: str, spec: ResourceSpec | None, report: Report, *, only_own: bool = False,
                         descriptor_name: str = "datapackage.json") -> None:
    """Run one frictionless metadata validation and turn its errors (or its exception) into findings.

    With ``only_own``, errors frictionless raised for nested objects (not of type ``default``) are dropped.
    Package-level findings name the file ``descriptor_name``; a resource without a name is named in the
    message by its path, as nothing else would tell which one is meant.
    """
    name, file = (spec.name, spec.file) if spec else (None, descriptor_name)
    which = "" if spec is None or spec.name is not None else f" (the resource {'at ' + repr(file) if file else 'with no path'})"
    try:
        errors = list(validate())
    except FrictionlessException as exc:
        errors = list(exc.reasons) or [exc.error]
    except (RecursionError, TypeError, ValueError, AttributeError, KeyError) as exc:
        # frictionless trips over some malformed descriptors instead of reporting them
        report.add(Finding(default, f"descriptor cannot be checked against the Data Package profile: {type(exc).__name__}: {exc}", name, file))
        return
    for error in errors:
        code = _ERROR_CODES.get(error.type, default)
        if only_own and code != default:
            continue
        if code == "package-error" and spec is not None:
            code = default
        report.add(Finding(code, f"not valid against the Data Package profile{which}: {error.note}", name, file))


def check_profile(descriptor: dict[str, Any], clean_resources: list[tuple[ResourceSpec, dict[str, Any]]], report: Report,
                  descriptor_name: str = "datapackage.json") -> None:
    """Check the package and each resource against the Data Package profile, with frictionless; package-level
    findings name the file ``descriptor_name`` (``datapackage.yaml`` for a YAML descriptor)."""
    package = copy.deepcopy(descriptor)
    vet_profile(package, "package-error", None, descriptor_name, report)
    resources = package.get("resources")
    if isinstance(resources, list):
        # Resources are checked one by one below, so that each finding names its resource.
        package["resources"] = [item for item in resources if not isinstance(item, dict)]
    # When "resources" is an object, frictionless also validates it as if it were one resource: noise.
    noisy = "resources" in package and not isinstance(resources, list)
    _frictionless_errors(lambda: Package.metadata_validate(package), "package-error", None, report, only_own=noisy,
                         descriptor_name=descriptor_name)
    version = Package.effective_datapackage_version(package, None)
    context = ValidationContext(datapackage_version=version)

    def validate_resource(item: dict[str, Any]) -> Any:
        return spec_resource(item.get("type")).metadata_validate(item, context=context)

    for spec, item in clean_resources:
        _frictionless_errors(lambda item=item: validate_resource(item), "resource-error", spec, report)
