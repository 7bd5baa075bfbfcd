"""The application state machine: who may move an application from which status to which.
Pure: statuses and actions in, the next status out."""

# (status, action) -> next status. Applicants save, submit and withdraw; staff review and decide.
TRANSITIONS = {
    ("draft", "save"): "draft",
    ("draft", "submit"): "submitted",
    ("draft", "withdraw"): "withdrawn",
    ("submitted", "save"): "submitted",
    ("submitted", "submit"): "submitted",
    ("submitted", "withdraw"): "withdrawn",
    ("shortlisted", "save"): "shortlisted",
    ("shortlisted", "submit"): "shortlisted",
    ("shortlisted", "withdraw"): "withdrawn",
    # A withdrawn applicant who applies again before the deadline starts where they left.
    ("withdrawn", "save"): "draft",
    ("withdrawn", "submit"): "submitted",
    # Staff.
    ("submitted", "shortlist"): "shortlisted",
    ("shortlisted", "unshortlist"): "submitted",
    ("submitted", "accept"): "accepted",
    ("shortlisted", "accept"): "accepted",
    ("submitted", "decline"): "declined",
    ("shortlisted", "decline"): "declined",
    # Until decisions are released a decision may be changed or taken back.
    ("accepted", "decline"): "declined",
    ("declined", "accept"): "accepted",
    ("accepted", "reopen"): "submitted",
    ("declined", "reopen"): "submitted",
}
APPLICANT_ACTIONS = ("save", "submit", "withdraw")
STAFF_ACTIONS = ("shortlist", "unshortlist", "accept", "decline", "reopen")
DECIDED = ("accepted", "declined")
# Statuses staff review (drafts are unfinished; withdrawn ones are gone).
IN_REVIEW = ("submitted", "shortlisted", "accepted", "declined")


class InvalidTransition(ValueError):
    def __init__(self, status: str, action: str, reason: str = ""):
        self.status, self.action = status, action
        super().__init__(reason or f"an application that is {status} cannot be {_PAST.get(action, action)}")


_PAST = {"save": "saved", "submit": "submitted", "withdraw": "withdrawn", "shortlist": "shortlisted",
         "unshortlist": "taken off the shortlist", "accept": "accepted", "decline": "declined", "reopen": "reopened"}


def next_status(status: str, action: str, *, released: bool = False) -> str:
    """The status after `action`, or InvalidTransition. Once its decision is released an
    application is final: nobody changes it any more."""
    if released:
        raise InvalidTransition(status, action, "the decision on this application has been released")
    try:
        return TRANSITIONS[(status, action)]
    except KeyError:
        raise InvalidTransition(status, action) from None
