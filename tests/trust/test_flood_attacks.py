"""Knowing a mayor's address, post her registration and her application again and again (from many
addresses: the server's per-address limit is off here), each time naming another "scheduler": every
answer is the one a new registrant gets, yet her inbox receives one "you already have one" per quarter
hour and at most three scheduler requests a day, and the addresses the attacker names receive no more
than those requests, each without a link; no pile of live links is left behind. And a post never
names a person who exists without a name yet (her chief of staff, known as a scheduler)."""
import re

import requests
from sqlalchemy import func, select

from mipevents.extensions import db
from mipevents.notify import delivery
from mipevents.notify.models import OutboxMessage
from mipevents.people.models import Person, Token
from tests.calls.conftest import form_data
from tests.trust.helpers import links_in, private_paths

MAYOR = "mayor@tacoma.gov"     # the calls factories' applicant


def test_posting_a_mayors_address_again_and_again_does_not_flood_her_inbox(start_server, make_app, make_webinar,
                                                                           make_call, smtp_server):
    webinar = make_webinar(title="Water rates")
    call = make_call()
    db.session.add(Person(email="chief@tacoma.gov"))      # known only as someone's scheduler
    db.session.commit()
    server = start_server(workers=1)
    mail = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                    MIPEVENTS_BASE_URL=server.url)
    person = {"first_name": "Kim", "last_name": "Norton", "email": MAYOR, "role": "mayor", "consent": True}
    api = f"{server.url}/api/v1/webinars/{webinar.slug}/registrations"
    first = requests.post(api, json=person, timeout=30)
    with requests.Session() as browser:
        def apply(**over):
            page = browser.get(f"{server.url}/calls/{call.slug}/apply", timeout=30)
            csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
            return browser.post(f"{server.url}/calls/{call.slug}/apply",
                                data={**form_data(call, **over), "csrf_token": csrf}, timeout=30, allow_redirects=False)
        applied = apply()
        assert requests.post(api, json={**person, "email": "chief@tacoma.gov", "first_name": "Mallory"},
                             timeout=30).status_code == 202
        apply(email="chief@tacoma.gov", mayor_name="Mallory")
        with mail.app_context():
            delivery.send_pending()
        before = len(smtp_server.messages)

        answers = {requests.post(api, json={**person, "scheduler_email": f"s{n}@evil.example"}, timeout=30).text
                   for n in range(4)}
        redirects = {apply(scheduler_email=f"a{n}@evil.example", mayor_name="Mallory").headers["Location"]
                     for n in range(1)}
    assert answers == {first.text} and redirects == {applied.headers["Location"]}   # as for anyone new

    with mail.app_context():
        delivery.send_pending()
    sent = smtp_server.messages[before:]
    to_mayor = sorted(m["Subject"] for rcpts, m in sent if rcpts == [MAYOR])
    assert to_mayor == sorted(["You were already registered: Water rates",
                               f"Your application: {call.short_title}",
                               *["Someone asked to manage your registration: Water rates"] * 3])
    to_others = [m for rcpts, m in sent if rcpts != [MAYOR]]
    assert sorted(m["To"] for m in to_others) == ["s0@evil.example", "s1@evil.example", "s2@evil.example"]
    assert private_paths(links_in(to_others), server.url) == set()
    db.session.commit()
    assert db.session.execute(select(Person.name).where(Person.email == "chief@tacoma.gov")).scalar_one() == ""
    mayor_id = db.session.execute(select(Person.id).where(Person.email == MAYOR)).scalar_one()
    assert db.session.execute(select(func.count()).select_from(Token).where(
        Token.purpose == "manage", Token.person_id == mayor_id, Token.revoked_at.is_(None))).scalar_one() == 2
    assert db.session.execute(select(func.count()).select_from(OutboxMessage)).scalar_one() == len(smtp_server.messages)


def test_a_post_never_replaces_the_scheduler_a_mayor_has(client, make_webinar, make_call):
    """Even naming another scheduler she once approved, a post leaves her registration's scheduler and
    her application's as they are (only her own link changes them), and their links keep working."""
    from datetime import UTC, datetime

    from mipevents.calls.models import Application
    from mipevents.people.models import SchedulerApproval
    from mipevents.people.services import person_for_email
    from mipevents.registration.models import Registration

    webinar = make_webinar()
    call = make_call()
    db.session.commit()
    person = {"first_name": "Kim", "last_name": "Norton", "email": MAYOR, "role": "mayor", "consent": True}
    api = f"/api/v1/webinars/{webinar.slug}/registrations"
    assert client.post(api, json={**person, "scheduler_email": "aide@tacoma.gov"}).status_code == 202
    client.post(f"/calls/{call.slug}/apply", data=form_data(call, scheduler_email="aide@tacoma.gov"))   # no CSRF in tests
    mayor, once = person_for_email(MAYOR), person_for_email("former@tacoma.gov")
    db.session.add(SchedulerApproval(person_id=mayor.id, scheduler_id=once.id, approved_at=datetime.now(UTC)))
    db.session.commit()

    assert client.post(api, json={**person, "scheduler_email": "former@tacoma.gov"}).status_code == 202
    client.post(f"/calls/{call.slug}/apply", data=form_data(call, scheduler_email="former@tacoma.gov"))
    db.session.commit()
    assert db.session.execute(select(Registration.scheduler_email)).scalar_one() == "aide@tacoma.gov"
    assert db.session.execute(select(Application.scheduler_email)).scalar_one() == "aide@tacoma.gov"
