"""The import command on malformed files (kept in import_cases/): each is refused with a message that
names the place of every problem and a non-zero exit, never a traceback, and the database is left as
it was. --dry-run says what an import would change and writes nothing."""
import json
from pathlib import Path

from sqlalchemy import func, select

from mipevents.agenda.models import AgendaItem, AgendaRelease
from mipevents.extensions import db
from mipevents.meetings.models import Meeting, Room
from mipevents.people.models import Person
from mipevents.registration.models import Registration
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar

CASES = Path(__file__).resolve().parent / "import_cases"

# What each malformed file is answered with (after "Error: "); {file} is its path.
EXPECTED = {
    "capacity-fraction": "nothing imported: rooms[1].capacity: should be a whole number or null, not 1.5",
    "capacity-huge": "nothing imported: rooms[0].capacity: 2147483648 is more than 100,000",
    "capacity-negative": "nothing imported: rooms[0].capacity: “-1” is not a number of seats, or null",
    "empty": "{file} is not valid JSON: Expecting value: line 1 column 1 (char 0)",
    "end-before-start": "nothing imported: meeting.end: before “start”",
    "id-too-long": "nothing imported: sessions[0].id: keep this to 70 characters or fewer.",
    "impossible-date": "nothing imported: meeting.start: “2026-02-30” is not a date (YYYY-MM-DD)",
    "join-url-javascript": "nothing imported: webinars[0].join_url: “javascript:alert(1)” is not a web address (https://…)",
    "join-url-with-space": "nothing imported: webinars[0].join_url: “https://meet.example.org/j/1 <script>” is not a web "
                           "address (https://…)",
    "latitude-alone": "nothing imported: sessions[0]: “latitude” without “longitude”",
    "latitude-nan": "nothing imported: sessions[0].latitude: not a number of degrees",
    "latin-1": "{file} is not UTF-8 text (byte 23 cannot be read)",
    "lightning-seconds-huge": "nothing imported: sessions[1].lightning[0].seconds: 86400 is more than 3,600",
    "lightning-speaker-unknown": "nothing imported: sessions[1].lightning[0].speaker: “s9” is not the id of one of "
                                 "“speakers”",
    "lone-surrogate": "nothing imported: sessions[0].title: contains a character that is not valid text.",
    "minutes-as-text": 'nothing imported: sessions[0].minutes: should be a whole number, not "60"',
    "minutes-huge": "nothing imported: sessions[0].minutes: 99999999999999999999 is more than 10,080",
    "minutes-true": "nothing imported: sessions[0].minutes: should be a whole number, not true",
    "minutes-zero": "nothing imported: sessions[0].minutes: “0” is not a number of minutes (1 or more)",
    "missing-sessions": "nothing imported: the file: missing “sessions”",
    "name-only-controls": "nothing imported: meeting.name: empty once spaces and control characters are left out",
    "name-too-long": "nothing imported: meeting.name: keep this to 200 characters or fewer.",
    "nested-deep": "{file} is not valid JSON: it is nested too deeply",
    "registrant-email": "nothing imported: registrants[0].email: “nobody” is not an email address",
    "registrant-webinar-unknown": "nothing imported: registrants[0].webinar: “w9” is not the id of one of “webinars”",
    "room-name-twice": "nothing imported: rooms[1].name: “Salon A” is already the name of rooms[0]",
    "room-unknown": "nothing imported: sessions[0].room: “nowhere” is not the id of one of “rooms”",
    "session-id-twice": "nothing imported: sessions[1].id: “x0” is already the id of sessions[0]",
    "session-in-year-1": "nothing imported: sessions[0].start: 0001-01-01T10:00:00 is not between the years 1990 and 2100",
    "several-problems": "nothing imported, 3 problems:\n"
                        "  meeting.timezone: “Mars/Olympus” is not an IANA time zone (America/Chicago)\n"
                        "  sessions[0].room: “nowhere” is not the id of one of “rooms”\n"
                        "  webinars[0].capacity: 1000000 is more than 100,000",
    "slug-path": "nothing imported: meeting.slug: “../../etc passwd <script>” is not a slug (lower-case letters, digits "
                 "and hyphens)",
    "slug-too-long": "nothing imported: meeting.slug: keep this to 80 characters or fewer.",
    "speaker-email-twice": "nothing imported: speakers[1].email: “Kim.Norton@Example.org” is already the email of speakers[0]",
    "speaker-twice-on-a-session": "nothing imported: sessions[0].speakers[1].id: “s0” is already the speaker of "
                                  "sessions[0].speakers[0]",
    "speaker-unknown": "nothing imported: sessions[0].speakers[1].id: “s9” is not the id of one of “speakers”",
    "title-empty": "nothing imported: sessions[1].title: “” is not a non-empty text",
    "top-level-list": "nothing imported: the file: should be an object ({…}), not [1, 2]",
    "trailing-garbage": "{file} is not valid JSON: Extra data: line 1 column 1465 (char 1464)",
    "truncated": "{file} is not valid JSON: Expecting property name enclosed in double quotes: line 1 column 36 (char 35)",
    "unknown-field": "nothing imported: meeting: unknown field “colour”",
    "unknown-zone": "nothing imported: meeting.timezone: “Mars/Olympus” is not an IANA time zone (America/Chicago)",
    "webinar-month-13": "nothing imported: webinars[0].start: “2026-13-01T12:00:00” is not a date and time "
                        "(YYYY-MM-DDTHH:MM:SS)",
    "year-9999": "nothing imported: meeting.end: 9999-01-01 is not between the years 1990 and 2100",
}


