"""A private link as its email carries it: the message built as delivery builds it (the outbox row
holds no link; the builder makes it), the link read from the text."""
import re

from mipevents.extensions import db
from mipevents.notify.outbox import BUILDERS

APPLICATION = r"/calls/application/([A-Za-z0-9_-]{20,})"
MANAGE = r"/manage/([A-Za-z0-9_-]{20,})"


def delivered_link(message, pattern: str = APPLICATION) -> str | None:
    """The token of the first link matching `pattern` in the message's text, made and committed now."""
    built = BUILDERS[message.kind](message)
    db.session.commit()
    found = re.search(pattern, built.text)
    return found.group(1) if found else None
