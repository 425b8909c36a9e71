"""frictionless's own classes for the spec's field and resource types, found without its plug-in system.

frictionless picks the class of a field or resource descriptor through its plug-in system, whose first use
imports every format, scheme and portal module frictionless has (and any ``frictionless_*`` package on the
path): about a fifth of a second of every ``pkg validate`` run, spent before the first row is read. No
plug-in is needed to judge a package by the spec (a plug-in's field type is none of the spec's), so the
classes here find the class among frictionless's own, as frictionless does when no plug-in claims a type,
and are used wherever dpcheck builds or validates a descriptor with frictionless.
"""

from __future__ import annotations

import inspect
from types import ModuleType
from typing import Any

import frictionless.fields
import frictionless.resources
from frictionless import FrictionlessException, Resource, Schema, errors, settings
from frictionless.schema import Field


def _spec_class(module: ModuleType, type_: str, what: str, error: type[errors.Error]) -> type:
    """frictionless's own class for the ``type_`` of a field or resource, as ``system.select_*_class`` finds it
    when no plug-in claims the type (and the same exception when there is none)."""
    for item in vars(module).values():
        if inspect.isclass(item) and vars(item).get("type", None) == type_:
            return item
    raise FrictionlessException(error(note=f'{what} type "{type_}" is not supported'))


class SpecField(Field):
    """frictionless's ``Field`` for building and validating field descriptors, each field's class found among frictionless's
    own field types, the spec's, rather than through its plug-in system: the plug-ins' first use imports
    every format frictionless reads, which cost ``pkg validate`` about a fifth of a second a run, and a
    plug-in's field type is none of the spec's anyway."""

    @classmethod
    def metadata_select_class(cls, type: str | None) -> type:  # noqa: A002 - frictionless's name
        return _spec_class(frictionless.fields, type or settings.DEFAULT_FIELD_TYPE_SPECS_V1, "field", errors.FieldError)


class _SpecSchema(Schema):
    """frictionless's ``Schema`` for validating descriptors, with fields validated as :class:`SpecField` s."""

    @classmethod
    def metadata_select_property_class(cls, name: str) -> type | None:
        return SpecField if name == "fields" else super().metadata_select_property_class(name)


def spec_resource(type_: Any) -> type:
    """frictionless's class for a resource of ``type_`` (found as :func:`_spec_class` finds it), for validating
    descriptors, with its schema validated as a :class:`_SpecSchema`.

    Raises:
        FrictionlessException: when frictionless has no resource of that type, as frictionless raises it.
    """
    base = Resource if not type_ else _spec_class(frictionless.resources, type_, "resource", errors.ResourceError)

    def metadata_select_property_class(cls: type, name: str) -> type | None:
        return _SpecSchema if name == "schema" else base.metadata_select_property_class(name)

    return type(f"_Spec{base.__name__}", (base,), {"metadata_select_property_class": classmethod(metadata_select_property_class)})
