"""Attacks through the public registration forms and JSON endpoints, by someone who knows nothing but
a mayor's email address, against a real server (gunicorn) with the outbox delivered to an SMTP server:
they must get nothing of the mayor's but what they themselves submitted."""
import re
from datetime import UTC, datetime, timedelta

import requests
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.notify import delivery
from mipevents.notify.models import OutboxMessage
from mipevents.people.models import SchedulerApproval, Token
from mipevents.registration.models import Registration
from tests.trust.helpers import links_in, opens, private_paths, texts_of

VICTIM = "mayor@elm.gov"
ATTACKER = "attacker@evil.example"


def body(email=VICTIM, **over):
    data = {"first_name": "Rosa", "last_name": "Alvarez", "email": email, "role": "mayor", "title": "Mayor",
            "organization": "City of Elm", "city": "Elm", "state": "IA", "consent": True}
    data.update(over)
    return data


def post(server, webinar, payload):
    return requests.post(f"{server.url}/api/v1/webinars/{webinar.slug}/registrations", json=payload, timeout=30)


def deliver(make_app, smtp_server):
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                   MIPEVENTS_BASE_URL=BASE["url"])
    with app.app_context():
        db.session.commit()
        delivery.send_pending()
        db.session.remove()


BASE = {}


def test_a_scheduler_address_never_gets_the_mayors_feed_or_another_events_join_link(
        start_server, make_app, make_webinar, smtp_server):
    mine = make_webinar(title="Water rates", join_url="https://meet.example.org/j/111?pwd=victim-one")
    theirs = make_webinar(title="Housing", join_url="https://meet.example.org/j/222?pwd=victim-two")
    fresh = make_webinar(title="Broadband", join_url="https://meet.example.org/j/333?pwd=attacker-made")
    db.session.commit()
    server = start_server(workers=1)
    BASE["url"] = server.url
    # The mayor registers for two webinars, as herself.
    assert post(server, mine, body()).status_code == 202
    assert post(server, theirs, body()).status_code == 202
    deliver(make_app, smtp_server)
    mayors_feed = next(p for p in private_paths(links_in(smtp_server.to(VICTIM)), server.url) if p.startswith("/calendar/"))
    assert "victim-one" in requests.get(server.url + mayors_feed, timeout=30).text   # the feed holds her join links
    before = {r.id: (r.first_name, r.phone, r.scheduler_email, r.status)
              for r in db.session.execute(select(Registration)).scalars()}

    # The attack: her email, the attacker as scheduler, on a webinar she is registered for...
    repeat = post(server, mine, body(first_name="Mallory", scheduler_email=ATTACKER))
    # ...and a new registration the attacker makes for her.
    new = post(server, fresh, body(scheduler_email=ATTACKER))
    assert repeat.status_code == new.status_code == 202
    assert repeat.json() == new.json() == {
        "status": "received",
        "message": "Thank you: check your email. We have sent the registrant's status and private link to them."}
    deliver(make_app, smtp_server)

    db.session.commit()
    after = {r.id: (r.first_name, r.phone, r.scheduler_email, r.status)
             for r in db.session.execute(select(Registration)).scalars() if r.id in before}
    assert after == before   # nothing of hers changed
    to_attacker = smtp_server.to(ATTACKER)
    everything = "\n".join(text for message in to_attacker for text in texts_of(message))
    assert "victim-one" not in everything and "victim-two" not in everything   # no other event's join link
    assert mayors_feed not in everything and "/calendar/" not in everything     # never her personal feed
    reachable = {p for p in private_paths(links_in(to_attacker), server.url) if opens(server.url, p)}
    made = db.session.execute(select(Registration).where(Registration.webinar_id == fresh.id)).scalar_one()
    assert len(reachable) == 1
    page = requests.get(server.url + reachable.pop(), timeout=30).text
    assert "Broadband" in page and "Water rates" not in page and "Housing" not in page   # only what they made
    assert re.search(r"/calendar/[\w-]{20,}[.]ics", page) is None   # no personal feed (add-to-calendar links are public)
    # She is told, at her own address, who asked, and who registered her (with the way to remove them).
    subjects = [m["Subject"] for m in smtp_server.to(VICTIM)]
    assert "Someone asked to manage your registration: Water rates" in subjects
    notice = next(m for m in smtp_server.to(VICTIM) if m["Subject"] == "You're registered: Broadband")
    text = notice.get_body(("plain",)).get_content()
    assert f"{ATTACKER} registered you or manages this registration for you." in text
    assert re.search(r"/manage/[A-Za-z0-9_-]{40,}/scheduler/remove", text)
    assert made.scheduler_email == ATTACKER
    assert db.session.execute(select(SchedulerApproval.approved_at)).scalars().all() == [None]


def test_a_cancelled_registration_is_not_revived_by_a_post(start_server, make_app, make_webinar, smtp_server):
    webinar = make_webinar(title="Water rates")
    db.session.commit()
    server = start_server(workers=1)
    BASE["url"] = server.url
    assert post(server, webinar, body(question="Parking?")).status_code == 202
    db.session.commit()
    registration = db.session.execute(select(Registration)).scalar_one()
    registration.status, registration.cancelled_at = "cancelled", datetime.now(UTC)
    db.session.commit()
    assert post(server, webinar, body(first_name="Mallory", question="", scheduler_email=ATTACKER)).status_code == 202
    db.session.commit()
    db.session.refresh(registration)
    assert (registration.status, registration.first_name, registration.question, registration.scheduler_email,
            registration.scheduler_person_id) == ("cancelled", "Rosa", "Parking?", "", None)
    deliver(make_app, smtp_server)
    assert private_paths(links_in(smtp_server.to(ATTACKER)), server.url) == set()


