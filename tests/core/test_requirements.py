"""`make run` installs requirements.txt alone: everything the package imports must be in it."""
import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_third_party_import_of_the_package_is_a_runtime_requirement():
    pinned = {_normalise(re.split(r"[=<>\[;]", line)[0].strip())
              for line in (ROOT / "requirements.txt").read_text().splitlines() if line and not line.startswith("#")}
    providers = packages_distributions()
    imported = set()
    for path in [*(ROOT / "mipevents").rglob("*.py"), ROOT / "config.py", ROOT / "wsgi.py"]:
        if "migrations/versions" in str(path):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {m for m in imported if m not in sys.stdlib_module_names and m not in ("mipevents", "config")}
    missing = {m: providers.get(m) for m in third_party
               if not any(_normalise(d) in pinned for d in providers.get(m, []))}
    assert missing == {}
