"""Query parameters of the read API: pagination and agenda filters, checked so a bad value is a
400 naming the field, never a 500."""
from datetime import date

from mipevents.api.reading import SessionFilters
from mipevents.core import vocabulary as vocab

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000
MAX_TRACK = 120


class BadParameters(Exception):
    """{field: [message]} for each query parameter that cannot be used."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(", ".join(errors))
        self.errors = errors


def _integer(args, name: str, default: int, low: int, high: int, errors: dict) -> int:
    raw = args.get(name)
    if raw is None:
        return default
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        errors[name] = [f"Must be a whole number from {low} to {high}."]
        return default
    value = int(text)
    if not low <= value <= high:
        errors[name] = [f"Must be a whole number from {low} to {high}."]
        return default
    return value


def pagination(args, errors: dict | None = None) -> tuple[int, int]:
    """(limit, offset) from `limit` (1–200, default 50) and `offset` (0–1,000,000)."""
    found: dict = {}
    limit = _integer(args, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT, found)
    offset = _integer(args, "offset", 0, 0, MAX_OFFSET, found)
    errors = {**(errors or {}), **found}
    if errors:
        raise BadParameters(errors)
    return limit, offset


def session_query(args) -> tuple[SessionFilters, int, int]:
    """The filters and the page of a session list, every bad parameter named at once."""
    errors: dict = {}
    filters = session_filters(args, errors)
    limit, offset = pagination(args, errors)
    return filters, limit, offset


def session_filters(args, errors: dict) -> SessionFilters:
    """`day` (YYYY-MM-DD, the meeting's local day), `track` (a track's name), `kind` (a session kind);
    problems go into `errors`."""
    filters = SessionFilters()
    day = args.get("day")
    if day is not None and day != "":
        try:
            if len(day) != 10:
                raise ValueError(day)
            filters.day = date.fromisoformat(day)
        except ValueError:
            errors["day"] = ["Must be a date written YYYY-MM-DD."]
    track = args.get("track")
    if track:
        if len(track) > MAX_TRACK:
            errors["track"] = [f"Must be at most {MAX_TRACK} characters."]
        else:
            filters.track = track
    kind = args.get("kind")
    if kind:
        if kind not in vocab.SESSION_KINDS:
            errors["kind"] = ["Must be one of: " + ", ".join(vocab.SESSION_KINDS) + "."]
        else:
            filters.kind = kind
    return filters
