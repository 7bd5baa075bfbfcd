"""Query parameters of the read API: pagination, and the public agenda's filters with its own rules,
checked so a bad value is a 400 naming the field, never a 500."""
from collections.abc import Callable

from mipevents.agenda.queries import AgendaFilters, BadFilter, NoMatch, check_track, outside_meeting, parse_filters

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000


class BadParameters(Exception):
    """{field: [message]} for each query parameter that cannot be used."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(", ".join(errors))
        self.errors = errors


def _integer(args, name: str, default: int, low: int, high: int, errors: dict) -> int:
    raw = args.get(name)
    if raw is None or raw.strip() == "":      # empty means "the default", as the agenda's filters do
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


def session_query(args, meeting, known_tracks: Callable[[], list[str]]) -> tuple[AgendaFilters, int, int, bool]:
    """The filters and the page of a session list, with the public agenda's own rules and words
    (`day` a date, `track` in any case, `kind` a session kind), every bad parameter named at once;
    and whether the filters can match anything (a day outside the meeting or a track it does not
    have matches nothing: an empty list, not an error)."""
    errors: dict = {}
    values = {}
    for name in ("day", "kind", "track"):
        try:
            values[name] = getattr(parse_filters({name: args.get(name, "")}, meeting), name)
        except BadFilter as problem:
            errors[problem.field] = [problem.message]
    filters = AgendaFilters(**values)
    can_match = not outside_meeting(filters, meeting)
    if filters.track and "track" not in errors:
        try:
            filters = check_track(filters, known_tracks())
        except NoMatch:
            can_match = False
    limit, offset = pagination(args, errors)
    return filters, limit, offset, can_match
