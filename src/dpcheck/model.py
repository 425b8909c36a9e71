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
from types import MappingProxyType
from typing import Any

#: Table Schema v2 ``fieldsMatch`` modes; ``exact`` is the default.
FIELDS_MATCH = ("exact", "equal", "subset", "superset", "partial")


def freeze(value: Any) -> Any:
    """A deep read-only copy of a JSON value: dicts become read-only mappings, lists become tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({key: freeze(item) for key, item in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """The plain JSON value (dicts and lists) of something :func:`freeze` made, for libraries that want one."""
    if isinstance(value, Mapping):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [thaw(item) for item in value]
    return value


_EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return _EMPTY


def _text(value: Any, default: str | None = None) -> str | None:
    return value if isinstance(value, str) else default


def _names(value: Any) -> tuple[str, ...]:
    """A key's field list: a string (v1) or a list of strings; () when it is neither or empty."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        return ()
    return tuple(names)


def _values(raw: Any) -> tuple[str, ...] | None:
    """``missingValues`` as strings (v2 ``{"value": ..., "label": ...}`` objects give their value); None if
    not a list."""
    if not isinstance(raw, (list, tuple)):
        return None
    out = []
    for item in raw:
        if isinstance(item, str):
            out.append(item)
        elif isinstance(item, Mapping) and isinstance(item.get("value"), str):
            out.append(item["value"])
    return tuple(out)


def _row_numbers(raw: Any) -> tuple[int, ...] | None:
    """A list of positive row numbers (``headerRows``, ``commentRows``), or None when it is not one."""
    if not isinstance(raw, (list, tuple)):
        return None
    if not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in raw):
        return None
    return tuple(raw)


@dataclass(frozen=True)
class Category:
    """One of a field's v2 ``categories``: its value, and its label when given as ``{"value", "label"}``."""

    value: Any
    label: str | None = None


@dataclass(frozen=True)
class Field:
    """A Table Schema field.

    Attributes:
        name: the field's name (fields without a string name are not in the model).
        type: the declared type; ``"any"`` when none is declared (Table Schema v2, frictionless).
        format: the declared format, ``"default"`` when none.
        constraints: the ``constraints`` object, read-only (empty when absent or not an object).
        categories: v2 ``categories`` as :class:`Category` tuples, or None when not declared.
        categories_ordered: v2 ``categoriesOrdered``.
        group_char, decimal_char, bare_number: number and integer spellings (``bareNumber`` defaults true).
        true_values, false_values: boolean spellings, or None for the defaults.
        missing_values: the field's own ``missingValues``, or None to use the schema's.
        json_schema: the ``jsonSchema`` constraint (object and array fields), read-only, or None.
        descriptor: the field's descriptor as given, read-only (``thaw`` it for frictionless).
    """

    name: str
    type: str = "any"
    format: str = "default"
    constraints: Mapping[str, Any] = _attribute(default_factory=_empty)
    categories: tuple[Category, ...] | None = None
    categories_ordered: bool = False
    group_char: str | None = None
    decimal_char: str = "."
    bare_number: bool = True
    true_values: tuple[str, ...] | None = None
    false_values: tuple[str, ...] | None = None
    missing_values: tuple[str, ...] | None = None
    json_schema: Mapping[str, Any] | None = None
    descriptor: Mapping[str, Any] = _attribute(default_factory=_empty)

    @classmethod
    def from_descriptor(cls, raw: Mapping[str, Any]) -> Field | None:
        """The field ``raw`` describes, or None when it has no string ``name``."""
        if not isinstance(raw, Mapping) or not isinstance(raw.get("name"), str):
            return None
        constraints = raw.get("constraints") if isinstance(raw.get("constraints"), Mapping) else {}
        categories = raw.get("categories")
        json_schema = constraints.get("jsonSchema")
        return cls(
            name=raw["name"],
            type=_text(raw.get("type"), "any"),
            format=_text(raw.get("format"), "default"),
            constraints=freeze(constraints),
            categories=_categories(categories),
            categories_ordered=raw.get("categoriesOrdered") is True,
            group_char=_text(raw.get("groupChar")),
            decimal_char=_text(raw.get("decimalChar"), "."),
            bare_number=raw.get("bareNumber", True) is not False,
            true_values=_values(raw.get("trueValues")),
            false_values=_values(raw.get("falseValues")),
            missing_values=_values(raw.get("missingValues")),
            json_schema=freeze(json_schema) if isinstance(json_schema, Mapping) else None,
            descriptor=freeze(raw),
        )

    @property
    def required(self) -> bool:
        """Whether the ``required`` constraint is true."""
        return self.constraints.get("required") is True

    @property
    def unique(self) -> bool:
        """Whether the ``unique`` constraint is true."""
        return self.constraints.get("unique") is True


