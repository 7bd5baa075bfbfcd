"""Which staff passwords are refused: shorter than 12 characters, or guessable (a common password, a
keyboard walk, a word with digits stuck on) as the zxcvbn estimator judges it (score under 3 of 4),
with the account's own email taken as a known word."""
import re

from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 12
MIN_SCORE = 3


def password_problem(password: str, email: str = "") -> str | None:
    """Why `password` is refused, in words for the form, or None when it is fine."""
    if len(password or "") < MIN_PASSWORD_LENGTH:
        return f"the password must be at least {MIN_PASSWORD_LENGTH} characters"
    # zxcvbn's running time grows with the length: what is past 100 characters adds no guessability.
    known = [part for part in re.split(r"[^a-z0-9]+", (email or "").casefold()) if len(part) > 2]
    verdict = zxcvbn(password[:100], user_inputs=known)
    if verdict["score"] < MIN_SCORE:
        warning = verdict["feedback"].get("warning") or "It is too easy to guess."
        return f"choose a harder password: {warning.rstrip('.')}. A few unrelated words work well"
    return None
