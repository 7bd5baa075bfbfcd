"""The shape of the package a reader relies on: no module past 400 lines (a long one is split along a
line a reader expects), and no import hidden inside a function that reaches another area unless a
comment beside it names the cycle it breaks (the import-linter contracts see only what is imported,
a reader of the file's header sees only its top)."""
import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "mipevents"
MAX_LINES = 400


def _modules():
    return [path for path in sorted(PACKAGE.rglob("*.py")) if "migrations" not in path.relative_to(PACKAGE).parts]


def test_no_module_of_the_package_is_over_400_lines():
    long = {str(path.relative_to(PACKAGE)): n for path in _modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}, f"split these along a line a reader expects (at most {MAX_LINES} lines each)"


def _imported(node) -> list[str]:
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        if node.module == "mipevents":
            return [f"mipevents.{alias.name}" for alias in node.names]
        return [node.module]
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    return []


def test_an_import_inside_a_function_that_reaches_another_area_names_the_cycle_it_breaks():
    hidden = []
    for path in _modules():
        parts = path.relative_to(PACKAGE).parts
        area = parts[0] if len(parts) > 1 else None
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        for function in ast.walk(ast.parse(source)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                for name in _imported(node):
                    if not name.startswith("mipevents.") or name.split(".")[1] == area:
                        continue
                    said = " ".join(lines[node.lineno - 2:node.end_lineno]).lower()
                    if "cycle" not in said:
                        hidden.append(f"{path.relative_to(PACKAGE)}:{node.lineno} imports {name}")
    assert hidden == [], "move these imports to the top of the file, or say which cycle each one breaks"
