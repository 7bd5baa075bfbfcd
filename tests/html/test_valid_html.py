"""Every kind of page is valid HTML by the W3C's Nu Html Checker (vnu.jar, from npm), run once over
the demo's public, private and staff pages."""
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import select

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.workflows.demo import load_demo

VNU = Path(__file__).resolve().parent / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REQUIRED = os.environ.get("MIPEVENTS_REQUIRE_BROWSER") == "1"

pytestmark = pytest.mark.sqlite_only   # one run is enough: the pages do not depend on the database


def _checker():
    if shutil.which("java") and VNU.exists():
        return ["java", "-jar", str(VNU)]
    if REQUIRED:
        pytest.fail(f"the HTML checker needs java and {VNU} (make install-dev runs npm ci --prefix tests/html)")
    pytest.skip("no java or vnu.jar here")


def _paths():
    from mipevents.agenda.models import AgendaItem
    from mipevents.calls.models import Call
    from mipevents.cohorts.models import Cohort, Programme
    from mipevents.meetings.models import Meeting
    from mipevents.speakers.models import Speaker
    from mipevents.webinars.models import Webinar

    item = db.session.execute(select(AgendaItem).where(AgendaItem.kind == "panel").order_by(AgendaItem.id)).scalars().first()
    visit = db.session.execute(select(AgendaItem).where(AgendaItem.kind == "tour").order_by(AgendaItem.id)).scalars().first()
    showcase = db.session.execute(select(AgendaItem).where(AgendaItem.kind == "showcase").order_by(AgendaItem.id)).scalars().first()
    speaker = db.session.execute(select(Speaker).order_by(Speaker.id)).scalars().first()
    webinar = db.session.execute(select(Webinar)).scalars().first()
    call = db.session.execute(select(Call).where(Call.status == "published").order_by(Call.id)).scalars().first()
    cohort = db.session.execute(select(Cohort).where(Cohort.status == "published")).scalars().first()
    programme = db.session.execute(select(Programme)).scalars().first()
    summer = db.session.execute(select(Meeting.slug).where(Meeting.kind == "summer")).scalar_one()
    summer_id = db.session.execute(select(Meeting.id).where(Meeting.kind == "summer")).scalar_one()
    keynote = db.session.execute(select(Speaker).where(Speaker.name == "Anna Kowalski")).scalar_one()
    from mipevents.followup.models import Story, Survey
    story = db.session.execute(select(Story).where(Story.item_id.is_not(None))).scalar_one()
    survey = db.session.execute(select(Survey)).scalars().first()
    public = ["/", "/meetings/winter-2025/", "/meetings/winter-2025/agenda", "/meetings/winter-2025/agenda?kind=panel",
              "/meetings/winter-2025/agenda?day=nonsense", f"/meetings/winter-2025/sessions/{item.id}",
              "/meetings/winter-2025/speakers", f"/speakers/{speaker.id}", "/meetings/winter-2025/agenda/changes",
              "/meetings/winter-2025/showcase", "/meetings/winter-2025/showcase/stage", "/meetings/winter-2025/showcase/practice",
              "/ideas/", "/webinars/", f"/webinars/{webinar.slug}/", f"/webinars/{webinar.slug}/register", "/calls/",
              f"/calls/{call.slug}/", f"/calls/{call.slug}/apply", f"/cohorts/{cohort.slug}/", f"/programmes/{programme.slug}/",
              "/api/", "/no-such-page", "/staff/login", f"/meetings/{summer}/register",
              "/stories/", f"/stories/{story.id}-{story.slug}", f"/meetings/winter-2025/sessions/{story.item_id}",
              f"/meetings/winter-2025/sessions/{visit.id}"]
    staff = ["/staff/", f"/staff/meetings/{item.meeting_id}", f"/staff/meetings/{item.meeting_id}/agenda",
             f"/staff/meetings/{item.meeting_id}/registrations/", f"/staff/meetings/{item.meeting_id}/registrations/check-in",
             f"/staff/showcase/{showcase.id}", "/meetings/winter-2025/showcase/control", f"/staff/calls/{call.id}/applications",
             "/staff/audit", "/staff/webinars/", f"/staff/cohorts/{cohort.id}",
             f"/staff/meetings/{summer_id}/invitations", "/staff/speakers/changes", f"/staff/meetings/{summer_id}/print",
             f"/staff/meetings/{summer_id}/tents", f"/staff/meetings/{summer_id}/briefing/{keynote.person_id}",
             "/staff/registrations/?q=a", "/staff/registrations/?status=confirmed&kind=meeting",
             f"/staff/registrations/{registration_id()}/edit", f"/staff/meetings/{item.meeting_id}/registrations/message",
             f"/staff/webinars/{webinar.id}/registrants", f"/staff/webinars/{webinar.id}/edit",
             f"/staff/after/session/{story.item_id}", f"/staff/after/slot/{showcase_slot_id()}",
             f"/staff/after/webinar/{webinar.id}", f"/staff/after/surveys/{survey.id}/results",
             f"/staff/after/followup/meeting/{item.meeting_id}", f"/staff/after/followup/webinar/{webinar.id}",
             f"/staff/meetings/{summer_id}/preview", f"/staff/meetings/{summer_id}/preview/agenda",
             f"/staff/sessions/{item.id}/preview", f"/staff/sessions/{item.id}/edit?find-q=mayor",
             f"/staff/meetings/{summer_id}/edit", f"/staff/calls/{call.id}/edit",
             f"/staff/registrations/{registration_id()}/cancel", f"/staff/webinars/{webinar.id}/message",
             f"/staff/showcase/{showcase.id}?find-q=mayor", f"/staff/showcase/slots/{showcase_slot_id()}/edit?find-q=a"]
    return public, staff


