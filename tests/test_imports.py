"""What a command loads as it starts: ``pkg --help`` or a build's process does not load the validator (#13).

The validator's stack (frictionless, dpcheck's readers and checks) took about 1 s to import, which every
command paid as it started and which a build's process paid before its workers could fork, though a large
package is validated in a process of its own (corpack.apart).
"""

from __future__ import annotations

import subprocess
import sys

import pytest

_HEAVY = ("frictionless", "dpcheck.validation", "dpcheck.csvcheck", "corpack.checks.corpus", "corpack.diff", "corpack.loading")


def _loaded(statement: str) -> list[str]:
    """The modules of :data:`_HEAVY` that a fresh interpreter has loaded after ``statement``."""
    script = f"{statement}\nimport sys\nprint(' '.join(m for m in {_HEAVY!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True)
    return result.stdout.split()


@pytest.mark.parametrize("statement", [
    "import corpack.cli",
    "import corpack.pipeline",
    "import dpcheck.errors, corpack.errors",
    "from corpack.package import package_descriptor; package_descriptor({'name': 'x'}, '2024-01-01T00:00:00Z', [], {})",
])
def test_starting_a_command_does_not_load_the_validator_13(statement: str) -> None:
    assert _loaded(statement) == []


def test_the_public_names_are_there_when_asked_for_13() -> None:
    import corpack
    import dpcheck

    assert callable(corpack.clean) and corpack.clean.__name__ == "clean"  # the function, not corpack/clean/
    assert callable(corpack.build) and callable(corpack.load) and callable(corpack.diff_packages)
    assert corpack.validate_package.__module__ == "corpack.checking"
    assert set(corpack.__all__) <= set(dir(corpack))
    assert dpcheck.validate_package.__module__ == "dpcheck.validation" and "primary-key" in dpcheck.CODES
    assert set(dpcheck.__all__) <= set(dir(dpcheck))
    with pytest.raises(AttributeError):
        dpcheck.no_such_name  # noqa: B018
    with pytest.raises(AttributeError):
        corpack.no_such_name  # noqa: B018


def test_the_declared_checks_are_the_registered_ones_13() -> None:
    from corpack.checks import CODES, DECLARED, PLUGINS

    assert tuple(plugin.name for plugin in PLUGINS) == DECLARED
    assert CODES == {code: meaning for plugin in PLUGINS for code, meaning in plugin.codes.items()}
