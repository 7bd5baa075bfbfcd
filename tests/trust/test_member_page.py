"""A cohort member's private page: reached only through the link emailed to the member, it lists their
cohorts' meetings (with each agenda) and webinars, cohort-only ones included, and their registrations;
nothing of it is public, a stranger's or a revoked link opens nothing, and drafts and other cohorts'
events stay out."""
from datetime import datetime

from sqlalchemy import select

from mipevents.cohorts import services as cohorts
from mipevents.extensions import db
from mipevents.notify import delivery
from mipevents.notify.models import OutboxMessage
from mipevents.registration import services as registration
from tests.trust.helpers import links_in

MEMBER = "mayor@oak.gov"


def _deliver(make_app, smtp_server):
    db.session.commit()
    mail = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with mail.app_context():
        delivery.send_pending()
        db.session.remove()


def _page_path(message) -> str:
    [link] = [link for link in links_in([message]) if "/cohort/" in link]
    return link[link.index("/cohort/"):]


def test_a_members_page_lists_their_cohorts_events_to_them_alone(client, make_app, smtp_server, make_cohort,
                                                                  make_meeting, make_item, make_webinar):
    cohort, other = make_cohort(status="published"), make_cohort(status="published")
    academy = make_meeting(name="Housing Academy", cohort_id=cohort.id, timezone="America/Chicago")
    make_item(academy, at=datetime(2026, 3, 2, 9, 0), title="Zoning labs", kind="workshop")
    make_item(academy, at=datetime(2026, 3, 2, 11, 0), title="Unpublished idea", status="draft")
    briefing = make_webinar(title="Cohort briefing", cohort_id=cohort.id, join_url="https://meet.example.org/j/9?pwd=s3")
    make_webinar(title="Draft cohort call", cohort_id=cohort.id, status="draft")
    make_meeting(name="Other cohort retreat", cohort_id=other.id)
    member = cohorts.add_member(cohort, {"email": MEMBER, "name": "Mayor Oak", "city": "Oak", "state": "IA"}, actor=None)
    outcome = registration.register(briefing, {"first_name": "Ana", "last_name": "Oak", "email": MEMBER, "role": "mayor",
                                               "consent": True})
    _deliver(make_app, smtp_server)
    [welcome] = [m for m in smtp_server.to(MEMBER) if m["Subject"] == f"Your cohort: {cohort.name}"]
    path = _page_path(welcome)

    page = client.get(path)
    text = page.get_data(as_text=True)
    assert (page.status_code, page.headers["Cache-Control"], page.headers["Referrer-Policy"]) == (
        200, "no-store", "no-referrer")
    for shown in ("Housing Academy", "Zoning labs", "Cohort briefing", "Your registration: <strong>Confirmed</strong>"):
        assert shown in text
    for hidden in ("Unpublished idea", "Draft cohort call", "Other cohort retreat", "pwd=s3"):
        assert hidden not in text
    assert client.get(f"/webinars/{briefing.slug}/").status_code == 404     # still nothing public
    assert client.get(f"/meetings/{academy.slug}/agenda").status_code == 404

    # Another kind of private link of the member's, or anyone's guess, opens nothing here.
    db.session.add(member)
    assert client.get(path.replace("/cohort/", "/cohort/x")).status_code == 404
    assert client.get("/cohort/" + "A" * 43).status_code == 404

    # "Email me the link to my registration" goes to the member's own address.
    csrf = text.split('name="csrf_token" value="')[1].split('"')[0]
    sent = client.post(f"{path}/send/{outcome.registration_id}", data={"csrf_token": csrf})
    assert sent.status_code == 303
    assert client.post(f"{path}/send/{outcome.registration_id + 999}", data={"csrf_token": csrf}).status_code == 404
    db.session.commit()
    resend = db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(1)).scalar_one()
    assert (resend.kind, resend.to_email, resend.context.get("resent")) == ("registration_received", MEMBER, True)

    # "Reset my link": the old address stops working; the new one arrives by email.
    assert client.post(f"{path}/reset", data={"csrf_token": csrf}).status_code == 200
    assert client.get(path).status_code == 404
    _deliver(make_app, smtp_server)
    [reset] = [m for m in smtp_server.to(MEMBER) if m["Subject"] == f"Your cohort: {cohort.name}"][1:]
    assert client.get(_page_path(reset)).status_code == 200


def test_a_member_registers_in_one_click_from_their_page_within_capacity(client, make_app, smtp_server, make_cohort,
                                                                          make_meeting, make_webinar):
    from datetime import UTC, date, timedelta

    from mipevents.people.services import mint_token
    from mipevents.registration.models import Registration

    cohort, other = make_cohort(status="published"), make_cohort(status="published")
    soon = date.today() + timedelta(days=30)
    academy = make_meeting(name="Housing Academy", cohort_id=cohort.id, capacity=1, starts_on=soon, ends_on=soon)
    call = make_webinar(title="Cohort call", cohort_id=cohort.id)
    past = make_webinar(title="Last month's call", cohort_id=cohort.id, starts_at=datetime.now(UTC) - timedelta(days=30))
    elsewhere = make_webinar(title="Another cohort's call", cohort_id=other.id)
    member = cohorts.add_member(cohort, {"email": MEMBER, "name": "Mayor Kim Norton", "city": "Rochester", "state": "MN"},
                                actor=None)
    registration.register(academy, {"first_name": "Bo", "last_name": "First", "email": "bo@x.gov", "role": "mayor",
                                    "consent": True})                     # takes the one seat
    path = f"/cohort/{mint_token(member.person, 'member')}"
    db.session.commit()

    page = client.get(path).get_data(as_text=True)
    assert page.count(">Register me<") == 2 and "You are not registered, and registration is closed." in page
    for event in (("webinar", call.id), ("meeting", academy.id)):
        assert client.post(f"{path}/register/{event[0]}/{event[1]}").status_code == 303
    for kind, event_id in (("webinar", call.id), ("webinar", past.id), ("webinar", elsewhere.id), ("meeting", 999999)):
        assert client.post(f"{path}/register/{kind}/{event_id}").status_code == 404   # again, closed, not theirs
    assert client.post(f"/cohort/{'A' * 43}/register/webinar/{call.id}").status_code == 404
    mine = db.session.execute(select(Registration).where(Registration.email == MEMBER)
                              .order_by(Registration.id)).scalars().all()
    assert [(r.webinar_id, r.meeting_id, r.status, r.first_name, r.last_name, r.role, r.city) for r in mine] == [
        (call.id, None, "confirmed", "Kim", "Norton", "mayor", "Rochester"),
        (None, academy.id, "waitlisted", "Kim", "Norton", "mayor", "Rochester")]
    page = client.get(path).get_data(as_text=True)
    assert ">Register me<" not in page and "Your registration: <strong>Waitlisted</strong>" in page
    _deliver(make_app, smtp_server)
    assert len(smtp_server.to(MEMBER)) == 3      # the cohort welcome, and a confirmation of each registration
