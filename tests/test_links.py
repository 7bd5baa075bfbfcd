"""Every link the application builds points at a page that exists: each endpoint named in a
template or a module (url_for, and the staff menu's list) is in the URL map that create_app builds."""
import ast
import re
from pathlib import Path

from flask import Blueprint

ROOT = Path(__file__).resolve().parents[1]
# 'area.view' or '.view' as the first argument of url_for, or any quoted 'blueprint.view' pair.
URL_FOR = re.compile(r"""url_for\(\s*['"]([a-z_]*\.[a-z_]+)['"]""")
QUOTED = re.compile(r"""['"]([a-z_]+\.[a-z_]+)['"]""")
RENDER = re.compile(r"""render_template\(\s*['"]([^'"]+)['"]""")


def _modules():
    for path in sorted((ROOT / "mipevents").rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, path.read_text()


def _blueprints_of(source: str, module_name: str, app) -> set[str]:
    """The names of the blueprints a module defines (the ones whose views it holds)."""
    return {bp.name for bp in app.blueprints.values() if bp.import_name == module_name}


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_every_endpoint_named_in_a_template_or_a_module_exists(app):
    endpoints = set(app.view_functions)
    blueprints = set(app.blueprints)
    renderers: dict[str, set[str]] = {}     # template -> blueprints whose views render it
    missing = []
    for path, source in _modules():
        own = _blueprints_of(source, _module_name(path), app)
        for template in RENDER.findall(source):
            renderers.setdefault(template, set()).update(own)
        for name in URL_FOR.findall(source):
            if name.startswith("."):
                if own and not any(b + name in endpoints for b in own):
                    missing.append(f"{path.relative_to(ROOT)}: {name}")
            elif name not in endpoints:
                missing.append(f"{path.relative_to(ROOT)}: {name}")
    for path in sorted((ROOT / "templates").rglob("*.*")):
        text = path.read_text()
        template = str(path.relative_to(ROOT / "templates"))
        for name in set(URL_FOR.findall(text)) | {q for q in QUOTED.findall(text) if q.split(".")[0] in blueprints}:
            if name.startswith("."):
                owners = renderers.get(template) or blueprints     # a partial: any blueprint that has it
                if not any(b + name in endpoints for b in owners):
                    missing.append(f"templates/{template}: {name}")
            elif name not in endpoints:
                missing.append(f"templates/{template}: {name}")
    assert missing == []


def test_no_template_asks_whether_a_page_exists():
    guarded = [str(p.relative_to(ROOT)) for p in (ROOT / "templates").rglob("*.*")
               if re.search(r"\bin endpoints\b|endpoints\[|view_functions", p.read_text())]
    assert guarded == []


def test_create_app_registers_exactly_the_blueprints_the_package_defines(app):
    defined = set()
    for _path, source in _modules():
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == Blueprint.__name__ and node.args:
                defined.add(node.args[0].value)
    assert set(app.blueprints) == defined
