"""A release archive's ``SHA256SUMS``: every member checked against it, every member required to be in it.

``pkg release`` writes ``<name>-<version>/SHA256SUMS`` beside ``datapackage.json`` in the archive, one line
per other member in the format of ``sha256sum`` (``<64 hex digits>  <path>``, paths relative to that folder,
sorted). The descriptor's hashes cover only the resources it names, and the descriptor itself is covered by
nothing else: so a changed value with a recomputed descriptor hash, or an added ``payload.sh``, is found only
here. :func:`check` compares the sha256 of each member, taken while it was unpacked, with that list:

- ``member-hash``: a member's sha256 differs from its line;
- ``member-missing``: a line names a file the archive does not hold;
- ``member-unlisted``: the archive holds a file no line names (inside the package folder or beside it);
- ``sums-error``: a line is not ``<sha256>  <path>`` with a safe relative path, or a path repeats;
- ``archive-hash``: the archive's own sha256 differs from the checksum the caller expected.

An archive without SHA256SUMS (a plain zip of a package) gets one ``not-checked`` notice: its resources are
still checked against the descriptor's hashes, but nothing vouches for the descriptor or for other files.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from dpcheck.report import Finding

SUMS_NAME = "SHA256SUMS"
#: Largest SHA256SUMS read (about 250,000 lines; an archive holds at most 100,000 members).
MAX_SUMS_BYTES = 16 << 20
_LINE = re.compile(r"^(?P<escaped>\\?)(?P<digest>[0-9a-fA-F]{64}) [ *](?P<name>.+)$")
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


def expected_checksum(value: str | None) -> str | None:
    """``value`` (64 hex digits, optionally prefixed ``sha256:``) in lowercase, or None when not given.

    Raises:
        ValueError: when it is given but not a sha256 checksum.
    """
    if value is None:
        return None
    digest = value.strip()
    digest = digest[7:] if digest.lower().startswith("sha256:") else digest
    if not _HEX64.match(digest):
        raise ValueError(f"expected sha256 {value[:80]!r} is not 64 hexadecimal digits")
    return digest.lower()


def _unescape(name: str) -> str:
    """Undo sha256sum's escaping of a name holding a backslash or newline (its line starts with '\\')."""
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), name)


def parse(raw: bytes) -> tuple[dict[str, str], list[Finding]]:
    """Read SHA256SUMS text into {path: sha256}, with a ``sums-error`` for each line that cannot be used."""
    entries: dict[str, str] = {}
    problems: list[Finding] = []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return {}, [Finding("sums-error", f"{SUMS_NAME} is not UTF-8 at byte {exc.start}; no member is checked against it", file=SUMS_NAME, offset=exc.start)]
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        match = _LINE.match(line)
        if match is None:
            problems.append(Finding("sums-error", f"{SUMS_NAME} line {number} is not '<sha256>  <path>': {line[:80]!r}", file=SUMS_NAME))
            continue
        name = _unescape(match["name"]) if match["escaped"] else match["name"]
        parts = [part for part in PurePosixPath(name).parts if part != "."]
        if not parts or name.startswith("/") or "\\" in name or ".." in parts or "\x00" in name:
            problems.append(Finding("sums-error", f"{SUMS_NAME} line {number} names an unsafe path {name[:80]!r}", file=SUMS_NAME))
            continue
        path, digest = "/".join(parts), match["digest"].lower()
        if path in entries and entries[path] != digest:
            problems.append(Finding("sums-error", f"{SUMS_NAME} line {number} lists {path!r} again with another checksum", file=SUMS_NAME))
        entries[path] = digest
    return entries, problems


def check(digests: dict[str, str], package: PurePosixPath, unpacked_folder: Path, archive_sha256: str,
          expected: str | None) -> list[Finding]:
    """Compare an unpacked archive with its SHA256SUMS and with the expected archive checksum.

    Args:
        digests: the sha256 of every member, by its path in the archive (taken while unpacking).
        package: the package folder's path inside the archive (``.`` at the root), where SHA256SUMS is.
        unpacked_folder: that folder, unpacked.
        archive_sha256: the archive file's own sha256.
        expected: the sha256 the caller expects the archive to have, or None.

    Returns:
        The findings (see the module docstring), in a stable order; member paths are given relative to the
        package folder, or as their archive path when outside it.
    """
    found: list[Finding] = []
    if expected is not None and archive_sha256 != expected:
        found.append(Finding("archive-hash", f"the archive's sha256 is {archive_sha256}, not the expected {expected}: "
                             "this is not the archive that checksum was published for"))
    prefix = "" if str(package) == "." else f"{package}/"
    inside = {name[len(prefix):]: digest for name, digest in digests.items() if name.startswith(prefix)}
    outside = sorted(name for name in digests if not name.startswith(prefix))
    if SUMS_NAME not in inside:
        found.append(Finding("not-checked", f"the archive has no {SUMS_NAME}: its resources are checked against the "
                             "descriptor's hashes only, and nothing vouches for the descriptor or other files", file=SUMS_NAME))
        return found
    path = unpacked_folder / SUMS_NAME
    with path.open("rb") as stream:  # a file this process unpacked, so a regular file
        raw = stream.read(MAX_SUMS_BYTES + 1)
    if len(raw) > MAX_SUMS_BYTES:
        found.append(Finding("sums-error", f"{SUMS_NAME} is larger than {MAX_SUMS_BYTES} bytes; not read", file=SUMS_NAME))
        return found
    listed, problems = parse(raw)
    found.extend(problems)
    for name in sorted(listed):
        if name not in inside:
            found.append(Finding("member-missing", f"{SUMS_NAME} lists {name!r}, which the archive does not hold", file=name))
        elif inside[name] != listed[name]:
            found.append(Finding("member-hash", f"sha256 of {name!r} is {inside[name]}, but {SUMS_NAME} lists {listed[name]}", file=name))
    for name in sorted(set(inside) - set(listed) - {SUMS_NAME}):
        found.append(Finding("member-unlisted", f"{name!r} is in the archive but not listed in {SUMS_NAME}: an added file", file=name))
    for name in outside:
        found.append(Finding("member-unlisted", f"{name!r} is beside the package folder in the archive, not listed in {SUMS_NAME}", file=name))
    return found
