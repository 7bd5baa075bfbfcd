"""One seam for every cache: named regions, each a tier in this process in front of the shared
cache (Flask-Caching: Redis in production, shared by every process), keyed by versions so that an
entry never goes stale, with counters the bench reads, and one render per key after a change.

    BODIES = Region("http")                                   # whole responses, by ETag
    HEADS = Region("meeting-head", local_seconds=1, ...)      # a meeting's head, by slug
    VEVENTS = Region("vevent", uncached_local=True)           # serialised VEVENTs, by content

The one invalidation story: a key names the version of what it holds (a meeting's published
version, a row's last edit, or the content itself), so a change makes new keys and old entries age
out; only a meeting's head is keyed by its slug, and dropped on commit. Clearing the shared cache
(after a deploy that changed templates) retires every process's own copies too: each region keeps
a generation mark in the shared cache and checks it at most every `check_seconds`.

With CACHE_TYPE=NullCache (the bench's "uncached" column) there is no shared cache and no whole
response is kept; regions made with `uncached_local=True` (fragments keyed by their content, never
stale) still keep theirs in this process."""
import hashlib
import secrets
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from flask import current_app, has_app_context

from mipevents.extensions import cache as shared

PER_PROCESS_CACHES = ("SimpleCache", "NullCache")
LOCK_MILLISECONDS = 3000     # a render's lock lapses after this even if its holder died
WAIT_SECONDS = 2.0           # how long a request waits for another's render before rendering itself
POLL_SECONDS = 0.004

REGIONS: dict[str, "Region"] = {}


def shared_enabled() -> bool:
    return has_app_context() and current_app.config.get("CACHE_TYPE") != "NullCache"


def shared_across_processes() -> bool:
    return has_app_context() and current_app.config.get("CACHE_TYPE") not in PER_PROCESS_CACHES


def _redis():
    """The shared cache's Redis client, when it is Redis (for locks); else None."""
    backend = getattr(shared, "cache", None)
    return getattr(backend, "_write_client", None), getattr(backend, "key_prefix", "")


