"""``pkg release``: fix a version of the dataset people can cite.

In a project folder (``corpus/``, ``datapackage/``, ``CHANGELOG.md``), a release:

1. refuses when ``pkg validate`` fails on ``datapackage/`` or when ``datapackage/`` is not what a fresh build
   of ``corpus/`` gives (stale data would be released under a version that does not describe it);
2. compares the package with the last release (``against``, else the newest in the committed
   ``releases.json``, see :mod:`corpack.releases`, else the newest ``dist/<name>-<version>.zip``) and takes
   the bump from that diff (``auto``); an explicit bump smaller than the diff calls for is refused; unchanged
   data under ``auto`` re-releases the same version, with its recorded date. When the last release's archive
   is not at hand (a fresh clone), unchanged data re-releases it and changed data needs an explicit bump;
   a released version is never reused for other data;
3. sets ``version`` and ``created`` (SOURCE_DATE_EPOCH, else today's date at 00:00 UTC) in ``corpus.toml``
   and rebuilds ``datapackage/``;
4. prepends a CHANGELOG.md entry written from the diff, below an ``## Unreleased`` section (a re-release keeps
   its entry);
5. writes ``CITATION.cff`` (CFF 1.2.0), ``.zenodo.json``, ``datapackage.jsonld`` (schema.org Dataset) and
   ``croissant.json`` (Croissant 1.0, :mod:`corpack.croissant`);
6. builds ``dist/<name>-<version>.zip`` reproducibly (sorted entries, fixed timestamps and permissions, fixed
   compression), with the package, the citation files and a SHA256SUMS of its contents, and lists the
   archive's checksum in ``dist/SHA256SUMS``; the archive also holds the package's static site (``site/``,
   :mod:`corpack.site`) unless ``site=False``; a re-release that would give other bytes is refused;
7. records the release (version, date, archive checksum, data fingerprint, bump, summary) in
   ``releases.json``, which is committed with the release.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from corpack import citation
from corpack.diff import BUMPS, diff_packages
from corpack.errors import CorpackError
from corpack.install import build_lock, project_lock
from corpack.croissant import croissant
from corpack.package import dump_json
from corpack.releases import Release, archive_of, data_fingerprint, find, is_version, read_record, version_key, write_record
from corpack.sources import SETTINGS_NAME

CITATION_FILES = ("CITATION.cff", ".zenodo.json", "datapackage.jsonld", "croissant.json")


class ReleaseError(CorpackError):
    """The release was refused: invalid or stale package, or a bump that does not fit the changes."""

    code = "release-error"


@dataclass
class ReleaseResult:
    """What a release did: the version, the bump and why, the files written, and the steps left to publish."""

    version: str
    bump: str
    previous: str | None
    archive: Path
    sha256: str
    diff: dict[str, Any] | None = None
    written: list[Path] = field(default_factory=list)

    def next_steps(self) -> str:
        """What to do by hand to publish the release."""
        return (
            f"git add -A && git commit -m 'Release {self.version}' && git tag -a v{self.version} -m 'Data release {self.version}'\n"
            f"git push && git push --tags\n"
            f"upload {self.archive} (sha256 {self.sha256}) with .zenodo.json to Zenodo, or attach it to the v{self.version} release"
        )


def bump_version(version: str, bump: str) -> str:
    """``1.2.3`` bumped by ``major``/``minor``/``patch`` (``none`` leaves it).

    Raises:
        ReleaseError: for a version that is not MAJOR.MINOR.PATCH.
    """
    if not is_version(version or ""):
        raise ReleaseError(f"version {version!r} is not MAJOR.MINOR.PATCH", hint=f"set version = \"0.1.0\" in corpus/{SETTINGS_NAME}")
    major, minor, patch = version_key(version)
    if bump == "major":
        return f"{major + 1}.0.0"
    if bump == "minor":
        return f"{major}.{minor + 1}.0"
    if bump == "patch":
        return f"{major}.{minor}.{patch + 1}"
    return version


def _version_key(path: Path) -> tuple[int, ...]:
    match = re.search(r"-(\d+)\.(\d+)\.(\d+)\.zip$", path.name)
    return tuple(map(int, match.groups())) if match else (-1,)


def last_release(dist: Path, name: str) -> Path | None:
    """The newest ``dist/<name>-<version>.zip``, by version."""
    archives = [p for p in dist.glob(f"{name}-*.zip") if _version_key(p) != (-1,)]
    return max(archives, key=_version_key) if archives else None


def release_date() -> str:
    """The release's ``created``: SOURCE_DATE_EPOCH if set, else today at 00:00 UTC."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return when.strftime("%Y-%m-%dT00:00:00Z")


