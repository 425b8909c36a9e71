"""``pkg init``: start a corpus folder that builds into a citable package, and say what a citation still lacks.

:func:`init_corpus` writes a commented ``corpus.toml`` (the settings :func:`corpack.package.load_settings`
reads) and ``manifest.csv`` (one provenance row per file). Whatever it is told (title, authors with ORCID
iDs, licence, description, rights) it writes as settings; the rest stays as commented examples.

:func:`citation_gaps` lists what a citation of a package still needs: ``pkg build`` prints it once as a
warning, and the dataset card repeats it above the citation, so nobody cites "Untitled corpus" by nobody
without being told.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpack.citation import LICENCE_URLS, creators
from corpack.errors import CorpusError
from corpack.sources import MANIFEST_NAME, SETTINGS_NAME, write_manifest

#: What a citation needs, with what to write in ``corpus.toml``: (descriptor key, what it is).
NEEDED = (
    ("title", "title (what the dataset is called in a citation)"),
    ("description", "description (what the reports are and where they come from)"),
    ("version", "version (MAJOR.MINOR.PATCH)"),
    ("contributors", "contributors with role creator (the authors people cite)"),
    ("licenses", "licenses (on what terms the tables may be reused)"),
    ("corpack:rights", "rights (who owns the report texts)"),
)
_DEFAULT_VALUES = {"title": "Untitled corpus", "version": "0.0.0"}
_ORCID = re.compile(r"^(?P<name>.*?)\s*\((?:https://orcid\.org/)?(?P<orcid>\d{4}-\d{4}-\d{4}-\d{3}[\dX])\)$")


@dataclass(frozen=True)
class Author:
    """One author: a person (given and family name) or an organisation (title only), with an optional ORCID iD."""

    title: str
    given: str = ""
    family: str = ""
    orcid: str = ""

    @classmethod
    def parse(cls, text: str) -> Author:
        """``"Family, Given (0000-0002-1825-0097)"``, ``"Given Family"`` or ``"Some Institute"``.

        A comma separates family from given names; without one, a single word or a name with more than two
        words is taken as an organisation, two words as given and family name.
        """
        match = _ORCID.match(text.strip())
        name, orcid = (match["name"], match["orcid"]) if match else (text.strip(), "")
        if "," in name:
            family, given = (part.strip() for part in name.split(",", 1))
            return cls(f"{given} {family}".strip(), given, family, orcid)
        words = name.split()
        if len(words) == 2:
            return cls(name, words[0], words[1], orcid)
        return cls(name, orcid=orcid)


def citation_gaps(descriptor: dict[str, Any]) -> list[str]:
    """What a citation of the package described by ``descriptor`` still lacks (empty when nothing)."""
    gaps = []
    for key, what in NEEDED:
        value = descriptor.get(key)
        if key == "contributors":
            value = creators(descriptor)
        if value in (None, "", [], _DEFAULT_VALUES.get(key)):
            gaps.append(what)
    return gaps


def _toml(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string or list of strings is valid TOML


def settings_text(folder: Path, *, title: str | None = None, description: str | None = None, authors: list[Author] | None = None,
                  licence: str | None = None, rights: str | None = None) -> str:
    """The text of a new ``corpus.toml``: the given values set, every other field a commented example."""
    name = re.sub(r"[^a-z0-9._-]+", "-", Path(folder).resolve().name.lower()).strip("-._") or "my-corpus"
    lines = [
        "# Settings of this corpus for `pkg build` (see corpack.package). Written by `pkg init`.",
        "# A citation needs every field below: `pkg build` warns about each one still missing.",
        "",
        f"name = {_toml(name)}  # the dataset's id: lowercase letters, digits, - _ .",
        f"title = {_toml(title)}" if title else '# title = "What the dataset is called in a citation"',
        f"description = {_toml(description)}" if description else '# description = "What the reports are, where they come from, how they were collected"',
        'version = "0.1.0"  # MAJOR.MINOR.PATCH; `pkg release` bumps it',
        '# created = "2026-01-01T00:00:00Z"  # the release date; `pkg release` sets it',
        'keywords = []',
        f"rights = {_toml(rights)}" if rights else '# rights = "Who owns the report texts, and on what terms they are shared here"',
        "",
    ]
    if licence:
        lines += ["[[licenses]]", f"name = {_toml(licence)}"]
        if licence in LICENCE_URLS:
            lines.append(f"path = {_toml(LICENCE_URLS[licence])}")
        lines.append("")
    else:
        lines += ["# [[licenses]]  # the licence of the tables and metadata you publish", '# name = "CC-BY-4.0"',
                  '# path = "https://creativecommons.org/licenses/by/4.0/"', ""]
    for author in authors or []:
        lines += ["[[contributors]]", f"title = {_toml(author.title)}"]
        if author.given:
            lines += [f"givenName = {_toml(author.given)}", f"familyName = {_toml(author.family)}"]
        if author.orcid:
            lines.append(f"path = {_toml('https://orcid.org/' + author.orcid)}  # ORCID iD")
        lines += ['roles = ["creator"]', ""]
    if not authors:
        lines += ["# [[contributors]]  # one block per author", '# title = "Given Family"', '# givenName = "Given"',
                  '# familyName = "Family"', '# path = "https://orcid.org/0000-0000-0000-0000"  # ORCID iD', '# roles = ["creator"]', ""]
    return "\n".join(lines)


def init_corpus(folder: Path | str, **values: Any) -> list[Path]:
    """Write ``corpus.toml`` (see :func:`settings_text` for ``values``) and ``manifest.csv`` in ``folder``.

    Returns:
        The files written.

    Raises:
        CorpusError: when ``folder`` is not a folder or already has a ``corpus.toml`` (it is never replaced).
        CorpackError: from :func:`corpack.sources.write_manifest` (bad files in the folder).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CorpusError("not a folder", file=folder, hint="give the folder holding the report files")
    settings = folder / SETTINGS_NAME
    if settings.exists():
        raise CorpusError(f"{SETTINGS_NAME} exists already; it is not replaced", file=settings, hint="edit it instead")
    text = settings_text(folder, **values)
    manifest = write_manifest(folder)
    settings.write_text(text, encoding="utf-8")
    return [settings, folder / MANIFEST_NAME if manifest is None else manifest]
