"""Cross-origin access: the read API and schedule exports from any origin (GET/HEAD, no
credentials); the registration POSTs only from the origins in MIPEVENTS_CORS_ORIGINS.

Installed app-wide from the api blueprint, so it covers the registration writes (api.registrations) too."""
import re

from flask import Blueprint, Response, current_app, request

REGISTRATION_PATH = re.compile(r"^/api/v1/(webinars|meetings)/[^/]+/registrations$")
SCHEDULE_PATH = re.compile(r"^/meetings/[^/]+/schedule\.(xml|json)$")
READ_METHODS = "GET, HEAD, OPTIONS"
READ_HEADERS = "If-None-Match, If-Modified-Since"
EXPOSED = "ETag"
MAX_AGE = "600"


def allowed_origins() -> set[str]:
    """The configured origins ("https://www.example.org, https://example.org"), without trailing slashes."""
    raw = current_app.config.get("MIPEVENTS_CORS_ORIGINS") or ""
    values = raw if isinstance(raw, list | tuple | set) else str(raw).split(",")
    return {v.strip().rstrip("/") for v in values if v.strip()}


def _is_read_path(path: str) -> bool:
    return (path.startswith("/api/") and not REGISTRATION_PATH.match(path)) or bool(SCHEDULE_PATH.match(path))


def preflight():
    """Answer an OPTIONS preflight for a route that exists; None lets the request go on."""
    if request.method != "OPTIONS" or request.routing_exception is not None:
        return None
    path = request.path
    if REGISTRATION_PATH.match(path):
        response = Response(status=204)
        response.vary.add("Origin")
        origin = request.headers.get("Origin", "")
        wanted = (request.headers.get("Access-Control-Request-Method") or "").upper()
        if origin and origin in allowed_origins() and wanted in ("POST", ""):
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Allow-Methods"] = "POST, OPTIONS"
            response.headers["Access-Control-Allow-Headers"] = "Content-Type"
            response.headers["Access-Control-Max-Age"] = MAX_AGE
        return response
    if _is_read_path(path):
        response = Response(status=204)
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = READ_METHODS
        response.headers["Access-Control-Allow-Headers"] = READ_HEADERS
        response.headers["Access-Control-Max-Age"] = MAX_AGE
        return response
    return None


def add_headers(response):
    """CORS headers on every answer (errors and 304s included) of the paths this module covers."""
    path = request.path
    if request.method == "OPTIONS":
        return response
    if REGISTRATION_PATH.match(path):
        response.vary.add("Origin")
        origin = request.headers.get("Origin", "")
        if origin and origin in allowed_origins():
            response.headers["Access-Control-Allow-Origin"] = origin
    elif _is_read_path(path) and request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
    return response


def install(bp: Blueprint) -> None:
    bp.before_app_request(preflight)
    bp.after_app_request(add_headers)
