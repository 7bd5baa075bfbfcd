"""HTTP caching for public pages, feeds and the API: an ETag derived from what the response depends
on (an area's published version), a 304 without rendering, and a server-side cache of the
rendered body (core/cache.py's "http" region: shared by every process when the cache is Redis),
rendered once per version however many requests ask for it at once: while it renders, the others
wait for it (it takes milliseconds, and they then get the new version), and only if it is not done
within RENDER_WAIT_SECONDS do they get the version before it that this process served last (for at
most STALE_SECONDS after the first request for the new one, and told to ask again).

    return cached_response(("agenda", meeting.id, request.query_string), meeting.agenda_version,
                           lambda: render_template(...), last_modified=meeting.agenda_published_at)
"""
import gzip
import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Response, make_response, request, session
from flask_login import current_user

from mipevents.core import cache

# Rendered bodies, by ETag: an ETag names one version of one response, so an entry never goes stale.
# This process keeps its own copies too (no round trip to the shared cache on a warm request); a
# shared cache cleared after a deploy reaches them within BODIES.check_seconds.
BODIES = cache.Region("http", size=256)

# The body this process served last for each key (whatever its version), kept beside it: what a
# request gets while another renders the key's new version. Never shared, never kept for staff.
LATEST = cache.Region("http-latest", size=256, shared_tier=False)
STALE_SECONDS = 1.0
# How long a request waits for another's render of the new version before taking the previous one.
# A render takes milliseconds; waiting for it gives everyone the new version, and leaves the render
# the processor (in `make bench`'s burst after a publish, the slowest answer was the render either
# way, 9–23 ms waiting against 13–45 ms answering the others with the previous version meanwhile).
RENDER_WAIT_SECONDS = 0.25
_first_asked: dict = {}          # etag -> when this process was first asked for it and had no body


def stale_for(key, etag: str):
    """(etag, stored, last_modified) of the version of `key` this process served before `etag`, while
    `etag` was first asked for here at most STALE_SECONDS ago; else None."""
    previous = LATEST.get(key)
    if previous is None or previous[0] == etag:
        return None
    now = LATEST.clock()
    if len(_first_asked) > 1024:
        _first_asked.clear()
    first = _first_asked.setdefault(etag, now)
    return previous if now - first <= STALE_SECONDS else None


def forget_local() -> None:
    """Drop this process's copies (tests do, between databases that reuse ids)."""
    cache.forget_local()


def etag_for(key, version) -> str:
    return hashlib.sha256(repr((key, version)).encode()).hexdigest()[:32]


def is_cacheable_request() -> bool:
    """Only anonymous GET/HEAD requests with nothing personal to show share a cached response."""
    if request.method not in ("GET", "HEAD"):
        return False
    if current_user.is_authenticated:
        return False
    return "_flashes" not in session


COMPRESSIBLE = ("text/", "application/json", "application/xml", "application/vnd.c3voc", "application/calendar")
MIN_COMPRESS = 1400


def _wants_gzip() -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _not_modified(etag: str, last_modified: datetime | None) -> bool:
    if request.if_none_match:
        return request.if_none_match.contains(etag) or request.if_none_match.contains(etag + "-gz")
    if last_modified is not None and request.if_modified_since is not None:
        return last_modified.replace(microsecond=0) <= request.if_modified_since
    return False


def _headers(response: Response, etag: str, last_modified: datetime | None, max_age: int, public: bool):
    response.set_etag(etag)
    if last_modified is not None:
        response.last_modified = last_modified.astimezone(UTC).replace(microsecond=0)
    scope = "public" if public else "private"
    response.headers["Cache-Control"] = f"{scope}, max-age={max_age}, must-revalidate"
    return response


