"""Table Schema ``pattern`` constraints checked at Arrow speed with Python ``re`` semantics (#5).

A value meets a pattern when ``re.fullmatch(pattern, value)`` matches: frictionless, the reference validator,
uses Python's ``re``. Arrow matches with RE2, whose dialect differs on the same text: ``\\d``, ``\\w``, ``\\s``
and ``\\b`` are ASCII-only in RE2 and Unicode in Python, ``(?i)`` folds case by other rules, ``{,n}`` and
``\\Z`` mean something else or nothing, and look-around and back-references do not compile.

So :func:`to_re2` parses a pattern with Python's own parser and writes it out again for RE2, with every
one-character item (a literal, a class) spelled as the explicit set of code points Python's ``re`` matches
with it. Sets that depend on Unicode tables or case folding (``\\d``, ``\\w``, ``\\s``, anything under ``(?i)``)
are found by running Python's ``re`` over every code point once per process (a 4 MB string, about 50 ms a
set), so the running Python's own tables decide (RE2's are of another Unicode version). What has no exact
RE2 form (look-around, back-references, atomic groups, possessive repeats, ``\\b``, ``\\B``, a ``$`` with
something after it) or is too large for RE2 makes :func:`mismatches` ask Python's ``re`` about each
distinct value instead.

A pattern whose every match is the same number of ASCII characters (an identifier such as ``s[0-9]{8}``, see
:func:`fixed_width`) is checked without a regular expression at all: a value of another byte length does not
match, and the others are compared position by position over the column's bytes (ten times RE2's speed).

Cost: most patterns run as fast as before; a large Unicode class under a counted repeat (``\\w{2,20}``) is
up to 30 times slower in RE2 than the ASCII class was, about as slow as Python's ``re`` (RE2's own
``[\\pL\\pN_]{2,20}`` is as slow).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Python's own regex parser: private, but the one thing that reads patterns exactly as re does. A node this
# module does not know makes the pattern fall back to re itself, so a change there costs speed, not answers.
from re import _constants as sre
from re import _parser as sre_parse
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dpcheck.flagging import packed

Mask = pa.Array | pa.ChunkedArray
Spans = tuple[tuple[int, int], ...]  # sorted, disjoint (first, last) code point ranges

_LAST = 0x10FFFF
_CATEGORIES = {
    sre.CATEGORY_DIGIT: r"\d", sre.CATEGORY_NOT_DIGIT: r"\D", sre.CATEGORY_SPACE: r"\s",
    sre.CATEGORY_NOT_SPACE: r"\S", sre.CATEGORY_WORD: r"\w", sre.CATEGORY_NOT_WORD: r"\W",
}
_ONE_CHARACTER = (sre.LITERAL, sre.NOT_LITERAL, sre.IN)


class _Untranslatable(Exception):
    """A construct with no exact RE2 equivalent."""


@lru_cache(maxsize=1)
def _every_code_point() -> str:
    """Every code point in order (surrogates too), so a match's position is its code point."""
    return np.arange(_LAST + 1, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")


@lru_cache(maxsize=4096)
def _probe(text: str, flags: int) -> Spans:
    """The code points the one-character Python pattern ``text`` matches under ``flags``."""
    runs = re.compile(f"(?:{text})+", flags).finditer(_every_code_point())
    return tuple((m.start(), m.end() - 1) for m in runs)


def _union(spans: list[tuple[int, int]]) -> Spans:
    out: list[tuple[int, int]] = []
    for first, last in sorted(spans):
        if out and first <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], last))
        else:
            out.append((first, last))
    return tuple(out)


def _complement(spans: Spans) -> Spans:
    out, start = [], 0
    for first, last in spans:
        if first > start:
            out.append((start, first - 1))
        start = last + 1
    return tuple(out + ([(start, _LAST)] if start <= _LAST else []))


def _python_text(op: object, av: Any) -> str:
    """Python pattern text for one one-character node (every character written as ``\\U........``)."""
    if op is sre.LITERAL:
        return f"\\U{av:08x}"
    if op is sre.NOT_LITERAL:
        return f"[^\\U{av:08x}]"
    items = []
    for kind, value in av:
        if kind is sre.NEGATE:
            items.append("^")
        elif kind is sre.LITERAL:
            items.append(f"\\U{value:08x}")
        elif kind is sre.RANGE:
            items.append(f"\\U{value[0]:08x}-\\U{value[1]:08x}")
        elif kind is sre.CATEGORY and value in _CATEGORIES:
            items.append(_CATEGORIES[value])
        else:
            raise _Untranslatable(kind)
    return "[" + "".join(items) + "]"


