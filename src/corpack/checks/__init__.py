"""corpack's own rules for the packages it builds, as checks the validator runs when a package declares them.

``pkg build`` writes ``"dpcheck:checks": ["corpack.corpus", "corpack.facts"]`` (:data:`DECLARED`) into the
datapackage.json it builds; :mod:`corpack.checking` registers :data:`PLUGINS` with :mod:`dpcheck`, so
``pkg validate`` runs them on corpack's packages and on no other package (see :mod:`dpcheck.plugins`).

- :mod:`~corpack.checks.corpus` (``corpack.corpus``): paragraph offsets and order, text defects, duplicate paragraphs.
- :mod:`~corpack.checks.facts` (``corpack.facts``): fact tables' quotes against the document text, list counts.
"""

from __future__ import annotations

from corpack.checks import corpus, facts
from dpcheck.plugins import Plugin

#: The checks corpack registers with the validator.
PLUGINS: tuple[Plugin, ...] = (
    Plugin("corpack.corpus", corpus.run, corpus.CODES),
    Plugin("corpack.facts", facts.run, facts.CODES),
)

#: The names ``pkg build`` declares in the descriptor it writes.
DECLARED: tuple[str, ...] = tuple(plugin.name for plugin in PLUGINS)

#: Every finding code of corpack's checks, with what it means.
CODES: dict[str, str] = {code: meaning for plugin in PLUGINS for code, meaning in plugin.codes.items()}
