"""`pkg release`: refuses bad or stale data, bumps from the diff, writes citation files, reproducible zips (#6)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pytest
import yaml
from click.testing import CliRunner

from corpack.cli import cli
from corpack.pipeline import build
from corpack.release import ReleaseError, bump_version, release
from corpack.sources import write_manifest
from tests.conftest import SHARED
from tests.helpers import write_corpus

CFF_SCHEMA = SHARED / "schemas" / "citation-file-format-1.2.0.schema.json"
A = "甲市新的社会阶层人士工作综述\n\n2020年，甲市成立联谊组织12家，吸纳会员500余人。\n".encode()
SETTINGS = 'name = "demo-reports"\ntitle = "Demo reports"\nversion = "1.0.0"\ncreated = "2026-01-01T00:00:00Z"\n\n[[licenses]]\nname = "CC-BY-4.0"\n\n[[contributors]]\ntitle = "Demo team"\nroles = ["creator"]\n'


def project(root: Path) -> Path:
    """A small project folder: corpus with settings and manifest, a built package, a CHANGELOG."""
    write_corpus(root / "corpus", {"a.txt": A, "corpus.toml": SETTINGS.encode()})
    write_manifest(root / "corpus")
    build(root / "corpus", root / "datapackage")
    (root / "CHANGELOG.md").write_text("# Changelog\n\n## Unreleased\n\n- code change (#1)\n", encoding="utf-8")
    return root


def add_document(root: Path) -> None:
    """Add a report to the corpus and rebuild, as a maintainer would between releases."""
    (root / "corpus" / "b.txt").write_bytes("乙市统战工作\n\n乙市建成实践创新基地8个。\n".encode())
    write_manifest(root / "corpus")
    build(root / "corpus", root / "datapackage")


@pytest.fixture
def epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1795000000")


def test_bump_version():
    assert [bump_version("1.2.3", b) for b in ("major", "minor", "patch", "none")] == ["2.0.0", "1.3.0", "1.2.4", "1.2.3"]
    with pytest.raises(ReleaseError):
        bump_version("v1", "patch")


def test_two_releases_of_the_same_data_give_identical_archives(tmp_path, epoch):
    one, two = project(tmp_path / "one"), project(tmp_path / "two")
    first, second = release(one, cff_schema=CFF_SCHEMA), release(two, cff_schema=CFF_SCHEMA)
    assert first.archive.name == second.archive.name == "demo-reports-1.0.0.zip"
    assert first.archive.read_bytes() == second.archive.read_bytes()
    again = release(one, cff_schema=CFF_SCHEMA)
    assert again.version == "1.0.0" and again.bump == "none" and again.archive.read_bytes() == first.archive.read_bytes()
    sums = (one / "dist" / "SHA256SUMS").read_text(encoding="utf-8")
    assert sums == f"{hashlib.sha256(first.archive.read_bytes()).hexdigest()}  demo-reports-1.0.0.zip\n"
    with zipfile.ZipFile(first.archive) as archive:
        names = archive.namelist()
        assert names == sorted(names[:-1]) + ["demo-reports-1.0.0/SHA256SUMS"]
        assert "demo-reports-1.0.0/CITATION.cff" in names and "demo-reports-1.0.0/datapackage.json" in names
        assert {info.date_time for info in archive.infolist()} == {(2026, 11, 18, 0, 0, 0)}


@pytest.mark.skipif(not CFF_SCHEMA.is_file(), reason="shared/schemas is not beside the checkout")
def test_citation_cff_validates_and_the_other_citation_files_agree(tmp_path, epoch):
    root = project(tmp_path / "p")
    result = release(root, cff_schema=CFF_SCHEMA)
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(cff)
    assert cff["version"] == result.version == "1.0.0" and cff["date-released"] == "2026-11-18"
    zenodo = json.loads((root / ".zenodo.json").read_text(encoding="utf-8"))
    jsonld = json.loads((root / "datapackage.jsonld").read_text(encoding="utf-8"))
    assert zenodo["version"] == jsonld["version"] == "1.0.0" and jsonld["@type"] == "Dataset"
    card = (root / "datapackage" / "README.md").read_text(encoding="utf-8")
    assert "@misc{" in card and "(Version 1.0.0) [Data set]" in card


def test_auto_bump_follows_the_diff_and_writes_the_changelog(tmp_path, epoch):
    root = project(tmp_path / "p")
    release(root, cff_schema=CFF_SCHEMA)
    add_document(root)
    result = release(root, cff_schema=CFF_SCHEMA)
    assert (result.previous, result.bump, result.version) == ("1.0.0", "minor", "1.1.0")
    assert (root / "dist" / "demo-reports-1.1.0.zip").is_file()
    changelog = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert changelog.index("## Unreleased") < changelog.index("## Data 1.1.0") < changelog.index("## Data 1.0.0")
    assert changelog.count("## Data 1.0.0") == 1
    assert "`documents`: 1 row added" in changelog
    assert 'version = "1.1.0"' in (root / "corpus" / "corpus.toml").read_text(encoding="utf-8")
    assert json.loads((root / "datapackage" / "datapackage.json").read_text(encoding="utf-8"))["version"] == "1.1.0"


def test_explicit_bump_smaller_than_the_changes_is_refused(tmp_path, epoch):
    root = project(tmp_path / "p")
    release(root, cff_schema=CFF_SCHEMA)
    add_document(root)
    with pytest.raises(ReleaseError, match="smaller"):
        release(root, "patch", cff_schema=CFF_SCHEMA)


def test_refuses_an_invalid_or_stale_package(tmp_path, epoch):
    root = project(tmp_path / "p")
    (root / "corpus" / "a.txt").write_bytes(A.replace("12".encode(), "13".encode()))
    write_manifest(root / "corpus")
    with pytest.raises(ReleaseError, match="not the build of corpus"):
        release(root, cff_schema=CFF_SCHEMA)
    build(root / "corpus", root / "datapackage")
    path = root / "datapackage" / "data" / "statistics.parquet"
    path.write_bytes(path.read_bytes()[:-20] + b"\x00" * 20)
    result = CliRunner().invoke(cli, ["release", "--root", str(root)])
    assert result.exit_code == 2 and "release-error" in result.stderr
    assert not (root / "dist").exists()


def test_release_command_prints_next_steps(tmp_path, epoch):
    root = project(tmp_path / "p")
    result = CliRunner().invoke(cli, ["release", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "git tag -a v1.0.0" in result.stdout and "sha256" in result.stdout
    assert pq.read_table(root / "datapackage" / "data" / "documents.parquet").num_rows == 1


@pytest.mark.skipif(not CFF_SCHEMA.is_file(), reason="shared/schemas is not beside the checkout")
def test_invalid_citation_is_refused_before_anything_changes(tmp_path, epoch):
    root = project(tmp_path / "p")
    settings = root / "corpus" / "corpus.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace('name = "CC-BY-4.0"', 'name = "home-made-licence"'), encoding="utf-8")
    build(root / "corpus", root / "datapackage")
    before = settings.read_text(encoding="utf-8")
    with pytest.raises(ReleaseError, match="CITATION.cff"):
        release(root, cff_schema=CFF_SCHEMA)
    assert settings.read_text(encoding="utf-8") == before
    assert not (root / "dist").exists() and not (root / "CITATION.cff").exists()


def test_a_fresh_clone_knows_the_last_release_and_reissues_it_byte_for_byte(tmp_path, monkeypatch, epoch):
    import shutil

    root = project(tmp_path / "p")
    first = release(root, cff_schema=CFF_SCHEMA)
    archive = first.archive.read_bytes()
    record = json.loads((root / "releases.json").read_text(encoding="utf-8"))
    assert [(r["version"], r["sha256"], r["previous"]) for r in record] == [("1.0.0", first.sha256, None)]
    shutil.rmtree(root / "dist")  # dist/ is not in git: a fresh clone has the record only
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # another day
    again = release(root, cff_schema=CFF_SCHEMA)
    assert (again.version, again.bump) == ("1.0.0", "none")
    assert again.archive.read_bytes() == archive  # the recorded date, so the same bytes
    assert (root / "CHANGELOG.md").read_text(encoding="utf-8").count("## Data 1.0.0") == 1
    assert json.loads((root / "releases.json").read_text(encoding="utf-8")) == record


def test_a_fresh_clone_with_changed_data_needs_the_archive_or_an_explicit_bump(tmp_path, epoch):
    import shutil

    root = project(tmp_path / "p")
    release(root, cff_schema=CFF_SCHEMA)
    shutil.rmtree(root / "dist")
    add_document(root)
    with pytest.raises(ReleaseError, match="archive is not at hand"):
        release(root, cff_schema=CFF_SCHEMA)
    result = release(root, "minor", cff_schema=CFF_SCHEMA)
    assert (result.previous, result.version) == ("1.0.0", "1.1.0")
    assert "by hand" in (root / "CHANGELOG.md").read_text(encoding="utf-8")
    assert [r["version"] for r in json.loads((root / "releases.json").read_text(encoding="utf-8"))] == ["1.0.0", "1.1.0"]


def test_a_released_version_is_never_reused_for_other_data(tmp_path, epoch):
    root = project(tmp_path / "p")
    first = release(root, cff_schema=CFF_SCHEMA)
    add_document(root)
    release(root, cff_schema=CFF_SCHEMA)  # 1.1.0
    (root / "corpus" / "c.txt").write_bytes("丙市统战工作\n\n丙市建成实践创新基地5个。\n".encode())
    write_manifest(root / "corpus")
    build(root / "corpus", root / "datapackage")
    with pytest.raises(ReleaseError, match="1.1.0 was released on .* with other data"):
        release(root, against=first.archive, cff_schema=CFF_SCHEMA)  # minor since 1.0.0 would be 1.1.0 again


def test_an_archive_that_is_not_the_released_one_is_refused(tmp_path, epoch):
    from corpack.releases import RecordError

    root = project(tmp_path / "p")
    first = release(root, cff_schema=CFF_SCHEMA)
    with zipfile.ZipFile(first.archive, "a") as archive:
        archive.writestr("demo-reports-1.0.0/payload.sh", "echo hi\n")
    add_document(root)
    with pytest.raises(RecordError, match="not the archive released as 1.0.0"):
        release(root, cff_schema=CFF_SCHEMA)


def test_release_command_says_first_release(tmp_path, epoch):
    root = project(tmp_path / "p")
    result = CliRunner().invoke(cli, ["release", "--root", str(root)])
    assert "(first release)" in result.stdout and "nothing" not in result.stdout


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # mlcroissant's own use of rdflib
@pytest.mark.filterwarnings("ignore:The inplace keyword:DeprecationWarning")  # mlcroissant's own use of pandas
def test_croissant_metadata_validates_and_reads_every_resource_with_mlcroissant(tmp_path, epoch):
    mlc = pytest.importorskip("mlcroissant")
    root = project(tmp_path / "p")
    result = release(root, cff_schema=CFF_SCHEMA)
    beside = json.loads((root / "croissant.json").read_text(encoding="utf-8"))
    assert beside["distribution"][0]["contentUrl"].startswith("datapackage/data/")
    with zipfile.ZipFile(result.archive) as archive:
        archive.extractall(tmp_path / "unpacked")
    folder = tmp_path / "unpacked" / "demo-reports-1.0.0"
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for path in (folder / "croissant.json", root / "croissant.json"):
        dataset = mlc.Dataset(jsonld=str(path))
        assert not dataset.metadata.ctx.issues.errors, dataset.metadata.ctx.issues.report()
        assert dataset.metadata.version == "1.0.0"
        for resource in descriptor["resources"]:
            assert len(list(dataset.records(resource["name"]))) == resource["corpack:rows"], resource["name"]


def test_diff_takes_a_released_version_number(tmp_path, epoch, monkeypatch):
    root = project(tmp_path / "p")
    release(root, cff_schema=CFF_SCHEMA)
    add_document(root)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(cli, ["diff", "1.0.0", "datapackage", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["bump"] == "minor"
    (root / "dist" / "demo-reports-1.0.0.zip").unlink()
    missing = CliRunner().invoke(cli, ["diff", "1.0.0", "datapackage"])
    assert missing.exit_code == 2 and "not at hand" in missing.stderr and missing.stderr.count("\n") == 1
    unknown = CliRunner().invoke(cli, ["diff", "9.9.9", "datapackage"])
    assert unknown.exit_code == 2 and "no release 9.9.9" in unknown.stderr


def test_a_release_waits_for_a_running_build_of_its_package(tmp_path, epoch):
    import subprocess
    import sys
    import threading

    root = project(tmp_path / "p")
    hold = "import sys\nfrom corpack.install import build_lock\nwith build_lock(sys.argv[1]):\n    print('held', flush=True)\n    sys.stdin.read()\n"
    holder = subprocess.Popen([sys.executable, "-c", hold, str(root / "datapackage")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    waits: list[str] = []
    done: list[object] = []
    worker = threading.Thread(target=lambda: done.append(release(root, cff_schema=CFF_SCHEMA, on_wait=waits.append)))
    worker.start()
    worker.join(timeout=5)
    assert worker.is_alive() and waits and "waiting for another build" in waits[0]
    assert 'created = "2026-01-01T00:00:00Z"' in (root / "corpus" / "corpus.toml").read_text(encoding="utf-8")  # untouched while it waits
    holder.stdin.close()
    holder.wait(timeout=30)
    holder.stdout.close()
    worker.join(timeout=120)
    assert done and done[0].version == "1.0.0"


def test_the_archive_holds_the_site_listed_in_its_sums_and_valid(tmp_path, epoch):
    from dpcheck import validate_package

    root = project(tmp_path / "p")
    result = release(root, cff_schema=CFF_SCHEMA)
    with zipfile.ZipFile(result.archive) as archive:
        names = set(archive.namelist())
        sums = archive.read("demo-reports-1.0.0/SHA256SUMS").decode()
    assert "demo-reports-1.0.0/site/index.html" in names
    assert any(name.startswith("demo-reports-1.0.0/site/documents/") for name in names)
    assert "  site/index.html\n" in sums
    assert validate_package(result.archive).valid
    bare = release(project(tmp_path / "q"), cff_schema=CFF_SCHEMA, site=False)
    with zipfile.ZipFile(bare.archive) as archive:
        assert not any("/site/" in name for name in archive.namelist())
