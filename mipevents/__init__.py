"""mipevents: convenings, agendas, showcases, webinars and registration for a network of mayors.

create_app() is the map of the application: every area's tables, blueprints, commands and emails
are listed below by name, so a URL leads here, then to its view (README "How the code is laid out")."""
import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import config
import mipevents.accounts.cli
import mipevents.accounts.models
import mipevents.accounts.staff
import mipevents.accounts.views
import mipevents.agenda.models
import mipevents.agenda.staff
import mipevents.agenda.staff_sessions
import mipevents.agenda.views
import mipevents.api.registrations
import mipevents.api.views
import mipevents.calls.models
import mipevents.calls.staff
import mipevents.calls.views
import mipevents.cohorts.models
import mipevents.cohorts.staff
import mipevents.cohorts.views
import mipevents.feeds.views
import mipevents.followup.models
import mipevents.followup.staff
import mipevents.followup.views
import mipevents.meetings.models
import mipevents.meetings.staff
import mipevents.meetings.views
import mipevents.notify.cli
import mipevents.notify.models
import mipevents.people.models
import mipevents.printing.models
import mipevents.printing.staff
import mipevents.printing.views
import mipevents.registration.manage
import mipevents.registration.models
import mipevents.registration.staff
import mipevents.registration.staff_hub
import mipevents.registration.views
import mipevents.showcase.models
import mipevents.showcase.staff
import mipevents.showcase.views
import mipevents.showcase.views_stage
import mipevents.speakers.models
import mipevents.speakers.staff
import mipevents.speakers.views
import mipevents.webinars.models
import mipevents.webinars.staff
import mipevents.webinars.views
import mipevents.workflows.change_notices
import mipevents.workflows.cli
import mipevents.workflows.emails
from mipevents.accounts.services import load_user
from mipevents.core import routes, web
from mipevents.core.database import configure_engine
from mipevents.extensions import cache, csrf, db, limiter, login_manager, migrate
from mipevents.notify import delivery, outbox

log = logging.getLogger("mipevents")

# Every area that keeps rows, from the floor up: its models hold its tables (db.metadata, and so
# Alembic, sees each one once this module is imported).
MODELS = (
    mipevents.people.models, mipevents.notify.models, mipevents.accounts.models,
    mipevents.meetings.models, mipevents.agenda.models, mipevents.speakers.models, mipevents.showcase.models,
    mipevents.webinars.models, mipevents.registration.models, mipevents.cohorts.models, mipevents.calls.models,
    mipevents.printing.models,
    mipevents.followup.models,
)

# Every blueprint: each area's public pages (`bp` in views.py), then its staff screens (`staff_bp`
# in staff.py, under /staff/), then the API. A blueprint too long for one module takes its routes
# from a second one, imported above: ROUTE_MODULES.
BLUEPRINTS = (
    mipevents.meetings.views.bp, mipevents.meetings.staff.staff_bp,
    mipevents.agenda.views.bp, mipevents.agenda.staff.staff_bp,
    mipevents.speakers.views.bp, mipevents.speakers.staff.staff_bp,
    mipevents.showcase.views.bp, mipevents.showcase.staff.staff_bp,
    mipevents.showcase.views_stage.bp, mipevents.showcase.views_stage.staff_bp,
    mipevents.webinars.views.bp, mipevents.webinars.staff.staff_bp,
    mipevents.registration.views.bp, mipevents.registration.staff.staff_bp, mipevents.registration.staff_hub.hub_bp,
    mipevents.cohorts.views.bp, mipevents.cohorts.staff.staff_bp,
    mipevents.calls.views.bp, mipevents.calls.staff.staff_bp,
    mipevents.feeds.views.bp,
    mipevents.printing.views.bp, mipevents.printing.staff.staff_bp,
    mipevents.followup.views.bp, mipevents.followup.staff.staff_bp,
    mipevents.accounts.views.bp, mipevents.accounts.staff.staff_bp,
    mipevents.api.views.bp, mipevents.api.registrations.bp,
)

# Modules that add routes to a blueprint defined in another module of their area.
ROUTE_MODULES = (
    mipevents.agenda.staff_sessions,    # agenda.staff.staff_bp: one session's pages
    mipevents.registration.manage,      # registration.views.bp: the registrant's private pages
)

# Every command group (`flask --app wsgi <group> …`), and `urls`, the URL table.
COMMANDS = (*mipevents.workflows.cli.COMMANDS, *mipevents.notify.cli.COMMANDS, *mipevents.accounts.cli.COMMANDS,
            routes.urls_command)


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
    app.url_map.converters["int"] = web.IdConverter   # before the routes: every <int:…> is an id
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    for command in COMMANDS:
        app.cli.add_command(command)
    # Every email, by outbox kind: one table (workflows/emails.py).
    outbox.install_builders(mipevents.workflows.emails.BUILDERS)

    web.init_app(app)
    # What other areas' public pages show after the event (materials, write-ups), for their templates.
    app.jinja_env.globals.update(mipevents.followup.views.TEMPLATE_GLOBALS)
    if app.config["MAIL_BACKGROUND"] and not app.config.get("TESTING"):
        delivery.start_background(app, before_each_pass=mipevents.workflows.change_notices.queue_due_change_notices)
    return app


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/migrations"), render_as_batch=True)
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)
    with app.app_context():
        configure_engine(db.engine)

    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please sign in to see that page."
    login_manager.session_protection = "strong"
