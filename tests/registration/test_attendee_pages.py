"""What a registrant sees: the confirmation page (the address the email went to, "wrong address? fix
it", the same for a new and a repeat registration), the typo hint on the address, the status at the
top of the email and of the manage page, the meeting manage page as the registrant's whole record,
and a dead link's "email me my link"."""
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from mipevents.core.email_typos import suggest_email
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.feeds import events, personal
from mipevents.notify.models import OutboxMessage
from mipevents.people import tokens
from mipevents.people.models import Person, SchedulerApproval
from mipevents.people.services import mint_token, person_id_for_email, revoke_tokens
from mipevents.registration import services
from mipevents.registration.models import Registration
from mipevents.workflows.emails import BUILDERS

TODAY = datetime.now(UTC).date()


def form(n=1, **over):
    data = {"type": "mayor", "first_name": "Maria", "last_name": f"Santos{n}", "title": "Mayor",
            "organization": f"City of Town{n}", "city": f"Town{n}", "state": "WI", "email": f"mayor{n}@town.gov",
            "phone": "", "dietary_needs": "", "accessibility_needs": "", "scheduler_email": "", "consent": "y"}
    data.update(over)
    return data


def outbox():
    return [(m.kind, m.to_email) for m in db.session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars()]


def built(kind, to_email):
    msg = db.session.execute(select(OutboxMessage).where(OutboxMessage.kind == kind, OutboxMessage.to_email == to_email)
                             .order_by(OutboxMessage.id.desc())).scalars().first()
    message = BUILDERS[kind](msg)
    db.session.commit()
    return message


def test_likely_domain_typos_are_suggested_and_real_domains_left_alone():
    assert [suggest_email(a) for a in ("mayor@gmial.con", "mayor@yaho.com", "mayor@elm.gvo", "mayor@city.ogr")] == [
        "mayor@gmail.com", "mayor@yahoo.com", "mayor@elm.gov", "mayor@city.org"]
    assert [suggest_email(a) for a in ("mayor@gmail.com", "mayor@mail.com", "mayor@me.com", "mayor@mac.com",
                                       "mayor@cityofmadison.gov", "mayor@town.co", "mayor@ville.new", "nobody")] == [None] * 8


