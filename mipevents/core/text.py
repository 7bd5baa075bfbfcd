"""Small text rules every area shares: the shape of a web address (slug), and a CSV cell that a
spreadsheet will not run as a formula."""
import re
from datetime import datetime

from mipevents.core.timeutil import isoformat_z

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_slug(text: str) -> bool:
    """Lowercase letters and digits in words joined by single hyphens: `winter-2026`."""
    return bool(SLUG.match(text or ""))


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (instants as ISO UTC)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return isoformat_z(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