def test_the_owner_approves_a_scheduler_from_her_inbox_and_removes_them_in_one_step(client, make_webinar, make_app):
    from mipevents.registration import services
    from tests.support.links import MANAGE, delivered_link

    webinar = make_webinar(title="Water rates")
    db.session.commit()
    services.register(webinar, body())
    db.session.commit()
    services.register(webinar, body(scheduler_email="aide@elm.gov"))
    db.session.commit()
    request = db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == "scheduler_request")).scalar_one()
    consent = delivered_link(request, r"/consent/([A-Za-z0-9_-]{40,})")
    assert "Let aide@elm.gov act for you?" in client.get(f"/consent/{consent}").get_data(as_text=True)
    assert db.session.execute(select(Registration.scheduler_email)).scalar_one() == ""   # a GET changes nothing
    assert client.post(f"/consent/{consent}").status_code == 200
    registration = db.session.execute(select(Registration)).scalar_one()
    assert registration.scheduler_email == "aide@elm.gov"
    to_aide = db.session.execute(select(OutboxMessage).where(OutboxMessage.to_email == "aide@elm.gov")
                                 .order_by(OutboxMessage.id.desc()).limit(1)).scalar_one()
    aides = delivered_link(to_aide, MANAGE)
    assert client.get(f"/manage/{aides}").status_code == 200
    # "Reset my links" leaves the approval; removing the scheduler ends their link.
    owners = db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == "scheduler_added")).scalar_one()
    mine = delivered_link(owners, MANAGE)
    assert client.post(f"/manage/{aides}/scheduler/remove").status_code == 404   # the owner's alone
    new_mine = client.post(f"/manage/{mine}/reset").headers["Location"].rsplit("/", 1)[-1]
    assert db.session.execute(select(SchedulerApproval.approved_at)).scalar_one() is not None
    assert client.get(f"/manage/{aides}").status_code == 200
    assert "Remove aide@elm.gov?" in client.get(f"/manage/{new_mine}/scheduler/remove").get_data(as_text=True)
    assert client.post(f"/manage/{new_mine}/scheduler/remove").status_code == 303
    assert client.get(f"/manage/{aides}").status_code == 404
    assert db.session.execute(select(SchedulerApproval.revoked_at)).scalar_one() is not None
    assert db.session.execute(select(Registration.scheduler_email)).scalar_one() == ""


def test_no_outbox_row_holds_a_link_while_it_waits_or_after_it_failed(make_app, make_webinar, smtp_server):
    from mipevents.people.services import token_hash

    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_MAX_ATTEMPTS=1)
    with app.app_context():
        webinar = make_webinar(capacity=5)
        db.session.commit()
        client = app.test_client()
        for n in range(2):
            assert client.post(f"/api/v1/webinars/{webinar.slug}/registrations",
                               json=body(f"mayor{n}@elm.gov", scheduler_email="aide@elm.gov")).status_code == 202
        client.post("/staff/forgot-password", data={"email": "nobody@elm.gov"})
        smtp_server.stop()
        now = datetime.now(UTC) + timedelta(seconds=1)
        assert delivery.send_pending(now=now).failed == 4
        rows = db.session.execute(select(OutboxMessage)).scalars().all()
        assert {r.status for r in rows} == {"failed"}
        hashes = set(db.session.execute(select(Token.token_hash)).scalars())
        for row in rows:
            for value in row.context.values():
                assert not (isinstance(value, str) and token_hash(value) in hashes)
            assert not any(key.endswith("_token") for key in row.context)


def test_the_scheduler_gets_this_registrations_calendar_and_erasure_removes_their_links(client, make_webinar):
    from mipevents.people.models import Person
    from mipevents.registration import services
    from mipevents.workflows.erasure import erase_person
    from tests.support.links import MANAGE, delivered_link

    webinar = make_webinar(title="Water rates", join_url="https://meet.example.org/j/9?pwd=mine")
    db.session.commit()
    services.register(webinar, body(scheduler_email="aide@elm.gov"))
    db.session.commit()
    to_aide = db.session.execute(select(OutboxMessage).where(OutboxMessage.to_email == "aide@elm.gov")).scalar_one()
    aides = delivered_link(to_aide, MANAGE)
    calendar = client.get(f"/manage/{aides}/calendar.ics")
    assert (calendar.status_code, calendar.headers["Cache-Control"]) == (200, "no-store")
    assert calendar.get_data(as_text=True).count("BEGIN:VEVENT") == 1
    services.register(webinar, body(scheduler_email="other@elm.gov"))   # an approval request about her
    db.session.commit()
    mayor = db.session.execute(select(Person).where(Person.email == VICTIM)).scalar_one()
    erase_person(mayor, actor=None)
    db.session.commit()
    assert client.get(f"/manage/{aides}").status_code == 404
    assert db.session.execute(select(Token).where(Token.purpose == "scheduler")).scalars().all() == []
    assert db.session.execute(select(SchedulerApproval)).scalars().all() == []