def test_the_confirmation_page_names_the_address_is_the_same_for_a_repeat_and_fix_it_only_fills_the_form(
        app, make_meeting, make_item, make_webinar):
    meeting = make_meeting(starts_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=31), capacity=1)
    db.session.commit()
    pages = []
    for _ in range(2):   # two browsers send the same answers: the second is a repeat
        browser = app.test_client()
        sent = browser.post(f"/meetings/{meeting.slug}/register", data=form(scheduler_email="aide@town.gov"))
        assert sent.status_code == 303
        page = browser.get(sent.headers["Location"])
        assert page.headers["Cache-Control"] == "no-store"
        pages.append(page.get_data(as_text=True))
    assert pages[0] == pages[1]
    assert outbox()[-1] == ("registration_repeat", "mayor1@town.gov")
    page = pages[0]
    assert 'To <strong class="sent-address">mayor1@town.gov</strong>, with a copy to <strong>aide@town.gov</strong>.' in page
    assert f'href="/meetings/{meeting.slug}/register?fix=1">Fix it</a>' in page
    assert "calendar.google.com/calendar/render?action=TEMPLATE" in page and "webcal://" in page
    assert "The meeting is full right now" in page   # a live state, on a no-store page
    # A browser that sent nothing sees no address at all.
    assert "sent-address" not in app.test_client().get(f"/meetings/{meeting.slug}/register/check-your-email").get_data(as_text=True)

    # "Fix it" only fills the form again.
    client = app.test_client()
    meeting = make_meeting(starts_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=31))
    tour = make_item(meeting, kind="tour", title="Site visit")
    db.session.commit()
    client.post(f"/meetings/{meeting.slug}/register", data=form(
        email="mayor@town.gvo", email_choice="mayor@town.gvo", dietary_needs="Vegetarian", extras=str(tour.id),
        type="city_staff"))
    before = outbox()
    page = client.get(f"/meetings/{meeting.slug}/register?fix=1")
    html = page.get_data(as_text=True)
    assert page.headers["Cache-Control"] == "no-store"
    assert 'value="mayor@town.gvo"' in html and "Vegetarian</textarea>" in html
    assert re.search(r'value="city_staff" checked|checked[^>]*value="city_staff"', html)
    assert re.search(rf'checked[^>]*value="{tour.id}"|value="{tour.id}"[^>]*checked', html)
    assert outbox() == before
    assert len(db.session.execute(select(Registration).where(Registration.meeting_id == meeting.id)).scalars().all()) == 1
    # Without what this browser sent, the form is empty.
    other = client.application.test_client().get(f"/meetings/{meeting.slug}/register?fix=1").get_data(as_text=True)
    assert "mayor@town.gvo" not in other

    # A likely typo is asked about before anything is written.
    webinar = make_webinar()
    db.session.commit()
    before = outbox()
    asked = client.post(f"/meetings/{meeting.slug}/register", data=form(email="mayor@gmial.con"))
    html = asked.get_data(as_text=True)
    assert asked.status_code == 422 and outbox() == before
    assert "Did you mean mayor@gmail.com? Choose the address to use." in html
    assert 'data-typo-domains="gmail.com ' in html   # the browser's hint, before submitting
    taken = client.post(f"/meetings/{meeting.slug}/register", data=form(email="mayor@gmial.con",
                                                                        email_choice="mayor@gmail.com"))
    assert taken.status_code == 303 and outbox()[len(before):] == [("registration_received", "mayor@gmail.com")]
    # The scheduler's own address is asked about the same way, on both forms.
    aide = client.post(f"/meetings/{meeting.slug}/register", data=form(2, scheduler_email="aide@town.ogr"))
    html = aide.get_data(as_text=True)
    assert aide.status_code == 422 and outbox() == before + [("registration_received", "mayor@gmail.com")]
    assert "Did you mean aide@town.org? Choose the address to use." in html
    assert '<input type="radio" name="scheduler_email_choice" id="scheduler_email_choice-suggested" value="aide@town.org" checked>' in html
    assert 'id="scheduler_email-typo"' in html and html.count("data-typo-domains=") == 2
    fixed = client.post(f"/meetings/{meeting.slug}/register", data=form(2, scheduler_email="aide@town.ogr",
                                                                        scheduler_email_choice="aide@town.org"))
    assert fixed.status_code == 303
    assert db.session.execute(select(Registration.scheduler_email).where(
        Registration.email == "mayor2@town.gov")).scalar_one() == "aide@town.org"
    before = outbox()
    webinar_aide = client.post(f"/webinars/{webinar.slug}/register", data={
        "first_name": "Bo", "last_name": "Lee", "email": "bo@elm.gov", "role": "mayor", "consent": "y",
        "scheduler_email": "aide@gmial.com"})
    assert webinar_aide.status_code == 422 and "Did you mean aide@gmail.com?" in webinar_aide.get_data(as_text=True)
    assert outbox() == before
    kept = client.post(f"/webinars/{webinar.slug}/register", data={
        "first_name": "Ann", "last_name": "Lee", "email": "ann@elm.gvo", "email_choice": "ann@elm.gvo", "role": "mayor",
        "consent": "y"})
    assert kept.status_code == 303 and outbox()[-1] == ("registration_received", "ann@elm.gvo")
    thanks = client.get(kept.headers["Location"])
    assert thanks.headers["Cache-Control"] == "no-store"
    assert 'To <strong class="sent-address">ann@elm.gvo</strong>.' in thanks.get_data(as_text=True)


def _meeting_with_extras(make_meeting, make_item):
    meeting = make_meeting(starts_on=TODAY + timedelta(days=20), ends_on=TODAY + timedelta(days=21))
    day = meeting.starts_on
    make_item(meeting, at=datetime(day.year, day.month, day.day, 9, 0), kind="plenary", title="Opening")
    reception = make_item(meeting, at=datetime(day.year, day.month, day.day, 18, 0), kind="reception", title="Rooftop")
    tour = make_item(meeting, at=datetime(day.year, day.month, day.day, 15, 0), kind="tour", title="Library visit")
    db.session.commit()
    return meeting, reception, tour


def test_the_manage_page_leads_with_the_status_edits_the_whole_record_and_offers_calendars(
        client, make_meeting, make_item):
    # A waitlisted registrant reads the place first, in the email and on the page.
    full = make_meeting(starts_on=TODAY + timedelta(days=30), ends_on=TODAY + timedelta(days=31), capacity=1)
    db.session.commit()
    for n in (1, 2, 3):
        services.register(full, {**form(n, email=f"w{n}@town.gov"), "role": "mayor", "consent": True})
    db.session.commit()
    message = built("registration_received", "w3@town.gov")
    assert message.text.splitlines()[0] == "Your status: On the waitlist, number 2 in line"
    assert "Your status: On the waitlist, number 2 in line</strong>" in message.html.split("Dear", 1)[0]
    registration = db.session.execute(select(Registration).where(Registration.email == "w3@town.gov")).scalar_one()
    token = mint_token(registration.person, "manage", registration.id)
    db.session.commit()
    page = client.get(f"/manage/{token}").get_data(as_text=True)
    assert '<h2 id="status-heading"><span class="status-label">Status:</span> On the waitlist, number 2 in line</h2>' in page
    assert page.index("status-heading") < page.index("details-heading")

    meeting, reception, tour = _meeting_with_extras(make_meeting, make_item)
    # Never asked (the JSON API): joins every reception and site visit, and the page ticks them all.
    registration = services.register(meeting, {**form(1), "role": "mayor", "consent": True, "phone": "608 555 0100"},
                                     source="api").registration
    token = mint_token(registration.person, "manage", registration.id)
    feed = tokens.feed_token(registration.person_id)
    db.session.commit()
    page = client.get(f"/manage/{token}").get_data(as_text=True)
    assert re.search(rf'<input checked id="extras-\d" name="extras" type="checkbox" value="{reception.id}">', page)
    assert "<dt>Phone</dt><dd>608 555 0100</dd>" in page
    response = client.post(f"/manage/{token}/details", data={
        "first_name": "Maria", "last_name": "Santos", "phone": "608 555 0199", "dietary_needs": "Vegan",
        "accessibility_needs": "Step-free access", "extras": str(tour.id), "is_listed": "y",
        "scheduler_email": "aide@town.gov"})
    assert response.status_code == 303
    stored = db.session.get(Registration, registration.id)
    assert (stored.phone, stored.dietary_needs, stored.accessibility_needs, stored.extras, stored.extras_asked,
            stored.is_listed, stored.scheduler_email, stored.email, stored.role) == (
        "608 555 0199", "Vegan", "Step-free access", [tour.id], True, True, "aide@town.gov", "mayor1@town.gov", "mayor")
    summaries = sorted(str(e["SUMMARY"]) for e in personal.personal_events(
        db.session.get(Person, registration.person_id), events.Site("mipevents.test", "http://mipevents.test")))
    assert summaries == ["Library visit", "Opening"]
    assert client.get(f"/calendar/{feed}.ics").get_data(as_text=True).count("SUMMARY:Rooftop") == 0
    # The new scheduler got their own link to this registration; the registrant was told.
    assert outbox()[-2:] == [("registration_repeat", "aide@town.gov"), ("scheduler_added", "mayor1@town.gov")]
    # The scheduler's link edits the needs but not who the scheduler is.
    scheduler_token = re.search(r"/manage/([\w-]{20,})", built("registration_repeat", "aide@town.gov").text).group(1)
    scheduler_page = client.get(f"/manage/{scheduler_token}").get_data(as_text=True)
    assert 'name="dietary_needs"' in scheduler_page and 'name="scheduler_email"' not in scheduler_page
    client.post(f"/manage/{scheduler_token}/details", data={
        "first_name": "Maria", "last_name": "Santos", "phone": "608 555 0199", "dietary_needs": "Vegetarian",
        "extras": str(tour.id), "scheduler_email": "thief@evil.example"})
    stored = db.session.get(Registration, registration.id)
    assert (stored.dietary_needs, stored.scheduler_email) == ("Vegetarian", "aide@town.gov")
    # Bad input: 422 next to the field, nothing written.
    bad = client.post(f"/manage/{token}/details", data={"first_name": "Maria", "last_name": "Santos", "phone": "call me"})
    assert bad.status_code == 422 and "Use digits, spaces and + ( ) - only." in bad.get_data(as_text=True)
    assert db.session.get(Registration, registration.id).phone == "608 555 0199"

    # The event and (once asked for, by a POST) the personal feed, one tap into a calendar.
    registration = services.register(meeting, {**form(2), "role": "mayor", "consent": True}).registration
    token = mint_token(registration.person, "manage", registration.id)
    db.session.commit()
    page = client.get(f"/manage/{token}").get_data(as_text=True)
    assert f'href="/manage/{token}/calendar.ics" download' in page and "calendar.google.com/calendar/render" in page
    assert "webcal://mipevents.test/calendar/" not in page   # no feed address until asked for (a POST)
    client.post(f"/manage/{token}/feed")
    page = client.get(f"/manage/{token}").get_data(as_text=True)
    feed = tokens.stable_feed_token(registration.person_id)
    assert f'href="webcal://mipevents.test/calendar/{feed}.ics"' in page
    assert f"calendar.google.com/calendar/r?cid=webcal%3A//mipevents.test/calendar/{feed}.ics" in page
    assert f'<input id="feed-url" class="feed-address feed-url" type="text" readonly value="http://mipevents.test/calendar/{feed}.ics"' in page


