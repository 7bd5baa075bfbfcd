"""A webinar's page and staff edits where its registrations come in: whether sign-up is open and how
many seats are left, and the waitlist moving up when staff add seats."""
from dataclasses import dataclass
from datetime import datetime

from mipevents.registration import queries as registrations
from mipevents.registration import services as registration
from mipevents.registration.models import Registration
from mipevents.webinars.models import Webinar


@dataclass(frozen=True)
class SignUp:
    is_open: bool
    seats_left: int | None      # None: no capacity, or sign-up closed


def sign_up(webinar: Webinar, now: datetime) -> SignUp:
    is_open = registration.is_open(webinar, now)
    return SignUp(is_open, registrations.seats_left(webinar) if is_open else None)


def fill_added_seats(webinar: Webinar) -> list[Registration]:
    """After staff raised the capacity (and committed): the first in line move up, and are emailed."""
    return registration.promote_waitlist(webinar)


def registration_counts(webinar_ids: list[int]) -> dict[int, registrations.Counts]:
    """For the staff list of webinars: registrations per status, per webinar, in one query."""
    return registrations.registration_counts(webinar_ids)
