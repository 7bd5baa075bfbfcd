"""Erasing a person removes their personal data everywhere; the audit log keeps "erased person #id"."""
from sqlalchemy import select

from mipevents.accounts import audit
from mipevents.accounts.models import AuditEntry
from mipevents.cohorts.models import Cohort, CohortMember, Programme
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import enqueue
from mipevents.people.models import Token
from mipevents.people.services import mint_token, person_for_email
from mipevents.registration import queries as registration_queries
from mipevents.registration.models import Registration
from mipevents.workflows.erasure import erase_person


def _everything_about_ana(make_meeting, make_speaker, db_session):
    meeting = make_meeting()
    ana = person_for_email("Ana.Ruiz@City.gov", "Ana Ruiz")
    boss = person_for_email("boss@city.gov", "Boss")
    registration = Registration(person_id=ana.id, meeting_id=meeting.id, first_name="Ana", last_name="Ruiz",
                                email="Ana.Ruiz@City.gov", title="Mayor", organization="City of Springfield",
                                city="Springfield", state="IL", phone="555-0100", dietary_needs="Vegetarian",
                                accessibility_needs="Step-free", question="Parking?", is_listed=True,
                                extras=["reception"])
    scheduled = Registration(person_id=boss.id, meeting_id=meeting.id, first_name="Boss", last_name="Person",
                             email="boss@city.gov", scheduler_person_id=ana.id, scheduler_email="ana.ruiz@city.gov")
    db_session.add_all([registration, scheduled])
    speaker = make_speaker(name="Ana Ruiz", email="ana.ruiz@city.gov", person=ana)
    programme = Programme(slug="wmn", name="Women Mayors' Network")
    cohort = Cohort(programme=programme, slug="wmn-2025", name="2025")
    db_session.add_all([programme, cohort])
    db_session.flush()
    db_session.add(CohortMember(cohort_id=cohort.id, person_id=ana.id, name="Mayor Ana Ruiz", city="Springfield"))
    mint_token(ana, "manage", registration.id)
    mint_token(ana, "feed")
    enqueue("meeting_confirmation", "Ana.Ruiz@City.gov", {"registration_id": 1, "manage_token": "raw"}, person=ana)
    enqueue("other", "ana.ruiz@city.gov", {})
    keep = enqueue("other", "boss@city.gov", {}, person=boss)
    audit.record("register", registration, summary="Ana Ruiz (ana.ruiz@city.gov) registered",
                 after={"name": "Ana Ruiz", "email": "Ana.Ruiz@City.gov", "role": "mayor"})
    audit.record("edit", None, object_type="Thing", summary="Unrelated change", after={"x": 1})
    db_session.flush()
    return ana, registration, scheduled, speaker, keep


def test_erase_person_removes_their_data_everywhere(make_meeting, make_speaker, db_session, login_as):
    admin = login_as("admin")
    ana, registration, scheduled, speaker, keep = _everything_about_ana(make_meeting, make_speaker, db_session)
    ana_id = ana.id
    report = erase_person(ana, actor=admin)
    db_session.commit()
    db_session.expire_all()

    assert (ana.email, ana.name, ana.erased_at is not None) == (f"erased-{ana_id}@erased.invalid", "", True)
    assert (registration.first_name, registration.last_name, registration.email, registration.title,
            registration.organization, registration.city, registration.state, registration.phone,
            registration.dietary_needs, registration.accessibility_needs, registration.question,
            registration.extras, registration.is_listed) == ("", "", "", "", "", "", "", "", "", "", "", [], False)
    assert (registration.meeting_id, registration.status) == (scheduled.meeting_id, "confirmed")   # seats stay counted
    assert (scheduled.scheduler_person_id, scheduled.scheduler_email, scheduled.first_name) == (None, "", "Boss")
    assert db_session.execute(select(Token).where(Token.person_id == ana_id)).scalars().all() == []
    assert [m.id for m in db_session.execute(select(OutboxMessage)).scalars()] == [keep.id]
    assert (speaker.email, speaker.person_id, speaker.name) == (None, None, "Ana Ruiz")
    assert db_session.execute(select(CohortMember)).scalars().all() == []

    register = db_session.execute(select(AuditEntry).where(AuditEntry.action == "register")).scalar_one()
    assert register.summary == f"erased person #{ana_id} (erased person #{ana_id}) registered"
    assert register.after == {"name": f"erased person #{ana_id}", "email": f"erased person #{ana_id}", "role": "mayor"}
    unrelated = db_session.execute(select(AuditEntry).where(AuditEntry.action == "edit")).scalar_one()
    assert unrelated.summary == "Unrelated change"
    done = db_session.execute(select(AuditEntry).where(AuditEntry.action == "erase_person")).scalar_one()
    assert done.summary == report.summary
    assert done.after["person"] == f"erased person #{ana_id}"
    assert report.done == {"audit entries scrubbed": 1, "cohort memberships removed": 1, "outbox messages deleted": 2,
                           "private links deleted": 2, "registrations anonymised": 1,
                           "registrations no longer naming them as scheduler": 1,
                           "speaker profiles unlinked (email removed)": 1}
    everything = " ".join(str((e.summary, e.before, e.after, e.actor_label))
                          for e in db_session.execute(select(AuditEntry)).scalars()).casefold()
    assert "ana.ruiz@city.gov" not in everything
    assert "ana ruiz" not in everything


