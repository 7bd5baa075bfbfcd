def test_home_lists_published_meetings_and_hides_drafts(client, make_meeting):
    make_meeting(name="Published Meeting")
    make_meeting(name="Secret Draft", status="draft")
    make_meeting(name="Called Off", status="cancelled")
    from mipevents.extensions import db
    db.session.commit()
    page = client.get("/").get_data(as_text=True)
    assert "Published Meeting" in page
    assert "Called Off" in page and "Cancelled" in page
    assert "Secret Draft" not in page


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok", "database": "ok"})


def test_unknown_pages_get_a_friendly_404(client):
    response = client.get("/meetings/nope/")
    assert response.status_code == 404
    assert "We can't find that page" in response.get_data(as_text=True)


def test_home_lists_open_calls_with_their_deadline(client, app):
    from mipevents.calls.models import Call
    from mipevents.extensions import db
    from mipevents.workflows.demo import load_demo

    load_demo()
    db.session.commit()
    call = db.session.execute(db.select(Call).where(Call.status == "published").order_by(Call.deadline_at)).scalars().first()
    page = client.get("/").get_data(as_text=True)
    assert "Open calls" in page
    assert f'href="/calls/{call.slug}/"' in page
    assert "days left" in page
