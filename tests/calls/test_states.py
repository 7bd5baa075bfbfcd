import pytest

from mipevents.calls.states import InvalidTransition, next_status


@pytest.mark.parametrize(("status", "action", "after"), [
    ("draft", "save", "draft"),
    ("draft", "submit", "submitted"),
    ("submitted", "submit", "submitted"),
    ("draft", "withdraw", "withdrawn"),
    ("submitted", "withdraw", "withdrawn"),
    ("withdrawn", "submit", "submitted"),
    ("withdrawn", "save", "draft"),
    ("submitted", "shortlist", "shortlisted"),
    ("shortlisted", "accept", "accepted"),
    ("submitted", "decline", "declined"),
    ("accepted", "decline", "declined"),
    ("declined", "reopen", "submitted"),
])
def test_allowed_moves(status, action, after):
    assert next_status(status, action) == after


@pytest.mark.parametrize(("status", "action"), [
    ("draft", "accept"),           # staff decide only what was submitted
    ("draft", "shortlist"),
    ("withdrawn", "accept"),
    ("accepted", "withdraw"),      # a decided application is no longer the applicant's to change
    ("declined", "submit"),
    ("accepted", "save"),
    ("submitted", "reopen"),
    ("draft", "fly"),
])
def test_refused_moves(status, action):
    with pytest.raises(InvalidTransition):
        next_status(status, action)


def test_nothing_moves_once_the_decision_is_released():
    with pytest.raises(InvalidTransition, match="released"):
        next_status("accepted", "decline", released=True)
    with pytest.raises(InvalidTransition, match="released"):
        next_status("declined", "reopen", released=True)


def test_refusal_says_what_was_refused():
    with pytest.raises(InvalidTransition) as refused:
        next_status("draft", "accept")
    assert str(refused.value) == "an application that is draft cannot be accepted"