def _members(op: object, av: Any, flags: int) -> Spans:
    """The code points one one-character node matches, as Python's ``re`` decides."""
    if flags & re.IGNORECASE:  # Python's case folding, not RE2's
        return _probe(_python_text(op, av), flags & (re.IGNORECASE | re.ASCII))
    if op is sre.LITERAL:
        return ((av, av),)
    if op is sre.NOT_LITERAL:
        return _complement(((av, av),))
    spans: list[tuple[int, int]] = []
    for kind, value in av:
        if kind is sre.LITERAL:
            spans.append((value, value))
        elif kind is sre.RANGE:
            spans.append(value)
        elif kind is sre.CATEGORY and value in _CATEGORIES:
            spans.extend(_probe(_CATEGORIES[value], flags & re.ASCII))
        elif kind is not sre.NEGATE:
            raise _Untranslatable(kind)
    union = _union(spans)
    return _complement(union) if av and av[0][0] is sre.NEGATE else union


def _re2_class(spans: Spans) -> str:
    if not spans:
        return f"[^\\x00-\\x{{{_LAST:x}}}]"  # matches nothing
    if len(spans) == 1 and spans[0][0] == spans[0][1]:
        return f"\\x{{{spans[0][0]:x}}}"
    return "[" + "".join(f"\\x{{{a:x}}}" if a == b else f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in spans) + "]"


def _emit(items: list[tuple[Any, Any]], flags: int, at_end: bool) -> str:
    """RE2 text for a parsed sequence; ``at_end``: nothing can follow it but the end of the value."""
    out = []
    for i, (op, av) in enumerate(items):
        last = at_end and i == len(items) - 1
        if op is sre.ANY:  # RE2's own dot: any character, or any but a newline, as in Python
            out.append("(?s:.)" if flags & re.DOTALL else "(?-s:.)")
        elif op in _ONE_CHARACTER:
            out.append(_re2_class(_members(op, av, flags)))
        elif op is sre.BRANCH:
            out.append("(?:" + "|".join(_emit(branch, flags, last) for branch in av[1]) + ")")
        elif op is sre.SUBPATTERN:  # a group, named or not, possibly with scoped flags: (?i:...)
            _, add, remove, sub = av
            out.append("(?:" + _emit(sub, (flags | add) & ~remove, last) + ")")
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT):  # greedy or lazy: the same values match in full
            low, high, sub = av
            out.append("(?:" + _emit(sub, flags, False) + ")" + (f"{{{low},}}" if high == sre.MAXREPEAT else f"{{{low},{high}}}"))
        elif op is sre.AT and av in (sre.AT_BEGINNING, sre.AT_BEGINNING_STRING):
            out.append("(?m:^)" if flags & re.MULTILINE and av is sre.AT_BEGINNING else r"\A")
        elif op is sre.AT and av is sre.AT_END and flags & re.MULTILINE:
            out.append("(?m:$)")  # before any newline, or at the end, in both
        elif op is sre.AT and (av is sre.AT_END_STRING or (av is sre.AT_END and last)):
            out.append(r"\z")  # Python's $ also matches before a final newline, which only \z can follow here
        else:
            raise _Untranslatable(op)
    return "".join(out)


@lru_cache(maxsize=1024)
def to_re2(pattern: str) -> str | None:
    """Rewrite a Python ``re`` pattern into an RE2 pattern that matches a whole value exactly when
    ``re.fullmatch(pattern, value)`` does.

    Args:
        pattern: a pattern as Python's ``re`` reads it (flags such as ``(?i)`` included).

    Returns:
        The anchored RE2 pattern, or None when the pattern has no exact RE2 form (look-around,
        back-references, atomic groups, possessive repeats, ``\\b``, ``\\B``, a ``$`` with something after
        it). RE2 may still refuse a returned pattern for its size limits (a repeat count over 1000).

    Raises:
        re.error: when Python cannot compile the pattern.
    """
    re.compile(pattern)  # also refuses what parses but does not compile (a look-behind of varying width)
    parsed = sre_parse.parse(pattern)
    try:
        return r"\A(?:" + _emit(list(parsed), parsed.state.flags, True) + r")\z"
    except _Untranslatable:
        return None


_WIDEST = 64  # longest fixed-width pattern checked byte by byte


def _fixed_items(items: list[tuple[Any, Any]], flags: int, out: list[np.ndarray]) -> None:
    """Append, for each character a fixed-width ASCII sequence matches, the 128 ASCII bytes it accepts."""
    for op, av in items:
        if op in _ONE_CHARACTER:
            spans = _members(op, av, flags)
            if spans and spans[-1][1] > 0x7F:
                raise _Untranslatable(op)  # a character beyond ASCII takes more than one byte
            accepts = np.zeros(128, dtype=bool)
            for first, last in spans:
                accepts[first:last + 1] = True
            out.append(accepts)
        elif op is sre.SUBPATTERN:
            _, add, remove, sub = av
            _fixed_items(list(sub), (flags | add) & ~remove, out)
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT) and av[0] == av[1] and av[0] <= _WIDEST:
            for _ in range(av[0]):
                _fixed_items(list(av[2]), flags, out)
        else:
            raise _Untranslatable(op)
        if len(out) > _WIDEST:
            raise _Untranslatable(op)