def _categories(raw: Any) -> tuple[Category, ...] | None:
    if not isinstance(raw, (list, tuple)):
        return None
    out = []
    for item in raw:
        if isinstance(item, Mapping):
            if "value" in item:
                out.append(Category(freeze(item["value"]), _text(item.get("label"))))
        else:
            out.append(Category(item))
    return tuple(out)


@dataclass(frozen=True)
class ForeignKey:
    """A foreign key: ``fields`` of this resource refer to ``reference_fields`` of ``resource``.

    Attributes:
        fields: the key's own fields.
        resource: the referenced resource's name; ``""`` for a self-reference (omitted or ``""``).
        reference_fields: the referenced fields.
    """

    fields: tuple[str, ...]
    resource: str
    reference_fields: tuple[str, ...]

    @classmethod
    def from_descriptor(cls, raw: Any) -> ForeignKey | None:
        """The key ``raw`` describes, or None when its fields or reference are malformed."""
        reference = raw.get("reference") if isinstance(raw, Mapping) else None
        if not isinstance(reference, Mapping):
            return None
        fields, ref_fields = _names(raw.get("fields")), _names(reference.get("fields"))
        resource = reference.get("resource", "")
        if not fields or not ref_fields or not isinstance(resource, str):
            return None
        return cls(fields, resource, ref_fields)

    @property
    def self_reference(self) -> bool:
        """Whether the key refers to its own resource (``resource`` omitted or ``""``)."""
        return self.resource == ""

    def target(self, own: str | None) -> str | None:
        """The name of the referenced resource; ``own`` (the key's resource's name) for a self-reference."""
        return own if self.self_reference else self.resource


