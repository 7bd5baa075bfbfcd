"""Showcase pages over HTTP: the public line-up and recap, ideas, the displays' state with its ETag,
the practice timer, the control page and its actions, and the staff line-up screens."""
import re
from datetime import date

from sqlalchemy import select

from mipevents.extensions import db
from mipevents.showcase import queries, services
from mipevents.showcase.models import ShowcaseRun, ShowcaseSlot
from mipevents.speakers.models import Speaker

FUTURE = {"starts_on": date(2099, 1, 22), "ends_on": date(2099, 1, 24)}


def url(meeting, tail=""):
    return f"/meetings/{meeting.slug}/showcase{tail}"


# -- public line-up ------------------------------------------------------------------------------

def test_lineup_lists_published_presenters_in_order_with_planned_times(client, make_meeting, make_showcase):
    meeting, item, slots = make_showcase(meeting=make_meeting(**FUTURE), presenters=3,
                                         statuses=["published", "draft", "published"])
    db.session.commit()
    response = client.get(url(meeting))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Mayor Number 2" not in page                      # a draft slot stays private
    assert page.index("Mayor Number 1") < page.index("Mayor Number 3")
    rows = re.findall(r'<td class="nowrap">([^<]+)</td>', page)
    assert rows == ["10:45 AM ET", "10:48 AM ET"]              # 180 s + 15 s changeover, rounded to the minute
    assert "City 1, WI" in page
    assert "Summary 1" not in page                           # summaries are for the recap
    # The meeting's tabs, with this one current.
    assert f'<li><a href="/meetings/{meeting.slug}/showcase" aria-current="page">Innovation Showcase</a></li>' in page
    assert f'<li><a href="/meetings/{meeting.slug}/agenda">Agenda</a></li>' in page


