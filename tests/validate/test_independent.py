"""dpcheck is a validator of its own: it runs where corpack is not installed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"


def test_dpcheck_validates_a_package_with_corpack_unimportable(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "data.csv").write_text("id,name\n1,a\n1,b\n", encoding="utf-8")
    (package / "datapackage.json").write_text(
        '{"name": "p", "resources": [{"name": "data", "path": "data.csv", "schema": '
        '{"fields": [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}], "primaryKey": ["id"]}}]}',
        encoding="utf-8",
    )
    # A meta-path finder that refuses corpack: any import of it, however indirect, fails the run.
    script = (
        "import sys\n"
        "class Refuse:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'corpack' or name.startswith('corpack.'):\n"
        "            raise ImportError('dpcheck imported ' + name)\n"
        "sys.meta_path.insert(0, Refuse())\n"
        f"sys.path.insert(0, {str(SRC)!r})\n"
        "import dpcheck\n"
        f"report = dpcheck.validate_package({str(package)!r})\n"
        "print(sorted({f.code for f in report.findings}))\n"
        "assert not any(m == 'corpack' or m.startswith('corpack.') for m in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "primary-key" in result.stdout
