"""The Table Schemas in ``schemas/``: the contract every table is built and checked against.

The schemas are data, not code: field names, types, constraints and keys are read from the JSON files and
never restated in Python. In a source checkout they live in the repository's top-level ``schemas/``
folder; an installed wheel carries a copy inside the package.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow as pa

from corpack.errors import SchemaError

#: The resources the build writes, in the order they appear in ``datapackage.json``.
RESOURCES = ("documents", "paragraphs", "statistics", "events", "places", "designations", "programmes", "people")
#: The fact tables among them, each written by the extractor module of the same name.
FACT_RESOURCES = RESOURCES[2:]

# Arrow type written for each Table Schema type the build uses. Reading accepts more (see validate).
_ARROW_TYPES = {
    "string": pa.string(),
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("s", tz="UTC"),
    "year": pa.int32(),
}


def schema_dir() -> Path:
    """Return the folder holding the Table Schema files.

    Raises:
        SchemaError: when neither the packaged copy nor the checkout's ``schemas/`` exists.
    """
    here = Path(__file__).resolve().parent
    for candidate in (here / "schemas", here.parents[1] / "schemas"):
        if candidate.is_dir():
            return candidate
    raise SchemaError("cannot find the schemas/ folder", hint="reinstall corpack or run from a checkout")


def load_schema(name: str) -> dict[str, Any]:
    """Load the Table Schema of resource ``name`` (e.g. ``"documents"``) as a dict.

    Raises:
        SchemaError: when the file is missing or is not valid JSON.
    """
    path = schema_dir() / f"{name}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SchemaError(f"no Table Schema for resource {name!r}", file=path) from None
    except json.JSONDecodeError as exc:
        raise SchemaError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", file=path) from None


def field_names(schema: dict[str, Any]) -> list[str]:
    """Return the field names of a Table Schema, in order."""
    return [field["name"] for field in schema["fields"]]


def arrow_schema(schema: dict[str, Any]) -> pa.Schema:
    """Translate a Table Schema into the Arrow schema the build writes.

    A field is non-nullable in Arrow exactly when its ``required`` constraint is true.

    Raises:
        SchemaError: for a field type the writer does not support.
    """
    fields = []
    for field in schema["fields"]:
        try:
            arrow_type = _ARROW_TYPES[field.get("type", "string")]
        except KeyError:
            raise SchemaError(f"field {field['name']!r} has type {field['type']!r}, which the build cannot write") from None
        required = bool(field.get("constraints", {}).get("required", False))
        fields.append(pa.field(field["name"], arrow_type, nullable=not required))
    return pa.schema(fields, metadata=pandas_metadata(schema))


def pandas_metadata(schema: dict[str, Any]) -> dict[bytes, bytes] | None:
    """The ``pandas`` key of the Parquet schema metadata that makes pandas keep nullable integers as integers.

    Without it pandas reads an integer column holding nulls as float64 (``year`` 2019.0, NaN), and so does
    frictionless, which reads Parquet through pandas and then reports each null as a ``type-error``. Listing
    those columns with pandas' nullable ``Int64`` dtype makes pandas (``pd.read_parquet``, pyarrow's
    ``to_pandas``) restore them as ``Int64`` with ``<NA>``; other columns and other readers (polars, DuckDB,
    R arrow) are not affected. None when the schema has no nullable integer field.
    """
    columns = [
        {"name": field["name"], "field_name": field["name"], "pandas_type": "int64", "numpy_type": "Int64", "metadata": None}
        for field in schema["fields"]
        if field.get("type") == "integer" and not field.get("constraints", {}).get("required", False)
    ]
    if not columns:
        return None
    meta = {"index_columns": [], "column_indexes": [], "columns": columns}
    return {b"pandas": json.dumps(meta, sort_keys=True).encode("utf-8")}
