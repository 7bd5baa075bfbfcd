"""The one vocabulary every area, screen, import and API uses: stored value -> words on screen."""

MEETING_KINDS = {
    "winter": "Winter Meeting", "summer": "Summer Meeting", "academy": "Academy",
    "workshop": "Workshop", "virtual": "Virtual meeting",
}
STATUSES = {"draft": "Draft", "published": "Published", "cancelled": "Cancelled"}

SESSION_KINDS = {
    "plenary": "Plenary", "panel": "Panel", "workshop": "Workshop", "briefing": "Briefing",
    "showcase": "Innovation Showcase", "meal": "Meal", "reception": "Reception", "break": "Break",
    "tour": "Tour",
}
# Sessions everyone attending the meeting is expected at: they go into every personal feed.
ALL_ATTENDEE_KINDS = ("plenary", "showcase", "briefing", "meal")
# Sessions a registrant says yes or no to on the form (receptions, tours and site visits): a
# registration never asked joins them all, one that was asked joins those it ticked.
OPT_IN_KINDS = ("reception", "tour")

SPEAKER_ROLES = {
    "keynote": "Keynote", "moderator": "Moderator", "panelist": "Panelist",
    "presenter": "Presenter", "speaker": "Speaker",
}
INVITATION_STATUSES = {"invited": "Invited", "accepted": "Accepted", "declined": "Declined", "withdrawn": "Withdrawn"}
PRESS_STATUSES = {
    "open": "Open to press", "chatham_house": "Chatham House rule", "closed": "Closed to press",
}

REGISTRATION_ROLES = {
    "mayor": "Mayor", "city_staff": "City staff", "partner": "Partner organization",
    "speaker": "Speaker", "guest": "Guest", "other": "Other",
}
REGISTRATION_STATUSES = {
    "pending": "Awaiting approval", "confirmed": "Confirmed", "waitlisted": "Waitlisted",
    "declined": "Declined", "cancelled": "Cancelled",
}
# Statuses that keep a registration alive (it is cancelled or declined otherwise).
ACTIVE_REGISTRATION_STATUSES = ("pending", "confirmed", "waitlisted")

STAFF_ROLES = {"admin": "Administrator", "staff": "Staff", "reviewer": "Reviewer"}

SHOWCASE_SLOT_SECONDS = 180
SHOWCASE_CHANGEOVER_SECONDS = 15


def label(vocabulary: dict, value: str | None) -> str:
    """Words for a stored value ('city_staff' -> 'City staff'); unknown values read as themselves."""
    if not value:
        return ""
    return vocabulary.get(value, value.replace("_", " ").capitalize())


def normalise(vocabulary: dict, value: str | None, generic: str) -> tuple[str, bool]:
    """An imported value mapped onto the vocabulary: (value, was_known). Unknown -> the generic one."""
    cleaned = (value or "").strip().lower().replace(" ", "_").replace("-", "_")
    if cleaned in vocabulary:
        return cleaned, True
    return generic, False
