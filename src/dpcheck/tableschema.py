"""Table Schema as frozen values: :class:`Schema`, :class:`Field`, :class:`ForeignKey`, :class:`Category`.

Part of the descriptor model (:mod:`dpcheck.model`, which re-exports these and documents the API): v1 and v2
spellings are normalised here, once, and a malformed value is read as absent (the profile check and
:mod:`~dpcheck.schemarules` report it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as _attribute
from typing import Any

from dpcheck.frozen import empty, freeze, text

#: Table Schema v2 ``fieldsMatch`` modes; ``exact`` is the default.
FIELDS_MATCH = ("exact", "equal", "subset", "superset", "partial")


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


@dataclass(frozen=True)
class Category:
    """One of a field's v2 ``categories``: its value, and its label when given as ``{"value", "label"}``."""

    value: Any = _attribute(hash=False)  # a malformed value may be an object, which does not hash
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
    constraints: Mapping[str, Any] = _attribute(default_factory=empty, hash=False)
    categories: tuple[Category, ...] | None = None
    categories_ordered: bool = False
    group_char: str | None = None
    decimal_char: str = "."
    bare_number: bool = True
    true_values: tuple[str, ...] | None = None
    false_values: tuple[str, ...] | None = None
    missing_values: tuple[str, ...] | None = None
    json_schema: Mapping[str, Any] | None = _attribute(default=None, hash=False)
    descriptor: Mapping[str, Any] = _attribute(default_factory=empty, hash=False)

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
            type=text(raw.get("type"), "any"),
            format=text(raw.get("format"), "default"),
            constraints=freeze(constraints),
            categories=_categories(categories),
            categories_ordered=raw.get("categoriesOrdered") is True,
            group_char=text(raw.get("groupChar")),
            decimal_char=text(raw.get("decimalChar"), "."),
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
                out.append(Category(freeze(item["value"]), text(item.get("label"))))
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


def _malformed(raw: Any) -> tuple[Any, str] | None:
    """A ``foreignKeys`` entry the checks cannot follow, with why (see :attr:`Schema.malformed_foreign_keys`)."""
    key = ForeignKey.from_descriptor(raw)
    if key is not None and len(key.fields) == len(key.reference_fields):
        return None
    reference = raw.get("reference") if isinstance(raw, Mapping) else None
    if isinstance(reference, Mapping) and _names(raw.get("fields")) and len(_names(raw.get("fields"))) == len(_names(reference.get("fields"))):
        return freeze(raw), "resource"  # (the fields are well formed: only the resource's name is not a string)
    return freeze(raw), "malformed"


@dataclass(frozen=True)
class Schema:
    """A Table Schema.

    Attributes:
        fields: every field with a string name, in order (repeated names kept: v2 allows them).
        primary_key: the primary key's fields, () when none (a v1 string is one field).
        unique_keys: v2 ``uniqueKeys``, each a tuple of field names.
        foreign_keys: the well-formed foreign keys.
        malformed_foreign_keys: the other entries of ``foreignKeys``, each as (its descriptor, read-only, and
            why: ``"malformed"``, fields missing or of different lengths, or ``"resource"``, a non-string
            ``reference.resource``), for the checks to report.
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
    descriptor: Mapping[str, Any] = _attribute(default_factory=empty, hash=False)
    malformed_foreign_keys: tuple[tuple[Any, str], ...] = _attribute(default=(), hash=False)

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
            malformed_foreign_keys=tuple(found for found in (_malformed(item) for item in foreign) if found is not None),
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
