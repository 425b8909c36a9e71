"""Stage 2: the files behind each resource exist, and match their declared ``hash`` and ``bytes``.

Files are streamed in chunks, so a large Parquet file is never held in memory. For a multipart resource the
parts are hashed and sized as one stream, in order. ``hash`` is ``<algorithm>:<hex>`` with md5, sha1,
sha256 or sha512, or bare hex meaning md5, as the Data Package spec allows.
"""

from __future__ import annotations

import hashlib
import re

from dpcheck.descriptor import ResourceSpec
from dpcheck.regularfile import open_file, problem
from dpcheck.report import Finding, Report

_CHUNK = 1 << 20
_ALGORITHMS = {"md5": 32, "sha1": 40, "sha256": 64, "sha512": 128}
_HEX = re.compile(r"^[0-9a-fA-F]+$")


def _parse_hash(value: str) -> tuple[str, str] | None:
    """Return (algorithm, lowercase hex) for a declared hash, or None when it is not one we can check."""
    algorithm, _, digest = value.rpartition(":")
    algorithm = algorithm.lower() or "md5"
    if algorithm not in _ALGORITHMS or not _HEX.match(digest) or len(digest) != _ALGORITHMS[algorithm]:
        return None
    return algorithm, digest.lower()


def files_exist(spec: ResourceSpec, report: Report) -> bool:
    """Report a ``source-error`` for each part that is missing or not a regular file (a folder, FIFO, socket or
    device, named in the message); return whether all are. Nothing is opened here."""
    ok = True
    for path, declared in zip(spec.paths, spec.resource.paths):  # the declared paths, never split from a label
        what = problem(path)
        if what is not None:
            report.add(Finding("source-error", f"resource file {declared!r} {what}; it is not read", spec.name, spec.file))
            ok = False
    return ok


def check(spec: ResourceSpec, report: Report) -> None:
    """Compare a resource's files with its declared ``hash`` and ``bytes``; the files must exist.

    Adds ``hash-count``, ``byte-count``, ``resource-error`` (an unusable declaration) or ``source-error``
    (a read failure) findings.
    """
    declared_hash, declared_bytes = spec.descriptor.get("hash"), spec.descriptor.get("bytes")
    parsed = None
    if isinstance(declared_hash, str):
        parsed = _parse_hash(declared_hash)
        if parsed is None:
            message = f"hash {declared_hash!r} is not <md5|sha1|sha256|sha512>:<hex> of the right length; not checked"
            report.add(Finding("resource-error", message, spec.name, spec.file))
    if isinstance(declared_bytes, bool) or not isinstance(declared_bytes, (int, type(None))):
        report.add(Finding("resource-error", f"bytes {declared_bytes!r} is not an integer; not checked", spec.name, spec.file))
        declared_bytes = None
    if parsed is None and declared_bytes is None:
        return
    hasher = hashlib.new(parsed[0] if parsed else "md5")
    size = 0
    try:
        for path in spec.paths:
            with open_file(path) as stream:  # refuses a FIFO or device swapped in since files_exist
                while chunk := stream.read(_CHUNK):
                    hasher.update(chunk)
                    size += len(chunk)
    except OSError as exc:
        report.add(Finding("source-error", f"cannot read resource file: {exc.strerror or exc}", spec.name, spec.file))
        return
    if declared_bytes is not None and size != declared_bytes:
        message = f"declared bytes is {declared_bytes} but the file has {size} bytes"
        report.add(Finding("byte-count", message, spec.name, spec.file))
    if parsed is not None and hasher.hexdigest() != parsed[1]:
        message = f"declared {parsed[0]} is {parsed[1]} but the file's is {hasher.hexdigest()}"
        report.add(Finding("hash-count", message, spec.name, spec.file))
