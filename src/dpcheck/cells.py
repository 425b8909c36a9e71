"""Read text cells as their Table Schema type, with frictionless's own rules, without a loop over rows.

Text cells come from CSV files, and from Parquet string columns whose field has another type (a date or an
object stored as text). Each column goes through two tiers:

1. **Vectorised** (string, integer, number, boolean, year, and date in its default format): an integer or
   number column Arrow casts whole is read by that cast (every spelling Arrow accepts is one frictionless
   accepts, with the same value, but hexadecimal integers, which are kept out); otherwise a strict regular
   expression accepts the common spellings (``-12``, ``3.5e2``, ``2021-03-04``) and Arrow casts them in bulk;
   for integer and number a second expression rejects cells that cannot be numbers at all (any letter).
2. **frictionless as the oracle** for everything else: every *distinct* remaining value is read once with
   the field's frictionless cell reader (the code ``frictionless validate`` runs per row), which decides
   whether it is of the type and which constraints it breaks. Types with no Arrow form (datetime formats,
   time, yearmonth, duration, geopoint, geojson, array, object, list, any, string formats) go through this
   tier entirely, so they cost one Python call per distinct value; the common types cost one per odd value.

``missingValues`` are applied first (a cell equal to one of them is null), as frictionless does.
Cells that only Python's readers take (other scripts' digits, ``Infinity``, ``2021-1-5``, ``###`` as binary) are
not of the type, as the spec spells it (:mod:`~dpcheck.spellings`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dpcheck import spellings
from dpcheck.frozen import thaw
from dpcheck.tableschema import Field

Mask = pa.ChunkedArray

_ACCEPT = {
    "integer": r"^-?[0-9]{1,18}$",
    "number": r"^-?(?:[0-9]{1,15}\.?[0-9]{0,15}|\.[0-9]{1,15})(?:[eE][+-]?[0-9]{1,3})?$",
    "year": r"^[0-9]{4}$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
}
# Cells no reading can accept: int() takes no letters; Decimal() takes only those of NaN, sNaN, Inf(inity), e.
_REJECT = {"integer": r"[A-Za-z]", "number": r"[B-DG-HJ-MO-RU-XZb-dg-hj-mo-ru-xz]"}
_ARROW = {"integer": pa.int64(), "number": pa.float64(), "year": pa.int64(), "date": pa.date32(), "boolean": pa.bool_(), "string": pa.string()}


class FieldError(Exception):
    """A field descriptor frictionless cannot build a reader for; the message says why."""


@dataclass
class Parsed:
    """One column read as its field's type.

    Attributes:
        values: typed values (null where missing or not of the type) for the vectorised types; for the
            others the text cells with missing values nulled (keys and uniqueness compare those).
        missing: cells that are null or a missing value.
        bad: cells that are present but not of the field's type (``type-error``).
        vectorised: whether ``values`` are typed, so the table checks run the constraints on them.
        notes: for the oracle tier, (constraint, mask of cells breaking it) from frictionless.
    """

    values: pa.ChunkedArray
    missing: Mask
    bad: Mask
    vectorised: bool
    notes: list[tuple[str, Mask]] = field(default_factory=list)


def kind(field: Field) -> str | None:
    """The type ``field``'s cells are read as: its declared type, ``string`` when it declares none (Table Schema
    v1's default, which these checks keep), None when its declared type is not a string (the profile check
    reports that, and its cells are not read)."""
    if "type" not in field.descriptor:
        return "string"
    return field.type if field.type != "any" or field.descriptor["type"] == "any" else None


def value_type(kind_: str) -> pa.DataType | None:
    """The Arrow type cells of the field type ``kind_`` are read as, where it is one fixed type (None for the
    others: times, objects and the like are typed by frictionless, cell by cell)."""
    return _ARROW.get(kind_)


def read_type(field: Field) -> pa.DataType:
    """The Arrow type a field's text cells are read as: :func:`value_type` of its kind, else text."""
    return value_type(kind(field) or "") or pa.string()


