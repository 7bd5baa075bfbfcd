"""Calendar components whose text no data can break: what RFC 5545 forbids in TEXT is dropped."""
import re

import icalendar

# CONTROL in RFC 5545 (every C0 character but tab, and DEL; a newline is written escaped as "\n"),
# and lone surrogates, which no UTF-8 file can hold.
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")


def calendar_text(value: str) -> str:
    """`value` as a TEXT property may hold it: line breaks of every kind become newlines, and the
    characters RFC 5545 forbids are dropped."""
    return _FORBIDDEN.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


class _SafeText:
    """`add` cleans every text value. A non-standard property (X-WR-CALNAME) is written raw, as
    clients read it, so it is kept to one line: the library escapes only the standard ones."""

    def add(self, name, value, parameters=None, encode=True):
        if isinstance(value, str):
            value = calendar_text(value)
            if name.lower().startswith("x-"):
                value = value.replace("\n", " ")
        elif isinstance(value, list):
            value = [calendar_text(v) if isinstance(v, str) else v for v in value]
        return super().add(name, value, parameters=parameters, encode=encode)


class Calendar(_SafeText, icalendar.Calendar):
    pass


class Event(_SafeText, icalendar.Event):
    pass
