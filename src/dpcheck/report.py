"""Findings, the report that gathers them, and its text and JSON renderings.

A report keeps at most ``limit`` findings per (resource, code, field) group but counts every one, so a
column with a million bad values costs a count and a handful of examples. Checks that find bad rows in bulk
pass only the first rows and the total to :meth:`Report.add_rows`.

The JSON shape (``Report.to_dict``), stable and free of timings and absolute paths::

    {
      "valid": false,
      "package": "build/datapackage",          # the path exactly as the caller gave it
      "summary": {
        "resources": ["documents", "paragraphs"],   # resources named in the descriptor
        "errors": 12,                                # every error counted, shown or not
        "notices": 0,
        "counts": [{"resource": "paragraphs", "code": "foreign-key", "count": 12}]
      },
      "findings": [
        {"code": "foreign-key", "message": "...", "resource": "paragraphs",
         "file": "data/paragraphs.parquet", "row": 7, "field": "doc_id", "offset": null}
      ],
      "truncated": {
        "shown": 5, "total": 12,
        "groups": [{"resource": "paragraphs", "code": "foreign-key", "field": "doc_id",
                    "shown": 5, "total": 12}]
      }
    }

``counts`` and ``truncated.groups`` are sorted (package-level first, then by resource, code, field);
``findings`` keep the order the checks found them in, which is deterministic.

Reports stay small whatever the package holds (#11): a label or value quoted in a message goes through
:func:`quote` (at most :data:`MAX_TEXT` characters, then ``…`` and the full length), and every
:class:`Finding` cuts its own ``resource``, ``file`` and ``field`` to :data:`MAX_TEXT` characters and its
``message`` to :data:`MAX_MESSAGE`, so a 500 MB header label costs a few hundred bytes of report.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import pyarrow as pa

from dpcheck.codes import BY_CODE, CODES, is_error

Group = tuple[str | None, str, str | None]

#: Most characters of a label, value, name or path copied into a finding.
MAX_TEXT = 200
#: Most characters of a finding's message.
MAX_MESSAGE = 1000


def clip(text: str, width: int = MAX_TEXT) -> str:
    """``text`` when it has at most ``width`` characters, else its first ``width``, ``…`` and its length:
    ``'abc…' (3,000,000 characters)`` for a quoted label reads ``abc… (3,000,000 characters)`` here."""
    if len(text) <= width:
        return text
    return f"{text[:width]}… ({len(text):,} characters)"


def quote(value: str, width: int = MAX_TEXT) -> str:
    """A label or value as a message quotes it (``repr``), cut after ``width`` characters of the value:
    ``'LLLL…' (3,000,000 characters)``."""
    if len(value) <= width:
        return repr(value)
    return f"{value[:width] + '…'!r} ({len(value):,} characters)"


def _clipped(text: str | None, width: int = MAX_TEXT) -> str | None:
    return clip(text, width) if isinstance(text, str) else text


@dataclass(frozen=True)
class Finding:
    """One thing ``validate`` learned about a package.

    Attributes:
        code: stable code from :data:`dpcheck.codes.CODES`.
        message: one sentence saying what is wrong, naming the constraint or value.
        resource: the resource's name, or None for the package as a whole.
        file: the file concerned, relative to the package folder, or None.
        row: the row number, counted as frictionless does (the first data row is row 2), or None.
        field: the field (column) concerned, or None.
        offset: a character offset into a value or into datapackage.json (the message says which), or None.
    """

    code: str
    message: str
    resource: str | None = None
    file: str | None = None
    row: int | None = None
    field: str | None = None
    offset: int | None = None

    def __post_init__(self) -> None:
        # Bounded whatever the package holds: see MAX_TEXT and MAX_MESSAGE.
        for name, width in (("message", MAX_MESSAGE), ("resource", MAX_TEXT), ("file", MAX_TEXT), ("field", MAX_TEXT)):
            value = getattr(self, name)
            if isinstance(value, str) and len(value) > width:
                object.__setattr__(self, name, clip(value, width))

    def to_dict(self) -> dict[str, Any]:
        """Return the finding as a JSON-ready dict with every attribute present."""
        return asdict(self)


def _group_key(group: Sequence[Any]) -> tuple[Any, ...]:
    # None sorts first (package-level findings), then by name.
    return tuple((value is not None, value or "") for value in group)


@dataclass
class Report:
    """The findings of one validation run.

    Attributes:
        package: the package path exactly as the caller gave it.
        limit: how many findings are kept per (resource, code, field) group.
        findings: the kept findings, in the order they were added.
        counts: how many findings each (resource, code) group had, kept or not.
        resources: the names of the resources the descriptor lists.
        meanings: what the codes of the declared checks that ran mean (a plug-in's ``codes``), beside the
            catalogue's own; see :meth:`meaning`.
    """

    package: str
    limit: int = 5
    findings: list[Finding] = field(default_factory=list)
    counts: dict[tuple[str | None, str], int] = field(default_factory=dict)
    resources: list[str] = field(default_factory=list)
    meanings: dict[str, str] = field(default_factory=dict)
    _kept: dict[Group, int] = field(default_factory=dict, repr=False)
    _totals: dict[Group, int] = field(default_factory=dict, repr=False)

    def meaning(self, code: str) -> str:
        """What ``code`` means: the catalogue's description, or a declared check's; empty when unknown."""
        return CODES.get(code) or self.meanings.get(code, "")

    def add(self, finding: Finding) -> None:
        """Count ``finding``, and keep it unless its (resource, code, field) group already has ``limit``."""
        self._count(finding.resource, finding.code, finding.field, 1)
        group = (finding.resource, finding.code, finding.field)
        if self._kept.get(group, 0) < self.limit:
            self._kept[group] = self._kept.get(group, 0) + 1
            self.findings.append(finding)

    def add_rows(
        self,
        code: str,
        messages: str | Sequence[str],
        *,
        resource: str | None,
        file: str | None,
        field: str | None,
        rows: Iterable[int] | pa.Array | pa.ChunkedArray,
        total: int,
        offsets: Sequence[int | None] | None = None,
    ) -> None:
        """Add a batch of row findings found in bulk, counting ``total`` but keeping only the first few.

        Args:
            code: the finding code shared by the batch.
            messages: one message for every row, or one message per entry of ``rows``.
            resource: the resource's name.
            file: the file concerned, relative to the package folder.
            field: the field concerned, or None for a whole-row finding (e.g. a composite key).
            rows: the bad rows (frictionless numbering), in order: a sequence, numpy array or pyarrow array.
                Only the entries the group can still keep are looked at, so passing all million costs
                nothing, though callers usually pass the first ``limit``.
            total: how many rows are bad in all, at least ``len(rows)``.
            offsets: optional character offsets aligned with ``rows``.
        """
        if total == 0 and len(rows) == 0:
            return
        resource, field, file = _clipped(resource), _clipped(field), _clipped(file)  # as Finding cuts them
        group = (resource, code, field)
        room = max(self.limit - self._kept.get(group, 0), 0)
        if isinstance(rows, (pa.Array, pa.ChunkedArray)):
            shown = rows.slice(0, room).to_pylist()
        else:
            shown = [int(row) for row in itertools.islice(rows, room)]
        for i, row in enumerate(shown):
            message = messages if isinstance(messages, str) else messages[i]
            offset = offsets[i] if offsets is not None else None
            self.findings.append(Finding(code, message, resource, file, row, field, offset))
        self._kept[group] = self._kept.get(group, 0) + len(shown)
        self._count(resource, code, field, max(total, len(shown)))

    def extend(self, other: Report) -> None:
        """Add ``other``'s findings after this report's, as if each had been added here, in order: a group
        keeps its first ``limit`` of them all, and every one is counted. (``other`` kept the first ``limit`` of
        its own, so it holds every finding this report can still keep.)"""
        for finding in other.findings:
            group = (finding.resource, finding.code, finding.field)
            if self._kept.get(group, 0) < self.limit:
                self._kept[group] = self._kept.get(group, 0) + 1
                self.findings.append(finding)
        for key, n in other.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
        for group, n in other._totals.items():
            self._totals[group] = self._totals.get(group, 0) + n
        self.meanings.update(other.meanings)
        self.resources = self.resources or list(other.resources)

    def _count(self, resource: str | None, code: str, field: str | None, n: int) -> None:
        self.counts[(resource, code)] = self.counts.get((resource, code), 0) + n
        group = (resource, code, field)
        self._totals[group] = self._totals.get(group, 0) + n

    @property
    def errors(self) -> int:
        """How many errors were found in all (notices not included)."""
        return sum(n for (_, code), n in self.counts.items() if is_error(code))

    @property
    def notices(self) -> int:
        """How many notices (things deliberately not checked) were reported."""
        return sum(n for (_, code), n in self.counts.items() if not is_error(code))

    @property
    def valid(self) -> bool:
        """Whether the package passed: no finding other than a notice."""
        return self.errors == 0

    @property
    def exit_code(self) -> int:
        """The exit code ``pkg validate`` ends with: 0 valid, 1 invalid."""
        return 0 if self.valid else 1

    def truncated(self) -> list[dict[str, Any]]:
        """Return the groups that had more findings than were kept, sorted, with shown and total counts."""
        out = []
        for group in sorted(self._totals, key=_group_key):
            total, shown = self._totals[group], self._kept.get(group, 0)
            if total > shown:
                resource, code, field_name = group
                out.append({"resource": resource, "code": code, "field": field_name, "shown": shown, "total": total})
        return out

    def to_dict(self) -> dict[str, Any]:
        """Return the report in the stable JSON shape described in this module's docstring."""
        counts = [
            {"resource": resource, "code": code, "count": n}
            for (resource, code), n in sorted(self.counts.items(), key=lambda item: _group_key(item[0]))
        ]
        return {
            "valid": self.valid,
            "package": self.package,
            "summary": {"resources": list(self.resources), "errors": self.errors, "notices": self.notices, "counts": counts},
            "findings": [finding.to_dict() for finding in self.findings],
            "truncated": {"shown": len(self.findings), "total": sum(self.counts.values()), "groups": self.truncated()},
        }


def plural(n: int, word: str) -> str:
    """``1 row``, ``2 rows``: a count with its noun, for messages (the noun's plural takes an s)."""
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _where(finding: Finding) -> str:
    parts = []
    data = finding.code in BY_CODE and BY_CODE[finding.code].stage in ("files", "tables")
    if finding.resource is None and finding.file and data:
        parts.append(f"file {finding.file}")  # (a resource without a name: its file says which one)
    if finding.row is not None:
        parts.append(f"row {finding.row}")
    if finding.field is not None:
        parts.append(f"field {finding.field}")
    return ", ".join(parts)


def render_text(report: Report) -> str:
    """Render ``report`` for a terminal: by resource, then by code with counts, then a verdict line.

    Each code shows its count and the kept findings with their row, field and message; the last line is
    ``valid: 2 resources, 0 errors`` or ``INVALID: 3 errors in 2 checks``.
    """
    lines = [f"package: {report.package}"]
    resources = sorted({resource for resource, _ in report.counts}, key=lambda r: _group_key([r]))
    for resource in resources:
        files = {f.file for f in report.findings if f.resource == resource and f.file}
        label = resource if resource is not None else "(package)"
        if resource is not None and len(files) == 1:
            label += f" ({files.pop()})"
        lines.append(label)
        order = list(CODES)
        codes = sorted((code for r, code in report.counts if r == resource), key=lambda c: (c not in CODES, order.index(c) if c in CODES else 0, c))
        for code in codes:
            total = report.counts[(resource, code)]
            kept = [f for f in report.findings if f.resource == resource and f.code == code]
            kind = "" if is_error(code) else " (notice)"
            shown = f", showing {len(kept)}" if len(kept) < total else ""
            lines.append(f"  {code}{kind}: {total}{shown}")
            for finding in kept:
                where = _where(finding)
                lines.append(f"    {where + ': ' if where else ''}{finding.message}")
    if report.valid:
        verdict = f"valid: {plural(len(report.resources), 'resource')}, 0 errors"
        if report.notices:
            verdict += f" ({plural(report.notices, 'notice')})"
    else:
        checks = len({code for (_, code), n in report.counts.items() if is_error(code) and n})
        verdict = f"INVALID: {plural(report.errors, 'error')} in {plural(checks, 'check')}"
    lines.append(verdict)
    return "\n".join(lines) + "\n"
