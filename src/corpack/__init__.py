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

from typing import TYPE_CHECKING

from dpcheck.lazy import lazy_names

# (imported here, not when asked for: the name ``corpack.clean`` would otherwise be the module corpack/clean/)
from corpack.clean import Cleaned, clean

if TYPE_CHECKING:
    from corpack.checking import validate_package
    from corpack.diff import diff_packages
    from corpack.loading import Dataset, load
    from corpack.pipeline import BuildResult, build
    from corpack.sources import write_manifest

__all__ = ["BuildResult", "Cleaned", "Dataset", "build", "clean", "diff_packages", "load", "validate_package", "write_manifest"]

# Where each public name lives, loaded when first asked for: a command (or a build's process) loads what it
# uses, not the validator, the differ and the loader as well (about 1 s).
_HOMES = {"BuildResult": "corpack.pipeline", "build": "corpack.pipeline", "write_manifest": "corpack.sources",
          "diff_packages": "corpack.diff", "Dataset": "corpack.loading", "load": "corpack.loading",
          "validate_package": "corpack.checking"}

__getattr__, __dir__ = lazy_names(globals(), _HOMES)
