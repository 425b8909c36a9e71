"""Parse a descriptor file (a package descriptor, or a schema or dialect file) as JSON or YAML, under limits.

frictionless reads YAML descriptors (``datapackage.yaml``, ``*.package.yaml``) beside JSON ones; so do we,
choosing by the file name's extension (``.yaml`` / ``.yml``; anything else is JSON). Both are held to the
same limits, so that no descriptor costs more than a bounded amount of memory and time:

- at most :data:`MAX_DESCRIPTOR_BYTES` bytes, UTF-8;
- nested at most :data:`MAX_DEPTH` levels of objects and arrays;
- integers of at most ``sys.get_int_max_str_digits()`` digits (Python's guard against slow parsing);
- an object at the top.

YAML is read with PyYAML's safe loader and three changes that keep it to what JSON can say: anchors and
aliases are refused (an alias repeats a subtree without costing bytes, the "billion laughs" of YAML),
mapping keys must be strings, and dates and times stay the strings they are written as (``created:
2024-01-01`` is the string a JSON descriptor would hold).
"""

from __future__ import annotations

import json
import sys
from typing import Any

import yaml

#: Largest descriptor file read; a bigger one is a package-error, not a memory blow-up.
MAX_DESCRIPTOR_BYTES = 64 << 20
#: Deepest nesting of objects and arrays accepted in a descriptor (real descriptors need under 10).
MAX_DEPTH = 64
#: The extensions of YAML descriptors.
YAML_SUFFIXES = (".yaml", ".yml")


class Unreadable(Exception):
    """A descriptor file cannot be used; the message says why, ``offset`` where (a byte or character)."""

    def __init__(self, message: str, offset: int | None = None) -> None:
        super().__init__(message)
        self.offset = offset


def is_yaml(name: str) -> bool:
    """Whether a descriptor file called ``name`` is read as YAML (by its extension)."""
    return name.lower().endswith(YAML_SUFFIXES)


def parse_object(raw: bytes, name: str, *, as_yaml: bool | None = None, limit: int = MAX_DESCRIPTOR_BYTES) -> dict[str, Any]:
    """Parse ``raw`` (at most one byte past ``limit`` was read) as the JSON or YAML object of file ``name``.

    ``as_yaml`` says which; by default :func:`is_yaml` decides from ``name``.

    Raises:
        Unreadable: naming ``name`` and saying what is wrong (the line and column of a syntax error, the
            limit exceeded, not an object).
    """
    if len(raw) > limit:
        raise Unreadable(f"{name} is larger than the limit of {limit} bytes; not read")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Unreadable(f"{name} is not UTF-8 at byte {exc.start}", exc.start) from None
    as_yaml = is_yaml(name) if as_yaml is None else as_yaml
    value = _yaml(text, name) if as_yaml else _json(text, name)
    if _depth(value) > MAX_DEPTH:
        raise Unreadable(f"{name} nests objects and arrays deeper than {MAX_DEPTH} levels; not read")
    if not isinstance(value, dict):
        kind = "YAML mapping" if as_yaml else "JSON object"
        raise Unreadable(f"{name} must hold a {kind}, not {type(value).__name__}")
    return value


def _json(text: str, name: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"{name} is not valid JSON at line {exc.lineno} column {exc.colno} (character {exc.pos}): {exc.msg}"
        raise Unreadable(message, exc.pos) from None
    except RecursionError:
        message = f"{name} cannot be read as JSON: it nests objects and arrays far deeper than the limit of {MAX_DEPTH} levels"
        raise Unreadable(message) from None
    except ValueError as exc:  # an integer literal too long to convert (Python's guard against slow parsing)
        if "integer string conversion" in str(exc):
            raise Unreadable(f"{name} cannot be read as JSON: a number has more than {sys.get_int_max_str_digits()} digits") from None
        raise Unreadable(f"{name} cannot be read as JSON: {exc}") from None


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader without anchors, aliases, non-string keys or date and time values."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent) or getattr(self.peek_event(), "anchor", None) is not None:
            mark = self.peek_event().start_mark
            raise yaml.MarkedYAMLError(problem="uses an anchor or alias, which a descriptor may not (JSON has none)",
                                       problem_mark=mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        mapping = super().construct_mapping(node, deep=deep)
        for key in mapping:
            if not isinstance(key, str):
                raise yaml.MarkedYAMLError(problem=f"has the key {key!r}, which is not a string (JSON keys are strings)",
                                           problem_mark=node.start_mark)
        return mapping


# Dates and times stay strings, as in a JSON descriptor: drop the timestamp resolver.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _yaml(text: str, name: str) -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a safe loader, see _Loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        raise Unreadable(f"{name} is not a usable YAML descriptor{where}: {exc.problem}", mark.index if mark else None) from None
    except yaml.YAMLError as exc:
        raise Unreadable(f"{name} is not valid YAML: {exc}") from None
    except RecursionError:
        message = f"{name} cannot be read as YAML: it nests mappings and lists far deeper than the limit of {MAX_DEPTH} levels"
        raise Unreadable(message) from None
    except ValueError as exc:
        if "integer string conversion" in str(exc):
            raise Unreadable(f"{name} cannot be read as YAML: a number has more than {sys.get_int_max_str_digits()} digits") from None
        raise Unreadable(f"{name} cannot be read as YAML: {exc}") from None


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists and dicts, found without recursion (stops counting past MAX_DEPTH)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (list, dict)):
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:
                stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest
