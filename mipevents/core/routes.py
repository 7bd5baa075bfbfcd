"""The URL table: every route of an app, its blueprint and view, and the services, queries and
workflows the view calls (read from the view's own code), as `flask --app wsgi urls` prints it and
the README shows it."""
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


def _names(code) -> set[str]:
    """The global names a function's code uses, its lambdas' and inner functions' included."""
    names = set(code.co_names)
    for const in code.co_consts:
        if inspect.iscode(const):
            names |= _names(const)
    return names


def _callees(view) -> list[str]:
    """The package's modules a view refers to by name (its services, queries and workflows), also
    through the helper functions of its own module."""
    function = inspect.unwrap(view)
    found, seen, todo = set(), set(), [function]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in _names(current.__code__):
            value = current.__globals__.get(name)
            if isinstance(value, ModuleType):
                module = value.__name__
            elif inspect.isfunction(value) or inspect.isclass(value):
                module = value.__module__
                if module == function.__module__ and inspect.isfunction(value):
                    todo.append(value)          # a helper of the view's own module: follow it
            else:
                continue
            if (module.startswith(PACKAGE) and not module.startswith(PLUMBING) and module != function.__module__
                    and not module.endswith((".forms", ".models", ".permissions"))):
                found.add(_short(module))
    return sorted(found)


def url_table(app: Flask) -> list[Route]:
    rows = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        function = inspect.unwrap(view)
        module = function.__module__
        if not module.startswith(PACKAGE):
            continue                                 # Flask's own static route
        path = module.removeprefix(PACKAGE).replace(".", "/") + ".py"
        rows.append(Route(url=rule.rule, methods=", ".join(sorted(rule.methods - {"HEAD", "OPTIONS"})),
                          blueprint=rule.endpoint.rpartition(".")[0] or "(app)", view=f"{path}: {function.__name__}",
                          calls=", ".join(_callees(view))))
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