@lru_cache(maxsize=1024)
def fixed_width(pattern: str) -> np.ndarray | None:
    """For a pattern every match of which is the same number of ASCII characters (``s[0-9]{8}``, ``[A-Z]{2}-\\d{3}``
    under ``(?a)``), the bytes each position accepts: an array (width, 128) of booleans; None for any other.

    A ``^`` at the start and a ``$`` at the end are allowed (with ``re.fullmatch`` they change nothing).

    Raises:
        re.error: when Python cannot compile the pattern.
    """
    re.compile(pattern)
    parsed = sre_parse.parse(pattern)
    items = list(parsed)
    if items and items[0] == (sre.AT, sre.AT_BEGINNING) or items and items[0] == (sre.AT, sre.AT_BEGINNING_STRING):
        items = items[1:]
    if items and items[-1][0] is sre.AT and items[-1][1] in (sre.AT_END, sre.AT_END_STRING):
        items = items[:-1]
    out: list[np.ndarray] = []
    try:
        _fixed_items(items, parsed.state.flags, out)
    except _Untranslatable:
        return None
    return np.stack(out) if out else None


def _fixed_mismatches(chunk: pa.Array, accepts: np.ndarray) -> pa.Array:
    """Which strings of ``chunk`` are not of the fixed-width ASCII form ``accepts`` (see :func:`fixed_width`):
    a string of another byte length is not; the others are checked one character position at a time, over
    the column's bytes (a range comparison where the position accepts one run of bytes, as ``[0-9]`` does)."""
    width = accepts.shape[0]
    n = len(chunk)
    _, offsets, data = chunk.buffers()
    ends = np.frombuffer(offsets, dtype=np.int32)[chunk.offset:chunk.offset + n + 1] if n else np.zeros(1, np.int32)
    valid = np.ones(n, dtype=bool) if chunk.null_count == 0 else np.asarray(chunk.is_valid())
    sized = valid & (np.diff(ends) == width)
    text = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    if sized.all():  # every string in place, one after another: the bytes are a (rows, width) matrix
        rows = sized
        matrix = text[ends[0]:ends[-1]].reshape(n, width)
        columns = [matrix[:, j] for j in range(width)]
    else:
        rows = np.flatnonzero(sized)
        starts = ends[:-1][rows]
        columns = [text[starts + j] for j in range(width)]
    good = np.ones(len(columns[0]) if width else 0, dtype=bool)
    for j, column in enumerate(columns):
        accepted = np.flatnonzero(accepts[j])
        if len(accepted) == 0:
            good[:] = False
        elif accepted[-1] - accepted[0] + 1 == len(accepted):  # one run of bytes
            good &= (column - np.uint8(accepted[0])) <= np.uint8(accepted[-1] - accepted[0])
        else:
            table = np.zeros(256, dtype=bool)
            table[accepted] = True
            good &= table[column]
    matched = np.zeros(n, dtype=bool)
    matched[rows] = good
    return packed(~matched, valid)


def mismatches(values: Mask, pattern: str) -> Mask:
    """Which values do not match ``pattern`` as a whole, as ``re.fullmatch`` decides.

    RE2 checks the whole column when :func:`to_re2` gives an exact rewrite; otherwise Python's ``re``
    checks each distinct value once.

    Args:
        values: a string column.
        pattern: a Table Schema ``pattern`` constraint.

    Returns:
        A boolean mask: true where a value does not match, null where it is null.

    Raises:
        ValueError: when ``pattern`` is not a valid Python regular expression.
    """
    try:
        compiled = re.compile(pattern)
        translated = to_re2(pattern)
    except re.error as exc:
        raise ValueError(f"pattern {pattern!r} is not a valid regular expression: {exc}") from None
    accepts = fixed_width(pattern)
    if accepts is not None and pa.types.is_string(values.type):
        if isinstance(values, pa.ChunkedArray):
            return pa.chunked_array([_fixed_mismatches(chunk, accepts) for chunk in values.chunks], pa.bool_())
        return _fixed_mismatches(values, accepts)
    if translated is not None:
        try:
            return pc.invert(pc.match_substring_regex(values, translated))
        except pa.ArrowInvalid:
            pass  # beyond RE2's limits: Python decides
    distinct = pc.unique(values).drop_null()
    bad = distinct.filter(pa.array([compiled.fullmatch(v) is None for v in distinct.to_pylist()], pa.bool_()))
    return pc.if_else(pc.is_valid(values), pc.is_in(values, value_set=bad), pa.scalar(None, pa.bool_()))
