"""mipevents: convenings, agendas, showcases, webinars and registration for a network of mayors.

create_app() is the map of the application: every blueprint and command group is listed here."""
import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config
from mipevents.extensions import cache, csrf, db, limiter, login_manager, migrate

log = logging.getLogger("mipevents")

# Every area's public blueprint (`bp` in views.py) and staff blueprint (`staff_bp` in staff.py).
AREAS = ("meetings", "agenda", "speakers", "showcase", "registration", "webinars", "feeds",
         "notify", "cohorts", "calls", "accounts", "api", "people")


class InsecureConfiguration(RuntimeError):
    pass


def create_app(overrides: dict | None = None) -> Flask:
    settings = config.load(overrides)
    if settings["MIPEVENTS_ENV"] == "production":
        problems = config.production_problems(settings)
        if problems:
            raise InsecureConfiguration("refusing to start in production: " + "; ".join(problems))

    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_path=str(config.INSTANCE))
    app.config.update(settings)
    if app.config["CACHE_REDIS_URL"] and app.config["CACHE_TYPE"] == "SimpleCache":
        app.config["CACHE_TYPE"] = "RedisCache"
    if settings["MIPEVENTS_ENV"] == "production":
        for warning in config.production_warnings(settings):
            log.warning(warning)
    if app.config["MIPEVENTS_PROXY_HOPS"]:
        hops = int(app.config["MIPEVENTS_PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    _init_extensions(app)
    from mipevents.core.web import IdConverter
    app.url_map.converters["int"] = IdConverter
    _register_blueprints(app)
    _register_commands(app)

    from mipevents.core import web
    web.init_app(app)
    if app.config["MAIL_BACKGROUND"] and not app.config.get("TESTING"):
        from mipevents.notify.delivery import start_background
        start_background(app)
    return app


def _init_extensions(app: Flask) -> None:
    from mipevents.core.database import configure_engine

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    _import_models()

    from mipevents.accounts.services import load_user
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.session_protection = "strong"


def _import_models() -> None:
    """Every area's models, so the metadata (and Alembic) sees every table."""
    import importlib

    for area in ("people", "accounts", "meetings", "agenda", "speakers", "showcase", "webinars",
                 "registration", "notify", "cohorts", "calls"):
        try:
            importlib.import_module(f"mipevents.{area}.models")
        except ModuleNotFoundError as exc:
            if exc.name != f"mipevents.{area}.models":
                raise


def _area_modules(area: str, prefixes: tuple[str, ...]):
    """The modules of an area whose names start with one of `prefixes` (views.py, staff.py, api.py …)."""
    import importlib
    import pkgutil

    package = importlib.import_module(f"mipevents.{area}")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith(prefixes):
            yield importlib.import_module(f"mipevents.{area}.{info.name}")


def _register_blueprints(app: Flask) -> None:
    """Every Blueprint defined at the top of an area's views*.py, staff*.py and api*.py modules:
    `bp` for public pages, `staff_bp` for staff pages under /staff/, `api_bp` for /api/v1 writes."""
    from flask import Blueprint

    for area in AREAS:
        for module in _area_modules(area, ("views", "staff", "api")):
            for value in vars(module).values():
                if isinstance(value, Blueprint) and value.import_name == module.__name__:
                    app.register_blueprint(value)


def _register_commands(app: Flask) -> None:
    """Every command group or command listed in an area's cli.py `COMMANDS`."""
    for area in AREAS:
        for module in _area_modules(area, ("cli",)):
            for command in getattr(module, "COMMANDS", ()):
                app.cli.add_command(command)
