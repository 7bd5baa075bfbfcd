"""Staff sessions end a day after signing in and after two hours without a request (an open control
page's polling is a request, so a live run keeps its operator signed in; the run itself lives in the
database and goes on whatever happens to the session). Pages warn ten minutes before the end, from
/staff/session, which reports without counting as activity. Both lengths are settings
(MIPEVENTS_STAFF_SESSION_SECONDS, MIPEVENTS_STAFF_IDLE_SECONDS)."""
import time

from flask import current_app, request, session
from flask_login import current_user, logout_user

WARN_SECONDS = 10 * 60
# A request refreshes "last seen" at most this often (the session cookie is then rewritten).
SEEN_GRANULARITY = 30

QUIET_ENDPOINTS = ("accounts.session_status", "static")


def start() -> None:
    """Right after signing in: both clocks start now."""
    now = time.time()
    session["signed_in_at"] = now
    session["seen_at"] = now


def ends_at(now: float | None = None) -> float | None:
    """When the signed-in session ends (epoch seconds), or None when nobody is signed in."""
    signed_in, seen = session.get("signed_in_at"), session.get("seen_at")
    if signed_in is None or seen is None:
        return None
    config = current_app.config
    return min(signed_in + config["MIPEVENTS_STAFF_SESSION_SECONDS"], seen + config["MIPEVENTS_STAFF_IDLE_SECONDS"])


def check() -> None:
    """Before every request: sign out a session past its end; count this request as activity."""
    if not current_user.is_authenticated:
        return
    now = time.time()
    end = ends_at(now)
    if end is None or now >= end:
        logout_user()
        session.clear()
        return
    if request.endpoint not in QUIET_ENDPOINTS and now - session["seen_at"] >= SEEN_GRANULARITY:
        session["seen_at"] = now