@dataclass(frozen=True)
class Schema:
    """A Table Schema.

    Attributes:
        fields: every field with a string name, in order (repeated names kept: v2 allows them).
        primary_key: the primary key's fields, () when none (a v1 string is one field).
        unique_keys: v2 ``uniqueKeys``, each a tuple of field names.
        foreign_keys: the well-formed foreign keys.
        fields_match: v2 ``fieldsMatch``: one of :data:`FIELDS_MATCH` (``exact`` when absent or unknown).
        missing_values: the schema's ``missingValues`` as strings (``("",)`` when absent).
        descriptor: the schema as given, read-only.
    """

    fields: tuple[Field, ...] = ()
    primary_key: tuple[str, ...] = ()
    unique_keys: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    fields_match: str = "exact"
    missing_values: tuple[str, ...] = ("",)
    descriptor: Mapping[str, Any] = _attribute(default_factory=_empty)

    @classmethod
    def from_descriptor(cls, raw: Mapping[str, Any]) -> Schema:
        """The schema ``raw`` describes, every alternative form normalised (see the module docstring)."""
        raw = raw if isinstance(raw, Mapping) else {}
        fields = raw.get("fields") if isinstance(raw.get("fields"), (list, tuple)) else ()
        unique = raw.get("uniqueKeys") if isinstance(raw.get("uniqueKeys"), (list, tuple)) else ()
        foreign = raw.get("foreignKeys") if isinstance(raw.get("foreignKeys"), (list, tuple)) else ()
        match = raw.get("fieldsMatch")
        missing = _values(raw.get("missingValues"))
        return cls(
            fields=tuple(f for f in (Field.from_descriptor(item) for item in fields) if f is not None),
            primary_key=_names(raw.get("primaryKey")),
            unique_keys=tuple(key for key in (_names(item) for item in unique) if key),
            foreign_keys=tuple(k for k in (ForeignKey.from_descriptor(item) for item in foreign) if k is not None),
            fields_match=match if match in FIELDS_MATCH else "exact",
            missing_values=("",) if missing is None else missing,
            descriptor=freeze(raw),
        )

    @property
    def field_names(self) -> tuple[str, ...]:
        """The fields' names in order (a repeated name appears each time)."""
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field | None:
        """The first field called ``name`` (keys naming a repeated field mean this one), or None."""
        return next((f for f in self.fields if f.name == name), None)

    def missing_for(self, field: Field) -> tuple[str, ...]:
        """The missing values of ``field``: its own list when it has one, else the schema's."""
        return self.missing_values if field.missing_values is None else field.missing_values


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
    descriptor: Mapping[str, Any] = _attribute(default_factory=_empty)

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
            line_terminator=_text(raw.get("lineTerminator"), "\r\n"),
            quote_char=char("quoteChar", '"') or '"',
            double_quote=raw.get("doubleQuote", True) is not False,
            escape_char=char("escapeChar", None),
            null_sequence=_text(raw.get("nullSequence")),
            skip_initial_space=raw.get("skipInitialSpace", False) is True,
            header_rows=(1,) if header_rows is None else header_rows,
            header_join=_text(raw.get("headerJoin"), " "),
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
    data: Any = None
    profile: str | None = None
    type: str | None = None
    descriptor: Mapping[str, Any] = _attribute(default_factory=_empty)

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
        fmt = _text(raw.get("format"))
        if fmt is None and paths and "." in paths[0].rsplit("/", 1)[-1]:
            fmt = paths[0].rsplit(".", 1)[-1]
        fmt = fmt.lower() if fmt is not None else None
        schema = raw.get("schema")
        size = raw.get("bytes")
        return cls(
            name=_text(raw.get("name")),
            paths=paths,
            format=fmt,
            mediatype=_text(raw.get("mediatype")),
            encoding=_text(raw.get("encoding")),
            compression=_text(raw.get("compression")),
            innerpath=_text(raw.get("innerpath")),
            dialect=Dialect.from_descriptor(raw.get("dialect"), fmt),
            schema=Schema.from_descriptor(schema) if schema_usable and isinstance(schema, Mapping) else None,
            hash=_text(raw.get("hash")),
            bytes=size if isinstance(size, int) and not isinstance(size, bool) else None,
            data=freeze(raw["data"]) if "data" in raw else None,
            profile=_text(raw.get("$schema"), _text(raw.get("profile"))),
            type=_text(raw.get("type")),
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
    descriptor: Mapping[str, Any] = _attribute(default_factory=_empty)

    @classmethod
    def from_descriptor(cls, raw: Mapping[str, Any]) -> Package:
        """The package ``raw`` describes; schema and dialect paths are not loaded here (see
        :func:`dpcheck.descriptor.read_package`, which vets and loads them)."""
        raw = raw if isinstance(raw, Mapping) else {}
        items = raw.get("resources") if isinstance(raw.get("resources"), (list, tuple)) else ()
        profile = _text(raw.get("$schema"), _text(raw.get("profile")))
        return cls(
            resources=tuple(Resource.from_descriptor(item) for item in items if isinstance(item, Mapping)),
            name=_text(raw.get("name")),
            profile=profile,
            version="2.0" if isinstance(raw.get("$schema"), str) and "/2." in raw["$schema"] else "1.0",
            descriptor=freeze(raw),
        )

    def resource(self, name: str) -> Resource | None:
        """The resource called ``name`` (the last of several: a repeated name is a package-error), or None."""
        return next((r for r in reversed(self.resources) if r.name == name), None)
