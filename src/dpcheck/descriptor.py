"""Stage 1: read the descriptor (JSON or YAML), check it against the Data Package profile, vet every resource
path, and parse it into the frozen model (:mod:`dpcheck.model`) the later stages read.

Profile validation (:mod:`~dpcheck.profile`) is frictionless's (``Package.metadata_validate`` / ``Resource.metadata_validate``), fed
a sanitised copy of the descriptor so that it never opens or fetches anything: unsafe or remote paths are
replaced by a placeholder (reported here instead, as ``unsafe-path`` / ``scheme-error``), custom
profiles are dropped (reported as ``not-checked``), and a schema or dialect given as a path is loaded here,
from inside the package folder only, and passed inline (given a path, frictionless checks only that it looks
safe, not what the file holds; one that cannot be loaded is passed as the placeholder, so that a
``tabular-data-resource`` is not also said to lack its schema). Such a file is read under the path rules of a
data file and the limits of datapackage.json; a resource whose schema or dialect cannot be loaded, or is
remote, gets no row checks, as its table could only be read wrongly.

Nothing outside the package folder is ever opened: a path is used only once it is relative, has no ``..``
component and resolves (symlinks followed) inside the folder. Every file is opened with
:func:`~dpcheck.regularfile.open_file`: a FIFO, socket, device or folder is refused, never read.

The stage is a public API, so that a tool reading packages (a diff, a loader) judges a descriptor exactly as
the validator does; both signatures are kept stable::

    report = Report(package=str(folder))
    parsed = descriptor.load(folder / "datapackage.json", report)   # read and parse, or None
    specs = descriptor.resources(parsed, folder, report, trusted=False) if parsed is not None else []
    errors = [f for f in report.findings if is_error(f.code)]      # anything here: not a usable package
    spec.resource                                                   # one resource as the frozen model
    descriptor.package(parsed, specs)                               # the whole package as the model

:func:`load` checks the file (regular file, at most :data:`MAX_DESCRIPTOR_BYTES`, UTF-8, JSON or YAML
(:mod:`~dpcheck.descriptorfile`), numbers Python can convert, at most :data:`MAX_DEPTH` levels deep, an object); :func:`resources` checks the rest
(the Data Package profile, unique resource names, safe local paths, schema and dialect files).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from dpcheck.descriptorfile import MAX_DEPTH, MAX_DESCRIPTOR_BYTES, YAML_SUFFIXES, is_yaml, parse_object
from dpcheck.descriptorfile import Unreadable as _Unreadable
from dpcheck.errors import PackageError
from dpcheck.model import Package, Resource
from dpcheck.profile import check_profile, for_frictionless, vet_profile
from dpcheck.regularfile import NotRegularFile, open_file
from dpcheck.report import Finding, Report, clip

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_PLACEHOLDER = "dpcheck-unchecked-path"
__all__ = ["MAX_DEPTH", "MAX_DESCRIPTOR_BYTES", "ResourceSpec", "load", "locate", "package", "resources"]


@dataclass
class ResourceSpec:
    """What the later stages need to know about one resource, once its paths are vetted.

    Attributes:
        name: the resource's name, or None when it has none.
        file: its path as declared (parts joined with ", " for a multipart path), or None.
        paths: the local files, resolved inside the package folder; empty when any path was unsafe or remote.
        schema: the Table Schema as a dict, or None (none given, or the schema or dialect could not be loaded;
            rows are then not checked).
        format: the declared format, else the extension of its first path, lowercased.
        descriptor: the resource's descriptor as given, except that a schema or dialect given as a path is
            replaced by the object loaded from it.

    Checks read :attr:`resource`, the same resource as the frozen model; the dict attributes stay while the
    later stages move over to it.
    """

    name: str | None
    file: str | None
    paths: list[Path] = field(default_factory=list)
    schema: dict[str, Any] | None = None
    format: str | None = None
    descriptor: dict[str, Any] = field(default_factory=dict)

    @property
    def inline(self) -> bool:
        """Whether the resource holds its rows in the descriptor (``data``, a list) instead of files."""
        return not self.paths and isinstance(self.descriptor.get("data"), list)

    @cached_property
    def resource(self) -> Resource:
        """This resource as the frozen model (:class:`dpcheck.model.Resource`) that checks read: its
        ``schema`` is None exactly when ``self.schema`` is. Built once, on first use."""
        raw = {key: value for key, value in self.descriptor.items() if key != "schema"}
        if self.name is not None:
            raw["name"] = self.name
        if self.schema is not None:
            raw["schema"] = self.schema
        return Resource.from_descriptor(raw)


def locate(path: Path | str) -> tuple[Path, Path]:
    """Return (package folder, descriptor file) for a folder or a descriptor path.

    A folder's descriptor is its ``datapackage.json``, else its ``datapackage.yaml`` or ``datapackage.yml``
    (read as YAML, as frictionless does; see :mod:`~dpcheck.descriptorfile`).

    Raises:
        PackageError: when the path does not exist or a folder has no descriptor.
    """
    path = Path(path)
    if not path.exists():
        raise PackageError("no such file or folder", file=path, hint="give the package folder or its datapackage.json")
    if path.is_dir():
        for name in ("datapackage.json", *(f"datapackage{suffix}" for suffix in YAML_SUFFIXES)):
            descriptor = path / name
            if descriptor.exists():  # one that is not a regular file is refused by load(), saying what it is
                return path, descriptor
        raise PackageError("folder has no datapackage.json (nor datapackage.yaml)", file=path, hint="is this a package folder?")
    kind = _data_file_kind(path)
    if kind:
        raise PackageError(
            f"a {kind} data file, not a package: pkg validate checks a package (a folder with datapackage.json, "
            "the descriptor itself, or a zip of them)",
            file=path,
            hint="describe the file in a datapackage.json beside it (`frictionless describe` writes one), then validate that",
        )
    return path.parent, path


#: How data files that are not descriptors begin (Parquet's magic) or are named.
_DATA_MAGIC = {b"PAR1": "Parquet"}
_DATA_SUFFIXES = {".parquet": "Parquet", ".csv": "CSV", ".tsv": "TSV", ".xlsx": "Excel", ".arrow": "Arrow", ".feather": "Arrow"}


def _data_file_kind(path: Path) -> str | None:
    """``"Parquet"`` etc. when ``path`` is a data file rather than a descriptor (by name or first bytes)."""
    if path.suffix.lower() in _DATA_SUFFIXES:
        return _DATA_SUFFIXES[path.suffix.lower()]
    if not path.is_file():
        return None  # not read: a FIFO is refused by load()
    try:
        with open_file(path) as stream:
            head = stream.read(4)
    except OSError:
        return None  # load() reports it
    return _DATA_MAGIC.get(head)


def load(descriptor_path: Path, report: Report) -> dict[str, Any] | None:
    """Read and parse the descriptor under its limits: the first half of the descriptor stage.

    The file must be a regular file (a FIFO is never waited on), at most :data:`MAX_DESCRIPTOR_BYTES`, UTF-8,
    JSON (YAML when its name ends in ``.yaml`` or ``.yml``) whose integers Python can convert (at most ``sys.get_int_max_str_digits()`` digits), nested at most
    :data:`MAX_DEPTH` levels, and an object (not a list or a string). Duplicate resource names, the profile
    and paths are checked by :func:`resources`.

    Args:
        descriptor_path: the descriptor file.
        report: gets one ``package-error`` (file ``datapackage.json``, with the offset of a syntax error)
            when the file is not a usable descriptor.

    Returns:
        The descriptor as a dict, or None after that finding.

    Raises:
        PackageError: when the file cannot be read at all: missing, permissions, I/O error, or not a regular
            file (a folder, FIFO, socket or device).
    """
    name = descriptor_path.name
    try:
        with open_file(descriptor_path) as stream:
            raw = stream.read(MAX_DESCRIPTOR_BYTES + 1)
    except NotRegularFile as exc:
        raise PackageError(f"the descriptor {exc.strerror}; it is not read", file=descriptor_path,
                           hint="give the package folder or its datapackage.json, a regular file") from None
    except OSError as exc:
        raise PackageError(f"cannot read the descriptor: {exc.strerror or exc}", file=descriptor_path) from None
    try:
        return parse_object(raw, name, limit=MAX_DESCRIPTOR_BYTES)
    except _Unreadable as exc:
        report.add(Finding("package-error", str(exc), file=name, offset=exc.offset))
        return None


def _path_problem(value: str) -> tuple[str, str] | None:
    """Classify a declared path: None when it is a plain relative path, else (code, reason)."""
    if not value:
        return "unsafe-path", "path is empty"
    match = _SCHEME.match(value)
    if match and len(match.group(1)) > 1:
        if match.group(1).lower() == "file":
            return "unsafe-path", f"path {value!r} is a file: URL, which can point outside the package"
        return "scheme-error", f"path {value!r} is a URL"
    if match or value.startswith(("/", "\\")):
        return "unsafe-path", f"path {value!r} is absolute"
    if ".." in re.split(r"[/\\]", value):
        return "unsafe-path", f"path {value!r} has a '..' component"
    return None


def _inside(folder: Path, value: str) -> Path | None:
    """Resolve ``value`` under ``folder``, following symlinks; None when it ends up outside the folder."""
    try:
        resolved = (folder / value).resolve()
        root = folder.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop
        return None
    return resolved if resolved.is_relative_to(root) else None


def _vet_paths(spec: ResourceSpec, declared: list[str], folder: Path, report: Report, trusted: bool) -> None:
    """Report unsafe and remote paths; fill ``spec.paths`` only when every part is a safe local file."""
    resolved: list[Path] = []
    remote = False
    for value in declared:
        problem = _path_problem(value)
        if problem is None:
            target = _inside(folder, value)
            if target is None:
                problem = ("unsafe-path", f"path {value!r} resolves outside the package folder (through a symlink)")
            else:
                resolved.append(target)
                continue
        code, reason = problem
        if code == "scheme-error":
            remote = True
            if trusted:
                message = f"{reason}; remote resources are never fetched, so its data is not checked"
                report.add(Finding("not-checked", message, spec.name, value))
                continue
            reason += "; remote resources are only accepted with trusted=True"
        report.add(Finding(code, reason, spec.name, value))
    if len(resolved) == len(declared) and not remote:
        spec.paths = resolved


class _References:
    """Loads the schema and dialect files that resources name by path, from inside the package folder only.

    Every file read counts against one budget of MAX_DESCRIPTOR_BYTES: dereferencing never makes a package
    bigger than the largest descriptor accepted inline.
    """

    def __init__(self, folder: Path, report: Report, trusted: bool) -> None:
        self.folder, self.report, self.trusted = folder, report, trusted
        self.budget = MAX_DESCRIPTOR_BYTES

    def resolve(self, item: dict[str, Any], spec: ResourceSpec) -> dict[str, Any]:
        """Set ``spec.schema`` and ``spec.descriptor``: ``item`` with each schema or dialect path replaced by
        the object loaded from it. One that cannot be loaded stays a string, and ``spec.schema`` stays None."""
        resolved, usable = dict(item), True
        for key in ("schema", "dialect"):
            if isinstance(item.get(key), str):
                loaded = self._load(item[key], key, spec)
                usable = usable and loaded is not None
                resolved[key] = item[key] if loaded is None else loaded
        schema = resolved.get("schema")
        spec.schema = schema if usable and isinstance(schema, dict) else None
        spec.descriptor = resolved
        return resolved

    def _load(self, value: str, what: str, spec: ResourceSpec) -> dict[str, Any] | None:
        """Return the object in the ``what`` ("schema" or "dialect") file ``value``, or None after a finding."""
        problem = _path_problem(value)
        target = _inside(self.folder, value) if problem is None else None
        if problem is None and target is None:
            problem = ("unsafe-path", f"path {value!r} resolves outside the package folder (through a symlink)")
        if problem is not None:
            code, reason = problem
            if code == "scheme-error" and self.trusted:
                message = f"{what} {reason}; remote files are never fetched, so the {what} is unknown and rows are not checked"
                self.report.add(Finding("not-checked", message, spec.name, value))
                return None
            if code == "scheme-error":
                reason += "; remote files are only accepted with trusted=True, and never fetched"
            self.report.add(Finding(code, f"{what} {reason}; rows are not checked", spec.name, value))
            return None
        name = f"{what} file {value!r}"
        try:
            return parse_object(self._read(target, name), name, as_yaml=is_yaml(value), limit=MAX_DESCRIPTOR_BYTES)
        except _Unreadable as exc:
            message = f"{exc}; rows are not checked"
            code = "schema-error" if what == "schema" else "resource-error"
            self.report.add(Finding(code, message, spec.name, value, offset=exc.offset))
            return None

    def _read(self, target: Path, name: str) -> bytes:
        """Read a regular file inside the folder, at most one byte past the per-file limit and the budget."""
        limit = min(MAX_DESCRIPTOR_BYTES, self.budget)
        try:
            with open_file(target) as stream:  # never blocks on a FIFO, never reads a device or folder
                raw = stream.read(limit + 1)
        except FileNotFoundError:
            raise _Unreadable(f"{name} does not exist") from None
        except NotRegularFile as exc:
            raise _Unreadable(f"{name} {exc.strerror}") from None
        except OSError as exc:
            raise _Unreadable(f"{name} cannot be read: {exc.strerror or type(exc).__name__}") from None
        if len(raw) > limit:
            if limit == MAX_DESCRIPTOR_BYTES:
                raise _Unreadable(f"{name} is larger than the limit of {MAX_DESCRIPTOR_BYTES} bytes; not read")
            raise _Unreadable(f"{name} would take the schema and dialect files read past {MAX_DESCRIPTOR_BYTES} bytes in all; not read")
        self.budget -= len(raw)
        return raw


def _sanitise(item: dict[str, Any], spec: ResourceSpec, report: Report) -> dict[str, Any]:
    """Copy a resolved resource descriptor into something frictionless can check without touching any file."""
    clean = copy.deepcopy(item)
    path = clean.get("path")
    if isinstance(path, list) and path and all(isinstance(p, str) for p in path):
        path = clean["path"] = path[0]  # frictionless 5 rejects the multipart paths v2 allows
    if isinstance(path, str) and _path_problem(path) is not None:
        clean["path"] = _PLACEHOLDER
    vet_profile(clean, "resource-error", spec.name, spec.file, report)
    for key in ("schema", "dialect"):
        if isinstance(clean.get(key), str):  # a path _References could not load (and has reported)
            clean[key] = _PLACEHOLDER
    if isinstance(clean.get("schema"), dict):
        clean["schema"] = for_frictionless(clean["schema"])
    return clean


def _format(item: dict[str, Any], declared: list[str]) -> str | None:
    fmt = item.get("format")
    if isinstance(fmt, str):
        return fmt.lower()
    if declared and "." in declared[0].rsplit("/", 1)[-1]:
        return declared[0].rsplit(".", 1)[-1].lower()
    return None


def resources_then_profile(descriptor: dict[str, Any], folder: Path, report: Report, *, trusted: bool,
                           descriptor_name: str = "datapackage.json") -> tuple[list[ResourceSpec], Callable[[Report], None]]:
    """:func:`resources` with the profile check left to the caller: the specs, and the check, which adds its
    findings to the report it is given. :func:`resources` runs it at once, into ``report``; the validator runs
    it beside the table checks (frictionless takes 15-35 ms over it, in Python) and puts its findings where
    :func:`resources` would have (see :meth:`~dpcheck.report.Report.extend`)."""
    items = descriptor.get("resources")
    items = items if isinstance(items, list) else []
    specs: list[tuple[ResourceSpec, dict[str, Any]]] = []
    names: set[str] = set()
    references = _References(folder, report, trusted)
    for item in items:
        if not isinstance(item, dict):
            continue
        name = item.get("name") if isinstance(item.get("name"), str) else None
        if name is not None and name in names:
            report.add(Finding("package-error", f"resource name {name!r} is used more than once", name, descriptor_name))
        names.add(name or "")
        path = item.get("path")
        declared = [path] if isinstance(path, str) else path if isinstance(path, list) else []
        declared = [p for p in declared if isinstance(p, str)]
        spec = ResourceSpec(name, ", ".join(declared) or None, format=_format(item, declared), descriptor=item)
        if declared:
            _vet_paths(spec, declared, folder, report, trusted)
        specs.append((spec, _sanitise(references.resolve(item, spec), spec, report)))
    if isinstance(descriptor.get("resources"), list) and not descriptor["resources"]:
        report.add(Finding("package-error", "the package lists no resources; it must have at least one", file=descriptor_name))
    report.resources = [clip(spec.name) if spec.name else f"#{i + 1}" for i, (spec, _) in enumerate(specs)]
    return [spec for spec, _ in specs], lambda into: check_profile(descriptor, specs, into, descriptor_name)


def resources(descriptor: dict[str, Any], folder: Path, report: Report, *, trusted: bool,
              descriptor_name: str = "datapackage.json") -> list[ResourceSpec]:
    """Vet the descriptor's resources and profile; return one spec per resource object, in order.

    Adds ``package-error`` / ``resource-error`` / ``schema-error`` (profile, or a schema or dialect file that
    cannot be loaded), ``unsafe-path``, ``scheme-error`` and ``not-checked`` findings; package-level ones name
    the file ``descriptor_name`` (give the descriptor's own name, e.g. ``datapackage.yaml``).
    """
    specs, profile = resources_then_profile(descriptor, folder, report, trusted=trusted, descriptor_name=descriptor_name)
    profile(report)
    return specs


def package(descriptor: dict[str, Any], specs: list[ResourceSpec]) -> Package:
    """The package as the frozen model (:class:`dpcheck.model.Package`), its resources those that
    :func:`resources` returned (schema and dialect files loaded, ``schema`` None where unusable)."""
    return dataclasses.replace(Package.from_descriptor(descriptor), resources=tuple(spec.resource for spec in specs))
