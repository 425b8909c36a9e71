"""Decoding a corpus file's bytes: which encoding, and how many bytes did not decode (stage 1, see
:mod:`corpack.sources`).

A few bytes that do not decode in an otherwise decodable file (a last character cut in half, a stray byte)
do not reject it: each such byte becomes U+FFFD in :attr:`corpack.sources.Source.text` and is counted in
:attr:`corpack.sources.Source.undecodable_bytes` (the ``documents.undecodable_bytes`` column). Cleaning drops U+FFFD like
any replacement character (``control_chars_removed``), so packaged text never holds it. "A few" is at most
:data:`FEW_UNDECODABLE` bytes or :data:`UNDECODABLE_SHARE` of the file, whichever is more; without a
byte-order mark, UTF-8 must also be borne out by :data:`UTF8_EVIDENCE` well-formed multi-byte characters per
damaged byte, so that a short GBK file still goes to charset detection rather than being read as
damaged UTF-8.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from corpack.errors import DecodeError, EmptyDocumentError


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# What charset-normalizer may answer, mapped to the codec we decode with. GB2312 and GBK are subsets of
# GB18030, so decoding with the superset never loses a character the narrower guess would have read.
_CODEC_NAMES = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "hz": "hz", "big5hkscs": "big5hkscs"}
# Formats that can be pure ASCII or otherwise pass for text at first glance (a PDF often is), recognised by the
# bytes they must start with; such a file is refused like any other binary.
_BINARY_SIGNATURES = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "zip (or Word/Excel .docx/.xlsx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office (.doc/.xls)"),
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%!PS", "PostScript"),
)
_MAX_CONTROL_SHARE = 0.01
#: Undecodable bytes a file may hold and still be read in an encoding: this many, or ...
FEW_UNDECODABLE = 3
#: ... this share of the file's bytes, whichever is more.
UNDECODABLE_SHARE = 0.001
#: Well-formed multi-byte UTF-8 characters needed per undecodable byte to read a file as damaged UTF-8.
UTF8_EVIDENCE = 10
_MARKED = re.compile("[\udc00-\udcff]")
# Codecs whose failures hold only bytes above 0x7f, which Python's own surrogateescape marks as _mark does.
_UTF8 = ("utf-8", "utf-8-sig")
# Control characters that betray a binary file: below U+0020 except tab, line feed, vertical tab, form feed, CR.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f]")
#: The ASCII bytes that are not such a control character (deleted by :func:`_controls`).
_NOT_CONTROLS = bytes(byte for byte in range(128) if not _CONTROLS.match(chr(byte)))


def _mark(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: each undecodable byte becomes a lone surrogate U+DC00 + byte (counted, then
    replaced by U+FFFD); no codec we use decodes valid input to a lone surrogate."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return "".join(chr(0xDC00 + byte) for byte in exc.object[exc.start : exc.end]), exc.end


codecs.register_error("corpack.mark", _mark)


@dataclass(frozen=True)
class Decoded:
    """Decoded bytes.

    Attributes:
        text: the text; each undecodable byte is one U+FFFD.
        encoding: the codec used.
        undecodable: how many bytes did not decode (0 for a clean file).
        first_undecodable: the byte offset of the first of them, or None.
    """

    text: str
    encoding: str
    undecodable: int = 0
    first_undecodable: int | None = None


def decode(data: bytes, file: str | Path) -> tuple[str, str]:
    """Decode raw bytes to text and name the encoding used: :func:`decode_text` as ``(text, encoding)``."""
    decoded = decode_text(data, file)
    return decoded.text, decoded.encoding


def decode_text(data: bytes, file: str | Path) -> Decoded:
    """Decode raw bytes to text, naming the encoding used and counting bytes that did not decode.

    Order: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else UTF-8; else charset-normalizer's best
    guess (GB18030 for GB2312/GBK, Big5, ...). In each, a few undecodable bytes (see the module docs) become
    U+FFFD and are counted instead of rejecting the file.

    Raises:
        EmptyDocumentError: for a file of zero bytes.
        DecodeError: for NUL bytes without a UTF-16/32 byte-order mark, bytes no encoding explains, or
            decoded text that is mostly control characters (a binary file).
    """
    if not data:
        raise EmptyDocumentError("the file is empty", file=file, hint="remove it from the corpus or fill it")
    for magic, kind in _BINARY_SIGNATURES:
        if data.startswith(magic):
            raise DecodeError(
                f"a {kind} file, not text",
                file=file,
                offset=0,
                hint="convert it to text (for a PDF: pdftotext) and put the text file in the corpus instead",
            )
    for bom, codec in _BOMS:
        if data.startswith(bom):
            decoded, reason = _lenient(data, codec)
            if decoded is None or not _few(decoded.undecodable, len(data)):
                raise DecodeError(f"not valid {codec} despite its byte-order mark: {reason}", file=file, offset=decoded and decoded.first_undecodable)
            return _finish(decoded, file)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DecodeError(
            "contains NUL bytes: a binary file, or UTF-16 without a byte-order mark",
            file=file,
            offset=nul,
            hint="remove the file or re-save it as UTF-8",
        )
    decoded, _reason = _lenient(data, "utf-8")
    if decoded is not None and _few(decoded.undecodable, len(data)):
        if not decoded.undecodable or _multibyte(decoded.text) - decoded.undecodable >= UTF8_EVIDENCE * decoded.undecodable:
            return _finish(decoded, file)
    first_bad = decoded.first_undecodable if decoded is not None else None
    guess = from_bytes(data).best()
    if guess is None:
        raise DecodeError(
            "cannot be decoded as text in any known encoding",
            file=file,
            offset=first_bad,
            hint="check that it is a text file; re-save it as UTF-8",
        )
    codec = codecs.lookup(guess.encoding).name.replace("_", "-")
    codec = _CODEC_NAMES.get(codec, codec)
    decoded, reason = _lenient(data, codec)
    if decoded is None or not _few(decoded.undecodable, len(data)):
        raise DecodeError(f"looks like {codec} but does not decode: {reason}", file=file, offset=decoded and decoded.first_undecodable)
    return _finish(decoded, file)


def _lenient(data: bytes, codec: str) -> tuple[Decoded | None, str]:
    """Decode ``data`` with ``codec``, each undecodable byte marked; also the first failure's reason."""
    try:
        return Decoded(data.decode(codec), codec), ""
    except UnicodeDecodeError as exc:  # utf-8-sig reports offsets after its byte-order mark
        first, reason = exc.start + (len(codecs.BOM_UTF8) if codec == "utf-8-sig" else 0), exc.reason
    try:
        if codec in _UTF8:  # the same marks, made in C: UTF-8 never fails on a byte below 0x80
            text = data.decode(codec, "surrogateescape")
            # each escaped byte is one byte read and three encoded back (a 50th of the time of finding the marks)
            bom = len(codecs.BOM_UTF8) if codec == "utf-8-sig" and data.startswith(codecs.BOM_UTF8) else 0
            return Decoded(text, codec, (len(text.encode("utf-8", "surrogatepass")) - len(data) + bom) // 2, first), reason
        text = data.decode(codec, "corpack.mark")
    except (UnicodeError, LookupError):  # a codec that does not call error handlers the usual way
        return None, reason
    return Decoded(text, codec, len(_MARKED.findall(text)), first), reason


def _few(undecodable: int, size: int) -> bool:
    return undecodable <= max(FEW_UNDECODABLE, size * UNDECODABLE_SHARE)


def _finish(decoded: Decoded, file: str | Path) -> Decoded:
    text = _check_text(decoded.text, file)
    if decoded.undecodable:
        text = _MARKED.sub("\ufffd", text)
    return Decoded(text, decoded.encoding, decoded.undecodable, decoded.first_undecodable)


def _multibyte(text: str) -> int:
    """How many characters of ``text`` are not ASCII (marked bytes included)."""
    return len(text) - len(text.encode("ascii", "ignore"))


def _controls(text: str) -> int:
    """How many matches of :data:`_CONTROLS` ``text`` holds: the bytes left of its ASCII characters once every
    other byte is deleted (they are ASCII), two scans in C (a sixth of the time of the pattern's)."""
    return len(text.encode("ascii", "ignore").translate(None, _NOT_CONTROLS))


def _check_text(text: str, file: str | Path) -> str:
    controls = _controls(text)
    if text and controls / len(text) > _MAX_CONTROL_SHARE:
        raise DecodeError(
            f"{controls} control characters in {len(text)}: not a text file",
            file=file,
            hint="remove binary files from the corpus folder",
        )
    return text
