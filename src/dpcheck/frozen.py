"""Read-only JSON values: what the descriptor model (:mod:`dpcheck.model`) holds in place of dicts and lists.

:func:`freeze` turns a parsed JSON value into read-only mappings and tuples, so that a frozen dataclass is
frozen all the way down; :func:`thaw` turns one back into dicts and lists for a library that wants plain JSON
(frictionless, jsonschema).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

#: The empty read-only mapping.
EMPTY: Mapping[str, Any] = MappingProxyType({})


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


def empty() -> Mapping[str, Any]:
    """:data:`EMPTY`, as a dataclass field's default factory (a mapping is not a valid plain default)."""
    return EMPTY


def text(value: Any, default: str | None = None) -> str | None:
    """``value`` when it is a string, else ``default``: how the model reads an optional string property."""
    return value if isinstance(value, str) else default
