"""The meeting wording of the registration emails: what the registrant told us, and the direct link
to pick sessions once the registration is confirmed (received, approved, promoted)."""
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BUILDERS
from mipevents.registration import services

TODAY = datetime.now(UTC).date()


def built(kind):
    msg = db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == kind)).scalars().first()
    return BUILDERS[kind](msg)


def test_pending_then_approved_then_promoted_emails_link_the_sessions_once_confirmed(make_meeting):
    meeting = make_meeting(starts_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=31), capacity=1,
                           approval_roles=["partner"])
    db.session.commit()
    partner = services.register(meeting, {"first_name": "Pat", "last_name": "Lee", "email": "pat@ngo.org", "role": "partner",
                                          "organization": "Partners for Places", "dietary_needs": "Gluten-free"}).registration
    db.session.commit()
    received = built("registration_received")
    assert received.subject == f"We received your registration: {meeting.name}"
    assert "Our staff confirm this type of registration themselves" in received.text
    assert "  Registered as: Partner organization\n" in received.text
    assert "  Dietary needs: Gluten-free\n" in received.text
    assert "/sessions" not in received.text                    # nothing to pick before a seat is held
    services.approve(partner)
    db.session.commit()
    approved = built("registration_approved")
    assert approved.subject == f"You're registered: {meeting.name}"
    assert "Pick the sessions you will attend (breakouts fill up):\nhttp://mipevents.test/manage/" in approved.text
    assert "/sessions\" style=" in approved.html
    mayor = services.register(meeting, {"first_name": "Rosa", "last_name": "Alvarez", "email": "rosa@elm.gov",
                                        "role": "mayor"}).registration
    db.session.commit()
    assert mayor.status == "waitlisted"
    services.cancel(partner)
    db.session.commit()
    promoted = built("registration_promoted")
    assert promoted.subject == f"A seat opened up: you're registered for {meeting.name}"
    assert "Pick the sessions you will attend (breakouts fill up):" in promoted.text
