"""Importing generated convenings: the small and medium scales fit the schema and import, and a second
import changes nothing (the large one, slower, is imported by the query-count tests); a bad file is
refused with its problem named by its place in the file."""
from datetime import date

import pytest
from sqlalchemy import func, select

from mipevents.agenda.models import AgendaItem, AgendaRelease
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.registration.models import Registration
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar
from mipevents.workflows import import_schema
from mipevents.workflows.generator import generate
from mipevents.workflows.importer import ImportProblem, import_meeting


def dataset(scale: str, start: str = "2025-01-22") -> dict:
    """A fresh generated convening (the default seed), for tests to import and change."""
    return generate(scale, start=date.fromisoformat(start))


def counts():
    return {model.__name__: db.session.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Meeting, AgendaItem, Speaker, ShowcaseSlot, Registration, AgendaRelease)}


@pytest.mark.parametrize("scale", ["small", "medium"])
def test_each_scale_fits_the_schema_imports_and_a_second_import_changes_nothing(app, scale):
    data = dataset(scale)
    assert import_schema.problems(data) == []
    report = import_meeting(data, with_registrants=scale == "small")
    db.session.commit()
    meeting = report.meeting
    assert meeting.status == "published"
    first = counts()
    assert first["AgendaItem"] == len(data["sessions"])
    assert first["ShowcaseSlot"] == sum(len(s.get("lightning", [])) for s in data["sessions"])
    assert first["Speaker"] == len(data["speakers"])
    version = meeting.agenda_version

    again = import_meeting(dataset(scale))
    db.session.commit()
    assert again.changed is False
    assert again.release is None
    assert counts() == first
    assert meeting.agenda_version == version


def test_an_import_stores_the_canonical_name_of_an_aliased_zone_and_a_reimport_changes_nothing(app):
    data = dataset("small")
    data["meeting"]["timezone"] = "US/Central"
    for webinar in data.get("webinars", []):
        webinar["timezone"] = "US/Central"
    report = import_meeting(data)
    db.session.commit()
    assert report.meeting.timezone == "America/Chicago"
    assert {w.timezone for w in db.session.execute(select(Webinar)).scalars()} <= {"America/Chicago"}
    assert import_meeting(data).changed is False


def test_registrants_import_for_the_meeting_and_their_webinar(app):
    data = dataset("small")
    import_meeting(data, with_registrants=True)
    db.session.commit()
    webinar_regs = sum(1 for r in data["registrants"] if r["webinar"])
    assert counts()["Registration"] == len(data["registrants"]) + webinar_regs


def test_an_import_reports_conflicts_and_loads_anyway(app):
    report = import_meeting(dataset("small"))
    assert any("two sessions at once" in w for w in report.warnings)
    assert report.meeting.status == "published"


def test_a_changed_session_updates_in_place_and_raises_its_sequence(app):
    data = dataset("small")
    import_meeting(data)
    db.session.commit()
    data["sessions"][3]["title"] = "A renamed session"
    report = import_meeting(data)
    db.session.commit()
    item = db.session.execute(select(AgendaItem).where(AgendaItem.external_id == data["sessions"][3]["id"])).scalar_one()
    assert (item.title, item.sequence) == ("A renamed session", 1)
    assert report.release.number == 2
    assert [c["type"] for c in report.release.changes] == ["renamed"]


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["sessions"][0].update(minutes=0), "sessions[0].minutes: “0” is not a number of minutes (1 or more)"),
    (lambda d: d["sessions"][1].update(room="nowhere"), "sessions[1].room: “nowhere” is not the id of one of “rooms”"),
    (lambda d: d["meeting"].update(timezone="Mars/Olympus"),
     "meeting.timezone: “Mars/Olympus” is not an IANA time zone (America/Chicago)"),
    (lambda d: d["sessions"][2].update(start="tomorrow"),
     "sessions[2].start: “tomorrow” is not a date and time (YYYY-MM-DDTHH:MM:SS)"),
    (lambda d: d["sessions"][12].update(title=""), "sessions[12].title: “” is not a non-empty text"),
    (lambda d: d["sessions"][3].update(minutes="60"), 'sessions[3].minutes: should be a whole number, not "60"'),
    (lambda d: d["speakers"][5].update(nickname="Kim"), "speakers[5]: unknown field “nickname”"),
    (lambda d: d["registrants"][7].update(email="nobody"), "registrants[7].email: “nobody” is not an email address"),
    (lambda d: d.pop("sessions"), "the file: missing “sessions”"),
    (lambda d: d.clear(), "the file: missing “meeting”\nthe file: missing “rooms”\nthe file: missing “speakers”\n"
                          "the file: missing “sessions”"),
])
def test_a_bad_file_is_refused_with_a_clear_error_and_writes_nothing(app, mutate, message):
    data = dataset("small")
    mutate(data)
    before = counts()
    with pytest.raises(ImportProblem) as caught:
        import_meeting(data)
    db.session.rollback()
    assert str(caught.value) == message
    assert counts() == before


def test_the_import_command_prints_an_error_and_exits_nonzero(app, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    result = app.test_cli_runner().invoke(args=["meetings", "import", str(bad)])
    assert result.exit_code == 1
    assert "is not valid JSON" in result.output


def test_imported_registrants_never_exceed_a_webinars_capacity(app):
    from mipevents.webinars.models import Webinar

    data = dataset("small")
    data["webinars"][0]["capacity"] = 5
    import_meeting(data, with_registrants=True)
    db.session.commit()
    webinar = db.session.execute(select(Webinar).where(Webinar.slug == data["webinars"][0]["slug"])).scalar_one()
    wanted = sum(1 for r in data["registrants"] if r["webinar"] == data["webinars"][0]["id"])
    statuses = dict(db.session.execute(select(Registration.status, func.count()).where(Registration.webinar_id == webinar.id)
                                       .group_by(Registration.status)).all())
    assert statuses == {"confirmed": 5, "waitlisted": wanted - 5}
