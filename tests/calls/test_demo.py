"""The demo holds a programme with an open cohort call and a showcase call for the Summer Meeting."""
from datetime import timedelta

from sqlalchemy import select

from mipevents.calls.deadlines import time_left
from mipevents.calls.models import Application, Call
from mipevents.core.timeutil import to_local, utcnow
from mipevents.extensions import db


def test_the_demo_has_an_open_cohort_call_and_showcase_proposals(app, client):
    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    now = utcnow()
    calls = db.session.execute(select(Call).order_by(Call.id)).scalars().all()
    assert [c.kind for c in calls] == ["cohort", "showcase"]
    assert all(c.is_open(now) for c in calls)
    cohort_call, showcase_call = calls
    # 11:59 PM in the organisation's zone, three weeks after the demo's "today".
    deadline = to_local(cohort_call.deadline_at, "America/Chicago")
    assert (deadline.date(), deadline.hour, deadline.minute) == (now.date() + timedelta(days=21), 23, 59)
    assert showcase_call.meeting.kind == "summer"
    proposals = db.session.execute(select(Application).where(Application.call_id == showcase_call.id)).scalars().all()
    assert len(proposals) == 3 and {p.status for p in proposals} == {"submitted"}
    html = client.get("/calls/").get_data(as_text=True)
    assert cohort_call.title.replace("'", "&#39;") in html
    assert f"— {time_left(cohort_call.deadline_at - now)}" in html
    published = [c for c in cohort_call.cohort.programme.cohorts if c.status == "published"]
    assert len(published) == 1
    assert "Mayor Elena Rivera" in client.get(f"/cohorts/{published[0].slug}/").get_data(as_text=True)
