"""The catalogue of finding codes dpcheck can report, as data: code, title, message template, description.

Codes are stable: scripts may match on them. Where frictionless has an error of the same meaning we use its
name (and its title); the others are ours. Each :class:`Code` says, as frictionless-py's error classes do:

- ``code``: the stable name a finding carries;
- ``title``: a few words for headings (the HTML report, the docs' table);
- ``template``: how its findings read, with the placeholders the checks fill (``{note}`` is the part that
  names the value, constraint or path concerned; ``{hint}``, empty or a suggestion after a semicolon, says
  what the publisher probably meant); :meth:`Code.render` fills it;
- ``description``: one sentence on what it means and what to do about it;
- ``notice``: whether it only informs (something deliberately not checked) rather than making the package
  invalid.

:data:`CODES` (code -> description) and :data:`NOTICES` are views of :data:`CATALOGUE`, which is the one
place codes are defined; a test (tests/validate/test_catalogue.py) holds that every code is documented in
docs/validation.md and has a small package among the tests that produces it. Checks a package declares
(:mod:`dpcheck.plugins`) bring their own codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter
from typing import Any


@dataclass(frozen=True)
class Code:
    """One entry of the catalogue (see the module docstring)."""

    code: str
    title: str
    template: str
    description: str
    stage: str
    notice: bool = False

    @property
    def placeholders(self) -> tuple[str, ...]:
        """The names the template takes, in order."""
        return tuple(name for _, name, _, _ in Formatter().parse(self.template) if name)

    def render(self, **values: Any) -> str:
        """The template filled with ``values`` (every placeholder must be given).

        Raises:
            KeyError: naming a placeholder that has no value.
        """
        return self.template.format(**values)


#: Every finding code, in the order the checks run.
CATALOGUE: tuple[Code, ...] = (
    # descriptor
    Code("package-error", "Package Error", "{note}", "The descriptor is not usable JSON or YAML, or not valid against "
         "the Data Package profile (a repeated resource name, no resources, a bad $schema); fix the descriptor.", "descriptor"),
    Code("resource-error", "Resource Error", "{note}", "A resource's descriptor (or its dialect) is "
         "invalid against the profile; its rows are not checked.", "descriptor"),
    Code("schema-error", "Schema Error", "{note}", "A Table Schema is invalid: an unknown type, a bad "
         "key, a foreign key to a field the resource lacks, a NaN or infinite constraint, malformed uniqueKeys, categories "
         "or jsonSchema, or a schema file that cannot be loaded; the affected rows are not checked.", "descriptor"),
    Code("unsafe-path", "Unsafe Path", "path {path!r} {note}", "A path is absolute, has a '..' component, is a file: URL "
         "or escapes the package folder through a symlink; it is never opened.", "descriptor"),
    Code("scheme-error", "Scheme Error", "path {path!r} is a URL; {note}", "A path is a URL, and remote resources are "
         "accepted only with --trusted (and then never fetched).", "descriptor"),
    Code("not-checked", "Not Checked", "{note}", "Notice: something was deliberately left unchecked (a remote resource, a custom "
         "profile, an unregistered declared check, an archive without SHA256SUMS, a table it cannot read).", "descriptor", notice=True),
    # release archive (zip): its SHA256SUMS and its own checksum
    Code("archive-hash", "Archive Hash", "the archive's sha256 is {actual}, not the expected {expected}: {note}", "A zip archive's sha256 "
         "differs from the checksum expected (--sha256 / sha256=): it is not the archive that was announced.", "archive"),
    Code("sums-error", "Sums Error", "SHA256SUMS line {line} {note}", "An archive's SHA256SUMS has a line that is not "
         "'<sha256>  <path>' with a safe path, or lists a path twice.", "archive"),
    Code("member-hash", "Member Hash", "sha256 of {path!r} is {actual}, but SHA256SUMS lists {expected}", "An archive member's "
         "sha256 differs from its line in SHA256SUMS: it was changed after the sums were written.", "archive"),
    Code("member-missing", "Member Missing", "SHA256SUMS lists {path!r}, which the archive does not hold", "SHA256SUMS lists a "
         "file the archive does not hold.", "archive"),
    Code("member-unlisted", "Member Unlisted", "{path!r} is in the archive but not listed in SHA256SUMS: an added file", "The archive holds a "
         "file that SHA256SUMS does not list (an added file).", "archive"),
    # files
    Code("source-error", "Source Error", "{note}", "A resource file is missing, unreadable, not a regular file (a "
         "folder, FIFO, socket or device: never read), or not a readable file of its format.", "files"),
    Code("hash-count", "Hash Count Error", "declared {algorithm} is {expected} but the file's is {actual}", "A resource "
         "file's checksum differs from the declared hash.", "files"),
    Code("byte-count", "Byte Count Error", "declared bytes is {expected} but the file has {actual} bytes", "A resource file's "
         "size differs from the declared bytes.", "files"),
    # tables
    Code("encoding-error", "Encoding Error", "{note}", "A text file's bytes are not in its declared "
         "encoding (UTF-8 when none is declared); its rows are not checked.", "tables"),
    Code("blank-label", "Blank Label", "column {position} has a blank label{note}", "A CSV header cell is empty.", "tables"),
    Code("duplicate-label", "Duplicate Label", "column {position} repeats the label {label!r} of column {first}",
         "A CSV header label repeats an earlier one.", "tables"),
    Code("missing-label", "Missing Label", "field {field!r} (position {position}) has no column in the file",
         "A schema field has no column at its position in the file.", "tables"),
    Code("extra-label", "Extra Label", "column {label!r} (position {position}) is not a field of the schema",
         "The file has a column beyond the schema's fields.", "tables"),
    Code("incorrect-label", "Incorrect Label", "column {position} is named {label!r} but the schema's field {position} is {field!r}{hint}", "A column's name differs from the schema field at the same position.", "tables"),
    Code("extra-cell", "Extra Cell", "row has a cell at position {position}, beyond the {expected} expected", "A CSV row has more cells than "
         "the header has labels (than the schema has fields without a header).", "tables"),
    Code("missing-cell", "Missing Cell", "row has no cell for field {field!r} (position {position})", "A CSV row has fewer cells "
         "than the header has labels (than the schema has fields without a header).", "tables"),
    Code("blank-row", "Blank Row", "row is blank: every cell is missing", "Every cell of a row is missing (such a row gets no other "
         "finding).", "tables"),
    Code("type-error", "Type Error", "{note}", "A column's physical type, or a cell, does "
         "not fit the field's declared type.", "tables"),
    Code("constraint-error", "Constraint Error", "{note}", "A value breaks a field "
         "constraint (required, enum, minimum, maximum, length, pattern).", "tables"),
    Code("unique-error", "Unique Error", "value {value!r} of a unique field repeats row {first}", "A value of a field with the unique "
         "constraint, or of a unique key, occurs more than once.", "tables"),
    Code("primary-key", "Primary Key Error", "primary key ({fields}) {note}", "A primary key is null in a key field, or "
         "occurs more than once.", "tables"),
    Code("foreign-key", "Foreign Key Error", "foreign key ({fields}) = {value} has no match in {target}", "A row's "
         "foreign key matches no row of the referenced resource.", "tables"),
)

#: Each code with its description (the one-line meaning the reports show).
CODES: dict[str, str] = {entry.code: entry.description for entry in CATALOGUE}
#: Codes that inform without making the package invalid.
NOTICES: frozenset[str] = frozenset(entry.code for entry in CATALOGUE if entry.notice)
#: The catalogue by code.
BY_CODE: dict[str, Code] = {entry.code: entry for entry in CATALOGUE}


def is_error(code: str) -> bool:
    """Return whether findings with ``code`` make a package invalid (every code but the notices)."""
    return code not in NOTICES


def markdown() -> str:
    """The catalogue as the Markdown table docs/validation.md holds (written by ``python -m tests.regen``)."""
    lines = ["| code | title | stage | meaning |", "| --- | --- | --- | --- |"]
    for entry in CATALOGUE:
        kind = " (notice)" if entry.notice else ""
        lines.append(f"| `{entry.code}` | {entry.title}{kind} | {entry.stage} | {entry.description} |")
    return "\n".join(lines)
