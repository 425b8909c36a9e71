"""``pkg validate`` and frictionless on the same descriptors, side by side: each one's verdict and its findings
counted per (resource, code), with the descriptors where the two differ marked.

A tool for checking the validator on packages found in the wild (docs/validation.md, "Parity with
frictionless"), not a test: ``python -m tests.side_by_side DESCRIPTOR...``. Each validator runs in its own
process, with a time limit, so that one that crashes or hangs on a package does not stop the others.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

_RUN = {
    "pkg": """
from dpcheck import validate_package
r = validate_package(PATH, limit=10**6)
found = [(f.resource or "-", f.code) for f in r.findings if f.code != "not-checked"]
valid = r.valid
""",
    "frictionless": """
from frictionless import validate
r = validate(PATH)
found = [("-", e.type) for e in r.errors] + [(t.name or "-", e.type) for t in r.tasks for e in t.errors]
valid = r.valid
""",
}
_WRAP = "import json, sys\nPATH = sys.argv[1]\n{body}\nprint(json.dumps({{'valid': valid, 'found': found}}))\n"

#: The same fault under another code (docs/validation.md, "Other codes for the same fault").
SAME_FAULT = {"scheme-error": "source-error", "field-error": "schema-error"}


def run(tool: str, descriptor: str, timeout: float = 600) -> dict:
    """``tool``'s verdict and findings on ``descriptor``, or what stopped it."""
    try:
        out = subprocess.run([sys.executable, "-c", _WRAP.format(body=_RUN[tool]), descriptor],
                             capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"valid": None, "found": [], "stopped": f"no answer in {timeout:.0f} s"}
    if out.returncode:
        return {"valid": None, "found": [], "stopped": (out.stderr.strip().splitlines() or ["exit " + str(out.returncode)])[-1]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def compare(descriptor: str) -> tuple[bool, str]:
    """Whether both give the same verdict, and the two side by side as text."""
    ours, theirs = run("pkg", descriptor), run("frictionless", descriptor)
    counts = [Counter(f"{resource}: {SAME_FAULT.get(code, code)}" for resource, code in side["found"]) for side in (ours, theirs)]
    same = ours["valid"] == theirs["valid"] and ours["valid"] is not None
    lines = [f"{'same' if same else 'DIFFERENT'} verdict: {descriptor}"]
    for name, side, count in (("pkg validate", ours, counts[0]), ("frictionless", theirs, counts[1])):
        said = side.get("stopped") or ("valid" if side["valid"] else "invalid")
        lines.append(f"  {name}: {said}; " + ", ".join(f"{key} x{n}" for key, n in sorted(count.items())))
    return same, "\n".join(lines)


if __name__ == "__main__":
    results = [compare(path) for path in sys.argv[1:]]
    for _, text in results:
        print(text)
    print(f"{sum(same for same, _ in results)} of {len(results)} descriptors: same verdict")