def registration_id() -> int:
    from mipevents.registration.models import Registration

    return db.session.execute(select(Registration.id).where(Registration.meeting_id.is_not(None)).order_by(Registration.id)).scalars().first()


def showcase_slot_id() -> int:
    from mipevents.showcase.models import ShowcaseSlot

    return db.session.execute(select(ShowcaseSlot.id).order_by(ShowcaseSlot.id)).scalars().first()


def _private_pages():
    """A registrant's manage page, an applicant's private page, an invited speaker's page and briefing
    book, and a follow-up page (its survey, files and opt-out), through fresh tokens."""
    from mipevents.agenda.models import Invitation
    from mipevents.calls.models import Application
    from mipevents.people.services import mint_token
    from mipevents.registration import services
    from mipevents.registration.models import Registration
    from mipevents.webinars.models import Webinar

    webinar = db.session.execute(select(Webinar)).scalars().first()
    outcome = services.register(webinar, {"first_name": "Ada", "last_name": "Mayor", "email": "ada@city.gov", "role": "mayor",
                                          "title": "Mayor", "organization": "City", "city": "Madison", "state": "WI"})
    application = db.session.execute(select(Application).order_by(Application.id)).scalars().first()
    manage = mint_token(outcome.registration.person, "manage", outcome.registration.id)
    private = mint_token(application.person, "application", application.id)
    invitation = db.session.execute(select(Invitation).where(Invitation.status == "invited").order_by(Invitation.id)).scalars().first()
    invited = mint_token(invitation.speaker.person, "invitation", invitation.id)
    from mipevents.workflows.invitations import invite_presenter
    presenting = invite_presenter(webinar.presenter_links[0], actor=None)          # a webinar's presenter
    presenter = mint_token(presenting.speaker.person, "invitation", presenting.id)
    from mipevents.followup.models import Survey
    attendee = db.session.get(Survey, db.session.execute(select(Survey.id)).scalars().first()).item.meeting
    registration = db.session.execute(select(Registration).where(Registration.meeting_id == attendee.id)
                                      .order_by(Registration.id)).scalars().first()
    followup = mint_token(registration.person, "survey", registration.id)
    withdrawn = mint_token(registration.person, "survey", registration.id)
    from mipevents.people.models import Token
    from mipevents.people.services import token_hash
    db.session.execute(select(Token).where(Token.token_hash == token_hash(withdrawn))).scalar_one().revoked_at = utcnow()
    from mipevents.meetings.models import Meeting
    summer = db.session.execute(select(Meeting).where(Meeting.kind == "summer")).scalar_one()
    attending = services.register(summer, {"first_name": "Ada", "last_name": "Mayor", "email": "ada@city.gov", "role": "mayor",
                                           "city": "Madison", "state": "WI", "extras_asked": True, "extras": []})
    meeting_manage = mint_token(attending.registration.person, "manage", attending.registration.id)
    # The scheduler consent pages: the person's approval page, and the one-click removals' confirmations.
    from mipevents.calls.services import ask_scheduler
    from mipevents.registration import schedulers
    outcome.registration.scheduler_email = "aide@city.gov"
    application.scheduler_email = "clerk@city.gov"
    approval = schedulers.ask(outcome.registration.person_id, "helper@city.gov", registration_id=outcome.registration.id)
    ask_scheduler(application, "helper@city.gov")
    consent = mint_token(outcome.registration.person, "approval", approval.id)
    # A cohort member's private page of their cohorts' events (the demo's cohorts, one webinar of theirs).
    from mipevents.cohorts.models import Cohort
    from mipevents.cohorts.services import add_member
    for cohort in db.session.execute(select(Cohort)).scalars():
        add_member(cohort, {"email": "ada@city.gov", "name": "Ada Mayor", "city": "Madison", "state": "WI"}, actor=None)
    from datetime import UTC, date, datetime, timedelta

    from mipevents.agenda.models import AgendaItem
    from mipevents.meetings.models import Meeting
    start = datetime(2027, 3, 2, 15, 0, tzinfo=UTC)
    academy = Meeting(slug="cohort-academy", name="Cohort academy", kind="academy", status="published",
                      starts_on=date(2027, 3, 2), ends_on=date(2027, 3, 3), timezone="America/Chicago", cohort_id=cohort.id)
    db.session.add_all([academy, AgendaItem(meeting=academy, title="Zoning labs", kind="workshop", starts_at=start,
                                            ends_at=start + timedelta(hours=1), status="published"),
                        Webinar(slug="cohort-call", title="Cohort call", starts_at=start, ends_at=start + timedelta(hours=1),
                                status="published", cohort_id=cohort.id)])
    db.session.flush()
    services.register(db.session.execute(select(Webinar).where(Webinar.slug == "cohort-call")).scalar_one(),
                      {"first_name": "Ada", "last_name": "Mayor", "email": "ada@city.gov", "role": "mayor"})
    member = mint_token(outcome.registration.person, "member")
    db.session.commit()
    return [f"/manage/{manage}", f"/manage/{meeting_manage}", "/manage/no-such-link", "/manage/lost-link",
            f"/meetings/{summer.slug}/register/check-your-email", f"/webinars/{webinar.slug}/register/thanks",
            f"/calls/application/{private}", f"/speakers/invitation/{invited}",
            f"/speakers/invitation/{invited}/briefing", f"/speakers/invitation/{invited}/materials",
            f"/speakers/invitation/{presenter}", f"/consent/{consent}", f"/manage/{manage}/scheduler/remove",
            f"/calls/application/{private}/scheduler/remove", f"/cohort/{member}",
            f"/followup/{followup}", f"/followup/{followup}/unsubscribe", "/followup/lost-link",
            f"/followup/{withdrawn}"]


