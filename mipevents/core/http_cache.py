"""HTTP caching for public pages, feeds and the API: an ETag derived from what the response depends
on (an area's published version), a 304 without rendering, and a server-side cache of the
rendered body shared by every process when the cache is Redis.

    return cached_response(("agenda", meeting.id, request.query_string), meeting.agenda_version,
                           lambda: render_template(...), last_modified=meeting.agenda_published_at)
"""
import gzip
import hashlib
import time
from collections.abc import Callable
from datetime import UTC, datetime

from flask import Response, current_app, make_response, request, session
from flask_login import current_user

from mipevents.extensions import cache

# Rendered bodies this process has seen, by ETag. An ETag names one version of one response, so an
# entry never goes stale while the shared cache holds it; this spares fetching and unpickling the
# body from the shared cache on every warm request. Whether the shared cache still holds it is
# asked again at most every LOCAL_CHECK_SECONDS, so clearing the shared cache (after a deploy that
# changed templates) reaches every process within that time.
_LOCAL: dict[str, tuple[tuple, float]] = {}
_LOCAL_MAX = 256
LOCAL_CHECK_SECONDS = 1.0


def _remember(etag: str, stored: tuple) -> None:
    if len(_LOCAL) >= _LOCAL_MAX and etag not in _LOCAL:
        _LOCAL.pop(next(iter(_LOCAL)))
    _LOCAL[etag] = (stored, time.monotonic() + LOCAL_CHECK_SECONDS)


def _local_copy(etag: str, store_key: str) -> tuple | None:
    entry = _LOCAL.get(etag)
    if entry is None:
        return None
    stored, check_after = entry
    if check_after > time.monotonic():
        return stored
    if cache.has(store_key):
        _remember(etag, stored)
        return stored
    return None


class ShortMemo:
    """A per-process memo whose entries live `seconds` at most: for values that the shared cache
    holds too, where one round trip to it per request would be most of the request's cost."""

    def __init__(self, seconds: float, size: int = 1024, clock: Callable[[], float] = time.monotonic):
        self.seconds, self.size, self.clock = seconds, size, clock
        self._entries: dict = {}
        _MEMOS.append(self)

    def get(self, key):
        entry = self._entries.get(key)
        if entry is None or entry[0] <= self.clock():
            return None
        return entry[1]

    def set(self, key, value) -> None:
        if len(self._entries) >= self.size:
            self._entries.clear()
        self._entries[key] = (self.clock() + self.seconds, value)

    def discard(self, key) -> None:
        self._entries.pop(key, None)

    def clear(self) -> None:
        self._entries.clear()


_MEMOS: list[ShortMemo] = []


def forget_local() -> None:
    """Drop this process's copies (tests do, between databases that reuse ids)."""
    _LOCAL.clear()
    for memo in _MEMOS:
        memo.clear()


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
    etag = etag_for(key, version)
    extra = headers or {}
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
    store_key = f"http:{etag}"
    use_cache = current_app.config.get("CACHE_TYPE") != "NullCache"
    stored = None
    if use_cache:
        # The shared cache stays the source of truth: a body it no longer holds (cleared, evicted)
        # is not served from this process's copy either, once the copy is next checked.
        stored = _local_copy(etag, store_key)
        if stored is None:
            stored = cache.get(store_key)
            if stored is not None:
                _remember(etag, stored)
    if stored is None:
        response = make_response(build())
        if mimetype:
            response.mimetype = mimetype
        if response.status_code != 200:
            response.headers.update(extra)
            return response
        body = response.get_data()
        packed = None
        if len(body) >= MIN_COMPRESS and response.mimetype.startswith(COMPRESSIBLE):
            packed = gzip.compress(body, compresslevel=6)
        stored = (body, response.mimetype, packed)
        if use_cache:
            cache.set(store_key, stored)
            _remember(etag, stored)
    body, stored_mimetype, packed = stored
    if packed is not None and _wants_gzip():
        response = Response(packed, mimetype=stored_mimetype)
        response.headers["Content-Encoding"] = "gzip"
        etag += "-gz"
    else:
        response = Response(body, mimetype=stored_mimetype)
    if packed is not None:
        response.headers["Vary"] = "Accept-Encoding"
    response.headers.update(extra)
    return _headers(response, etag, last_modified, max_age, public)
