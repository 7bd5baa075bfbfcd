"""Sign-in safety: where `next` may lead (a path of this app, rebuilt with url_for), and device
cookies (OWASP's "slow brute-force protection with device cookies"): a browser that signed in to an
account before carries a signed cookie naming that account, and the per-account throttle passes it,
so guesses against the account from elsewhere never lock its owner out."""
from urllib.parse import urlsplit

from flask import current_app, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

DEVICE_COOKIE = "mipevents_device"
DEVICE_LIFETIME = 365 * 24 * 3600   # seconds


def safe_next(target: str | None, default_endpoint: str = "meetings_staff.dashboard") -> str:
    """A local address for `next`, else the dashboard: control characters and spaces dropped, no scheme,
    no host, and only a path this app routes (GET), rebuilt by url_for from its endpoint."""
    cleaned = "".join(ch for ch in (target or "") if ch.isprintable() and not ch.isspace())
    parts = urlsplit(cleaned)
    if (not cleaned.startswith("/") or cleaned.startswith("//") or "\\" in cleaned
            or parts.scheme or parts.netloc):
        return url_for(default_endpoint)
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, values = adapter.match(parts.path, method="GET")
    except RequestRedirect as redirect:   # a path without its trailing slash: follow the rule's own
        return safe_next(urlsplit(redirect.new_url).path, default_endpoint)
    except HTTPException:
        return url_for(default_endpoint)
    if endpoint == "static" or endpoint.startswith("accounts."):
        return url_for(default_endpoint)
    return url_for(endpoint, **values) + (f"?{parts.query}" if parts.query else "")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="mipevents.staff-device")


def device_cookie_value(email: str) -> str:
    """What the browser keeps after signing in to `email` (signed; names the account, nothing more)."""
    return _serializer().dumps({"account": email.strip().casefold()})


def is_known_device(cookie: str | None, email: str | None) -> bool:
    """True when `cookie` is a device cookie this app issued for the account `email`."""
    if not cookie or not email:
        return False
    try:
        value = _serializer().loads(cookie, max_age=DEVICE_LIFETIME)
    except BadSignature:
        return False
    return isinstance(value, dict) and value.get("account") == email.strip().casefold()
