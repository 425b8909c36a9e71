"""The ``pkg`` command line: click commands only, each a call into the documented Python API.

One handler (:class:`Cli.invoke`) turns failures into one line on stderr and an exit code: 0 ok, 1 package
invalid, 2 could not run (usage, unreadable input, unsafe path, or an unexpected bug, which prints one line
and asks for ``--debug`` instead of a traceback), 128 + N when stopped by signal N (130 Ctrl-C, 143 SIGTERM).
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import click

from corpack.pipeline import build as build_package
from corpack.ending import end_process
from corpack.errors import CorpackError, Interrupted
from corpack.executors import EXECUTORS
from dpcheck.report import plural
from corpack.sources import write_manifest


class Cli(click.Group):
    """A click group whose ``invoke`` is the one place failures become exit codes."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except CorpackError as exc:
            click.echo(str(exc), err=True)
            ctx.exit(exc.exit_code)
        except (KeyboardInterrupt, Interrupted) as exc:
            signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
            name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
            click.echo(f"error[interrupted] stopped by {name}; unfinished output was removed and nothing else changed", err=True)
            ctx.exit(128 + signum)
        except Exception as exc:  # an unexpected bug: one line, not a traceback
            if ctx.meta.get("corpack.debug"):
                raise
            click.echo(f"error[internal] {type(exc).__name__}: {exc} (this is a bug; rerun with --debug for the traceback)", err=True)
            ctx.exit(2)


