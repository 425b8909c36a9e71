"""`corpack.load`: folders and release archives as Arrow tables, checksums verified (#6)."""

from __future__ import annotations

import zipfile

import pytest

import corpack
from corpack.loading import IntegrityError
from corpack.schemas import RESOURCES


def test_load_folder_and_archive_agree(built, tmp_path):
    data = corpack.load(built)
    assert list(data) == list(RESOURCES)
    archive = tmp_path / "release.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(built.rglob("*")):
            if path.is_file():
                zf.write(path, f"release/{path.relative_to(built).as_posix()}")
    from_zip = corpack.load(archive)
    assert all(from_zip[name].equals(data[name]) for name in RESOURCES)
    frames = data.to_pandas()
    assert len(frames["documents"]) == data["documents"].num_rows == 5


def test_changed_file_fails_the_checksum_unless_verify_is_off(built, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(built, copy)
    target = copy / "data" / "people.parquet"
    data = bytearray(target.read_bytes())
    data[10] ^= 1
    target.write_bytes(bytes(data))
    with pytest.raises(IntegrityError) as info:
        corpack.load(copy)
    assert "people.parquet" in str(info.value)
    assert corpack.load(copy, verify=False, resources=["documents"])["documents"].num_rows == 5