def frictionless_field(descriptor: dict[str, Any]) -> Any:
    """Build the frictionless Field for a field descriptor.

    Raises:
        FieldError: when frictionless cannot build it (unknown type, malformed options).
    """
    from dpcheck.frictionless_types import SpecField

    try:
        return SpecField.from_descriptor(dict(descriptor))
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - frictionless raises many kinds for bad descriptors
        raise FieldError(" ".join(str(exc).split())) from None


def _reader_descriptor(field: Field, constraints: bool) -> dict[str, Any]:
    """The descriptor frictionless reads ``field``'s cells by: without ``groupChar`` for an integer (its group
    characters are taken out first), with no constraints or with all but ``jsonSchema`` (see jsoncells)."""
    descriptor = thaw(field.descriptor)
    if kind(field) == "integer" and field.group_char:
        descriptor.pop("groupChar", None)
    if not constraints:
        descriptor["constraints"] = {}
    elif "jsonSchema" in field.constraints:
        descriptor["constraints"] = {k: v for k, v in descriptor["constraints"].items() if k != "jsonSchema"}
    return descriptor


_BUILT: dict[tuple[str, bool], Any] = {}  # frictionless Fields by (repr of the descriptor, with constraints)
# The same, by the descriptor object itself (its repr costs 30 us, once per field and batch otherwise)
_SEEN: dict[tuple[int, bool], tuple[Any, Any]] = {}


def _frictionless(field: Field, constraints: bool) -> Any:
    """The frictionless Field that reads ``field``'s cells, built once per field rather than once per batch.

    Fields are told apart by the repr of their descriptor, which, unlike equality, tells 1, 1.0 and True apart.

    Raises:
        FieldError: when frictionless cannot build it.
    """
    known = _SEEN.get((id(field.descriptor), constraints))
    if known is not None and known[0] is field.descriptor:  # (the same read-only descriptor: a batch after the first)
        return known[1]
    key = (repr(field.descriptor), constraints)
    built = _BUILT.get(key)
    if built is None:
        built = frictionless_field(_reader_descriptor(field, constraints))
        if len(_BUILT) >= 1024:
            _BUILT.clear()
        _BUILT[key] = built
    if len(_SEEN) >= 1024:
        _SEEN.clear()
    _SEEN[(id(field.descriptor), constraints)] = (field.descriptor, built)  # (held, so its id is not reused)
    return built


def _vectorisable(field: Field, plain_digits: bool) -> bool:
    """Whether the common spellings of ``field``'s type can be read by Arrow: a type with an Arrow form, its
    default format, and for numbers no spelling options (``plain_digits``: groupChar, decimalChar, bareNumber)."""
    type_ = kind(field)
    if type_ not in _ARROW or field.format != "default":
        return False
    return plain_digits or type_ not in ("integer", "number")


