"""A scheduler registers a mayor and the mayor's chief of staff for a meeting and a webinar from a phone;
the mayor's own email names the scheduler with "remove this scheduler"; the mayor removes them; the
scheduler's page then no longer shows the mayor. axe finds no serious or critical problem on the new
pages (the scheduler's page, the removal page, a registration opened by its scheduler)."""
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BUILDERS
from tests.support.links import MANAGE, delivered_link

SCHEDULER = "scheduler@elm.gov"
PEOPLE = (("Rosa", "Alvarez", "Mayor", "mayor@elm.gov"), ("Sam", "Okafor", "Chief of Staff", "chief@elm.gov"))


def _fill_common(page, first, last, title):
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("City or organization").fill("City of Elm")
    page.get_by_label("City", exact=True).fill("Elm")
    page.get_by_label("State", exact=True).fill("IA")


def _latest_to(email, kind=None):
    db.session.commit()   # see what the server committed
    query = select(OutboxMessage).where(OutboxMessage.to_email == email)
    if kind:
        query = query.where(OutboxMessage.kind == kind)
    return db.session.execute(query.order_by(OutboxMessage.id.desc()).limit(1)).scalar_one()


def test_a_scheduler_registers_two_people_and_the_mayor_removes_them(
        start_server, make_meeting, make_webinar, new_page, assert_accessible):
    first_day = datetime.now(UTC).date() + timedelta(days=21)
    meeting = make_meeting(name="Summer Meeting", starts_on=first_day, ends_on=first_day + timedelta(days=1),
                           timezone="America/Chicago")
    webinar = make_webinar(title="Water rates", starts_at=datetime.now(UTC) + timedelta(days=9))
    db.session.commit()
    meeting_slug, webinar_slug = meeting.slug, webinar.slug
    server = start_server(workers=2)
    page = new_page(width=390, height=844, is_mobile=True, has_touch=True)

    for first, last, title, email in PEOPLE:
        page.goto(f"{server.url}/meetings/{meeting_slug}/register")
        page.get_by_label("Your email (if you register someone else)").fill(SCHEDULER)
        page.get_by_label("Senior city staff/advisor" if title != "Mayor" else "Mayor", exact=True).check()
        _fill_common(page, first, last, title)
        page.get_by_label("Attendee's email").fill(email)
        page.get_by_label("I agree that the Mayors Innovation Project keeps these details to run this meeting").check()
        page.get_by_role("button", name="Register").click()
        page.wait_for_url(f"{server.url}/meetings/{meeting_slug}/register/check-your-email")

        page.goto(f"{server.url}/webinars/{webinar_slug}/register")
        assert_accessible(page)
        page.get_by_label("Your email, if you register someone else").fill(SCHEDULER)
        _fill_common(page, first, last, title)
        page.get_by_label("Email", exact=True).fill(email)
        page.get_by_label("Your role").select_option(label="Mayor" if title == "Mayor" else "City staff")
        page.get_by_label("I agree that my details are used as described above.").check()
        page.get_by_role("button", name="Register").click()
        page.wait_for_url(f"{server.url}/webinars/{webinar_slug}/register/thanks")

    # The scheduler's page, from the link in their latest email: all four registrations.
    scheduler_link = delivered_link(_latest_to(SCHEDULER), MANAGE)
    page.goto(f"{server.url}/manage/{scheduler_link}")
    assert page.locator(".eyebrow").text_content() == "A registration you manage for Sam Okafor"
    assert page.locator("#feed-heading").count() == 0   # never the person's personal feed
    assert_accessible(page)
    page.get_by_role("link", name="See every registration you manage, and register someone else").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Registrations you manage"
    assert sorted(page.locator(".scheduled-list li strong").all_inner_texts()) == [
        "Rosa Alvarez", "Rosa Alvarez", "Sam Okafor", "Sam Okafor"]
    assert_accessible(page)

    # The mayor's own email names the scheduler and removes them in one step from her page.
    notice = BUILDERS["registration_received"](_latest_to("mayor@elm.gov", "registration_received"))
    db.session.commit()
    assert f"{SCHEDULER} registered you or manages this registration for you. If you did not ask them to, remove " \
           "them (one click):" in notice.text
    mayors_link = re.search(r"/manage/([A-Za-z0-9_-]{40,})/scheduler/remove", notice.text).group(1)
    mayor = new_page(width=390, height=844, is_mobile=True, has_touch=True)
    mayor.goto(f"{server.url}/manage/{mayors_link}/scheduler/remove")
    assert mayor.get_by_role("heading", level=1).inner_text() == f"Remove {SCHEDULER}?"
    assert_accessible(mayor)
    mayor.get_by_role("button", name="Remove this scheduler").click()
    mayor.wait_for_url(f"{server.url}/manage/{mayors_link}")
    assert mayor.locator(".flash-success").inner_text() == (
        "Your scheduler is removed: their link no longer opens your registration.")

    page.reload()
    assert sorted(page.locator(".scheduled-list li strong").all_inner_texts()) == [
        "Rosa Alvarez", "Sam Okafor", "Sam Okafor"]


def test_the_mayor_approves_a_scheduler_who_asked_from_her_inbox(start_server, make_webinar, new_page,
                                                                  assert_accessible):
    import requests

    webinar = make_webinar(title="Water rates", starts_at=datetime.now(UTC) + timedelta(days=9))
    db.session.commit()
    server = start_server(workers=1)
    body = {"first_name": "Rosa", "last_name": "Alvarez", "email": "mayor@elm.gov", "role": "mayor", "consent": True}
    url = f"{server.url}/api/v1/webinars/{webinar.slug}/registrations"
    assert requests.post(url, json=body, timeout=30).status_code == 202
    assert requests.post(url, json={**body, "scheduler_email": SCHEDULER}, timeout=30).status_code == 202
    consent = delivered_link(_latest_to("mayor@elm.gov", "scheduler_request"), r"/consent/([A-Za-z0-9_-]{40,})")
    page = new_page(width=390, height=844, is_mobile=True, has_touch=True)
    page.goto(f"{server.url}/consent/{consent}")
    assert page.get_by_role("heading", level=1).inner_text() == f"Let {SCHEDULER} act for you?"
    assert_accessible(page)
    page.get_by_role("button", name="Yes, let them act for me").click()
    assert page.locator(".lead").inner_text().startswith(f"Done: {SCHEDULER} may manage your registrations")
    assert_accessible(page)
    scheduler_link = delivered_link(_latest_to(SCHEDULER, "registration_repeat"), MANAGE)
    page.goto(f"{server.url}/manage/{scheduler_link}")
    assert page.locator(".eyebrow").text_content() == "A registration you manage for Rosa Alvarez"
