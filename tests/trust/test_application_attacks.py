"""An attack on an open call through its public form, against a real server: knowing a mayor's email,
post their application again with other answers and your own address as scheduler. The application
must stay byte for byte what its owner submitted (reviewed and shortlisted), and the attacker's
mailbox must hold no link to it. The mayor is asked, in an email of its own, and only her one click
from her own inbox lets someone act for her; another click in the email that tells her ends it."""
import re

import requests
from sqlalchemy import select, text

from mipevents.accounts.services import create_user
from mipevents.calls.models import Application, Review
from mipevents.extensions import db
from mipevents.notify import delivery
from tests.calls.conftest import form_data
from tests.trust.helpers import links_in, private_paths

VICTIM = "mayor@tacoma.gov"
ATTACKER = "attacker@evil.example"


def _post_form(server, call, data):
    with requests.Session() as browser:
        page = browser.get(f"{server.url}/calls/{call.slug}/apply", timeout=30)
        csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
        return browser.post(f"{server.url}/calls/{call.slug}/apply", data={**data, "csrf_token": csrf},
                            timeout=30, allow_redirects=False)


def _form_post(session, url, **data):
    page = session.get(url, timeout=30)
    assert page.status_code == 200, page.text[:300]
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text).group(1)
    return session.post(url, data={**data, "csrf_token": csrf}, timeout=30, allow_redirects=False)


def _snapshot():
    """Every stored value of the applications, their answers and reviews, as the database holds them."""
    db.session.commit()
    return {table: db.session.execute(text(f"SELECT * FROM {table} ORDER BY id")).all()  # noqa: S608
            for table in ("applications", "application_answers", "application_reviews")}


def test_a_post_with_the_mayors_email_changes_nothing_and_links_nothing(start_server, make_app, make_call, smtp_server):
    call = make_call()
    db.session.commit()
    server = start_server(workers=1)
    mail = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                    MIPEVENTS_BASE_URL=server.url)
    assert _post_form(server, call, form_data(call)).status_code == 302
    db.session.commit()
    application = db.session.execute(select(Application)).scalar_one()
    reviewer = create_user("reviewer@mipevents.test", "correct horse battery staple", role="reviewer")
    db.session.add(Review(application_id=application.id, reviewer_id=reviewer.id, score=5, notes="Strong."))
    application.status = "shortlisted"
    db.session.commit()
    before = _snapshot()

    why = call.questions[0]
    attack = form_data(call, email="MAYOR@Tacoma.gov", mayor_name="Mallory", city="Evil City",
                       scheduler_email=ATTACKER, action="submit", **{f"q_{why.id}": "Attacker text."})
    honest_new = _post_form(server, call, form_data(call, email="other@city.gov"))
    answered = _post_form(server, call, attack)
    # The same answer as for a new application: the "check your email" page.
    assert (answered.status_code, answered.headers["Location"]) == (302, honest_new.headers["Location"])
    after = _snapshot()
    assert after["applications"][0] == before["applications"][0]
    assert [row for row in after["application_answers"] if row.application_id == application.id] == before["application_answers"]
    assert after["application_reviews"] == before["application_reviews"]

    with mail.app_context():
        delivery.send_pending()
    to_attacker = smtp_server.to(ATTACKER)
    assert [m["Subject"] for m in to_attacker] == [f"We asked the mayor: {call.short_title}"]
    assert private_paths(links_in(to_attacker), server.url) == set()
    body = to_attacker[0].get_body(("plain",)).get_content()
    assert "Mayor Kim Norton" not in body and "shortlisted" not in body
    # The mayor gets her own link again, and, in an email of its own, the request with its one click.
    [_submitted, again, request] = smtp_server.to(VICTIM)
    assert re.search(r"/calls/application/[A-Za-z0-9_-]{40,}", again.get_body(("plain",)).get_content())
    assert request["Subject"] == f"Someone asked to act for you: {call.short_title}"
    request_text = " ".join(request.get_body(("plain",)).get_content().split())
    assert f"{ATTACKER} sent the form of" in request_text and "/consent/" in request_text
    assert private_paths(links_in([request]), server.url) == {
        p for p in private_paths(links_in([request]), server.url) if p.startswith("/consent/")}



    # Then the mayor's clerk asks the same way: her one click in her own inbox gives the clerk a link of
    # their own, and the click in the email that tells her takes it away again.
    clerk = "clerk@tacoma.gov"
    assert _post_form(server, call, form_data(call, scheduler_email=clerk, mayor_name="Someone else")).status_code == 302

    def deliver():
        with mail.app_context():
            delivery.send_pending()
    deliver()
    [asked] = smtp_server.to(clerk)
    assert private_paths(links_in([asked]), server.url) == set()      # nothing of hers yet
    [consent] = [p for p in private_paths(links_in(smtp_server.to(VICTIM)[-1:]), server.url) if p.startswith("/consent/")]
    with requests.Session() as mayors_browser:
        page = mayors_browser.get(server.url + consent, timeout=30).text
        assert f"your application to “{call.title}”" in page
        assert _form_post(mayors_browser, server.url + consent).status_code == 200
    deliver()
    [_asked, approved] = smtp_server.to(clerk)
    [clerks_link] = private_paths(links_in([approved]), server.url)
    assert clerks_link.startswith("/calls/application/")
    opened = requests.get(server.url + clerks_link, timeout=30)
    assert opened.status_code == 200 and "Mayor Kim Norton" in opened.text   # her answers, unchanged
    told = smtp_server.to(VICTIM)[-1]
    assert told["Subject"] == f"Your scheduler for {call.short_title}"
    [remove] = [p for p in private_paths(links_in([told]), server.url) if p.endswith("/scheduler/remove")]
    assert requests.get(server.url + clerks_link + "/scheduler/remove", timeout=30).status_code == 404   # hers alone
    with requests.Session() as mayors_browser:
        assert _form_post(mayors_browser, server.url + remove).status_code == 303
    assert requests.get(server.url + clerks_link, timeout=30).status_code == 404
    db.session.commit()
    assert db.session.execute(select(Application.scheduler_email).where(Application.email == VICTIM)).scalar_one() == ""