def test_a_dead_link_offers_email_me_my_link_with_one_answer_for_every_address(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LINK_REQUEST="2 per hour")
    with app.app_context():
        from mipevents.meetings.models import Meeting
        meeting = Meeting(slug="links", name="Links", kind="summer", status="published", starts_on=TODAY + timedelta(days=9),
                          ends_on=TODAY + timedelta(days=10), timezone="America/Chicago")
        db.session.add(meeting)
        db.session.commit()
        client = app.test_client()
        registration = services.register(meeting, {**form(1), "role": "mayor", "consent": True}).registration
        token = mint_token(registration.person, "manage", registration.id)
        db.session.commit()
        client.post(f"/manage/{token}/reset")
        # A scheduler's consent link, revoked: the person's own inbox had it, the way back is the same.
        scheduler_id, _ = person_id_for_email("aide@town.gov")
        approval = SchedulerApproval(person_id=registration.person_id, scheduler_id=scheduler_id, requested_at=utcnow())
        db.session.add(approval)
        db.session.flush()
        consent = mint_token(registration.person, "approval", approval.id)
        revoke_tokens(registration.person, "approval")
        db.session.commit()
        for path in (f"/manage/{token}", f"/manage/{token}/sessions", "/manage/never-a-token", "/scheduler/never-a-token",
                     f"/consent/{consent}", "/consent/never-a-token"):
            dead = client.get(path)
            assert dead.status_code == 404, path
            assert dead.headers["Cache-Control"] == "no-store"
            assert "<h1>This link no longer works</h1>" in dead.get_data(as_text=True)
            assert ">Email me my link</button>" in dead.get_data(as_text=True)
        before = outbox()
        known = client.post("/manage/lost-link", data={"email": "MAYOR1@town.gov"})
        unknown = client.post("/manage/lost-link", data={"email": "nobody@town.gov"})
        assert known.status_code == unknown.status_code == 200
        assert (known.get_data(as_text=True).replace("MAYOR1@town.gov", "X")
                == unknown.get_data(as_text=True).replace("nobody@town.gov", "X"))
        assert outbox()[len(before):] == [("registration_links", "mayor1@town.gov")]
        message = built("registration_links", "mayor1@town.gov")
        link = re.search(r"http://mipevents\.test/manage/([\w-]{20,})", message.text).group(1)
        assert client.get(f"/manage/{link}").status_code == 200
        # Per address, whoever asks: the third request for it in the hour is refused, and sends nothing.
        assert client.post("/manage/lost-link", data={"email": "mayor1@town.gov"}).status_code == 200
        assert client.post("/manage/lost-link", data={"email": "Mayor1@Town.gov"}).status_code == 429
        assert [kind for kind, _ in outbox()].count("registration_links") == 2
        assert client.post("/manage/lost-link", data={"email": "not an address"}).status_code == 422
