"""What every page shares: template filters, error pages, security headers, /healthz, /favicon.ico."""
import logging
import os
import socket
from collections.abc import Callable

from flask import Flask, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask import Request as FlaskRequest
from flask.json.provider import DefaultJSONProvider
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from jinja2 import FileSystemBytecodeCache
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from mipevents.core import private_pages, timeutil
from mipevents.core import vocabulary as vocab
from mipevents.core.health import ProcessHealth
from mipevents.core.text import email_key, has_controls
from mipevents.extensions import db

log = logging.getLogger("mipevents")

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
       "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")


# The largest id a database integer column holds (PostgreSQL's INTEGER, and so every id we issue).
MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: a number no row can have (0, or past MAX_ID) matches no route, a 404,
    instead of reaching a query that PostgreSQL refuses."""

    def __init__(self, url_map, fixed_digits=0, min=1, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def query_id(value: str) -> int:
    """`type=` for request.args.get: an id a row can have, else a ValueError (so the default is used)."""
    number = int(value)
    if not 1 <= number <= MAX_ID:
        raise ValueError(value)
    return number


# JSON nested deeper than this is refused (no request needs more than a few levels).
MAX_JSON_DEPTH = 32


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON with a depth limit on what it reads: a body nested deeper is a ValueError, which
    request.get_json() answers with a 400, instead of a RecursionError and a 500."""

    def loads(self, s, **kwargs):
        try:
            value = super().loads(s, **kwargs)
        except RecursionError:
            raise ValueError(f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep.") from None
        if _depth(value) > MAX_JSON_DEPTH:
            raise ValueError(f"The JSON is nested more than {MAX_JSON_DEPTH} levels deep.")
        return value


def _depth(value) -> int:
    deepest, level = 0, [(value, 1)]
    while level:
        item, depth = level.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_JSON_DEPTH:
                level.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


UPLOAD_FORM_SLACK = 256 * 1024   # the rest of a multipart form around its file


def upload_limit(setting: str):
    """A view that takes an upload: its requests may carry up to app.config[setting] bytes (plus the
    form around the file) instead of MAX_CONTENT_LENGTH. Decided from the matched route, so the
    limit holds from the first read of the body (the CSRF check reads the form before the view)."""
    def mark(view):
        view.upload_limit_setting = setting
        return view
    return mark


class Request(FlaskRequest):
    """Flask's request, with the per-route upload limits set by `upload_limit`."""

    @property
    def max_content_length(self) -> int | None:
        if self._max_content_length is not None:
            return self._max_content_length
        rule = self.url_rule
        view = current_app.view_functions.get(rule.endpoint) if rule is not None else None
        setting = getattr(view, "upload_limit_setting", None)
        if setting is not None:
            return int(current_app.config[setting]) + UPLOAD_FORM_SLACK
        return current_app.config["MAX_CONTENT_LENGTH"]

    @max_content_length.setter
    def max_content_length(self, value: int | None) -> None:
        self._max_content_length = value


def init_app(app: Flask) -> None:
    _keep_compiled_templates(app)
    app.request_class = Request
    app.json = BoundedJSONProvider(app)
    _register_filters(app)
    _register_errors(app)
    app.before_request(_refuse_control_characters)
    app.after_request(_security_headers)
    private_pages.init_app(app)
    app.extensions["mipevents_health"] = ProcessHealth(f"{socket.gethostname()}:{os.getpid()}")
    app.add_url_rule("/healthz", "healthz", healthz)
    app.add_url_rule("/favicon.ico", "favicon", favicon)

    @app.context_processor
    def _globals():
        return {"org_name": app.config["MIPEVENTS_ORG_NAME"], "contact_email": app.config["MIPEVENTS_CONTACT_EMAIL"],
                "vocab": vocab, "roles_for": roles_for}


def private_page(response):
    """A page that carries a secret link or a form's answers: no cache keeps it, no referrer leaves
    it, no search engine indexes it."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def asked_then_done(form, act: Callable[[], None], *, done: str, back: str, needed: bool, ask: Callable[[], str]):
    """A one-click link from an email that changes something: its GET only asks (`ask()`, the page
    with the button), so a mail scanner opening the link changes nothing; its POST, with the form's
    CSRF token, runs `act`, commits, flashes `done` and goes `back`, as a GET does when nothing is
    left to do (`needed` false)."""
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        act()
        db.session.commit()
        flash(done, "success")
        return redirect(back, 303)
    if not needed:
        return redirect(back, 303)
    return ask()


def status_change(row, change, *, refused: type[Exception], done: str, back: str):
    """A staff button that changes one row's status (publish, cancel, restore…): `change(row,
    actor=current_user)`, then commit and flash `done` (formatted with `row` and `n`, what `change`
    returned), or, when the change is `refused`, roll back and flash why; either way back to `back`."""
    try:
        result = change(row, actor=current_user)
    except refused as exc:
        db.session.rollback()
        message = str(exc)
        flash(message[:1].upper() + message[1:] + ("" if message.endswith(".") else "."), "error")
    else:
        db.session.commit()
        flash(done.format(row=row, n=result), "success")
    return redirect(back, 303)


def form_action(form, row, change, *, refused: type[Exception], done: str, back: str, invalid: str):
    """A staff button with a small form of its own (an invitation's note…): when the form is refused,
    flash `invalid` and go back; else as `status_change`, with `change(row, form, actor=…)`."""
    if not form.validate_on_submit():
        flash(invalid, "error")
        return redirect(back, 303)
    return status_change(row, lambda r, actor: change(r, form, actor=actor), refused=refused, done=done, back=back)


def _keep_compiled_templates(app: Flask) -> None:
    """Templates compiled by one process are kept on disk for the next (keyed by each template's
    source, so an edited template compiles afresh); where the directory cannot be made, each
    process compiles its own."""
    folder = app.config["MIPEVENTS_TEMPLATE_CACHE_DIR"]
    if not folder:
        return
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError as exc:
        log.warning("compiled templates are not kept (%s): %s", folder, exc)
        return
    app.jinja_env.bytecode_cache = FileSystemBytecodeCache(folder)


def compile_templates(app: Flask) -> int:
    """Compile every template now, as a worker starts (gunicorn.conf.py), rather than in the first
    request for each page in each new worker (100–150 ms more than the next render). How many."""
    names = app.jinja_env.list_templates()
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)


def configured_limit(setting: str) -> Callable[[], str]:
    """A rate limit for `limiter.limit`, read from the app's setting at each request (tests and
    deployments set their own): configured_limit("RATELIMIT_REGISTRATION")."""
    return lambda: current_app.config[setting]


def per_email_asked(scope: str) -> Callable[[], str]:
    """A rate limit's key: the email address a form asks about, whoever asks, counted apart per scope."""
    return lambda: f"{scope}:" + email_key(request.form.get("email") or "")[:254]


def base_url() -> str:
    """MIPEVENTS_BASE_URL without its trailing slash: what every absolute link (emails, feeds) starts with."""
    return current_app.config["MIPEVENTS_BASE_URL"].rstrip("/")


def roles_for(endpoint: str) -> tuple:
    """The staff roles that may open `endpoint` (its view's staff_required roles; none for a public page)."""
    return getattr(current_app.view_functions[endpoint], "required_roles", None) or ()


def healthz():
    """Liveness, including the database: it answers and it takes a write (see core.health)."""
    problem = current_app.extensions["mipevents_health"].database_problem(db.engine)
    if problem is not None:
        log.error("healthz: database %s", problem)
        return jsonify(status="error", database=problem), 503
    return jsonify(status="ok", database="ok")


def _refuse_control_characters():
    """A URL holding a control character or a line break names nothing (404), and a query value
    holding one can be no filter, search or page (400): they never reach a query or a page."""
    if has_controls(request.path):
        abort(404)
    for key, value in request.args.items(multi=True):
        if has_controls(key) or has_controls(value):
            abort(400, description="A value in the address holds a character that is not allowed.")


def favicon():
    """Browsers and crawlers ask for /favicon.ico whatever the page says: send them to the site's icon."""
    response = redirect(url_for("static", filename="img/favicon.svg"), 301)
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def _register_filters(app: Flask) -> None:
    """`{{ item.starts_at|local(meeting) }}` and friends; `zoned` is a meeting, webinar or zone name."""

    def zone_of(zoned) -> str:
        return zoned if isinstance(zoned, str) else zoned.timezone

    filters = {
        "local": lambda instant, zoned: timeutil.to_local(instant, zone_of(zoned)),
        "time": lambda instant, zoned, with_zone=True: timeutil.format_time(instant, zone_of(zoned), with_zone),
        "clock": lambda instant, zoned: timeutil.format_clock(timeutil.to_local(instant, zone_of(zoned))),
        "zone_abbrev": lambda zoned, at=None: timeutil.zone_abbrev(zone_of(zoned), at),
        "day": timeutil.format_day,
        "date": timeutil.format_date,
        "date_range": lambda first, last: timeutil.format_date_range(first, last),
        "iso": timeutil.isoformat_z,
        "label": lambda value, vocabulary: vocab.label(vocabulary, value),
    }
    app.jinja_env.filters.update(filters)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, code: str, message: str, errors: dict | None = None):
    """The one envelope of every 4xx from /api/."""
    body = {"error": code, "message": message}
    if errors:
        body["errors"] = errors
    return jsonify(body), status


def _register_errors(app: Flask) -> None:
    codes = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
             405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
             422: "invalid", 429: "rate_limited"}

    @app.errorhandler(CSRFError)
    def _csrf(error):
        if wants_json():
            return json_error(400, "csrf", error.description)
        return render_template("errors/error.html", code=400, title="This form has expired",
                               message="Please go back, reload the page and try again."), 400

    @app.errorhandler(HTTPException)
    def _http(error):
        if error.code is None or error.code < 400:
            return error
        if wants_json():
            response, status = json_error(error.code, codes.get(error.code, "error"), error.description)
            if error.code == 405 and getattr(error, "valid_methods", None):
                response.headers["Allow"] = ", ".join(error.valid_methods)
            return response, status
        template = "errors/404.html" if error.code == 404 else "errors/error.html"
        response = app.make_response((render_template(template, code=error.code, title=error.name,
                                                      message=error.description), error.code))
        if error.code == 405 and getattr(error, "valid_methods", None):
            response.headers["Allow"] = ", ".join(error.valid_methods)
        if error.code == 429 and hasattr(error, "get_headers"):
            for key, value in error.get_headers():
                if key.lower() == "retry-after":
                    response.headers[key] = value
        return response

    @app.errorhandler(500)
    def _server_error(error):
        db.session.rollback()
        if wants_json():
            return jsonify({"error": "server_error", "message": "Something went wrong on our side."}), 500
        return render_template("errors/500.html"), 500