def cached_response(key, version, build: Callable[[], Response | str | bytes], *, max_age: int = 60,
                    public: bool = True, last_modified: datetime | None = None,
                    mimetype: str | None = None, headers: dict | None = None) -> Response:
    """The response for `key` at `version`: 304 when the client has it, the cached body when this or
    another process rendered it already, else `build()` (stored for the next request).

    `key` must name everything the body depends on besides `version` (endpoint, ids, filters)."""
    started = time.perf_counter()
    etag = etag_for(key, version)
    extra = headers or {}
    rendered = stale = False
    if not is_cacheable_request():
        response = make_response(build())
        if mimetype:
            response.mimetype = mimetype
        response.headers.update(extra)
        response.headers["Cache-Control"] = "private, no-store"
        return response
    if _not_modified(etag, last_modified):
        response = Response(status=304)
        response.headers.update({k: v for k, v in extra.items() if k.lower() != "content-disposition"})
        return _headers(response, etag, last_modified, max_age, public)
    stored = BODIES.get(etag)
    if stored is None and BODIES.active():
        # One render per key after a change: the first request renders; the others wait for it, and
        # get the previous version if this process has one and the render takes longer than
        # RENDER_WAIT_SECONDS (for at most STALE_SECONDS).
        previous = stale_for(key, etag)
        with BODIES.single_flight(etag, wait=RENDER_WAIT_SECONDS if previous else cache.WAIT_SECONDS) as leader:
            # The leader looks again too: another request may have stored it between our first
            # look and the flight (or the lock) becoming ours.
            stored = BODIES.get(etag)
            if stored is None and not leader and previous is not None:
                etag, stored, last_modified = previous
                if _not_modified(etag, None):   # the client holds that version already
                    response = Response(status=304)
                    response.headers.update({k: v for k, v in extra.items() if k.lower() != "content-disposition"})
                    return _headers(response, etag, last_modified, 0, public)
                stale = True
            elif stored is None:
                stored = _render(build, mimetype, extra)
                if isinstance(stored, Response):   # not a 200: never kept
                    return stored
                BODIES.count_render(etag)
                BODIES.set(etag, stored)
                rendered = True
    elif stored is None:   # no whole-response cache (CACHE_TYPE=NullCache): every request renders
        stored = _render(build, mimetype, extra, compress=_wants_gzip())
        if isinstance(stored, Response):
            return stored
        rendered = True
    if not stale and LATEST.active():
        latest = LATEST.get(key)
        if latest is None or latest[0] != etag:
            LATEST.set(key, (etag, stored, last_modified))
            _first_asked.pop(etag, None)
    body, stored_mimetype, packed = stored
    if packed is not None and _wants_gzip():
        response = Response(packed, mimetype=stored_mimetype)
        response.headers["Content-Encoding"] = "gzip"
        etag += "-gz"
    else:
        response = Response(body, mimetype=stored_mimetype)
    if packed is not None or (len(body) >= MIN_COMPRESS and stored_mimetype.startswith(COMPRESSIBLE)):
        response.headers["Vary"] = "Accept-Encoding"
    response.headers.update(extra)
    response.headers["X-Cache"] = "stale" if stale else "render" if rendered else "hit"   # the bench counts renders
    # The time this response took here (lookup, wait or render), which the bench compares with what its
    # clients measured (their queueing on a busy machine included).
    response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    if stale:   # the previous version: the client asks again rather than keeping it
        return _headers(response, etag, last_modified, 0, public)
    return _headers(response, etag, last_modified, max_age, public)


def _render(build, mimetype: str | None, extra: dict, compress: bool = True) -> tuple | Response:
    """(body, mimetype, gzipped body or None) of a 200, or the response itself when not a 200."""
    response = make_response(build())
    if mimetype:
        response.mimetype = mimetype
    if response.status_code != 200:
        response.headers.update(extra)
        return response
    body = response.get_data()
    packed = None
    if compress and len(body) >= MIN_COMPRESS and response.mimetype.startswith(COMPRESSIBLE):
        packed = gzip.compress(body, compresslevel=6)
    return body, response.mimetype, packed