def set_settings(path: Path, **values: str) -> None:
    """Set top-level string keys of ``corpus.toml`` in place, keeping everything else as written."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    for key, value in values.items():
        line = f'{key} = "{value}"'
        pattern = re.compile(rf"^{re.escape(key)}\s*=.*$", re.MULTILINE)
        if pattern.search(text):
            text = pattern.sub(line, text, count=1)
        else:
            head, sep, tail = text.partition("\n[")
            text = head.rstrip("\n") + f"\n{line}\n" + (sep + tail if sep else "")
    path.write_text(text, encoding="utf-8")


def changelog_entry(version: str, date: str, diff: dict[str, Any] | None, previous: str | None, bump: str | None = None) -> str:
    """The CHANGELOG.md section for a data release, written from the diff."""
    lines = [f"## Data {version} ({date[:10]})", ""]
    if diff is None and previous is None:
        lines.append("- First release.")
    elif diff is None:
        lines.append(f"- Compared with {previous}: {bump} changes, by hand (its archive was not at hand for a row-by-row comparison).")
    else:
        lines.append(f"- Compared with {previous}: {diff['bump']} changes.")
        for name, entry in diff["resources"].items():
            if entry["status"] in ("added", "removed"):
                lines.append(f"- `{name}`: resource {entry['status']}.")
            elif entry["status"] == "changed":
                rows, schema = entry["rows"], entry["schema"]
                parts = [f"{_rows(rows['added'])} added, {rows['removed']} removed, {rows['changed']} changed"]
                for label in ("added", "removed"):
                    if schema[label]:
                        parts.append(f"fields {label}: {', '.join(schema[label])}")
                if schema["renamed"]:
                    parts.append("renamed " + ", ".join(f"{a} to {b}" for a, b in schema["renamed"].items()))
                if schema["retyped"]:
                    parts.append("retyped " + ", ".join(schema["retyped"]))
                lines.append(f"- `{name}`: " + "; ".join(parts) + ".")
        if diff["descriptor"]["changed"]:
            lines.append(f"- Descriptor: {', '.join(diff['descriptor']['changed'])} changed.")
    return "\n".join(lines) + "\n"


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"


def prepend_changelog(path: Path, entry: str, version: str) -> None:
    """Put ``entry`` first among the entries of CHANGELOG.md (after an ``## Unreleased`` section, which stays on
    top), replacing an earlier entry for ``version``."""
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Changelog\n"
    text = re.sub(rf"^## Data {re.escape(version)} \(.*?(?=^## |\Z)", "", text, flags=re.MULTILINE | re.DOTALL)
    headings = [m.start() for m in re.finditer(r"^## ", text, flags=re.MULTILINE)]
    unreleased = [h for h in headings if text.startswith("## Unreleased", h)]
    after = [h for h in headings if not unreleased or h > unreleased[0]]
    at = after[0] if after else len(text)
    head, tail = text[:at].rstrip("\n"), text[at:]
    path.write_text(head + "\n\n" + entry + ("\n" + tail if tail else ""), encoding="utf-8")


def write_archive(target: Path, folder_name: str, files: dict[str, Path], date: str, *, expected: str | None = None) -> str:
    """Write a reproducible zip of ``files`` (archive name -> path) under ``folder_name/``; return its sha256.

    Entries are sorted, stamped with the release date, mode 0644, deflated at level 9, so the same inputs give
    the same bytes. With ``expected`` (a re-release), an archive with another checksum is refused and the
    released one left in place.

    Raises:
        ReleaseError: when the archive's checksum is not ``expected``.
    """
    stamp = dt.datetime.fromisoformat(date.replace("Z", "+00:00")).timetuple()[:6]
    stamp = max(stamp, (1980, 1, 1, 0, 0, 0))
    sums = "".join(f"{hashlib.sha256(files[name].read_bytes()).hexdigest()}  {name}\n" for name in sorted(files))
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        entries = [(name, files[name].read_bytes()) for name in sorted(files)] + [("SHA256SUMS", sums.encode())]
        for name, data in entries:
            info = zipfile.ZipInfo(f"{folder_name}/{name}", date_time=stamp)
            info.external_attr = 0o100644 << 16
            info.create_system = 3
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data, compresslevel=9)
    sha = hashlib.sha256(partial.read_bytes()).hexdigest()
    if expected is not None and sha != expected:
        partial.unlink()
        raise ReleaseError(
            f"re-releasing gives an archive with sha256 {sha[:16]}…, not the released {expected[:16]}… (the card, the site or the citation files changed)",
            file=target,
            hint="release it under a new version: pkg release --bump patch",
        )
    os.replace(partial, target)
    return sha


def _check_fresh(corpus: Path, package: Path) -> None:
    """Refuse a package whose data is not what a fresh build of the corpus gives.

    Compared: every data file byte for byte, and the descriptor apart from ``created`` (which a build takes
    from SOURCE_DATE_EPOCH when set). The card is regenerated by the release anyway.
    """
    from corpack.pipeline import build

    def descriptor(folder: Path) -> dict[str, Any]:
        data = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        data.pop("created", None)
        return data

    with tempfile.TemporaryDirectory(prefix="corpack-release-") as temp:
        fresh = Path(temp) / "fresh"
        build(corpus, fresh, validate=False)
        names = sorted(p.relative_to(fresh).as_posix() for p in (fresh / "data").rglob("*") if p.is_file())
        current = sorted(p.relative_to(package).as_posix() for p in (package / "data").rglob("*") if p.is_file())
        stale = [n for n in names if n not in current or (fresh / n).read_bytes() != (package / n).read_bytes()]
        stale += sorted(set(current) - set(names))
        if descriptor(fresh) != descriptor(package):
            stale.append("datapackage.json")
        if stale:
            raise ReleaseError(
                f"datapackage/ is not the build of corpus/ ({', '.join(stale)} differ)",
                file=package,
                hint="run `pkg build`, check the result, commit it, then release",
            )


def release(
    root: Path | str = ".",
    bump: str = "auto",
    *,
    against: Path | str | None = None,
    cff_schema: Path | str | None = None,
    on_wait: Callable[[str], None] | None = None,
    site: bool = True,
) -> ReleaseResult:
    """Release the dataset of the project in ``root`` (see the module docstring).

    Args:
        root: the project folder holding ``corpus/``, ``datapackage/`` and ``CHANGELOG.md``.
        bump: ``auto`` (from the diff against the last release), ``major``, ``minor`` or ``patch``.
        against: the previous release to compare with (default: the newest archive in ``dist/``).
        cff_schema: the CFF 1.2.0 JSON Schema to validate CITATION.cff against (skipped when not given and
            not found beside the project at ``../shared/schemas/``).
        on_wait: called with a one-line message when another release or a build of ``datapackage/`` is
            running and this release waits for it (both are locked out while it runs).
        site: put the package's static site (:func:`corpack.site.build_site`) in the archive, under ``site/``.

    Raises:
        ReleaseError: invalid or stale package, or an explicit bump smaller than the changes need.
        CorpackError: from the build or the validation.
    """
    root = Path(root)
    with project_lock(root, on_wait), build_lock(root / "datapackage", on_wait):
        return _release(root, bump, against, cff_schema, site)


def _release(root: Path, bump: str, against: Path | str | None, cff_schema: Path | str | None, site: bool) -> ReleaseResult:
    """:func:`release`, run while holding the project's and the package's locks."""
    from corpack.pipeline import build
    from corpack.checking import validate_package
    from dpcheck import render_text

    corpus, package, dist = root / "corpus", root / "datapackage", root / "dist"
    report = validate_package(package)
    if not report.valid:
        raise ReleaseError("pkg validate fails on datapackage/:\n" + render_text(report), file=package)
    _check_fresh(corpus, package)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    name, current = descriptor["name"], str(descriptor.get("version", "0.0.0"))
    record = read_record(root)
    fingerprint = data_fingerprint(descriptor)
    previous, diff = _compare(root, dist, name, package, record, against)
    chosen = _choose_bump(bump, previous, diff, record[-1] if record and not diff else None, fingerprint)
    version = bump_version(previous or current, chosen) if previous else bump_version(current, "none" if bump == "auto" else chosen)
    existing = find(record, version)
    if existing is not None and existing.data != fingerprint:
        raise ReleaseError(
            f"version {version} was released on {existing.date[:10]} with other data",
            hint="release the new data under a new version: pkg release --bump patch (or minor, major)",
        )
    date = existing.date if existing else release_date()  # a re-release keeps its date, so its bytes
    schema = cff_schema or root.resolve().parent / "shared" / "schemas" / "citation-file-format-1.2.0.schema.json"
    _validate_cff(citation.cff_text(citation.cff({**descriptor, "version": version, "created": date})), schema)  # before any file changes
    set_settings(corpus / SETTINGS_NAME, version=version, created=date)
    build(corpus, package, created=date)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    entry = changelog_entry(version, date, diff, previous, chosen)
    if existing is None:  # a re-release keeps its entry
        prepend_changelog(root / "CHANGELOG.md", entry, version)
    data = citation.cff(descriptor)
    (root / "CITATION.cff").write_text(citation.cff_text(data), encoding="utf-8")
    dump_json(citation.zenodo(data), root / ".zenodo.json")
    dump_json(citation.jsonld(descriptor, data), root / "datapackage.jsonld")
    dump_json(croissant(descriptor, data, prefix="datapackage/"), root / "croissant.json")
    files = {p.relative_to(package).as_posix(): p for p in sorted(package.rglob("*")) if p.is_file()}
    files.update({f: root / f for f in CITATION_FILES})
    archive = dist / f"{name}-{version}.zip"
    with tempfile.TemporaryDirectory(prefix="corpack-release-") as temp:
        inside = Path(temp) / "croissant.json"  # in the archive the package is at the top, beside this file
        dump_json(croissant(descriptor, data), inside)
        files["croissant.json"] = inside
        if site:
            files.update(_site_files(package, Path(temp) / "site"))
        sha = write_archive(archive, f"{name}-{version}", files, date, expected=existing.sha256 if existing else None)
    sums = sorted(dist.glob(f"{name}-*.zip"), key=_version_key)
    (dist / "SHA256SUMS").write_text("".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in sums), encoding="utf-8")
    if existing is None:
        summary = " ".join(line[2:] for line in entry.splitlines() if line.startswith("- "))
        existing = Release(version, date, archive.name, sha, fingerprint, chosen, previous, summary)
    else:
        previous = existing.previous  # a re-release reports what the release was made from
    record_path = write_record(root, [r for r in record if r.version != version] + [existing])
    written = [corpus / SETTINGS_NAME, package, root / "CHANGELOG.md", *(root / f for f in CITATION_FILES), archive, dist / "SHA256SUMS", record_path]
    return ReleaseResult(version, chosen, previous, archive, sha, diff, written)


def _site_files(package: Path, folder: Path) -> dict[str, Path]:
    """Build the package's static site into ``folder``; its files by archive name (``site/...``)."""
    from corpack.site import build_site

    build_site(package, folder)
    return {f"site/{path.relative_to(folder).as_posix()}": path for path in sorted(folder.rglob("*")) if path.is_file()}