def test_every_kind_of_page_is_valid_html(app, client, login_as, tmp_path):
    checker = _checker()
    load_demo()
    db.session.commit()
    public, staff = _paths()
    public += _private_pages()
    pages = {path: client.get(path) for path in public}
    login_as("admin")
    pages.update({path: client.get(path) for path in staff})
    expected = {"/no-such-page": 404, "/meetings/winter-2025/agenda?day=nonsense": 400, "/manage/no-such-link": 404,
                public[-1]: 410}   # a withdrawn follow-up link: its page says so
    assert {path: r.status_code for path, r in pages.items()} == {path: expected.get(path, 200) for path in pages}
    files = {}
    for n, (path, response) in enumerate(pages.items()):
        target = tmp_path / f"page{n:02d}.html"
        target.write_bytes(response.data)
        files[target.name] = path
    result = subprocess.run([*checker, "--errors-only", "--format", "json", *map(str, sorted(tmp_path.glob("*.html")))],
                            capture_output=True, text=True, timeout=300)
    messages = json.loads(result.stderr or "{}").get("messages", []) if result.stderr.strip().startswith("{") else []
    errors = [f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}:{m.get('lastLine')}: {m.get('message')}"
              for m in messages]
    assert errors == [], "\n".join(errors)
    assert result.returncode == 0, result.stderr[-2000:]
