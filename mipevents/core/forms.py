"""What every area's forms share."""


def strip_text(value):
    """A WTForms filter: text trimmed, and without NUL characters (which PostgreSQL refuses in text)."""
    return value.replace("\x00", "").strip() if isinstance(value, str) else value
