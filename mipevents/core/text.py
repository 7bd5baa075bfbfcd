"""Text from outside and text going out: the one rule for what is kept of text from forms, JSON,
imports and query strings (and refused), a person's email key, the shape of a web address (slug),
and a CSV cell that a spreadsheet will not run as a formula."""
import re
import unicodedata
from datetime import datetime

import idna

from mipevents.core.timeutil import isoformat_z

# Line breaks of every kind (CR LF, CR, LF, VT, FF, NEL, LINE and PARAGRAPH SEPARATOR).
_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
# Control characters (C0 but tab and newline, DEL, C1) and the two non-characters U+FFFE/U+FFFF:
# nothing a person means to type, and NUL is refused by PostgreSQL in any text column.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TextProblem(ValueError):
    """Text that cannot be kept; the message says why in words a person understands."""


def clean_text(value: str, *, multiline: bool = False, max_length: int | None = None) -> str:
    """`value` as it is kept: NFC, line breaks as "\\n" in multi-line text and as a space in a single
    line, tabs kept only in multi-line text, control characters dropped, stripped.

    Raises TextProblem for a lone surrogate (no character at all, and no database stores it) or for
    text longer than `max_length` characters once cleaned."""
    if _SURROGATE.search(value):
        raise TextProblem("Contains a character that is not valid text.")
    value = _BREAKS.sub("\n" if multiline else " ", unicodedata.normalize("NFC", value))
    value = _CONTROLS.sub("", value if multiline else value.replace("\t", " ")).strip()
    if max_length is not None and len(value) > max_length:
        raise TextProblem(f"Keep this to {max_length} characters or fewer.")
    return value


def has_controls(value: str) -> bool:
    """Whether `value` holds a character no query value or URL part may hold (controls, line breaks)."""
    return bool(_CONTROLS.search(value) or _BREAKS.search(value) or _SURROGATE.search(value))


def ascii_domain(address: str) -> str:
    """`address` with its domain in the form every mail server takes: IDNA (bücher.de ->
    xn--bcher-kva.de), lower case. An address whose domain is no valid name is left as it is (its
    form's email check refuses it)."""
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
    except idna.IDNAError:
        return address


def email_key(address: str) -> str:
    """The one normal form of an address that names a person: trimmed, NFC, case-folded (Straße and
    STRASSE are one, as keys always were), the domain in IDNA, then lower(): casefold() alone maps
    Cherokee letters to capitals, which the database's check (email = lower(email)) refuses."""
    return ascii_domain(unicodedata.normalize("NFC", (address or "").strip()).casefold()).lower()


def is_slug(text: str) -> bool:
    """Lowercase letters and digits in words joined by single hyphens: `winter-2026`."""
    return bool(SLUG.match(text or ""))


def slugify(text: str, limit: int = 60) -> str:
    """The one way a web address is made from a name: lower-case ASCII words joined by single hyphens
    ("Lucía's plan — Tacoma, WA" -> "lucias-plan-tacoma-wa"), accents and apostrophes dropped, at most `limit`
    characters, cut between words when there is a word to cut at; "" when no letter or digit is left."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "-", folded.replace("'", "")).strip("-")   # "Lucía's": "lucias", as "Lucía’s"
    if len(words) > limit:
        cut = words[:limit + 1]
        words = cut.rsplit("-", 1)[0] if "-" in cut else words[:limit]
    return words


def csv_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula: text starting with =, +, -, @, a tab or
    a carriage return gets a leading apostrophe. Numbers are written as they are, instants as ISO UTC."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return isoformat_z(value)
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