def _counts():
    models = (Meeting, Room, Speaker, Person, AgendaItem, ShowcaseSlot, Webinar, Registration, AgendaRelease)
    return {m.__name__: db.session.execute(select(func.count()).select_from(m)).scalar_one() for m in models}


def _import(app, path, *options):
    return app.test_cli_runner().invoke(args=["meetings", "import", str(path), *options])


def test_every_case_file_is_listed_with_its_answer():
    assert sorted(p.stem for p in CASES.glob("*.json")) == sorted([*EXPECTED, "valid"])
    assert len(EXPECTED) >= 30


def test_each_malformed_file_is_refused_by_the_place_of_its_problems_and_changes_nothing(app):
    assert _import(app, CASES / "valid.json", "--with-registrants").exit_code == 0
    before = _counts()
    answers = {}
    for name in EXPECTED:
        path = CASES / f"{name}.json"
        result = _import(app, path, "--with-registrants")
        db.session.rollback()
        assert "Traceback" not in result.output, name
        assert result.exception is None or isinstance(result.exception, SystemExit), (name, result.exception)
        answers[name] = (result.exit_code, result.output)
    assert answers == {name: (1, "Error: " + message.replace("{file}", str(CASES / f"{name}.json")) + "\n")
                       for name, message in EXPECTED.items()}
    assert _counts() == before


def test_a_dry_run_says_what_would_change_and_writes_nothing(app, tmp_path):
    before = _counts()
    first = _import(app, CASES / "valid.json", "--dry-run")
    assert first.exit_code == 0
    assert first.stdout.splitlines() == [
        "winter-2026: would be created 1 meetings, 2 rooms, 2 speakers, 2 sessions, 2 session speakers, "
        "1 showcase slots, 1 webinars", "Would publish release 1 of the agenda.", "Dry run: nothing was written."]
    assert _counts() == before

    assert _import(app, CASES / "valid.json").exit_code == 0
    changed = json.loads((CASES / "valid.json").read_text(encoding="utf-8"))
    changed["sessions"][0]["title"] = "Zoning reform:\r\nwhat works\u0000 now"
    (tmp_path / "changed.json").write_text(json.dumps(changed), encoding="utf-8")
    imported = _counts()

    again = _import(app, tmp_path / "changed.json", "--dry-run")

    assert again.exit_code == 0
    assert again.stdout.splitlines()[0] == "winter-2026: would be updated 1 sessions"
    assert _counts() == imported
    title = db.session.execute(select(AgendaItem.title).where(AgendaItem.external_id == "x0")).scalar_one()
    assert title == "Zoning reform: what works"
    assert _import(app, tmp_path / "changed.json").exit_code == 0
    assert db.session.execute(select(AgendaItem.title).where(AgendaItem.external_id == "x0")).scalar_one() == \
        "Zoning reform: what works now"   # as the text rule keeps it: one line, no NUL
