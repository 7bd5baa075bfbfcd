"""Time zones: the pickers offer the canonical zones (US first), never the ~600 names with their aliases,
and migration 0011 rewrites stored aliases to the canonical names; a fixed offset stays as it is."""
import importlib.util
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade
from lxml import html

from mipevents import create_app
from mipevents.core.timeutil import ZONE_ALIASES, canonical_zones
from mipevents.extensions import db
from tests.conftest import _settings
from tests.trust.test_migration_0007 import _insert

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def test_the_canonical_zones_put_the_us_first_and_leave_out_aliases():
    us, others = canonical_zones()
    assert us[:7] == ("America/New_York", "America/Chicago", "America/Denver", "America/Phoenix",
                      "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu")
    assert {"America/Detroit", "America/Indiana/Indianapolis", "America/Boise"} <= set(us)
    assert {"Europe/Oslo", "Asia/Kolkata", "UTC"} <= set(others) and others[-1] == "UTC"
    assert not {"US/Eastern", "Asia/Calcutta", "America/Indianapolis", "EST5EDT", "Etc/GMT+5"} & set(us + others)
    assert 400 < len(us) + len(others) < 460


def test_the_meeting_form_offers_them_grouped_and_keeps_a_stored_fixed_offset(client, login_as, make_meeting):
    odd = make_meeting(timezone="Etc/GMT+5")
    db.session.commit()
    login_as("admin")
    page = html.fromstring(client.get(f"/staff/meetings/{odd.id}/edit").data)
    groups = page.xpath("//select[@name='timezone']/optgroup")
    assert [g.get("label") for g in groups] == ["United States", "Elsewhere"]
    assert groups[0].xpath("option")[0].text == "America/New York (ET)"
    assert page.xpath("//select[@name='timezone']//option[@selected]/@value") == ["Etc/GMT+5"]
    assert page.xpath("//select[@name='timezone']//option[@value='US/Eastern']") == []


def test_migration_0011_rewrites_stored_aliases_to_canonical_names(empty_database_url):
    app = create_app(_settings(empty_database_url))
    with app.app_context():
        upgrade(revision="0011_session_locations")
        with db.engine.begin() as conn:
            for slug, zone in (("m1", "US/Eastern"), ("m2", "America/Chicago"), ("m3", "Etc/GMT+5")):
                _insert(conn, "meetings", slug=slug, timezone=zone, status="published", kind="winter",
                        starts_on=date(2026, 1, 21), ends_on=date(2026, 1, 22), capacity=None, cohort_id=None,
                        external_id=None, updated_at=NOW)
            _insert(conn, "webinars", slug="w1", title="Water", status="published", timezone="Asia/Calcutta",
                    starts_at=NOW, ends_at=NOW + timedelta(hours=1), cohort_id=None, meeting_id=None,
                    capacity=None, external_id=None, updated_at=NOW)
        edited = sa.text("SELECT slug, updated_at FROM meetings")
        with db.engine.connect() as conn:
            before = dict(conn.execute(edited).all())
        upgrade()
        with db.engine.connect() as conn:
            meetings = dict(conn.execute(sa.text("SELECT slug, timezone FROM meetings")).all())
            webinar = conn.execute(sa.text("SELECT timezone FROM webinars")).scalar_one()
            after = dict(conn.execute(edited).all())
        assert meetings == {"m1": "America/New_York", "m2": "America/Chicago", "m3": "Etc/GMT+5"}
        assert webinar == "Asia/Kolkata"
        assert [slug for slug in sorted(after) if after[slug] != before[slug]] == ["m1"]   # caches rebuild its pages
        db.engine.dispose()


def test_every_model_stores_an_alias_as_its_canonical_name(make_meeting, make_webinar):
    meeting, webinar = make_meeting(timezone="US/Eastern"), make_webinar()
    webinar.timezone = "Asia/Calcutta"
    db.session.commit()
    assert (meeting.timezone, webinar.timezone) == ("America/New_York", "Asia/Kolkata")
    us, others = canonical_zones()
    assert set(ZONE_ALIASES.values()) <= set(us + others) and not set(ZONE_ALIASES) & set(us + others)
    # The migration keeps its own literal copy, written from the same map.
    spec = importlib.util.spec_from_file_location("m0012", Path(__file__).resolve().parents[2]
                                                  / "mipevents/migrations/versions/0012_canonical_zones.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert migration.ALIASES == ZONE_ALIASES
