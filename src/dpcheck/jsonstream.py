"""JSON read a piece at a time: the rows of an NDJSON file, or of a JSON file's top-level array, in batches.

Both readers hold :data:`PIECE_BYTES` of the file (more while one line or one row is longer) and one batch of
rows at a time, so a file of any size is read in bounded memory. The bytes are decoded as they are read, in
any encoding, and a byte out of it is named by its offset in the file. Values are read by the C scanner of Python's
``json`` module, so they are the values ``json.loads`` gives; where a value cannot be read, ``json`` is asked
why, and the :class:`JsonError` says so in its words, at the line and column of the whole file.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from typing import IO, Any

from dpcheck.csvfile import BATCH_ROWS, Undecodable

PIECE_BYTES = 1 << 20  # bytes of a file read at a time

_SCAN = json.JSONDecoder().scan_once  # (json.loads without its Python layers: half the time a short line)
_SPACE = " \t\r\n"  # what JSON counts as white space
_WHITE = re.compile(r"[ \t\r\n]*")


class JsonError(Exception):
    """A JSON table file that is not what its format says; the message says where and why."""


def decoded(raw: bytes, codec: str, offset: int) -> str:
    """``raw`` (the bytes of the file from byte ``offset``) as text; a UTF-8 file's byte order mark is dropped.

    Raises:
        Undecodable: at the file's first byte out of the encoding.
    """
    if codec == "utf-8" and offset == 0 and raw.startswith(codecs.BOM_UTF8):  # (not by utf-8-sig: its offsets skip it)
        raw, offset = raw[len(codecs.BOM_UTF8):], len(codecs.BOM_UTF8)
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        raise Undecodable(offset + exc.start) from None


def parse(text: str, where: str) -> Any:
    """``json.loads(text)``, or the :class:`JsonError` saying why not (``where``: the line, when one is read)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        at = f"column {exc.colno}" if where else f"line {exc.lineno} column {exc.colno}"
        raise JsonError(f"the file is not valid JSON{where} at {at}: {exc.msg}") from None
    except RecursionError:
        raise JsonError(f"the file nests arrays and objects too deeply to be read{where}") from None
    except ValueError as exc:  # (a number of more digits than Python converts)
        raise JsonError(f"the file cannot be read as JSON{where}: {exc}") from None


def line(text: str, number: int) -> Any:
    """The JSON value on line ``number``: read by the scanner, or, when it does not read one value that spans
    the line, by :func:`parse`, which says why not."""
    stripped = text.strip(_SPACE)
    try:
        value, end = _SCAN(stripped, 0)
        if end == len(stripped):
            return value
    except (StopIteration, RecursionError, ValueError):
        pass
    return parse(text, f" on line {number}")


def kind(value: Any) -> str:
    """The JSON name of a value's type."""
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(type(value), "number")


def no_property(key: str, held: str) -> JsonError:
    """The error for a file whose top level does not hold the dialect's property ``key``: ``held`` says what
    it holds instead ("a JSON array", "an object without 'rows'")."""
    return JsonError(f"the dialect's property is {key!r}, but the file holds {held}")


def no_rows(held: str, key: str | None) -> JsonError:
    """The error for rows (the top-level value, or the one under ``key``) that are a JSON ``held``, no array."""
    where = f" under {key!r}" if key is not None else ""
    return JsonError(f"the file holds a JSON {held}{where}, not an array of rows")


def ndjson_batches(opened: Callable[[], IO[bytes]], codec: str) -> Iterator[list[Any]]:
    """The rows of an NDJSON file (``opened`` opens its bytes, in the encoding ``codec``), in lists of
    :data:`dpcheck.csvfile.BATCH_ROWS`; blank lines are skipped.

    Raises:
        JsonError: at a line that is not JSON.
        Undecodable: at the first byte out of the encoding.
    """
    rows: list[Any] = []
    number = 0  # lines read
    with opened() as handle:
        text = _Text(handle, codec)
        while not text.ended:
            text.more(PIECE_BYTES)
            cut = len(text.text) if text.ended else text.text.rfind("\n") + 1
            if not cut:  # (no line ends in what is read: read on)
                continue
            piece = text.text[text.pos:cut]
            text.pos = cut
            lines = piece.split("\n")  # (not str.splitlines, which also breaks at U+2028 and others a string may hold)
            if piece.endswith("\n"):
                lines.pop()
            for each in lines:
                number += 1
                if each.strip():
                    rows.append(line(each, number))
                    if len(rows) == BATCH_ROWS:
                        yield rows
                        rows = []
    if rows:
        yield rows


