"""The URL table: every route of an app, its blueprint and view, and the services, queries and
workflows the view calls (read from the view's own code), as `flask --app wsgi urls` prints it and
the README shows it."""
import dis
import inspect
from dataclasses import dataclass
from types import ModuleType

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

PACKAGE = "mipevents."
# A view's callees worth naming: another module of the package, other than plumbing and forms.
PLUMBING = ("mipevents.core.", "mipevents.extensions")


@dataclass(frozen=True)
class Route:
    url: str
    methods: str
    blueprint: str
    view: str          # "meetings/views.py: show_meeting"
    calls: str         # "meetings.queries, workflows.home"


def _short(module_name: str) -> str:
    return module_name.removeprefix(PACKAGE)


def _globals(code) -> set[str]:
    """The global names a function's own code loads (not attribute names: `x.state` is no use of a
    global `state`), its lambdas', comprehensions' and inner functions' included."""
    names = {instruction.argval for instruction in dis.get_instructions(code)
             if instruction.opname in ("LOAD_GLOBAL", "LOAD_NAME")}
    for const in code.co_consts:
        if inspect.iscode(const):
            names |= _globals(const)
    return names


def _callees(view, own_modules: frozenset[str] = frozenset()) -> list[str]:
    """The package's modules a view calls (its services, queries and workflows): the modules and
    functions its code loads by name, also through the helper functions it calls from its own module
    or another module of its blueprint (`own_modules`), which are followed, not named."""
    function = inspect.unwrap(view)
    own = own_modules | {function.__module__}
    found, seen, todo = set(), set(), [function]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in _globals(current.__code__):
            value = current.__globals__.get(name)
            if isinstance(value, ModuleType):
                module = value.__name__
            elif inspect.isfunction(value) or inspect.isclass(value):
                module = value.__module__
                if module in own and inspect.isfunction(value):
                    todo.append(inspect.unwrap(value))   # a helper of the view's own modules: follow it
                    continue
            else:
                continue
            if (module.startswith(PACKAGE) and not module.startswith(PLUMBING) and module not in own
                    and not module.endswith((".forms", ".models", ".permissions"))):
                found.add(_short(module))
    return sorted(found)


def url_table(app: Flask) -> list[Route]:
    # The modules each blueprint's views live in (one blueprint may take routes from two modules).
    modules: dict[str, set[str]] = {}
    for endpoint, view in app.view_functions.items():
        modules.setdefault(endpoint.rpartition(".")[0], set()).add(inspect.unwrap(view).__module__)
    rows = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        function = inspect.unwrap(view)
        module = function.__module__
        if not module.startswith(PACKAGE):
            continue                                 # Flask's own static route
        blueprint = rule.endpoint.rpartition(".")[0]
        path = module.removeprefix(PACKAGE).replace(".", "/") + ".py"
        rows.append(Route(url=rule.rule, methods=", ".join(sorted(rule.methods - {"HEAD", "OPTIONS"})),
                          blueprint=blueprint or "(app)", view=f"{path}: {function.__name__}",
                          calls=", ".join(_callees(view, frozenset(modules.get(blueprint, ()))))))
    return sorted(rows, key=lambda r: (r.url, r.methods))


def markdown(rows: list[Route]) -> str:
    lines = ["| URL | methods | blueprint | view | calls |", "|---|---|---|---|---|"]
    lines += [f"| `{r.url}` | {r.methods} | {r.blueprint} | {r.view} | {r.calls} |" for r in rows]
    return "\n".join(lines) + "\n"


@click.command("urls")
@with_appcontext
def urls_command():
    """Print the URL table (URL → blueprint → view → what it calls) as the README shows it."""
    click.echo(markdown(url_table(current_app)), nl=False)
