"""The personal feed put together from kept fragments: the same bytes as building it from the models,
cold and warm; a change to the agenda, a choice, a webinar or a membership shows at once; join links
stay out of the shared cache and out of anyone else's feed; a constant number of queries whatever the
agenda's size."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, update

from mipevents.agenda.models import AgendaItem
from mipevents.cohorts.models import Cohort, CohortMember, Programme
from mipevents.core import http_cache
from mipevents.extensions import cache, db
from mipevents.feeds import events, ics, personal
from mipevents.meetings.models import Room
from mipevents.meetings.services import touch
from mipevents.people.models import Person
from mipevents.people.services import mint_token
from mipevents.registration.models import Registration, SessionChoice
from mipevents.workflows.importer import import_meeting
from tests.workflows.test_importer import dataset

HOST = "mipevents.test"


def _register(person, *, meeting=None, webinar=None, status="confirmed"):
    registration = Registration(person_id=person.id, meeting_id=getattr(meeting, "id", None),
                                webinar_id=getattr(webinar, "id", None), status=status,
                                first_name="Pat", last_name="Example", email=person.email)
    db.session.add(registration)
    db.session.flush()
    return registration


def _choose(registration, *items):
    for item in items:
        db.session.add(SessionChoice(registration_id=registration.id, item_id=item.id))
    db.session.flush()


def _cohort(slug="fellows"):
    programme = Programme(slug=f"{slug}-programme", name="Fellows")
    db.session.add(programme)
    db.session.flush()
    cohort = Cohort(programme_id=programme.id, slug=f"{slug}-2025", name="Fellows 2025", status="published")
    db.session.add(cohort)
    db.session.flush()
    return cohort


def _reference(app, person_id) -> bytes:
    """The feed built from the models alone, as it was built before fragments were kept."""
    site = events.Site.from_config(app.config)
    person = db.session.get(Person, person_id)
    return ics.subscribed_calendar(person.name, personal.personal_events(person, site), site)


def _forget_everything():
    cache.clear()
    http_cache.forget_local()


@pytest.fixture
def busy_person(app, make_person, make_meeting, make_item, make_webinar, make_speaker, make_room):
    """A person with a bit of everything the feed holds, across two zones and the repeated hour."""
    person = make_person(email="mayor@city.gov", name="Kim Norton")
    meeting = make_meeting(starts_on=date(2025, 11, 1), ends_on=date(2025, 11, 3), timezone="America/New_York")
    room = make_room(meeting, "Ballroom")
    speaker = make_speaker(name="Ana Ruiz", position="Mayor of Tacoma, WA")
    plenary = make_item(meeting, at=datetime(2025, 11, 1, 9, 0), kind="plenary", room=room,
                        speakers=[(speaker, "moderator")], description="Opening, with a long description " * 6)
    repeated_hour = make_item(meeting, at=datetime(2025, 11, 2, 1, 30), kind="workshop", title="Night owls")
    chosen = make_item(meeting, at=datetime(2025, 11, 2, 10, 0), kind="workshop", title="Zoning; reform, etc.")
    make_item(meeting, at=datetime(2025, 11, 2, 10, 0), kind="workshop")          # not chosen
    cancelled = make_item(meeting, at=datetime(2025, 11, 3, 9, 0), kind="plenary", status="cancelled", sequence=2)
    draft = make_item(meeting, at=datetime(2025, 11, 3, 11, 0), kind="plenary", status="draft")
    registration = _register(person, meeting=meeting)
    _choose(registration, chosen, repeated_hour, draft)

    waiting_at = make_meeting(timezone="America/Chicago")                           # waitlisted: tentative
    make_item(waiting_at, kind="reception")
    _register(person, meeting=waiting_at, status="waitlisted")

    elsewhere = make_meeting(timezone="America/Los_Angeles")                       # speaking, not registered
    me = make_speaker(email="mayor@city.gov")
    talk = make_item(elsewhere, speakers=[(me, "keynote")])
    make_item(elsewhere, kind="plenary")

    confirmed = make_webinar(join_url="https://meet.example.org/j/confirmed-1")
    waiting = make_webinar(join_url="https://meet.example.org/j/waiting-2")
    _register(person, webinar=confirmed)
    _register(person, webinar=waiting, status="pending")

    cohort = _cohort()
    db.session.add(CohortMember(cohort_id=cohort.id, person_id=person.id, name="Mayor Kim Norton"))
    cohort_webinar = make_webinar(cohort_id=cohort.id, join_url="https://meet.example.org/j/cohort-3")
    both = make_webinar(cohort_id=cohort.id, join_url="https://meet.example.org/j/both-4")
    _register(person, webinar=both)                                                # cohort's, and registered
    cohort_meeting = make_meeting(cohort_id=cohort.id)
    token = mint_token(person, "feed")
    db.session.commit()
    return {"person": person, "token": token, "meeting": meeting, "plenary": plenary, "chosen": chosen,
            "speaker": speaker, "room": room, "confirmed": confirmed, "waiting": waiting, "talk": talk,
            "cancelled": cancelled, "cohort": cohort, "cohort_webinar": cohort_webinar, "both": both,
            "cohort_meeting": cohort_meeting, "registration": registration, "repeated_hour": repeated_hour}


def test_the_feed_is_byte_for_byte_the_one_built_from_the_models_cold_and_warm(app, client, busy_person, read_feed):
    url = f"/calendar/{busy_person['token']}.ics"
    expected = _reference(app, busy_person["person"].id)

    cold = client.get(url)
    warm = client.get(url)
    _forget_everything()
    again = client.get(url)

    assert cold.status_code == warm.status_code == again.status_code == 200
    assert cold.data == expected
    assert warm.data == expected
    assert again.data == expected
    assert cold.headers["ETag"] == warm.headers["ETag"]
    events = read_feed(cold.data)
    b = busy_person
    assert {uid: e["status"] for uid, e in events.items()} == {
        f"session-{b['plenary'].id}@{HOST}": "CONFIRMED", f"session-{b['chosen'].id}@{HOST}": "CONFIRMED",
        f"session-{b['repeated_hour'].id}@{HOST}": "CONFIRMED", f"session-{b['cancelled'].id}@{HOST}": "CANCELLED",
        **{f"session-{i.id}@{HOST}": "TENTATIVE" for i in _receptions_where_waitlisted(b["person"])},
        f"session-{b['talk'].id}@{HOST}": "CONFIRMED",
        f"webinar-{b['confirmed'].id}@{HOST}": "CONFIRMED", f"webinar-{b['waiting'].id}@{HOST}": "TENTATIVE",
        f"webinar-{b['cohort_webinar'].id}@{HOST}": "CONFIRMED", f"webinar-{b['both'].id}@{HOST}": "CONFIRMED",
        f"meeting-{b['cohort_meeting'].id}@{HOST}": "CONFIRMED",
    }
    assert events[f"session-{b['repeated_hour'].id}@{HOST}"]["start"] == "2025-11-02T05:30:00Z"   # the first 1:30
    assert events[f"webinar-{b['both'].id}@{HOST}"]["location"] == "https://meet.example.org/j/both-4"
    assert b"waiting-2" not in cold.data
    assert b"cohort-3" not in cold.data


def _receptions_where_waitlisted(person):
    meeting_ids = select(Registration.meeting_id).where(Registration.person_id == person.id,
                                                        Registration.status == "waitlisted")
    return db.session.execute(select(AgendaItem).where(AgendaItem.meeting_id.in_(meeting_ids))).scalars().all()


def test_a_zone_without_a_yearly_rule_over_the_feed_is_written_in_utc_as_before(
        app, client, make_person, make_meeting, make_item, read_feed):
    # US daylight saving moved in 2007: no yearly rule covers 2006 and 2008 (see test_ics).
    person = make_person()
    meeting = make_meeting(timezone="America/New_York", starts_on=date(2006, 3, 13), ends_on=date(2008, 3, 12))
    early = make_item(meeting, at=datetime(2006, 3, 13, 9, 0))
    late = make_item(meeting, at=datetime(2008, 3, 12, 9, 0))
    _choose(_register(person, meeting=meeting), early, late)
    token = mint_token(person, "feed")
    db.session.commit()

    body = client.get(f"/calendar/{token}.ics").data

    assert body == _reference(app, person.id)
    assert b"BEGIN:VTIMEZONE" not in body
    assert read_feed(body)[f"session-{late.id}@{HOST}"]["start"] == "2008-03-12T13:00:00Z"


def test_agenda_choice_webinar_and_membership_changes_show_at_once(app, client, busy_person, read_feed):
    b = busy_person
    url = f"/calendar/{b['token']}.ics"
    seen = [client.get(url)]

    def after(change):
        change()
        db.session.commit()
        response = client.get(url)
        assert response.status_code == 200
        assert response.data == _reference(app, b["person"].id)
        assert response.headers["ETag"] not in {r.headers["ETag"] for r in seen}
        assert client.get(url, headers={"If-None-Match": seen[-1].headers["ETag"]}).status_code == 200
        seen.append(response)
        return read_feed(response.data)

    def rename_session():
        b["chosen"].title = "Zoning reform, renamed"
        b["chosen"].sequence += 1
        touch(b["meeting"])
    assert after(rename_session)[f"session-{b['chosen'].id}@{HOST}"]["summary"] == "Zoning reform, renamed"

    def rename_room():      # the room is not the session's row: the meeting's version carries it
        b["room"].name = "Grand Hall"
        touch(b["meeting"])
    assert after(rename_room)[f"session-{b['plenary'].id}@{HOST}"]["location"].startswith("Grand Hall")

    def new_speaker_title():
        b["speaker"].position = "Former mayor of Tacoma, WA"
        touch(b["meeting"])
    assert "Former mayor of Tacoma" in after(new_speaker_title)[f"session-{b['plenary'].id}@{HOST}"]["description"]

    def unpick():
        db.session.execute(SessionChoice.__table__.delete().where(SessionChoice.item_id == b["chosen"].id))
    assert f"session-{b['chosen'].id}@{HOST}" not in after(unpick)

    def new_join_link():
        b["confirmed"].join_url = "https://meet.example.org/j/moved-5"
    assert after(new_join_link)[f"webinar-{b['confirmed'].id}@{HOST}"]["location"] == "https://meet.example.org/j/moved-5"

    def confirm_the_waitlisted_webinar():
        db.session.execute(update(Registration).where(Registration.webinar_id == b["waiting"].id)
                           .values(status="confirmed"))
    assert after(confirm_the_waitlisted_webinar)[f"webinar-{b['waiting'].id}@{HOST}"]["location"] \
        == "https://meet.example.org/j/waiting-2"

    def leave_the_cohort():
        db.session.execute(CohortMember.__table__.delete().where(CohortMember.person_id == b["person"].id))
    events = after(leave_the_cohort)
    assert f"webinar-{b['cohort_webinar'].id}@{HOST}" not in events
    assert f"meeting-{b['cohort_meeting'].id}@{HOST}" not in events
    assert f"webinar-{b['both'].id}@{HOST}" in events              # still registered there


def test_clearing_the_shared_cache_retires_every_kept_fragment(app, client, busy_person):
    url = f"/calendar/{busy_person['token']}.ics"
    before = client.get(url).data
    # A repair straight in the database, which moves no version: only clearing the cache shows it.
    db.session.execute(update(Room).where(Room.id == busy_person["room"].id).values(name="Repaired"))
    db.session.commit()
    assert client.get(url).data == before

    cache.clear()

    assert b"LOCATION:Repaired" in client.get(url).data


def test_join_links_stay_out_of_the_shared_cache_and_other_feeds(app, client, make_person, make_webinar):
    webinar = make_webinar(join_url="https://meet.example.org/j/secret-9")
    owner, waiting, member = make_person(), make_person(), make_person()
    _register(owner, webinar=webinar)
    _register(waiting, webinar=webinar, status="waitlisted")
    webinar.cohort_id = _cohort().id
    db.session.add(CohortMember(cohort_id=webinar.cohort_id, person_id=member.id, name="Member"))
    tokens = {who: mint_token(person, "feed") for who, person in
              (("owner", owner), ("waiting", waiting), ("member", member))}
    db.session.commit()

    bodies = {who: client.get(f"/calendar/{token}.ics").data for who, token in tokens.items()}

    assert b"secret-9" in bodies["owner"]
    assert b"secret-9" not in bodies["waiting"]
    assert b"secret-9" not in bodies["member"]
    stored = cache.cache._cache                      # SimpleCache: key -> (expiry, pickled value)
    assert stored, "the public sessions' fragments and the generation are there"
    assert not [key for key, (_, value) in stored.items() if b"secret-9" in value]


def test_an_erased_person_has_no_feed(app, client, make_person, make_webinar):
    person = make_person()
    _register(person, webinar=make_webinar())
    token = mint_token(person, "feed")
    db.session.commit()
    assert client.get(f"/calendar/{token}.ics").status_code == 200

    db.session.execute(update(Person).where(Person.id == person.id).values(erased_at=datetime(2025, 1, 1, tzinfo=UTC)))
    db.session.commit()

    assert client.get(f"/calendar/{token}.ics").status_code == 404


@pytest.mark.slow
def test_the_feed_costs_the_same_queries_on_the_small_and_the_large_agenda(app, client, make_person, make_webinar,
                                                                          count_queries):
    """Cold (nothing kept: every fragment built) and warm (all kept): two queries warm, whose feed
    the token opens and what it holds, whatever the agenda's size."""
    counts = {}
    for scale in ("small", "large"):
        meeting = import_meeting(dataset(scale)).meeting
        panels = db.session.execute(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id,
                                                             AgendaItem.kind == "panel")
                                    .order_by(AgendaItem.id)).scalars().all()
        person = make_person()
        _choose(_register(person, meeting=meeting), *panels[:4])
        _register(person, webinar=make_webinar())
        token, person_id = mint_token(person, "feed"), person.id
        db.session.commit()
        url = f"/calendar/{token}.ics"

        _forget_everything()
        db.session.expunge_all()
        with count_queries() as cold:
            first = client.get(url)
        db.session.expunge_all()
        with count_queries() as warm:
            second = client.get(url)
        assert first.status_code == second.status_code == 200
        assert first.data == second.data == _reference(app, person_id)
        counts[scale] = (cold.count, warm.count)

    assert counts["small"] == counts["large"]
    assert counts["large"][1] == 2


def test_registrants_of_one_meeting_share_its_sessions_but_not_their_status(client, make_person, make_meeting,
                                                                           make_item, read_feed):
    meeting = make_meeting()
    plenary = make_item(meeting, kind="plenary")
    firm, waiting = make_person(), make_person()
    _register(firm, meeting=meeting)
    _register(waiting, meeting=meeting, status="waitlisted")
    tokens = [mint_token(firm, "feed"), mint_token(waiting, "feed")]
    db.session.commit()

    statuses = [read_feed(client.get(f"/calendar/{t}.ics").data)[f"session-{plenary.id}@{HOST}"]["status"]
                for t in tokens + tokens]

    assert statuses == ["CONFIRMED", "TENTATIVE", "CONFIRMED", "TENTATIVE"]