class Region:
    """A named cache. `get` answers from this process, else the shared cache (keeping a copy here);
    `set` stores in both. Keys are any hashable value whose repr names it."""

    def __init__(self, name: str, *, size: int = 1024, local_seconds: float | None = None,
                 check_seconds: float = 1.0, shared_tier: bool = True, timeout: int | None = None,
                 uncached_local: bool = False, plain_keys: bool = False,
                 clock: Callable[[], float] = time.monotonic):
        self.name, self.size, self.local_seconds, self.check_seconds = name, size, local_seconds, check_seconds
        self.shared_tier, self.timeout, self.uncached_local, self.clock = shared_tier, timeout, uncached_local, clock
        self.plain_keys = plain_keys   # keys are short strings, stored as "<name>:<key>" (readable in Redis)
        self._local: OrderedDict = OrderedDict()    # key -> (value, expires or None)
        self._lock = threading.Lock()
        self._generation: tuple[str | None, float] = (None, 0.0)   # (mark seen, next check)
        self._flights: dict = {}
        self.stats: Counter = Counter()            # local / shared hits, misses, stores, renders
        self.renders: Counter = Counter()          # renders per key, in this process
        REGIONS[name] = self

    # ---------------------------------------------------------------- tiers
    def _uses_shared(self) -> bool:
        return self.shared_tier and shared_enabled()

    def active(self) -> bool:
        return self.uncached_local or shared_enabled()

    def shared_key(self, key) -> str:
        if self.plain_keys:
            return f"{self.name}:{key}"
        return f"{self.name}:" + hashlib.sha256(repr(key).encode()).hexdigest()[:40]

    def _check_generation(self) -> None:
        """Drop this process's copies once the shared cache was cleared (its mark is gone): regions
        kept in this process only follow the shared cache's generation too."""
        if not shared_enabled():
            return
        seen, next_check = self._generation
        now = self.clock()
        if seen is not None and next_check > now:
            return
        mark_key = f"{self.name}:generation"
        mark = shared.get(mark_key)
        if mark is None:
            shared.add(mark_key, secrets.token_hex(8), timeout=0)
            mark = shared.get(mark_key)
        if seen is not None and mark != seen:
            self.clear_local()
        self._generation = (mark, now + self.check_seconds)

    def _local_get(self, key):
        entry = self._local.get(key)
        if entry is None:
            return None
        value, expires = entry
        if expires is not None and expires <= self.clock():
            self._local.pop(key, None)
            return None
        return value

    def _keep(self, key, value) -> None:
        expires = self.clock() + self.local_seconds if self.local_seconds is not None else None
        with self._lock:
            self._local[key] = (value, expires)
            while len(self._local) > self.size:
                self._local.popitem(last=False)

    def get(self, key):
        """The value kept for `key`, or None."""
        if not self.active():
            return None
        self._check_generation()
        value = self._local_get(key)
        if value is not None:
            self.stats["local"] += 1
            return value
        if self._uses_shared():
            value = shared.get(self.shared_key(key))
            if value is not None:
                self.stats["shared"] += 1
                self._keep(key, value)
                return value
        self.stats["miss"] += 1
        return None

    def get_many(self, keys: Iterable) -> dict:
        """{key: value} for the keys kept anywhere (one round trip to the shared cache for the rest)."""
        if not self.active():
            return {}
        self._check_generation()
        found, missing = {}, []
        for key in keys:
            value = self._local_get(key)
            if value is not None:
                found[key] = value
            else:
                missing.append(key)
        self.stats["local"] += len(found)
        if missing and self._uses_shared():
            for key, value in zip(missing, shared.get_many(*(self.shared_key(k) for k in missing)), strict=True):
                if value is not None:
                    found[key] = value
                    self._keep(key, value)
                    self.stats["shared"] += 1
        self.stats["miss"] += sum(1 for key in missing if key not in found)
        return found

    def set(self, key, value, *, local: bool = True, shared_too: bool = True, timeout: int | None = None) -> None:
        """Keep `value` here and (unless `shared_too` is False: private values) in the shared cache."""
        if not self.active():
            return
        self.stats["stores"] += 1
        self._check_generation()
        if self._uses_shared() and shared_too:
            shared.set(self.shared_key(key), value, timeout=timeout if timeout is not None else self.timeout)
        if local:
            self._keep(key, value)

    def set_many(self, mapping: dict, *, shared_too: bool = True) -> None:
        """Keep every value here and (unless `shared_too` is False) in the shared cache, in one round trip."""
        if not mapping or not self.active():
            return
        self.stats["stores"] += len(mapping)
        self._check_generation()
        if self._uses_shared() and shared_too:
            shared.set_many({self.shared_key(k): v for k, v in mapping.items()}, timeout=self.timeout)
        for key, value in mapping.items():
            self._keep(key, value)

    def kept_or_made(self, keys: dict, make: Callable) -> dict:
        """{name: value} for `keys` ({name: key}): the values kept anywhere, and the rest made by
        `make(name)`, each counted as a render and kept (one round trip to the shared cache each way)."""
        found = self.get_many(keys.values())
        values, made = {}, {}
        for name, key in keys.items():
            value = found.get(key)
            if value is None:
                value = made[key] = make(name)
                self.count_render(key)
            values[name] = value
        self.set_many(made)
        return values

    def delete(self, *keys) -> None:
        with self._lock:
            for key in keys:
                self._local.pop(key, None)
        if has_app_context() and self.shared_tier and keys:
            shared.delete_many(*(self.shared_key(k) for k in keys))

    def clear_local(self) -> None:
        with self._lock:
            self._local.clear()

    # ---------------------------------------------------------------- one render per key
    def count_render(self, key) -> None:
        self.stats["renders"] += 1
        self.renders[key] += 1

    @contextmanager
    def single_flight(self, key, wait: float = WAIT_SECONDS):
        """Yields True to the one caller that should build `key` now (in this process, and across
        processes when the shared cache is Redis: a lock taken with SET NX PX), False to those that
        waited for it to be stored: they look again, and build only if it still is not there."""
        if not self.active():
            yield True
            return
        with self._lock:
            flight = self._flights.get(key)
            leader = flight is None
            if leader:
                flight = self._flights[key] = threading.Event()
        if not leader:
            self.stats["waiting"] += 1
            flight.wait(wait)
            self.stats["waited"] += 1
            yield False
            return
        try:
            client, prefix = _redis() if shared_across_processes() and self._uses_shared() else (None, "")
            if client is None:
                yield True
                return
            lock_key, token = f"{prefix}lock:{self.shared_key(key)}", secrets.token_hex(8)
            if client.set(lock_key, token, nx=True, px=LOCK_MILLISECONDS):
                try:
                    yield True
                finally:
                    if client.get(lock_key) == token.encode():
                        client.delete(lock_key)
                return
            deadline = self.clock() + wait   # another process renders it: wait until it is stored
            shared_key = self.shared_key(key)
            while self.clock() < deadline and not shared.has(shared_key) and client.exists(lock_key):
                time.sleep(POLL_SECONDS)
            self.stats["waited"] += 1
            yield False
        finally:
            with self._lock:
                self._flights.pop(key, None)
            flight.set()

    def held(self) -> dict:
        """What this process holds: entries and bytes (of the bytes and str values, or their first item)."""
        size = 0
        for value, _ in list(self._local.values()):
            part = value[0] if isinstance(value, tuple) and value else getattr(value, "ical", value)
            if isinstance(part, bytes | str):
                size += len(part)
        return {"entries": len(self._local), "bytes": size}


def forget_local() -> None:
    """Drop this process's copies in every region (tests do, between databases that reuse ids)."""
    for region in REGIONS.values():
        region.clear_local()
        region._generation = (None, 0.0)


def stats() -> dict:
    """Per region: hits here and in the shared cache, misses, stores, renders, and what it holds."""
    return {name: {**dict(region.stats), **region.held(), "keys_rendered_twice":
                   sum(1 for n in region.renders.values() if n > 1)} for name, region in REGIONS.items()}


def reset_stats() -> None:
    for region in REGIONS.values():
        region.stats.clear()
        region.renders.clear()