def _fill(mask: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray:
    out = pc.fill_null(mask, False) if mask.null_count else mask  # (most masks have no null: no copy then)
    return out if isinstance(out, pa.ChunkedArray) else pa.chunked_array([out])


def among(col: pa.ChunkedArray, values: list[str]) -> Mask:
    """Cells of ``col`` equal to one of ``values`` (all false when there are none)."""
    if not values:
        return pa.chunked_array([pa.repeat(False, len(col))])
    if len(values) == 1:  # (a comparison costs a sixth of a hash lookup)
        return _fill(pc.equal(col, pa.scalar(values[0], pa.string())))
    return _fill(pc.is_in(col, value_set=pa.array(values, pa.string())))


def absent(col: pa.ChunkedArray, values: list[str] | tuple[str, ...]) -> Mask:
    """Cells of ``col`` that are missing: absent (null) or one of the missing ``values``; never null."""
    spelled = among(col, list(values))
    # (a column with no null needs one comparison, not the null test and an or as well)
    return spelled if col.null_count == 0 else _fill(pc.or_(pc.is_null(col), spelled))


def _oracle(reader: Any, cells: list[str]) -> dict[str, tuple[Any, bool, list[str]]]:
    """Read distinct cells with a frictionless cell reader: value -> (parsed, of the type, broken constraints)."""
    out = {}
    for cell in cells:
        try:
            value, notes = reader(cell)
        except MemoryError:
            raise  # out of memory is not a verdict on the cell (see validate_package)
        except Exception:  # noqa: BLE001 - a reader that crashes on a cell has not accepted it
            value, notes = None, {"type": "unreadable"}
        notes = dict(notes or {})
        ok = notes.pop("type", None) is None
        out[cell] = (value, ok, sorted(notes))
    return out


def _typed(kind: str, values: list[Any]) -> pa.Array:
    """Arrow array of values the oracle parsed (None where it did not, or where Arrow cannot hold it)."""
    converted = []
    for value in values:
        if value is None:
            converted.append(None)
        elif kind == "number":
            converted.append(float(value))
        elif kind in ("integer", "year"):
            converted.append(value if -(2**63) <= value < 2**63 else None)
        else:
            converted.append(value)
    return pa.array(converted, _ARROW[kind])


def _holds_x(chunk: pa.Array) -> bool:
    """Whether any cell of a string array holds an ``x`` or ``X`` (a scan of its bytes, without a regex)."""
    _, offsets, data = chunk.buffers()
    if data is None or len(chunk) == 0:
        return False
    ends = np.frombuffer(offsets, dtype=np.int32)[chunk.offset:chunk.offset + len(chunk) + 1]
    text = np.frombuffer(data, dtype=np.uint8)[ends[0]:ends[-1]]
    return bool(np.any((text | 0x20) == ord("x")))


def _whole_cast(present: pa.ChunkedArray, type_: str) -> pa.ChunkedArray | None:
    """The present cells of an integer or number column cast by Arrow in one go, or None when Arrow refuses
    one of them (the cells are then read one tier at a time) or the type is another.

    Every spelling Arrow's cast accepts is one frictionless accepts with the same value (Python's ``int`` and
    ``Decimal`` after ``strip``: signs, leading zeros, ``1e5``, ``.5``, ``inf``, ``nan``), but for the
    hexadecimal integers Arrow reads (``0x1F``), so an integer column holding an ``x`` is not cast here, and a
    number column holding a NaN or an infinity is read cell by cell, where ``Infinity`` and ``+inf`` are not
    the spec's spellings.
    """
    if type_ not in ("integer", "number"):
        return None
    if type_ == "integer" and any(_holds_x(chunk) for chunk in present.chunks):
        return None
    try:
        cast = pc.cast(present, _ARROW[type_])
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if type_ == "number" and pc.all(pc.is_finite(cast)).as_py() is False:
        # (a NaN or an infinity is read cell by cell, where its spelling is judged: Arrow also reads Infinity)
        return None
    return cast


def parse(col: pa.ChunkedArray, field: Field, missing_values: list[str] | tuple[str, ...]) -> Parsed:
    """Read a text column as ``field`` says (see the module docstring).

    Args:
        col: the cells as strings (null for a cell the file does not have).
        field: the Table Schema field, from the model.
        missing_values: the schema's (or field's) ``missingValues``.

    Raises:
        FieldError: when frictionless cannot build a reader for the field.
    """
    if not pa.types.is_string(col.type):
        col = pc.cast(col, pa.string())
    missing = absent(col, missing_values)
    # (a column with no missing cell is used as it is: nulling none of its cells would copy every string)
    present = pc.if_else(missing, pa.scalar(None, pa.string()), col) if pc.any(missing).as_py() else col
    type_ = kind(field)
    options = ["bareNumber", "groupChar", "decimalChar", "floatNumber"]
    if type_ == "integer" and field.group_char:
        # Table Schema v2 gives integers a groupChar (v1, and frictionless, only numbers): "1,000" is 1000.
        present = pc.replace_substring(present, field.group_char, "")
        options.remove("groupChar")
    spelled = any(key in field.descriptor for key in options)
    if _vectorisable(field, not spelled):
        if type_ == "string":
            return Parsed(present, missing, among(col, []), True)
        ff = _frictionless(field, constraints=False)
        if type_ == "boolean":
            true = [v for v in getattr(ff, "true_values") if isinstance(v, str)]
            false = [v for v in getattr(ff, "false_values") if isinstance(v, str)]
            is_true, is_false = among(present, true), among(present, false)
            bad = pc.and_(pc.invert(missing), pc.invert(pc.or_(is_true, is_false)))
            values = pc.if_else(pc.or_(is_true, is_false), is_true, pa.scalar(None, pa.bool_()))
            return Parsed(values, missing, _fill(bad), True)
        cast = _whole_cast(present, type_)
        if cast is not None:
            return Parsed(cast, missing, among(col, []), True)
        accept = _fill(pc.match_substring_regex(present, _ACCEPT[type_]))
        accepted = pc.if_else(accept, present, pa.scalar(None, pa.string()))
        if type_ == "date":
            stamp = pc.strptime(accepted, format="%Y-%m-%d", unit="s", error_is_null=True)
            # The date's parts are the digits written (no 02-30 rolled over into March) and its year is not 0,
            # which Python's dates lack (compared as numbers: Arrow's strftime takes 1.8 us a cell).
            year, month, day = (pc.cast(pc.utf8_slice_codeunits(accepted, a, b), pa.int64()) for a, b in ((0, 4), (5, 7), (8, 10)))
            same = pc.and_(pc.and_(pc.equal(pc.year(stamp), year), pc.equal(pc.month(stamp), month)),
                           pc.and_(pc.equal(pc.day(stamp), day), pc.greater_equal(year, 1)))
            roundtrip = _fill(same)
            values = pc.cast(pc.if_else(roundtrip, stamp, pa.scalar(None, pa.timestamp("s"))), pa.date32())
            accept = roundtrip
        else:
            values = pc.cast(accepted, _ARROW[type_])
        undecided = pc.and_(pc.invert(missing), pc.invert(accept))
        if type_ in _REJECT:
            rejected = _fill(pc.match_substring_regex(present, _REJECT[type_]))
            undecided = pc.and_(undecided, pc.invert(rejected))
        undecided = _fill(undecided)
        odd = pc.unique(present.filter(undecided)).to_pylist()
        value_reader = ff.create_value_reader()

        def reader(cell: str) -> tuple[Any, dict[str, str] | None]:
            value = value_reader(cell)
            return value, None if value is not None else {"type": "not of the type"}

        read = _oracle(spellings.guard(reader, type_, field.format, field.descriptor), odd)
        good = [cell for cell in odd if read[cell][1]]
        if good:
            lookup = pc.index_in(present, value_set=pa.array(good, pa.string()))
            rescued = _typed(type_, [read[cell][0] for cell in good]).take(pc.fill_null(lookup, 0))
            values = pc.if_else(_fill(pc.is_valid(lookup)), rescued, values)
            accept = pc.or_(accept, _fill(pc.is_valid(lookup)))
        bad = _fill(pc.and_(pc.invert(missing), pc.invert(accept)))
        return Parsed(values, missing, bad, True)
    # The oracle tier: frictionless reads each distinct present cell, constraints included (but jsonSchema,
    # which frictionless does not know: see dpcheck.jsoncells).
    ff = _frictionless(field, constraints=True)
    reader = spellings.guard(ff.create_cell_reader(), kind(field), field.format, field.descriptor)
    cells = pc.unique(present.filter(pc.is_valid(present))).to_pylist()
    read = _oracle(reader, cells)
    bad = among(present, [cell for cell in cells if not read[cell][1]])
    broken = sorted({name for _, ok, names in read.values() if ok for name in names})
    notes = [(name, among(present, [cell for cell in cells if read[cell][1] and name in read[cell][2]])) for name in broken]
    return Parsed(present, missing, bad, False, notes)