def _compare(root: Path, dist: Path, name: str, package: Path, record: list[Release], against: Path | str | None) -> tuple[str | None, dict[str, Any] | None]:
    """The last release's version and the diff from it to ``package`` (None when its archive is not at hand).

    The last release is ``against`` if given, else the newest in ``releases.json`` (its archive in ``dist/`` is
    used only if it is the one released), else the newest archive in ``dist/`` (projects from before the record).
    """
    if against:
        archive: Path | None = Path(against)
    elif record:
        last = record[-1]
        if not (dist / last.archive).is_file():
            return last.version, None
        archive = archive_of(root, last.version)
    else:
        archive = last_release(dist, name)
    if archive is None:
        return None, None
    diff = diff_packages(archive, package)
    return diff["old"]["version"], diff


def _choose_bump(bump: str, previous: str | None, diff: dict[str, Any] | None, unseen: Release | None, fingerprint: str) -> str:
    """The bump to apply: from the diff (``auto``), or the one asked for if it is not smaller than the diff's.

    ``unseen`` is the last release when its archive is not at hand: unchanged data re-releases it; changed data
    needs an explicit bump, since without the archive nobody can say how large the change is.
    """
    if diff is not None:
        needed: str | None = diff["bump"]
    elif unseen is not None:
        needed = "none" if unseen.data == fingerprint else None
    else:
        needed = "none"
    if bump not in ("auto", *BUMPS[1:]):
        raise ReleaseError(f"unknown bump {bump!r}", hint="auto, major, minor or patch")
    if bump == "auto":
        if needed is None:
            raise ReleaseError(
                f"the data changed since release {previous}, whose archive is not at hand to say how much",
                hint=f"put {unseen.archive} (sha256 {unseen.sha256}) in dist/, or pass --bump major, minor or patch",
            )
        return needed
    if needed is not None and BUMPS.index(bump) < BUMPS.index(needed):
        raise ReleaseError(f"--bump {bump} is smaller than the changes since {previous} call for ({needed})", hint="use --bump auto")
    return bump


def _validate_cff(text: str, schema_path: Path) -> None:
    """Check CITATION.cff text against the CFF 1.2.0 JSON Schema (dates and other formats included)."""
    schema_path = Path(schema_path)
    if not schema_path.is_file():
        return
    import jsonschema
    import yaml

    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(yaml.safe_load(text)), key=str)
    if errors:
        raise ReleaseError(f"CITATION.cff would not validate: {errors[0].message}", file="CITATION.cff", hint="check the contributors and licences in corpus.toml")