class _Text:
    """A file's text, decoded a piece at a time, with the position read up to and where it lies in the file."""

    def __init__(self, handle: IO[bytes], codec: str) -> None:
        self._handle = handle
        self._decoder = codecs.getincrementaldecoder(codec)()
        self._fed = 0  # bytes given to the decoder, or dropped (a byte order mark)
        self._head = handle.read(len(codecs.BOM_UTF8))
        if codec == "utf-8" and self._head == codecs.BOM_UTF8:  # (dropped, as decoded() drops it)
            self._head, self._fed = b"", len(codecs.BOM_UTF8)
        self.text = ""
        self.pos = 0
        self.ended = False
        self._lines = 0  # newlines in the text dropped before ``text``
        self._column = 0  # characters after the last of them, before ``text``

    def more(self, size: int) -> None:
        """Read ``size`` more bytes (dropping the text before ``pos``); at the end, set ``ended``.

        Raises:
            Undecodable: at the first byte out of the encoding.
        """
        dropped = self.text[:self.pos]
        newlines = dropped.count("\n")
        self._lines += newlines
        self._column = len(dropped) - dropped.rfind("\n") - 1 if newlines else self._column + len(dropped)
        self.text, self.pos = self.text[self.pos:], 0
        raw = self._head + self._handle.read(size)
        self._head = b""
        waiting = len(self._decoder.getstate()[0])
        try:
            self.text += self._decoder.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise Undecodable(self._fed - waiting + exc.start) from None
        self._fed += len(raw)
        self.ended = not raw

    def where(self, at: int) -> str:
        """``line L column C`` of the character at ``at`` in ``text``, in the whole file."""
        before = self.text.count("\n", 0, at)
        column = at - self.text.rfind("\n", 0, at) if before else self._column + at + 1
        return f"line {self._lines + before + 1} column {column}"

    def skip_space(self) -> str:
        """The next character that is not white space (reading on as needed), or "" at the end."""
        while True:
            self.pos = _WHITE.match(self.text, self.pos).end()  # type: ignore[union-attr]  (it matches "" at least)
            if self.pos < len(self.text) or self.ended:
                return self.text[self.pos:self.pos + 1]
            self.more(PIECE_BYTES)

    def value(self) -> Any:
        """The JSON value at ``pos`` (``pos`` then after it), reading on while it may run past the text read.

        Raises:
            JsonError: when no value starts there.
        """
        size = PIECE_BYTES
        while True:
            try:
                value, end = _SCAN(self.text, self.pos)
            except RecursionError:
                raise JsonError("the file nests arrays and objects too deeply to be read") from None
            except (StopIteration, ValueError):
                message, at = self._why()
                # (a value the text's end cuts short may read once more of the file is read: a string not
                # ended, or a failure in the last characters; any other fails for good)
                if self.ended or at is None or (at < len(self.text) - _TAIL and not message.startswith("Unterminated string")):
                    raise JsonError(f"the file is not valid JSON at {self.where(at)}: {message}" if at is not None
                                    else f"the file cannot be read as JSON: {message}") from None
            else:
                # (a value read up to the text's last characters may go on past them: 1E of 1E+5, 12 of 123)
                if end < len(self.text) - _TAIL or self.ended:
                    self.pos = end
                    return value
            self.more(size)
            size *= 2  # (a long value is read again from its start: twice as much each time, not once per piece)

    def fail(self, message: str, shift: int = 0) -> JsonError:
        """The error ``json.loads`` gives, ``message``, at ``pos`` (moved by ``shift`` characters)."""
        return JsonError(f"the file is not valid JSON at {self.where(self.pos + shift)}: {message}")

    def _why(self) -> tuple[str, int | None]:
        """What ``json`` says of the value at ``pos``, and where it says it fails."""
        try:
            json.JSONDecoder().raw_decode(self.text, self.pos)
        except json.JSONDecodeError as why:
            return why.msg, why.pos
        except ValueError as why:  # (a number of more digits than Python converts)
            return str(why), None
        return "the value cannot be read", None


_TAIL = 64  # characters at the end of the text read within which a failure may be a value cut short


def _said(sample: str, at: int) -> tuple[str, int]:
    """What ``json.loads`` says of the malformed ``sample``, and where, counted from its character ``at`` (the
    words change between Python versions: 3.13 names a trailing comma as such)."""
    try:
        json.loads(sample)
    except json.JSONDecodeError as why:
        return why.msg, why.pos - at
    return "Expecting value", 0


_TRAILING_ITEM = _said("[0,]", 3)  # (at the "]")
_TRAILING_MEMBER = _said('{"a": 0,}', 8)  # (at the "}")