def test_the_admin_page_finds_shows_and_erases(client, login_as, make_meeting, make_speaker, db_session):
    login_as("admin")
    ana, *_ = _everything_about_ana(make_meeting, make_speaker, db_session)
    db_session.commit()
    found = client.post("/staff/people/erase", data={"email": " ANA.RUIZ@city.gov"})
    assert (found.status_code, found.headers["Location"]) == (303, f"/staff/people/{ana.id}/erase")
    page = client.get(found.headers["Location"]).get_data(as_text=True)
    assert "<li>1 registrations</li>" in page
    assert "<li>2 private links</li>" in page
    unconfirmed = client.post(f"/staff/people/{ana.id}/erase", data={})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm." in unconfirmed.get_data(as_text=True)
    assert client.post(f"/staff/people/{ana.id}/erase", data={"confirm": "y"}).status_code == 303
    db_session.expire_all()
    assert ana.erased_at is not None
    assert client.get(f"/staff/people/{ana.id}/erase").status_code == 404
    missing = client.post("/staff/people/erase", data={"email": "nobody@city.gov"})
    assert missing.status_code == 404


def test_staff_who_are_not_admins_cannot_erase(client, login_as, make_person, db_session):
    person = make_person()
    db_session.commit()
    login_as("staff")
    assert client.post(f"/staff/people/{person.id}/erase", data={"confirm": "y"}).status_code == 403


def test_erasure_deletes_their_applications_and_scrubs_the_mayors_name(make_meeting, make_person, db_session, login_as):
    from datetime import UTC, datetime

    from mipevents.calls.models import Application, Call

    admin = login_as("admin")
    meeting = make_meeting()
    person = make_person("kim@city.gov", "Kim")
    call = Call(slug="showcase-2025", title="Showcase proposals", kind="showcase", meeting_id=meeting.id,
                opens_at=datetime(2024, 10, 1, tzinfo=UTC), deadline_at=datetime(2024, 12, 1, tzinfo=UTC))
    db_session.add(call)
    db_session.flush()
    application = Application(call_id=call.id, person_id=person.id, email="kim@city.gov", mayor_name="Mayor Kim Norton",
                              city="Rochester", state="MN", title="Bike lanes")
    db_session.add(application)
    db_session.flush()
    audit.record("submit_application", application, summary="Mayor Kim Norton submitted “Bike lanes”")
    report = erase_person(person, actor=admin)
    db_session.flush()
    assert db_session.execute(select(Application)).scalars().all() == []
    assert report.done["applications deleted"] == 1
    entry = db_session.execute(select(AuditEntry).where(AuditEntry.action == "submit_application")).scalar_one()
    assert entry.summary == f"erased person #{person.id} submitted “Bike lanes”"


def test_erasure_passes_their_seats_at_events_to_come_to_the_waitlist(make_meeting, make_webinar, db_session, login_as):
    from datetime import UTC, datetime, timedelta

    from mipevents.registration import services

    admin = login_as("admin")
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=10)
    first, second = make_webinar(capacity=1, starts_at=soon), make_webinar(capacity=1, starts_at=soon + timedelta(days=7))
    past_meeting = make_meeting()                                         # January 2025: over
    db_session.commit()

    def register(event, n):
        outcome = services.register(event, {"first_name": f"P{n}", "last_name": "X", "email": f"p{n}@city.gov",
                                            "role": "mayor", "consent": True})
        db_session.commit()
        return outcome.registration

    ana_first, bo_first = register(first, 1), register(first, 2)
    ana_second, cy_second = register(second, 1), register(second, 3)
    ana_past = Registration(person_id=ana_first.person_id, meeting_id=past_meeting.id, status="confirmed",
                            confirmed_at=datetime(2025, 1, 1, tzinfo=UTC))
    db_session.add(ana_past)
    db_session.commit()
    assert [r.status for r in (ana_first, bo_first, ana_second, cy_second)] == ["confirmed", "waitlisted"] * 2
    db_session.execute(OutboxMessage.__table__.delete())
    db_session.commit()

    report = erase_person(ana_first.person, actor=admin)
    db_session.commit()
    db_session.expire_all()

    assert [r.status for r in (ana_first, bo_first, ana_second, cy_second)] == ["cancelled", "confirmed"] * 2
    assert ana_past.status == "confirmed"                                 # past attendance stays counted
    assert report.done["upcoming registrations cancelled, their seats passed on"] == 2
    sent = sorted((m.kind, m.to_email) for m in db_session.execute(select(OutboxMessage)).scalars())
    assert sent == [("registration_promoted", "p2@city.gov"), ("registration_promoted", "p3@city.gov")]
    assert registration_queries.seats_left(first) == 0 and registration_queries.seats_left(second) == 0
