"""Headers that keep private pages private: nothing stored by browsers or proxies, no Referer
carrying a secret link to another site; HTTPS pinned in production (Strict-Transport-Security)."""
from flask import Flask, request

# Pages that show personal data or carry a private link in their address.
PRIVATE_PREFIXES = ("/staff/", "/manage/", "/calls/application/", "/scheduler/", "/consent/", "/cohort/")
# Staff-only pages outside /staff/ (the live control page and its actions).
PRIVATE_ENDPOINTS = ("showcase.control", "showcase.control_action")

HSTS = "max-age=31536000; includeSubDomains"


def is_private(path: str, endpoint: str | None) -> bool:
    return path.startswith(PRIVATE_PREFIXES) or path == "/staff" or endpoint in PRIVATE_ENDPOINTS


def init_app(app: Flask) -> None:
    production = app.config["MIPEVENTS_ENV"] == "production"

    @app.after_request
    def _private_headers(response):
        if is_private(request.path, request.endpoint):
            response.headers["Cache-Control"] = "no-store"
            response.headers["Referrer-Policy"] = "no-referrer"
        if production:
            response.headers["Strict-Transport-Security"] = HSTS
        return response
