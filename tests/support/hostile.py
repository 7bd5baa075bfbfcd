"""Hostile values for the property tests (Hypothesis strategies), and how to send them as a browser
or an API client would: form bodies and query strings percent-encoded byte for byte, lone
surrogates included (the server decodes those bytes as it decodes any invalid UTF-8)."""
import csv
import io
from datetime import date
from urllib.parse import quote

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from mipevents.core.text import TextProblem, clean_text

# Fixed and derandomised: the same examples on every run, few enough to keep `make test` short.
PROPERTY = settings(derandomize=True, database=None, deadline=None, max_examples=40,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])

PIECES = ["\x00", "\r\n", "\r", "\n", "\t", "\x0b", "\x7f", "\x85", "\u2028", "\ud800", "\udfff", "x" * 10_000,
          "👋🏽", "مرحبا بكم", "\u202eשלום", "e\u0301", "Ｆｕｌｌ", "ß", "İ", "Ᏸ", "=cmd|' /C calc'!A0", "+1", "@SUM(A1)",
          "<script>alert(1)</script>", "'; DROP TABLE people; --", "BEGIN:VEVENT", ";,\\:", "  ", "-1", "0",
          "99999999999999999999", "2147483648", "9999-12-31", "0001-01-01", "../../etc/passwd", "javascript:alert(1)"]
PLAIN = ["Ana", "Ruiz", "Mayor", "City of Tacoma", "WA", "Vegan", "Parking?"]


def text(plain=PLAIN):
    """Text a person might type, that text around hostile pieces (short enough to be kept), or
    hostile text alone (10,000 characters at times)."""
    short = st.sampled_from([p for p in PIECES if len(p) < 100]) | st.text(max_size=8)
    mixed = st.tuples(st.sampled_from(plain), st.lists(short, min_size=1, max_size=3).map("".join),
                      st.sampled_from(["", *plain])).map("".join)
    hostile = st.lists(st.sampled_from(PIECES) | st.text(max_size=8), min_size=1, max_size=4).map("".join)
    return st.one_of(st.sampled_from(plain), mixed, mixed, hostile)


def phone():
    return st.one_of(st.sampled_from(["", "608-555-0100", "+1 (608) 555 0100 ext. 12"]),
                     st.tuples(st.just("608-555-0100"), st.sampled_from(PIECES)).map("".join))


def email(unique: str):
    """An address unique to one example (`unique` in its local part), sometimes spoiled."""
    good = st.sampled_from(["ana", "Mayor.Ruiz", "ü", "Ᏸ", "o'neil", "a+b"]).map(lambda local: f"{local}.{unique}")
    domain = st.sampled_from(["example.org", "Town.GOV", "bücher.de", "xn--bcher-kva.de"])
    spoiled = st.tuples(good, st.sampled_from(PIECES)).map("".join)
    return st.tuples(st.one_of(good, good, spoiled), domain).map("@".join) | text()


def numbers():
    return st.one_of(st.integers(0, 500).map(str), st.integers(-10, 10**6).map(str), st.sampled_from(["99999999999999999999", "2147483648", "-1",
                                                                        "1e9", "", "NaN", "٣"]))


def days():
    extremes = ["0001-01-01", "9999-12-31", "1989-12-31", "2100-12-31", "2025-02-30", "", "2025-1-1"]
    return st.one_of(st.dates(date(2025, 1, 1), date(2027, 12, 31)).map(str), st.dates().map(str), st.sampled_from(extremes))


def spoiled(data, valid: dict, strategies: dict) -> dict:
    """`valid` with a few of its fields (none to three) replaced by values drawn from `strategies`,
    so that the other fields' values are accepted often enough to be read back."""
    names = data.draw(st.sets(st.sampled_from(sorted(strategies)), max_size=3), label="spoiled fields")
    return {**valid, **{name: data.draw(strategies[name], label=name) for name in sorted(names)}}


def form_body(values: dict) -> bytes:
    """application/x-www-form-urlencoded, each string's UTF-8 bytes (a lone surrogate as its 3 bytes)."""
    return "&".join(f"{quote(k)}={quote(v, safe='', errors='surrogatepass')}" for k, v in values.items()).encode()


def query(values: dict) -> str:
    return form_body(values).decode()


def as_received(value: str) -> str:
    """What the server reads for `value` sent in a form or a query string: Werkzeug keeps bytes
    that are no UTF-8 (a lone surrogate's) as the %XX escapes they came as."""
    import werkzeug.urls  # noqa: F401 (registers the "werkzeug.url_quote" error handler)

    return value.encode("utf-8", "surrogatepass").decode("utf-8", "werkzeug.url_quote")


def kept(value: str, *, multiline: bool = False) -> str | None:
    """The text rule's result for a value as the server received it; None where it is refused."""
    try:
        return clean_text(as_received(value), multiline=multiline)
    except TextProblem:
        return None


def csv_cell(value: str) -> str:
    """The formula guard every CSV export applies."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_rows(body: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
