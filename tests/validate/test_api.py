"""validate_package on a clean package, and the cases where it cannot run at all."""

from __future__ import annotations

import os
from pathlib import Path

import frictionless
import pytest

from corpack.errors import PackageError
from dpcheck import render_text, validate_package


def test_clean_package_is_valid(package: Path, kit) -> None:
    report = validate_package(package)
    assert kit.codes(report) == set()
    assert report.findings == []
    assert report.valid and report.exit_code == 0
    assert report.resources == ["documents", "paragraphs"]
    assert render_text(report).splitlines()[-1] == "valid: 2 resources, 0 errors"


def test_descriptor_path_is_accepted_like_the_folder(package: Path) -> None:
    report = validate_package(package / "datapackage.json")
    assert report.valid
    assert report.package == str(package / "datapackage.json")


def test_frictionless_also_passes_the_clean_package(package: Path) -> None:
    # The reference implementation reads the Parquet files and checks rows, keys and hashes itself.
    report = frictionless.validate(str(package / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])


def test_missing_folder_raises_package_error(tmp_path: Path) -> None:
    with pytest.raises(PackageError) as info:
        validate_package(tmp_path / "nowhere")
    assert info.value.exit_code == 2
    assert info.value.code == "package-error"


def test_folder_without_descriptor_raises_package_error(tmp_path: Path) -> None:
    with pytest.raises(PackageError, match="no datapackage.json"):
        validate_package(tmp_path)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_unreadable_descriptor_raises_package_error(package: Path) -> None:
    descriptor = package / "datapackage.json"
    descriptor.chmod(0)
    try:
        with pytest.raises(PackageError, match="cannot read"):
            validate_package(package)
    finally:
        descriptor.chmod(0o644)


def test_negative_limit_is_refused(package: Path) -> None:
    with pytest.raises(ValueError):
        validate_package(package, limit=-1)


def test_io_error_on_the_descriptor_raises_package_error(package: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulates an unreadable descriptor where permissions cannot (e.g. when tests run as root).
    real_open = os.open  # files are opened with os.open (see dpcheck.regularfile)

    def fail(path, *args, **kwargs):
        if Path(path).name == "datapackage.json":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", fail)
    with pytest.raises(PackageError, match="Permission denied"):
        validate_package(package)


def test_every_dpcheck_module_stays_under_400_lines_14() -> None:
    """A module does one job; one that grows is split by concern (stream.py and csvfile.py were, in #14)."""
    import dpcheck

    folder = Path(dpcheck.__file__).parent
    long = {path.name: n for path in sorted(folder.glob("*.py")) if (n := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
