from sqlalchemy import select

from mipevents.agenda.models import AgendaItem
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.showcase.models import ShowcaseSlot
from mipevents.webinars.models import Webinar


def test_demo_loads_the_winter_meeting_summer_meeting_and_webinar(app):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "staff@mipevents.local" in result.output
    winter = db.session.execute(select(Meeting).where(Meeting.slug == "winter-2025")).scalar_one()
    titles = set(db.session.execute(select(AgendaItem.title).where(AgendaItem.meeting_id == winter.id)).scalars())
    assert {"Creating Inclusive, Welcoming Communities", "Advancing Local Wealth and Opportunity",
            "Data and Financing for Flood Resilient Infrastructure",
            "Stronger Together: Building Effective Mayor-Council Partnerships"} <= titles
    slots = db.session.execute(select(ShowcaseSlot)).scalars().all()
    assert len(slots) >= 8 and all(s.seconds == 180 for s in slots)
    webinar = db.session.execute(select(Webinar)).scalar_one()
    assert webinar.starts_at.astimezone(__import__("zoneinfo").ZoneInfo("America/Chicago")).hour == 12
    assert (webinar.ends_at - webinar.starts_at).total_seconds() == 3600
    assert [link.speaker.email for link in webinar.presenter_links] == ["rivera@example.org", "ortiz@example.org"]


def test_demo_refuses_a_database_that_holds_meetings_unless_if_empty(app, make_meeting):
    make_meeting()
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 1
    assert app.test_cli_runner().invoke(args=["demo", "--if-empty"]).exit_code == 0


def test_demo_has_invitations_in_every_state_and_the_keynote_mayors_briefing_book(app):
    from mipevents.agenda.models import Invitation
    from mipevents.printing.briefing import briefing_book
    from mipevents.speakers.models import Speaker, SpeakerLogistics

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    statuses = sorted(db.session.execute(select(Invitation.status)).scalars())
    assert statuses == ["accepted", "accepted", "accepted", "declined", "invited", "invited"]
    keynote = db.session.execute(select(Speaker).where(Speaker.name == "Anna Kowalski")).scalar_one()
    travel = db.session.execute(select(SpeakerLogistics)).scalar_one()
    assert (travel.speaker_id, travel.hotel) == (keynote.id, "The Edgewater")
    summer = db.session.execute(select(Meeting).where(Meeting.slug.like("summer-%"))).scalar_one()
    book = briefing_book(keynote.person, summer)
    assert [(e.title, e.role, e.times) for e in book.entries] == [
        ("Opening plenary", "Keynote", "9:00 AM–10:00 AM CT"),
        ("Reception on the rooftop", "Attending", "6:00 PM–8:00 PM CT")]
