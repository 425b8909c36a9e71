"""pkg init: a new corpus folder builds into a citable package; what a citation lacks is said once and in the card."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from corpack.cli import cli
from corpack.errors import CorpusError
from corpack.package import load_settings
from corpack.project import Author, citation_gaps, init_corpus
from tests.conftest import SHARED
from tests.helpers import write_corpus

CFF_SCHEMA = SHARED / "schemas" / "citation-file-format-1.2.0.schema.json"
REPORT = "甲市新的社会阶层人士工作综述\n\n2020年，甲市成立联谊组织12家，吸纳会员500余人。\n".encode()


def _run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_init_then_build_gives_a_citable_card_and_a_valid_citation(tmp_path):
    corpus = write_corpus(tmp_path / "Reports 2024", {"a.txt": REPORT, "b.txt": REPORT.replace(b"12", b"13")})
    result = _run("init", str(corpus), "--title", "Reports on X", "--description", "Reports of two cities.",
                  "--author", "Li, Hua (0000-0002-1825-0097)", "--author", "Institute of Social Research", "--license", "CC-BY-4.0",
                  "--rights", "The texts belong to their publishers.")
    assert result.exit_code == 0, result.output
    settings = load_settings(corpus)
    assert settings["name"] == "reports-2024" and settings["version"] == "0.1.0"
    assert (corpus / "manifest.csv").read_text(encoding="utf-8").count("\n") == 3
    built = _run("build", str(corpus), "-o", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output
    assert "not citable" not in built.output
    card = (tmp_path / "out" / "README.md").read_text(encoding="utf-8")
    assert "Not citable yet" not in card and "Li, Hua" in card and "Institute of Social Research" in card
    cff = yaml.safe_load((tmp_path / "out" / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["authors"][0] == {"given-names": "Hua", "family-names": "Li", "orcid": "https://orcid.org/0000-0002-1825-0097"}
    assert cff["title"] == "Reports on X" and cff["license"] == "CC-BY-4.0" and cff["version"] == "0.1.0"
    if CFF_SCHEMA.is_file():
        import jsonschema

        schema = json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))
        jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker()).validate(cff)


def test_build_says_once_what_a_citation_lacks_and_the_card_says_it_too(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": REPORT})
    assert _run("init", str(corpus)).exit_code == 0
    built = _run("build", str(corpus), "-o", str(tmp_path / "out"))
    assert built.exit_code == 0, built.output
    warnings = [line for line in built.stderr.splitlines() if "not citable" in line]
    assert len(warnings) == 1
    for field in ("title", "description", "contributors", "licenses", "rights"):
        assert field in warnings[0]
    assert "version" not in warnings[0]  # pkg init sets 0.1.0
    assert "Not citable yet" in (tmp_path / "out" / "README.md").read_text(encoding="utf-8")


def test_init_never_replaces_settings(tmp_path):
    corpus = write_corpus(tmp_path / "c", {"a.txt": REPORT, "corpus.toml": b'title = "mine"\n'})
    with pytest.raises(CorpusError, match="exists already"):
        init_corpus(corpus, title="other")
    assert (corpus / "corpus.toml").read_text(encoding="utf-8") == 'title = "mine"\n'
    assert not (corpus / "manifest.csv").exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Li, Hua (0000-0002-1825-0097)", Author("Hua Li", "Hua", "Li", "0000-0002-1825-0097")),
        ("Hua Li", Author("Hua Li", "Hua", "Li")),
        ("Institute of Social Research", Author("Institute of Social Research")),
        ("统战研究所 (https://orcid.org/0000-0001-2345-678X)", Author("统战研究所", orcid="0000-0001-2345-678X")),
    ],
)
def test_author_parse(text, expected):
    assert Author.parse(text) == expected


def test_citation_gaps_of_the_bundled_settings_are_none():
    from tests.conftest import COMMITTED

    assert citation_gaps(json.loads((COMMITTED / "datapackage.json").read_text(encoding="utf-8"))) == []


def test_corpack_is_a_console_script_beside_pkg():
    from importlib.metadata import entry_points

    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts.get("corpack") == scripts.get("pkg") == "corpack.cli:main"
