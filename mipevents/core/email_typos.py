"""Likely typos in an email address's domain (`mayor@gmial.con` -> `mayor@gmail.com`): a hint shown
before a form is submitted, never a correction made without asking. The same lists reach the
browser's hint (static/js/email-typos.js) through `hint_data`, so the page and the server agree."""

# Mail providers many registrants use: a domain one or two keystrokes from one of these is
# probably that one. Real providers that are close to each other are all listed, so neither is
# "corrected" into the other (mail.com and gmail.com, me.com and mac.com).
KNOWN_DOMAINS = (
    "gmail.com", "googlemail.com", "yahoo.com", "ymail.com", "hotmail.com", "outlook.com", "live.com", "msn.com",
    "aol.com", "icloud.com", "me.com", "mac.com", "comcast.net", "att.net", "sbcglobal.net", "verizon.net",
    "bellsouth.net", "charter.net", "cox.net", "earthlink.net", "protonmail.com", "proton.me", "mail.com",
    "gmx.com", "zoho.com", "fastmail.com",
)
# The endings most addresses here have; an ending one keystroke from one of these that is no real
# ending (`.con`, `.ogr`, `.gvo`) is probably that one.
COMMON_ENDINGS = ("com", "net", "org", "gov", "edu", "us")
# Real endings one keystroke from a common one: never "corrected".
REAL_NEAR_ENDINGS = ("cam", "new", "ong", "ngo", "mov", "moe", "gop", "ed", "eu", "ug", "as", "is", "um", "uz",
                     "co", "cm", "om", "nt", "bet", "nec", "gob", "ga", "gs", "gu", "gy", "ge", "gd", "gl",
                     "gm", "gn", "gp", "gq", "gr", "gt", "gw", "ar", "or", "pr", "re", "uk", "ua", "us", "tv")


def _distance(a: str, b: str) -> int:
    """Edits between two words (insert, delete, replace, or swap two neighbours: Damerau-Levenshtein)."""
    rows = [list(range(len(b) + 1))]
    for i, x in enumerate(a, start=1):
        row = [i]
        for j, y in enumerate(b, start=1):
            cost = 0 if x == y else 1
            best = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y:
                best = min(best, rows[-2][j - 2] + 1)
            row.append(best)
        rows.append(row)
    return rows[-1][-1]


def _closest(word: str, candidates, limit: int) -> str | None:
    scored = sorted((_distance(word, c), c) for c in candidates)
    if scored and 0 < scored[0][0] <= limit and (len(scored) == 1 or scored[1][0] > scored[0][0]):
        return scored[0][1]
    return None


def suggest_domain(domain: str) -> str | None:
    """The domain probably meant, or None when `domain` looks as intended."""
    domain = domain.strip().lower().rstrip(".")
    if not domain or "." not in domain or domain in KNOWN_DOMAINS:
        return None
    provider = _closest(domain, KNOWN_DOMAINS, 1 if len(domain) < 8 else 2)
    if provider is not None:
        return provider
    name, _, ending = domain.rpartition(".")
    if ending in COMMON_ENDINGS or ending in REAL_NEAR_ENDINGS:
        return None
    fixed = _closest(ending, COMMON_ENDINGS, 1)
    return f"{name}.{fixed}" if fixed else None


def suggest_email(address: str) -> str | None:
    """The whole address with the domain probably meant (`mayor@gmial.con` -> `mayor@gmail.com`), or None."""
    local, at, domain = (address or "").strip().rpartition("@")
    if not at or not local:
        return None
    fixed = suggest_domain(domain)
    return f"{local}@{fixed}" if fixed else None


def hint_data() -> dict:
    """What the browser's hint needs, as data-* attributes of the email field."""
    return {"data-typo-domains": " ".join(KNOWN_DOMAINS), "data-typo-endings": " ".join(COMMON_ENDINGS),
            "data-typo-real-endings": " ".join(REAL_NEAR_ENDINGS)}