def test_lineup_is_cached_by_agenda_version(client, make_meeting, make_showcase):
    meeting, item, slots = make_showcase(meeting=make_meeting(**FUTURE), presenters=1)
    db.session.commit()
    first = client.get(url(meeting))
    again = client.get(url(meeting), headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    services.update_slot(slots[0], {"title": "A better title"})
    db.session.commit()
    changed = client.get(url(meeting), headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200
    assert "A better title" in changed.get_data(as_text=True)


def test_lineup_becomes_the_recap_after_the_meeting(client, make_showcase):
    meeting, item, slots = make_showcase(presenters=2)     # the factory's meeting is in January 2025
    slots[0].link_url = "https://example.org/write-up"
    db.session.commit()
    page = client.get(url(meeting)).get_data(as_text=True)
    assert "ideas to take home" in page
    assert "Summary 1" in page and "Summary 2" in page
    assert 'href="https://example.org/write-up"' in page


def test_lineup_of_a_draft_meeting_or_without_showcase_is_404(client, make_meeting, make_showcase):
    draft, _, _ = make_showcase(meeting=make_meeting(status="draft"))
    empty = make_meeting()
    db.session.commit()
    assert client.get(url(draft)).status_code == 404
    assert client.get(url(empty)).status_code == 404


def test_lineup_query_count_does_not_grow_with_presenters(client, app, make_meeting, make_showcase, count_queries):
    small, _, _ = make_showcase(meeting=make_meeting(**FUTURE), presenters=2)
    large, _, _ = make_showcase(meeting=make_meeting(**FUTURE), presenters=20)
    db.session.commit()
    app.config["CACHE_TYPE"] = "NullCache"
    counts = []
    for meeting in (small, large):
        with count_queries() as q:
            assert client.get(url(meeting)).status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1]


def test_ideas_browse_by_topic(client, make_showcase):
    make_showcase(presenters=3)
    db.session.commit()
    page = client.get("/ideas/").get_data(as_text=True)
    assert "Housing (2)" in page and "Climate (1)" in page
    climate = client.get("/ideas/?topic=Climate").get_data(as_text=True)
    assert "Idea 2" in climate and "Idea 1" not in climate
    assert client.get("/ideas/?topic=Nothing").status_code == 404


# -- the displays' state ---------------------------------------------------------------------------

def test_state_json_answers_304_when_unchanged_and_moves_on_with_the_run(client, make_showcase, login_as):
    meeting, item, slots = make_showcase(presenters=2)
    db.session.commit()
    first = client.get(url(meeting, "/state.json"))
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "no-cache"
    assert float(first.headers["X-Server-Time-Ms"]) > 0
    assert first.json["status"] == "idle"
    etag = first.headers["ETag"]
    unchanged = client.get(url(meeting, "/state.json"), headers={"If-None-Match": etag})
    assert (unchanged.status_code, unchanged.get_data()) == (304, b"")
    assert "X-Server-Time-Ms" in unchanged.headers
    login_as("staff")
    assert client.post(url(meeting, "/control/start")).status_code == 303
    moved = client.get(url(meeting, "/state.json"), headers={"If-None-Match": etag})
    assert moved.status_code == 200
    assert (moved.json["status"], moved.json["slot"]["id"]) == ("running", slots[0].id)


def test_state_json_unchanged_costs_one_query(client, make_showcase, count_queries):
    meeting, item, slots = make_showcase(presenters=2)
    db.session.commit()
    etag = client.get(url(meeting, "/state.json")).headers["ETag"]
    with count_queries() as q:
        assert client.get(url(meeting, "/state.json"), headers={"If-None-Match": etag}).status_code == 304
    assert q.count == 1


def test_stage_and_practice_are_public(client, make_showcase):
    meeting, item, slots = make_showcase(presenters=2)
    db.session.commit()
    stage = client.get(url(meeting, "/stage"))
    assert stage.status_code == 200
    assert 'data-remaining-ms="180000"' in stage.get_data(as_text=True)
    practice = client.get(url(meeting, f"/practice?slot={slots[1].id}"))
    assert practice.status_code == 200
    assert "Idea 2" in practice.get_data(as_text=True)
    assert client.get(url(meeting, "/practice?slot=999999")).status_code == 404


# -- control ----------------------------------------------------------------------------------------

def test_control_is_for_staff_only(client, make_showcase, login_as):
    meeting, item, slots = make_showcase(presenters=1)
    db.session.commit()
    assert client.get(url(meeting, "/control")).status_code == 302
    assert client.post(url(meeting, "/control/start")).status_code == 302
    assert db.session.query(ShowcaseRun).count() == 0
    login_as("reviewer")
    assert client.get(url(meeting, "/control")).status_code == 403
    assert client.post(url(meeting, "/control/start")).status_code == 403


def test_control_actions_as_plain_forms_and_as_json(client, make_showcase, login_as):
    meeting, item, slots = make_showcase(presenters=2)
    db.session.commit()
    login_as("staff")
    page = client.get(url(meeting, "/control"))
    assert page.status_code == 200
    response = client.post(url(meeting, "/control/start"))
    assert (response.status_code, response.headers["Location"]) == (303, url(meeting, f"/control?session={item.id}"))
    response = client.post(url(meeting, "/control/pause"), headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert response.json["status"] == "paused"
    assert 0 < response.json["remaining_ms"] <= 180_000
    conflict = client.post(url(meeting, "/control/pause"), headers={"Accept": "application/json"})
    assert (conflict.status_code, conflict.json["error"]) == (409, "conflict")
    assert client.post(url(meeting, "/control/pause")).status_code == 409
    assert client.post(url(meeting, "/control/explode")).status_code == 404


def test_control_actions_need_the_csrf_token(make_app, make_showcase):
    from mipevents.accounts.services import create_user

    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        meeting, item, slots = make_showcase(presenters=1)
        create_user("csrf@mipevents.test", "correct horse battery staple")
        db.session.commit()
        slug = meeting.slug
    client = app.test_client()
    login_page = client.get("/staff/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    assert client.post("/staff/login", data={"email": "csrf@mipevents.test", "password": "correct horse battery staple",
                                             "csrf_token": token}).status_code == 302
    control = client.get(f"/meetings/{slug}/showcase/control").get_data(as_text=True)
    token = re.search(r'<meta name="csrf-token" content="([^"]+)"', control).group(1)
    assert client.post(f"/meetings/{slug}/showcase/control/start", headers={"Accept": "application/json"}).status_code == 400
    ok = client.post(f"/meetings/{slug}/showcase/control/start", headers={"Accept": "application/json", "X-CSRFToken": token})
    assert (ok.status_code, ok.json["status"]) == (200, "running")


# -- staff line-up ----------------------------------------------------------------------------------

def test_staff_lineup_shows_fit_and_overrun(client, make_showcase, login_as):
    meeting, item, slots = make_showcase(presenters=4, minutes=10)
    db.session.commit()
    login_as("staff")
    page = client.get(f"/staff/showcase/{item.id}").get_data(as_text=True)
    assert "it overruns by 2:45" in page


def test_staff_add_presenter_validates_and_saves(client, make_showcase, login_as):
    meeting, item, slots = make_showcase(presenters=1)
    db.session.commit()
    login_as("staff")
    bad = client.post(f"/staff/showcase/{item.id}/slots", data={"speaker_id": "0", "title": "", "link_url": "javascript:x"})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert "Give the idea a title." in page
    assert "Choose a speaker or type the presenter" in page
    assert "Enter a full web address" in page
    assert db.session.query(ShowcaseSlot).count() == 1
    good = client.post(f"/staff/showcase/{item.id}/slots", data={
        "speaker_id": "0", "presenter_name": "Mayor New", "city": "Ames", "state": "IA", "title": "Snow routes",
        "position": "1"})
    assert good.status_code == 303
    assert [s.presenter_name for s in queries.lineup(item)] == ["Mayor New", "Mayor Number 1"]


def test_staff_move_edit_remove_and_timing(client, make_showcase, login_as):
    meeting, item, slots = make_showcase(presenters=3)
    db.session.commit()
    ids = [s.id for s in slots]
    login_as("staff")
    assert client.post(f"/staff/showcase/slots/{ids[2]}/move", data={"direction": "up"}).status_code == 303
    assert [s.id for s in queries.lineup(item)] == [ids[0], ids[2], ids[1]]
    assert client.post(f"/staff/showcase/slots/{ids[2]}/move", data={"direction": "sideways"}).status_code == 400
    edit = client.post(f"/staff/showcase/slots/{ids[0]}/edit", data={
        "speaker_id": "0", "presenter_name": "Mayor Number 1", "title": "Renamed", "duration_seconds": "5",
        "status": "published"})
    assert edit.status_code == 422
    assert "Enter a length from 10 to 3600 seconds." in edit.get_data(as_text=True)
    edit = client.post(f"/staff/showcase/slots/{ids[0]}/edit", data={
        "speaker_id": "0", "presenter_name": "Mayor Number 1", "title": "Renamed", "duration_seconds": "240",
        "status": "draft"})
    assert edit.status_code == 303
    db.session.expire_all()
    assert (db.session.get(ShowcaseSlot, ids[0]).title, db.session.get(ShowcaseSlot, ids[0]).seconds) == ("Renamed", 240)
    assert client.post(f"/staff/showcase/slots/{ids[1]}/remove").status_code == 303
    assert client.post(f"/staff/showcase/{item.id}/timing", data={"slot_seconds": "0", "changeover_seconds": "15"}).status_code == 422
    assert client.post(f"/staff/showcase/{item.id}/timing", data={"slot_seconds": "120", "changeover_seconds": "10"}).status_code == 303
    db.session.expire_all()
    assert [s.id for s in queries.lineup(item)] == [ids[0], ids[2]]
    assert (item.slot_seconds, item.changeover_seconds) == (120, 10)


def test_staff_reorder_json(client, make_showcase, login_as):
    meeting, item, slots = make_showcase(presenters=3)
    db.session.commit()
    ids = [s.id for s in slots]
    login_as("staff")
    ok = client.post(f"/staff/showcase/{item.id}/reorder", json={"order": [ids[2], ids[1], ids[0]]})
    assert (ok.status_code, ok.json) == (200, {"order": [ids[2], ids[1], ids[0]]})
    bad = client.post(f"/staff/showcase/{item.id}/reorder", json={"order": [ids[2]]})
    assert bad.status_code == 422


def test_run_of_show_and_report(client, make_showcase, login_as):
    meeting, item, slots = make_showcase(presenters=2)
    db.session.commit()
    login_as("staff")
    sheet = client.get(f"/staff/showcase/{item.id}/run-of-show").get_data(as_text=True)
    assert re.findall(r'<td class="nowrap">([^<]+)</td>', sheet) == ["10:45 AM", "10:48 AM"]
    client.post(url(meeting, "/control/start"))
    client.post(url(meeting, "/control/next"))
    report = client.get(f"/staff/showcase/{item.id}/report")
    assert report.status_code == 200
    assert "Total (1 of 2 presented)" in report.get_data(as_text=True)


def test_staff_pages_need_login(client, make_showcase):
    meeting, item, slots = make_showcase(presenters=1)
    db.session.commit()
    for path in ("/staff/showcase/", f"/staff/showcase/{item.id}", f"/staff/showcase/{item.id}/report",
                 f"/staff/showcase/{item.id}/run-of-show", f"/staff/showcase/slots/{slots[0].id}/edit"):
        assert client.get(path).status_code == 302, path


def test_state_json_of_a_draft_showcase_is_for_staff_only(client, make_meeting, make_showcase, login_as):
    meeting, item, slots = make_showcase(meeting=make_meeting(status="draft"), presenters=1)
    db.session.commit()
    assert client.get(url(meeting, f"/state.json?session={item.id}")).status_code == 404
    login_as("staff")
    response = client.get(url(meeting, f"/state.json?session={item.id}"))
    assert (response.status_code, response.json["next"]["presenter"]) == (200, "Mayor Number 1")
    assert response.headers["Cache-Control"] == "private, no-cache"


def test_demo_showcase_pages_render(app, client, login_as):
    from sqlalchemy import select

    from mipevents.agenda.models import AgendaItem

    assert app.test_cli_runner().invoke(args=["demo"]).exit_code == 0
    winter = client.get("/meetings/winter-2025/showcase")
    assert winter.status_code == 200
    assert "Lead service lines replaced in four years" in winter.get_data(as_text=True)
    ideas = client.get("/ideas/").get_data(as_text=True)
    assert "Water affordability" in ideas
    for path in ("/meetings/winter-2025/showcase/stage", "/meetings/winter-2025/showcase/state.json",
                 "/meetings/winter-2025/showcase/practice"):
        assert client.get(path).status_code == 200, path
    login_as("staff")
    item_id = db.session.execute(select(AgendaItem.id).where(AgendaItem.kind == "showcase")
                                 .order_by(AgendaItem.starts_at)).scalars().first()
    for path in ("/meetings/winter-2025/showcase/control", "/staff/showcase/", f"/staff/showcase/{item_id}",
                 f"/staff/showcase/{item_id}/run-of-show", f"/staff/showcase/{item_id}/report"):
        assert client.get(path).status_code == 200, path
    # Every demo presenter can be edited with their speaker profile kept.
    for slot in queries.lineup(db.session.get(AgendaItem, item_id)):
        page = client.get(f"/staff/showcase/slots/{slot.id}/edit").get_data(as_text=True)
        assert f'<option selected value="{slot.speaker_id}">' in page
        saved = client.post(f"/staff/showcase/slots/{slot.id}/edit", data={
            "speaker_id": str(slot.speaker_id), "presenter_name": slot.presenter_name, "city": slot.city,
            "state": slot.state, "title": slot.title, "summary": slot.summary, "topic": slot.topic,
            "status": slot.status})
        assert saved.status_code == 303, slot.title


def test_control_action_from_a_stale_page_is_409(client, make_showcase, login_as):
    meeting, item, slots = make_showcase(presenters=3)
    db.session.commit()
    login_as("staff")
    assert client.post(url(meeting, "/control/start"), data={"version": "0"}).status_code == 303
    assert client.post(url(meeting, "/control/next"), headers={"X-Run-Version": "1", "Accept": "application/json"}).status_code == 200
    stale = client.post(url(meeting, "/control/next"), headers={"X-Run-Version": "1", "Accept": "application/json"})
    assert (stale.status_code, stale.json["error"]) == (409, "conflict")
    assert "moved on meanwhile" in stale.json["message"]


def test_public_pages_only_read(client, app, make_showcase, count_queries):
    meeting, item, slots = make_showcase(presenters=3)
    db.session.commit()
    app.config["CACHE_TYPE"] = "NullCache"
    with count_queries() as q:
        for path in (url(meeting), url(meeting, "/stage"), url(meeting, "/state.json"), url(meeting, "/practice"), "/ideas/"):
            assert client.get(path).status_code == 200, path
    assert [s.split()[0].upper() for s in q.statements if not s.lstrip().upper().startswith("SELECT")] == []


def test_the_slot_speaker_picker_searches_every_profile_on_the_server(client, login_as, make_showcase):
    meeting, item, slots = make_showcase(presenters=1)
    for n in range(40):         # more profiles than a list shows whole
        db.session.add(Speaker(name=f"Mayor Filler {n:02}", city="Elsewhere"))
    ruiz = Speaker(name="Ana Ruiz", city="Tacoma", state="WA")
    db.session.add(ruiz)
    db.session.commit()
    login_as("staff")
    lineup = client.get(f"/staff/showcase/{item.id}").get_data(as_text=True)
    assert "Ana Ruiz" not in lineup and 'name="find-q"' in lineup
    found = client.get(f"/staff/showcase/{item.id}?find-q=tacoma").get_data(as_text=True)
    assert "1 speaker matches “tacoma”: pick one in the form below." in found
    assert f'<option selected value="{ruiz.id}">Ana Ruiz (Tacoma, WA)</option>' in found
    # The post carries only the id the search found; it is a choice because it names a profile.
    added = client.post(f"/staff/showcase/{item.id}/slots", data={"speaker_id": str(ruiz.id), "title": "Bus lanes"})
    assert added.status_code == 303
    slot = db.session.execute(select(ShowcaseSlot).where(ShowcaseSlot.title == "Bus lanes")).scalar_one()
    assert (slot.speaker_id, slot.presenter_name) == (ruiz.id, "Ana Ruiz")
    gone = client.post(f"/staff/showcase/{item.id}/slots", data={"speaker_id": "99999", "title": "Ghost"})
    assert gone.status_code == 422 and "Not a valid choice." in gone.get_data(as_text=True)
    # Editing keeps the slot's speaker selected whatever the search lists.
    edit = client.get(f"/staff/showcase/slots/{slot.id}/edit?find-q=filler+07").get_data(as_text=True)
    assert f'<option selected value="{ruiz.id}">' in edit and "Mayor Filler 07" in edit and "Mayor Filler 08" not in edit
