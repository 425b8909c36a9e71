"""corpack's own rules for the packages it builds, as checks the validator runs when a package declares them.

``pkg build`` writes ``"dpcheck:checks": ["corpack.corpus", "corpack.facts"]`` (:data:`DECLARED`) into the
datapackage.json it builds; :mod:`corpack.checking` registers :data:`PLUGINS` with :mod:`dpcheck`, so
``pkg validate`` runs them on corpack's packages and on no other package (see :mod:`dpcheck.plugins`).

- :mod:`~corpack.checks.corpus` (``corpack.corpus``): paragraph offsets and order, text defects, duplicate paragraphs.
- :mod:`~corpack.checks.facts` (``corpack.facts``): fact tables' quotes against the document text, list counts.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dpcheck.plugins import Plugin

#: The names ``pkg build`` declares in the descriptor it writes, one per plug-in of :data:`PLUGINS` (named
#: here so that writing a descriptor does not load the checks and the validator, about 1 s).
DECLARED: tuple[str, ...] = ("corpack.corpus", "corpack.facts")


@functools.cache
def _plugins() -> tuple[Plugin, ...]:
    from corpack.checks import corpus, facts
    from dpcheck.plugins import Plugin

    return (Plugin(DECLARED[0], corpus.run, corpus.CODES), Plugin(DECLARED[1], facts.run, facts.CODES))


def __getattr__(name: str) -> Any:
    """``PLUGINS``: the checks corpack registers with the validator; ``CODES``: every finding code of corpack's
    checks, with what it means. Both are loaded when first asked for."""
    if name == "PLUGINS":
        return _plugins()
    if name == "CODES":
        return {code: meaning for plugin in _plugins() for code, meaning in plugin.codes.items()}
    raise AttributeError(f"module 'corpack.checks' has no attribute {name!r}")
