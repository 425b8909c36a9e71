"""The HTML report (#5): one self-contained page, escaped, rendered by a real headless browser."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from corpack.cli import cli
from dpcheck import render_html, validate_package

CHROMIUM = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome") if shutil.which(name)), None)


@pytest.fixture
def bad_package(make_package, kit) -> Path:
    documents, paragraphs = kit.corpus_rows()
    paragraphs[1]["kind"] = "<script>alert(1)</script>"  # an enum violation whose value is markup
    for para in paragraphs[2:]:
        para["para_no"] = 1  # duplicate primary keys
    return make_package(documents, paragraphs)


def test_html_is_self_contained_and_escaped_5(bad_package: Path) -> None:
    page = render_html(validate_package(bad_package, limit=1))
    assert page.startswith("<!DOCTYPE html>") and "<script>alert" not in page and "&lt;script&gt;" in page
    assert not re.search(r"""(src|href)\s*=|<link|<script|@import|url\(""", page, re.IGNORECASE)
    assert "more counted, not listed" in page


def test_cli_writes_html_and_keeps_exit_code_5(bad_package: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = CliRunner().invoke(cli, ["validate", str(bad_package), "--html", str(out)])
    assert result.exit_code == 1
    assert out.read_text(encoding="utf-8") == render_html(validate_package(bad_package))


def test_cli_html_to_an_unwritable_place_exits_2_5(package: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(package), "--html", str(tmp_path / "no" / "such" / "r.html")])
    assert result.exit_code == 2 and result.stderr.startswith("error[package-error]")


@pytest.mark.skipif(CHROMIUM is None, reason="needs chromium (apt-get install -y chromium)")
def test_html_renders_in_a_headless_browser_5(bad_package: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text(render_html(validate_package(bad_package)), encoding="utf-8")
    result = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", out.as_uri()],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    # The browser parsed the page into the structure we wrote, and the markup in a value stayed text.
    assert 'id="verdict"' in dom and "INVALID" in dom
    assert '<table id="summary">' in dom and "primary-key" in dom and "constraint-error" in dom
    assert "<script>" not in dom and "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
