"""What every area's forms share: the text filter, and the web-address and time-zone checks."""
from wtforms.validators import ValidationError

from mipevents.core.text import is_slug
from mipevents.core.timeutil import is_valid_zone


def strip_text(value):
    """A WTForms filter: text trimmed, and without NUL characters (which PostgreSQL refuses in text)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value


def web_address(example: str):
    """A validator: the field is a web address like `example` (lowercase words, single hyphens)."""
    def check(form, field):
        if field.data and not is_slug(field.data.strip()):
            raise ValidationError(f"Use lowercase letters, digits and single hyphens, like {example}.")
    return check


def known_zone(message: str = "Choose a time zone from the list."):
    """A validator: the field names a time zone this system knows (IANA, e.g. America/Chicago)."""
    def check(form, field):
        if not is_valid_zone((field.data or "").strip()):
            raise ValidationError(message)
    return check