@click.group(cls=Cli)
@click.option("--debug", is_flag=True, help="Show the full traceback of unexpected errors.")
@click.version_option(package_name="corpack", prog_name="pkg")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Build and check Frictionless data packages of Chinese news reports.

    Example: pkg build corpus -o datapackage && pkg validate datapackage
    """
    ctx.meta["corpack.debug"] = debug


@cli.command()
@click.argument("corpus_dir", default="corpus", type=click.Path(path_type=Path))
@click.option("-o", "--output", default="datapackage", type=click.Path(path_type=Path), show_default=True, help="Package folder to create or replace.")
@click.option("--skip-bad", is_flag=True, help="Leave out files that are not text or are empty, and list them, instead of stopping.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Worker processes (default: one per core available; 1: none, all in this process; the bytes do not depend on it). With --executor dask and no --scheduler: the local cluster's workers.")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar, or nothing (default: a bar on a terminal, else a line on stderr every 10 s).")
@click.option("--cache/--no-cache", default=True, show_default=True, help="Reuse the rows of unchanged files from the last build (kept in .OUTPUT.cache beside it).")
@click.option("--executor", type=click.Choice(EXECUTORS), default="local", show_default=True, help="Where documents are processed: here, or on a Dask cluster (needs corpack[dask]).")
@click.option("--scheduler", metavar="ADDRESS", help="Dask scheduler to use (tcp://host:8786); default: a cluster of JOBS workers on this machine.")
def build(corpus_dir: Path, output: Path, skip_bad: bool, jobs: int | None, progress: bool | None, cache: bool, executor: str, scheduler: str | None) -> None:
    """Build the data package of CORPUS_DIR (default: corpus) into OUTPUT.

    The new package is built beside OUTPUT, validated, then swapped in: a failed or killed build leaves the
    previous package untouched. OUTPUT must be new, empty or a package corpack built; the corpus, a folder
    holding it and the current folder are refused. A second build of the same OUTPUT waits for the first.

    With --executor dask --scheduler ADDRESS, every worker must see CORPUS_DIR at the same absolute path.

    Example: pkg build corpus -o datapackage
    """
    result = build_package(
        corpus_dir, output, skip_bad=skip_bad, jobs=jobs, executor=executor, scheduler=scheduler, progress=progress, cache=cache, on_wait=lambda message: click.echo(message, err=True)
    )
    for skipped in result.skipped:
        click.echo(f"skipped {skipped['file']}: [{skipped['code']}] {skipped['reason']}", err=True)
    for damaged in result.damaged:
        click.echo(f"warning {damaged['file']}: {damaged['bytes']} undecodable bytes replaced and dropped (documents.undecodable_bytes)", err=True)
    if result.citation_gaps:
        click.echo(f"warning {corpus_dir}/corpus.toml: not citable yet, it lacks {'; '.join(result.citation_gaps)} (run `pkg init` or edit it)", err=True)
    totals = result.totals
    click.echo(
        f"built {result.output}: {plural(result.documents, 'document')}, {plural(result.paragraphs, 'paragraph')}; "
        f"{plural(totals['repaired_chars'], 'character')} repaired ({totals['unrecoverable_chars']} unrecoverable), "
        f"{plural(totals['duplicate_paragraphs_removed'], 'duplicate paragraph')} and {plural(totals['boilerplate_lines_removed'], 'boilerplate line')} removed, "
        f"{plural(totals['lines_joined'], 'broken line')} joined; {plural(len(result.skipped), 'file')} skipped; "
        f"{result.documents - result.reused} processed, {result.reused} from the cache; {result.seconds:.1f} s"
    )


@cli.command()
@click.argument("package", default="datapackage", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--limit", default=5, show_default=True, type=click.IntRange(1), help="Rows listed per error; the rest are counted.")
@click.option("--trusted", is_flag=True, help="Allow resource paths that are URLs (they are still never fetched).")
@click.option("--html", "html_file", type=click.Path(dir_okay=False, path_type=Path), help="Also write the report as one self-contained HTML page.")
@click.option("--sha256", metavar="HEX", help="For a release archive: the sha256 its publisher announced; a different archive is invalid.")
@click.pass_context
def validate(ctx: click.Context, package: Path, as_json: bool, limit: int, trusted: bool, html_file: Path | None, sha256: str | None) -> None:
    """Check PACKAGE (a folder, its datapackage.json or a zip of it; default: datapackage).

    Checks the descriptor against the Data Package profile (v1 or v2), that every path stays inside the
    package, checksums, the tables (CSV or Parquet) against their schemas (every type and constraint,
    missing values, keys), the corpus rules (paragraph offsets, no markup or repeats left) and fact quotes.
    A release archive's files are checked against its SHA256SUMS (files added, missing or changed are
    errors). Exit code 0 valid, 1 invalid, 2 could not run. See docs/validation.md.

    Example: pkg validate dist/name-1.0.0.zip --sha256 <the checksum the publisher announced>
    """
    from corpack.errors import PackageError
    from corpack.checking import validate_package
    from dpcheck import render_html, render_text
    from dpcheck.sums import expected_checksum

    try:
        expected_checksum(sha256)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--sha256") from None
    report = validate_package(package, trusted=trusted, limit=limit, sha256=sha256)
    if html_file is not None:
        try:
            html_file.write_text(render_html(report), encoding="utf-8")
        except OSError as exc:
            raise PackageError(f"cannot write the HTML report: {exc.strerror or exc}", file=html_file) from None
    if as_json:
        click.echo(json.dumps(report.to_dict(), sort_keys=True, ensure_ascii=False, indent=2))
    else:
        click.echo(render_text(report), nl=False)
    ctx.exit(report.exit_code)


@cli.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the diff as JSON (top level: bump, old, new, descriptor, resources).")
@click.option("--root", default=".", type=click.Path(path_type=Path), show_default=True, help="Project folder whose releases.json and dist/ a version number refers to.")
def diff(old: Path, new: Path, as_json: bool, root: Path) -> None:
    """Compare two versions of a package (folders, release archives or released version numbers) and say which
    version bump it needs.

    A version number (0.1.0) names a release recorded in ROOT/releases.json; its archive must be in ROOT/dist/
    with the recorded checksum. Rows are matched by primary key; schema changes (fields added, removed,
    renamed, retyped, constraints) and descriptor changes are listed. The bump is major, minor, patch or none.
    Exit 0 whatever the verdict, 2 when a side cannot be read.

    Example: pkg diff 0.1.0 datapackage --json
    """
    from corpack.diff import diff_packages, render
    from corpack.releases import resolve

    result = diff_packages(resolve(old, root), resolve(new, root))
    click.echo(json.dumps(result, sort_keys=True, ensure_ascii=False, indent=2) if as_json else render(result).rstrip("\n"))


@cli.command()
@click.option("--bump", type=click.Choice(["auto", "major", "minor", "patch"]), default="auto", show_default=True, help="Version bump; auto takes it from the diff against the last release.")
@click.option("--root", default=".", type=click.Path(path_type=Path), show_default=True, help="Project folder with corpus/, datapackage/ and CHANGELOG.md.")
@click.option("--against", type=click.Path(path_type=Path), help="Previous release to compare with (default: newest archive in dist/).")
@click.option("--site/--no-site", default=True, show_default=True, help="Put the package's static site (pkg site) in the archive, under site/.")
def release(bump: str, root: Path, against: Path | None, site: bool) -> None:
    """Release the dataset: set version and created, write CHANGELOG, citation files and dist/<name>-<version>.zip.

    Refuses when pkg validate fails or datapackage/ is not the build of corpus/. The archive is reproducible:
    the same data and date give the same bytes (set SOURCE_DATE_EPOCH to fix the date).

    Example: pkg release --bump auto
    """
    from corpack.release import release as do_release

    result = do_release(root, bump, against=against, on_wait=lambda message: click.echo(message, err=True), site=site)
    since = f"{result.bump} since {result.previous}" if result.previous else "first release"
    click.echo(f"released {result.version} ({since}): {result.archive} sha256 {result.sha256}")
    click.echo("next steps:\n" + result.next_steps())


@cli.command()
@click.argument("gold_dir", type=click.Path(path_type=Path))
@click.argument("package", default="datapackage", type=click.Path(path_type=Path))
def score(gold_dir: Path, package: Path) -> None:
    """Score PACKAGE against the hand labels in GOLD_DIR.

    Prints precision, recall and F1 for statistics (core gold rows; borderline ones count neither way),
    events and city lists; the accuracy of qualifier, indicator, year and subject over matched statistics;
    for documents, titles and dates right, furniture kept and report lines lost (each <doc>.clean.json
    against the raw file found beside the gold or in ../corpus); then every miss, grouped by document.

    Example: pkg score ../shared/gold datapackage
    """
    from corpack.score import render, score_package

    click.echo(render(score_package(gold_dir, package)), nl=False)


@cli.command()
@click.argument("corpus_dir", default="corpus", type=click.Path(path_type=Path))
def manifest(corpus_dir: Path) -> None:
    """Write or refresh CORPUS_DIR/manifest.csv (file, sha256, bytes, encoding, metadata).

    Checksums, sizes and encodings are recomputed; the title, publisher, region, published, source_url and
    notes a human typed are kept.

    Example: pkg manifest corpus
    """
    path = write_manifest(corpus_dir)
    click.echo(f"wrote {path}")


@cli.command()
@click.argument("corpus_dir", default="corpus", type=click.Path(path_type=Path))
@click.option("--title", help="What the dataset is called in a citation.")
@click.option("--description", help="What the reports are and where they come from.")
@click.option("--author", "authors", multiple=True, help='An author: "Family, Given", "Given Family" or an organisation, optionally "(ORCID iD)" after it; repeat for each.')
@click.option("--license", "licence", help="Licence of the tables and metadata, as an SPDX id (e.g. CC-BY-4.0).")
@click.option("--rights", help="Who owns the report texts and on what terms they are shared.")
def init(corpus_dir: Path, title: str | None, description: str | None, authors: tuple[str, ...], licence: str | None, rights: str | None) -> None:
    """Start CORPUS_DIR (default: corpus): write a commented corpus.toml and manifest.csv.

    What a citation needs (title, description, authors with ORCID iDs, licence, rights, version) is written
    from the options, or left as commented examples to fill in; `pkg build` warns about whatever is missing.
    An existing corpus.toml is never replaced.

    Example: pkg init reports --title "Reports on X" --author "Li, Hua (0000-0002-1825-0097)" --license CC-BY-4.0
    """
    from corpack.project import Author, init_corpus

    written = init_corpus(corpus_dir, title=title, description=description, authors=[Author.parse(a) for a in authors], licence=licence, rights=rights)
    for path in written:
        click.echo(f"wrote {path}")


@cli.command()
@click.argument("package", default="datapackage", type=click.Path(path_type=Path))
@click.option("-o", "--output", default="site", type=click.Path(path_type=Path), show_default=True, help="Folder to write the site into (new, empty or a site pkg site wrote).")
@click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), help="Corpus folder of the raw files, shown beside the cleaned text in the cleaning view.")
@click.option("-j", "--jobs", type=click.IntRange(1, 64), help="Processes rendering the document pages (default: the CPUs available; the bytes do not depend on it).")
def site(package: Path, output: Path, corpus: Path | None, jobs: int | None) -> None:
    """Write a static site of PACKAGE (default: datapackage) that opens from disk, no server or network.

    Pages: an overview with counts and charts, each resource as sortable, filterable tables, each document
    with every extracted fact marked in its text and linked to its row, the cleaning view and the validation
    report. The same package gives the same bytes.

    Example: pkg site datapackage -o site --corpus corpus
    """
    from corpack.site import build_site

    result = build_site(package, output, corpus=corpus, jobs=jobs)
    click.echo(f"wrote {result.output}: {result.pages} pages, {result.files} files, {result.bytes / 1e6:.1f} MB")


_stopping: list[int] = []


def _stop(signum: int, _frame) -> None:
    """First SIGTERM/SIGHUP: stop the way Ctrl-C does, so clean-up runs. A second one while that clean-up is
    stuck (a thread blocked in a read) ends the process at once."""
    if _stopping:
        os._exit(128 + signum)
    _stopping.append(signum)
    raise Interrupted(signum)


def main() -> None:
    """Console entry point of ``pkg``: SIGTERM and SIGHUP stop a command the way Ctrl-C does (clean-up runs),
    and the process ends without the native libraries' teardown (see :func:`corpack.ending.end_process`)."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    try:
        cli(prog_name="pkg")
    except SystemExit as done:
        end_process(done.code)