def array_batches(opened: Callable[[], IO[bytes]], codec: str, key: str | None = None) -> Iterator[list[Any]]:
    """The rows of a JSON file, in lists of :data:`dpcheck.csvfile.BATCH_ROWS`: its top-level array, or the array
    under ``key`` (the dialect's ``property``) of its top-level object.

    The file is read to its end before it is said to hold no rows where it should, so where it is also not
    JSON, json's error is the one raised, as when the file is parsed whole.

    Raises:
        JsonError: where the file is not JSON, or holds no array of rows where it should.
        Undecodable: at the first byte out of the encoding.
    """
    with opened() as handle:
        text = _Text(handle, codec)
        first = text.skip_space()
        if key is not None and first == "{":
            yield from _batched(_member_items(text, key))
            return
        if key is None and first == "[":
            yield from _batched(_items(text))
            _end(text)
            return
        held = _skipped(text, first)
        _end(text)
        raise no_property(key, f"a JSON {held}") if key is not None else no_rows(held, None)


def _end(text: _Text) -> None:
    """Raise json's error when anything but white space follows the top-level value."""
    if text.skip_space():
        raise text.fail("Extra data")


def _batched(values: Iterator[Any]) -> Iterator[list[Any]]:
    rows: list[Any] = []
    for value in values:
        rows.append(value)
        if len(rows) == BATCH_ROWS:
            yield rows
            rows = []
    if rows:
        yield rows


def _opened(text: _Text, close: str) -> bool:
    """Step over the "[" or "{" at ``text.pos``; whether ``close`` ends it at once (then stepped over too)."""
    text.pos += 1
    if text.skip_space() != close:
        return False
    text.pos += 1
    return True


def _ended(text: _Text, close: str, trailing: tuple[str, int]) -> bool:
    """After an item of an array or object that ``close`` ends: whether it ends (``pos`` then after ``close``);
    else ``pos`` is at the next item, after the comma, and ``trailing`` the error for a comma ``close`` follows."""
    following = text.skip_space()
    if following == close:
        text.pos += 1
        return True
    if following != ",":
        raise text.fail("Expecting ',' delimiter")
    text.pos += 1
    if text.skip_space() == close:
        raise text.fail(*trailing)
    return False


def _items(text: _Text) -> Iterator[Any]:
    """The values of the array whose "[" is at ``text.pos``; ``pos`` is then after its "]"."""
    ended = _opened(text, "]")
    while not ended:
        yield text.value()
        ended = _ended(text, "]", _TRAILING_ITEM)


def _members(text: _Text) -> Iterator[tuple[Any, str]]:
    """The name of each member of the object whose "{" is at ``text.pos``, with the first character of its
    value, ``pos`` then at the value (read it before asking for the next); ``pos`` is then after its "}"."""
    ended = _opened(text, "}")
    while not ended:
        if text.skip_space() != '"':
            raise text.fail("Expecting property name enclosed in double quotes")
        name = text.value()
        if text.skip_space() != ":":
            raise text.fail("Expecting ':' delimiter")
        text.pos += 1
        yield name, text.skip_space()
        ended = _ended(text, "}", _TRAILING_MEMBER)


def _skipped(text: _Text, first: str) -> str:
    """Read the value at ``text.pos`` (``first``, its first character) and leave it: an array an item at a time,
    an object a member at a time, so only one of them is held; its kind."""
    if first == "[":
        for _ in _items(text):
            pass
        return "array"
    if first == "{":
        for _ in _members(text):
            text.value()  # (not read by _skipped: nesting deeper than Python's stack is json's error to give)
        return "object"
    return kind(text.value())


def _member_items(text: _Text, key: str) -> Iterator[Any]:
    """The values of the array under ``key`` in the object whose "{" is at ``text.pos`` (its other members are
    read and left); ``pos`` is then after the object and what follows it, which must be white space.

    Raises:
        JsonError: besides json's errors, once the file is read, when the object has no ``key``, has it twice
            (``json.loads`` would keep the last: which rows are meant is not clear) or holds no array under it.
    """
    found = twice = False
    held = None  # the kind of the value under key, when it is no array
    for name, start in _members(text):
        if name != key or found:
            twice = twice or name == key
            _skipped(text, start)
        elif start == "[":
            found = True
            yield from _items(text)
        else:
            found, held = True, _skipped(text, start)
    _end(text)
    if twice:
        raise JsonError(f"the file's object holds {key!r}, the dialect's property, more than once")
    if not found:
        raise no_property(key, f"an object without {key!r}")
    if held is not None:
        raise no_rows(held, key)


def read_through(opened: Callable[[], IO[bytes]], codec: str) -> None:
    """Decode the whole file, a piece at a time, and leave it.

    Raises:
        Undecodable: at the first byte out of the encoding.
    """
    with opened() as handle:
        text = _Text(handle, codec)
        while not text.ended:
            text.more(PIECE_BYTES)
            text.pos = len(text.text)
