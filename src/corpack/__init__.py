"""corpack: turn a corpus of Chinese news reports into a clean, validated Frictionless data package.

The public API:

- :func:`corpack.build` (``pkg build``): corpus folder in, validated data package out.
- :func:`corpack.validate_package` (``pkg validate``): a report of findings about any package.
- :func:`corpack.clean` : clean one document's text (the stage ``build`` runs per document).
- :func:`corpack.write_manifest` (``pkg manifest``): write or refresh a corpus's provenance manifest.
- :func:`corpack.load`: a package folder or release archive as Arrow tables, checksums verified.
- :func:`corpack.diff_packages` (``pkg diff``) and :func:`corpack.release.release` (``pkg release``).
"""

from __future__ import annotations

from corpack.pipeline import BuildResult, build
from corpack.clean import Cleaned, clean
from corpack.sources import write_manifest

from corpack.diff import diff_packages
from corpack.loading import Dataset, load

__all__ = ["BuildResult", "Cleaned", "Dataset", "build", "clean", "diff_packages", "load", "validate_package", "write_manifest"]


def __getattr__(name: str):
    if name == "validate_package":
        from corpack.checking import validate_package

        return validate_package
    raise AttributeError(name)
