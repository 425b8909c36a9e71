"""The catalogue of finding codes ``pkg validate`` can report, with a one-line meaning each.

Codes are stable: scripts may match on them. Where frictionless has an error of the same meaning we use its
name; the others are corpack's own. The documentation's list of checks is generated from :data:`CODES`.

A code in :data:`NOTICES` tells the user something that was deliberately not checked; it is reported but
does not make the package invalid. Every other code is an error.
"""

from __future__ import annotations

#: Every finding code, in the order the checks run, with what it means.
CODES: dict[str, str] = {
    # descriptor
    "package-error": "datapackage.json is not valid JSON, or not valid against the Data Package profile",
    "resource-error": "a resource's descriptor is invalid, or its format cannot be checked",
    "schema-error": "a resource's Table Schema is invalid (unknown type, bad key, a foreign key to a field the resource lacks, a NaN or infinite constraint)",
    "unsafe-path": "a resource path is absolute, has a '..' component, is a file: URL or escapes the folder",
    "scheme-error": "a resource path is a URL, and remote resources are only allowed with trusted=True",
    "not-checked": "notice: something deliberately left unchecked (a remote resource, a custom profile, an archive without SHA256SUMS)",
    # release archive (zip): its SHA256SUMS and its own checksum
    "archive-hash": "a zip archive's sha256 differs from the checksum expected (--sha256 / sha256=)",
    "sums-error": "an archive's SHA256SUMS has a line that is not '<sha256>  <path>' with a safe path, or lists a path twice",
    "member-hash": "an archive member's sha256 differs from its line in SHA256SUMS",
    "member-missing": "SHA256SUMS lists a file the archive does not hold",
    "member-unlisted": "the archive holds a file that SHA256SUMS does not list (an added file)",
    # integrity
    "source-error": "a resource file is missing, unreadable, not a regular file (a folder, FIFO, socket or device: never read), or not a readable file of its format",
    "hash-count": "a resource file's checksum differs from the declared hash",
    "byte-count": "a resource file's size differs from the declared bytes",
    # tables
    "encoding-error": "a text file's bytes are not in its declared encoding (UTF-8 when none is declared)",
    "blank-label": "a CSV header cell is empty",
    "duplicate-label": "a CSV header label repeats an earlier one",
    "missing-label": "a schema field has no column at its position in the file",
    "extra-label": "the file has a column beyond the schema's fields",
    "incorrect-label": "a column's name differs from the schema field at the same position",
    "extra-cell": "a CSV row has more cells than the header has labels (than the schema has fields without a header)",
    "missing-cell": "a CSV row has fewer cells than the header has labels (than the schema has fields without a header)",
    "blank-row": "every cell of a CSV row is missing (such a row gets no other finding)",
    "type-error": "a column's physical type (or a CSV cell) does not fit the field's declared type",
    "constraint-error": "a value breaks a field constraint (required, enum, minimum, maximum, length, pattern)",
    "unique-error": "a value of a field with the unique constraint occurs more than once",
    "primary-key": "a primary key is null in a key field, or occurs more than once",
    "foreign-key": "a row's foreign key matches no row of the referenced resource",
    # corpus
    "paragraph-offset": "a paragraph's offsets are out of range, or its text is not documents.text[start:end]",
    "paragraph-order": "a document's paragraphs, taken by para_no, overlap or run backwards",
    "text-defect": "text holds U+FFFD, a control character other than newline, or an HTML tag remnant",
    "duplicate-paragraph": "a paragraph's text repeats an earlier paragraph of the same document exactly",
    # fact tables
    "quote-mismatch": "a fact's offsets do not fit its document, or its quote is not documents.text[char_start:char_end]",
    "list-count": "a designations list's stated_count differs from the number of rows listed under it",
}

#: Codes that inform without making the package invalid.
NOTICES: frozenset[str] = frozenset({"not-checked"})


def is_error(code: str) -> bool:
    """Return whether findings with ``code`` make a package invalid (every code but the notices)."""
    return code not in NOTICES
