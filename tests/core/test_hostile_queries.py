"""Property test: hostile values in every public query parameter (and the staff lists' own) never
make a 5xx; the API answers its 4xx in its one envelope."""
from datetime import UTC, date, datetime

from hypothesis import event, given, settings
from hypothesis import strategies as st

from mipevents.calls.models import Call
from mipevents.extensions import db
from tests.support.hostile import PIECES, PROPERTY, days, numbers, query

# Every public page or feed that reads its query string, with the parameters it reads; {m} is a
# published meeting's slug, {w} a webinar's.
PUBLIC = {
    "/meetings/{m}/agenda": ("day", "track", "kind"),
    "/meetings/{m}/agenda.ics": ("day", "track", "kind"),
    "/api/v1/meetings/{m}/sessions": ("day", "track", "kind", "limit", "offset"),
    "/api/v1/meetings": ("limit", "offset"),
    "/api/v1/webinars": ("limit", "offset"),
    "/api/v1/meetings/{m}/speakers": ("limit", "offset"),
    "/meetings/{m}/showcase/state.json": ("session",),
    "/meetings/{m}/showcase/practice": ("session", "slot"),
    "/ideas/": ("topic",),
    "/staff/login": ("next",),
}
STAFF = {
    "/staff/speakers/": ("q", "page"),
    "/staff/meetings/{mid}/registrations/": ("q", "type", "status", "page"),
    "/staff/meetings/{mid}/registrations/check-in": ("q", "expected", "done", "page"),
    "/staff/registrations/": ("q", "status", "type", "kind", "page"),
    "/staff/meetings/{mid}/agenda": ("day",),
    "/staff/meetings/{mid}/sessions/new": ("day", "room"),
    "/staff/calls/{cid}/applications": ("status", "sort", "dir"),
}


def values():
    return st.one_of(st.sampled_from(PIECES), numbers(), days(), st.text(max_size=20),
                     st.sampled_from(["panel", "PANEL", "Housing", "2025-01-22", "0", "-1", "/", "//evil.example",
                                      "/%0d/x", "https://evil.example/"]))


def _place(client, make_meeting, make_item, login_as):
    if not hasattr(client, "slugs"):
        meeting = make_meeting(starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24))
        make_item(meeting, kind="showcase", track="Housing")
        call = Call(slug="showcase-call", title="Present at the showcase", kind="showcase", meeting_id=meeting.id,
                    status="published", opens_at=datetime(2024, 11, 1, tzinfo=UTC),
                    deadline_at=datetime(2024, 12, 1, tzinfo=UTC), timezone="America/Chicago")
        db.session.add(call)
        db.session.commit()
        client.slugs = {"m": meeting.slug, "mid": meeting.id, "cid": call.id}
        login_as("staff")
    return client.slugs


@settings(PROPERTY, max_examples=100)   # GETs are cheap: more examples over the pages
@given(st.data())
def test_no_query_string_makes_a_5xx(client, make_meeting, make_item, login_as, data):
    slugs = _place(client, make_meeting, make_item, login_as)
    path, names = data.draw(st.sampled_from(sorted({**PUBLIC, **STAFF}.items())), label="page")
    chosen = data.draw(st.lists(st.sampled_from([*names, "x"]), min_size=1, max_size=4), label="parameters")
    params = {name: data.draw(values(), label=name) for name in chosen}

    response = client.get(path.format(**slugs) + "?" + query(params))

    event(f"answered {response.status_code}")
    assert response.status_code < 500, (path, params)
    if path.startswith("/api/") and response.status_code >= 400:
        assert set(response.get_json()) <= {"error", "message", "errors"}
