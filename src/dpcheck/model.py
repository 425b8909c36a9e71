"""The descriptor as a frozen model: parsed once, read by every check, never a raw dict again.

The Data Package and Table Schema specs allow several spellings of one thing (v1 and v2); this module
normalises them so that no check has to, in the manner of frictionless-py's ``Schema.from_descriptor``:

- ``primaryKey: "id"`` (v1 string) and ``["id"]`` are both ``Schema.primary_key == ("id",)``; a foreign
  key's ``fields``/``reference.fields`` likewise become tuples;
- a foreign key whose ``reference.resource`` is omitted or ``""`` is a self-reference:
  ``ForeignKey.resource == ""`` and ``ForeignKey.target(own_name)`` gives the resource's own name;
- ``missingValues`` of strings or v2 ``{"value": ..., "label": ...}`` objects are ``Schema.missing_values``
  (the values, as strings); a field's own ``missingValues`` list replaces the schema's
  (``Field.missing_values`` is then set, else None: use ``Schema.missing_for(field)``);
- ``categories`` as a list of values or of ``{"value", "label"}`` objects are ``Category`` tuples;
- a dialect's v1 ``header: false`` is ``header_rows == ()``, v2 ``headerRows`` is kept as given, and
  frictionless 5's nested ``{"csv": {...}}`` form means the same as the flat keys and wins over them;
- a resource path is a tuple, ``Resource.paths`` (one entry for a plain path): never joined and split.

The Table Schema classes live in :mod:`dpcheck.tableschema` and the read-only values in
:mod:`dpcheck.frozen`; both are re-exported here, so ``dpcheck.model`` is the one import.

Every class hashes (the read-only mappings are left out of the hash), so fields, keys and resources can be
dict keys and set members.

Parsing never raises and never reports: a malformed value (already reported by the profile check and
:mod:`~dpcheck.schemarules`) is read as absent, so checks can trust the types below. Everything is a
frozen dataclass holding tuples; the descriptor pieces kept for libraries that want plain JSON
(``Field.descriptor``, ``Resource.descriptor``, ...) are read-only mappings: :func:`thaw` turns one back
into dicts and lists.

API (engineers of the reading loop and the plug-ins build on this)::

    from dpcheck.model import Package, Resource, Schema, Field, ForeignKey, Dialect, thaw

    package = Package.from_descriptor(descriptor_dict)          # or descriptor.read_package(...)
    for resource in package.resources:
        resource.name, resource.paths, resource.format, resource.encoding, resource.compression
        resource.dialect.delimiter, resource.dialect.header_rows, resource.dialect.comment_rows
        schema = resource.schema                                  # Schema, or None without one
        schema.fields, schema.primary_key, schema.unique_keys, schema.foreign_keys, schema.fields_match
        for field in schema.fields:
            field.name, field.type, field.format, field.constraints, field.categories, field.group_char
        schema.field("id")                                        # first field of that name, or None
    Schema.from_descriptor({"fields": [...], "primaryKey": "id"}).primary_key == ("id",)

Duplicate field names (v2 allows them): ``Schema.fields`` keeps every field in order; a key or reference
naming a repeated field means its FIRST occurrence (``Schema.field``), as documented in docs/validation.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as _attribute
from typing import Any

from dpcheck.frozen import empty, freeze, text, thaw
from dpcheck.tableschema import FIELDS_MATCH, Category, Field, ForeignKey, Schema

__all__ = ["FIELDS_MATCH", "Category", "Dialect", "Field", "ForeignKey", "Package", "Resource", "Schema", "freeze", "thaw"]


def _row_numbers(raw: Any) -> tuple[int, ...] | None:
    """A list of positive row numbers (``headerRows``, ``commentRows``), or None when it is not one."""
    if not isinstance(raw, (list, tuple)):
        return None
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in raw):
        return None
    return tuple(raw)


@dataclass(frozen=True)
class Dialect:
    """A CSV dialect (Table Dialect v1 and v2).

    Attributes:
        delimiter, line_terminator, quote_char, double_quote, escape_char, skip_initial_space: as named.
        null_sequence: v2 ``nullSequence``: a cell spelled so is null, or None.
        header_rows: the rows holding the header (``(1,)`` by default; ``()`` for ``header: false``).
        header_join: how labels of several header rows are joined (``" "`` by default).
        comment_rows: v2 ``commentRows``: rows to skip.
        comment_char: a row starting with it is skipped, or None.
        case_sensitive_header: v2 ``caseSensitiveHeader`` (false by default).
        descriptor: the dialect as given, read-only (the nested ``csv`` form merged in).
    """

    delimiter: str = ","
    line_terminator: str = "\r\n"
    quote_char: str = '"'
    double_quote: bool = True
    escape_char: str | None = None
    null_sequence: str | None = None
    skip_initial_space: bool = False
    header_rows: tuple[int, ...] = (1,)
    header_join: str = " "
    comment_rows: tuple[int, ...] = ()
    comment_char: str | None = None
    case_sensitive_header: bool = False
    descriptor: Mapping[str, Any] = _attribute(default_factory=empty, hash=False)

    @classmethod
    def from_descriptor(cls, raw: Any, fmt: str | None = None) -> Dialect:
        """The dialect ``raw`` describes (TSV's delimiter defaults to a tab); defaults for anything malformed."""
        raw = dict(raw) if isinstance(raw, Mapping) else {}
        if isinstance(raw.get("csv"), Mapping):
            raw = {**raw, **raw["csv"]}

        def char(key: str, default: str | None) -> str | None:
            value = raw.get(key, default)
            return value if isinstance(value, str) and len(value) == 1 else default

        header_rows = _row_numbers(raw.get("headerRows"))
        if raw.get("header") is False:
            header_rows = ()
        return cls(
            delimiter=char("delimiter", "\t" if fmt == "tsv" else ",") or ",",
            line_terminator=text(raw.get("lineTerminator"), "\r\n"),
            quote_char=char("quoteChar", '"') or '"',
            double_quote=raw.get("doubleQuote", True) is not False,
            escape_char=char("escapeChar", None),
            null_sequence=text(raw.get("nullSequence")),
            skip_initial_space=raw.get("skipInitialSpace", False) is True,
            header_rows=(1,) if header_rows is None else header_rows,
            header_join=text(raw.get("headerJoin"), " "),
            comment_rows=_row_numbers(raw.get("commentRows")) or (),
            comment_char=char("commentChar", None),
            case_sensitive_header=raw.get("caseSensitiveHeader", False) is True,
            descriptor=freeze(raw),
        )

    @property
    def header(self) -> bool:
        """Whether the file has a header row."""
        return bool(self.header_rows)


@dataclass(frozen=True)
class Resource:
    """A data resource.

    Attributes:
        name: its name, or None when it has none.
        paths: its paths as declared, in order (one for a plain path, () for inline data or none).
        format: the declared format, else the extension of its first path, lowercased; or None.
        mediatype, encoding (None: UTF-8 is assumed), compression, innerpath: as declared, or None.
        dialect: its :class:`Dialect` (defaults when none is declared).
        schema: its :class:`Schema`, or None when none is given or it could not be loaded.
        hash: the declared ``hash`` (``"sha256:..."`` or an MD5 hex), or None.
        bytes: the declared size, or None.
        data: inline ``data``, read-only, or None.
        profile: v1 ``profile`` or v2 ``$schema``, or None.
        type: v2 ``type`` (``"table"``), or None.
        descriptor: the resource's descriptor as given (schema and dialect files loaded in), read-only.
    """

    name: str | None
    paths: tuple[str, ...] = ()
    format: str | None = None
    mediatype: str | None = None
    encoding: str | None = None
    compression: str | None = None
    innerpath: str | None = None
    dialect: Dialect = Dialect()
    schema: Schema | None = None
    hash: str | None = None
    bytes: int | None = None
    data: Any = _attribute(default=None, hash=False)
    profile: str | None = None
    type: str | None = None
    descriptor: Mapping[str, Any] = _attribute(default_factory=empty, hash=False)

    @classmethod
    def from_descriptor(cls, raw: Mapping[str, Any], *, schema_usable: bool = True) -> Resource:
        """The resource ``raw`` describes (schema and dialect already objects, not paths).

        Args:
            raw: the resource's descriptor.
            schema_usable: False when its schema or dialect file could not be loaded: ``schema`` is then None.
        """
        raw = raw if isinstance(raw, Mapping) else {}
        path = raw.get("path")
        paths = (path,) if isinstance(path, str) else tuple(p for p in path if isinstance(p, str)) if isinstance(path, (list, tuple)) else ()
        fmt = text(raw.get("format"))
        if fmt is None and paths and "." in paths[0].rsplit("/", 1)[-1]:
            fmt = paths[0].rsplit(".", 1)[-1]
        fmt = fmt.lower() if fmt is not None else None
        schema = raw.get("schema")
        size = raw.get("bytes")
        return cls(
            name=text(raw.get("name")),
            paths=paths,
            format=fmt,
            mediatype=text(raw.get("mediatype")),
            encoding=text(raw.get("encoding")),
            compression=text(raw.get("compression")),
            innerpath=text(raw.get("innerpath")),
            dialect=Dialect.from_descriptor(raw.get("dialect"), fmt),
            schema=Schema.from_descriptor(schema) if schema_usable and isinstance(schema, Mapping) else None,
            hash=text(raw.get("hash")),
            bytes=size if isinstance(size, int) and not isinstance(size, bool) else None,
            data=freeze(raw["data"]) if "data" in raw else None,
            profile=text(raw.get("$schema"), text(raw.get("profile"))),
            type=text(raw.get("type")),
            descriptor=freeze(raw),
        )

    @property
    def label(self) -> str | None:
        """The paths for display in a message (a multipart path's parts joined with ", "); never parse it."""
        return ", ".join(self.paths) or None

    @property
    def inline(self) -> bool:
        """Whether the resource holds its rows inline (``data``) rather than in files."""
        return not self.paths and "data" in self.descriptor


@dataclass(frozen=True)
class Package:
    """A Data Package.

    Attributes:
        resources: every resource object, in order (entries that are not objects are left out).
        name: the package's name, or None.
        profile: v1 ``profile`` or v2 ``$schema``, or None.
        version: the Data Package version the descriptor follows: ``"2.0"`` when ``$schema`` names a v2
            profile, else ``"1.0"``.
        descriptor: the descriptor as given, read-only (schema and dialect files not loaded in).
    """

    resources: tuple[Resource, ...] = ()
    name: str | None = None
    profile: str | None = None
    version: str = "1.0"
    descriptor: Mapping[str, Any] = _attribute(default_factory=empty, hash=False)

    @classmethod
    def from_descriptor(cls, raw: Mapping[str, Any]) -> Package:
        """The package ``raw`` describes; schema and dialect paths are not loaded here (see
        :func:`dpcheck.descriptor.read_package`, which vets and loads them)."""
        raw = raw if isinstance(raw, Mapping) else {}
        items = raw.get("resources") if isinstance(raw.get("resources"), (list, tuple)) else ()
        profile = text(raw.get("$schema"), text(raw.get("profile")))
        return cls(
            resources=tuple(Resource.from_descriptor(item) for item in items if isinstance(item, Mapping)),
            name=text(raw.get("name")),
            profile=profile,
            version="2.0" if isinstance(raw.get("$schema"), str) and "/2." in raw["$schema"] else "1.0",
            descriptor=freeze(raw),
        )

    def resource(self, name: str) -> Resource | None:
        """The resource called ``name`` (the last of several: a repeated name is a package-error), or None."""
        return next((r for r in reversed(self.resources) if r.name == name), None)
