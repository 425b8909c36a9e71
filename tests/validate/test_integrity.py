"""Stage 2: files exist, are readable in their format, and match their declared hash and bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dpcheck import validate_package


def _declare(kit, package: Path, name: str, **properties: object) -> None:
    kit.rewrite_descriptor(package, lambda d: kit.resource(d, name).update(properties))


def test_flipped_byte_is_a_hash_count(package: Path, kit) -> None:
    path = package / "data" / "documents.parquet"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    report = validate_package(package)
    assert "hash-count" in kit.codes(report)
    [finding] = [f for f in report.findings if f.code == "hash-count"]
    assert finding.resource == "documents" and finding.file == "data/documents.parquet"
    assert report.exit_code == 1


def test_wrong_declared_bytes_is_a_byte_count(package: Path, kit) -> None:
    size = (package / "data" / "paragraphs.parquet").stat().st_size
    _declare(kit, package, "paragraphs", bytes=size + 1)
    report = validate_package(package)
    assert kit.codes(report) == {"byte-count"}
    assert f"has {size} bytes" in report.findings[0].message
    assert report.exit_code == 1


def test_right_declared_bytes_is_valid(package: Path, kit) -> None:
    _declare(kit, package, "paragraphs", bytes=(package / "data" / "paragraphs.parquet").stat().st_size)
    assert validate_package(package).valid


@pytest.mark.parametrize("algorithm", ["md5", "sha1", "sha512", "bare-md5"])
def test_other_hash_algorithms_are_checked(package: Path, kit, algorithm: str) -> None:
    content = (package / "data" / "paragraphs.parquet").read_bytes()
    digest = hashlib.new("md5" if algorithm == "bare-md5" else algorithm, content).hexdigest()
    declared = digest if algorithm == "bare-md5" else f"{algorithm}:{digest}"
    _declare(kit, package, "paragraphs", hash=declared)
    assert validate_package(package).valid
    _declare(kit, package, "paragraphs", hash=declared[:-1] + ("0" if declared[-1] != "0" else "1"))
    assert kit.codes(validate_package(package)) == {"hash-count"}


def test_unknown_hash_algorithm_is_a_resource_error(package: Path, kit) -> None:
    _declare(kit, package, "paragraphs", hash="crc32:deadbeef")
    assert kit.codes(validate_package(package)) == {"resource-error"}


def test_missing_file_is_a_source_error(package: Path, kit) -> None:
    (package / "data" / "paragraphs.parquet").unlink()
    report = validate_package(package)
    assert kit.codes(report) == {"source-error"}
    assert "missing" in report.findings[0].message and report.findings[0].resource == "paragraphs"


def test_non_parquet_file_behind_a_parquet_path_is_a_source_error(package: Path, kit) -> None:
    (package / "data" / "documents.parquet").write_text("doc_id,text\nx,y\n", encoding="utf-8")
    kit.refresh_hash(package, "documents")
    report = validate_package(package)
    # paragraphs' foreign key to the unreadable documents is skipped, not reported again.
    assert kit.codes(report) == {"source-error"}
    assert "Parquet" in report.findings[0].message and report.exit_code == 1
