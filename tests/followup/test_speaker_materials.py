"""A speaker attaches slides and links to their own sessions and showcase slots through their private
invitation link: listed types only (SVG and HTML refused), the route's own size limit, nothing on a
session that is not theirs or that they declined, downloads as attachments, registrants-only files
only through a registrant's private link; staff see who added what; erasing the speaker removes it."""
import io
from datetime import date

import pytest
from sqlalchemy import select

from mipevents.agenda import invitations
from mipevents.agenda.models import SessionSpeaker
from mipevents.extensions import db
from mipevents.followup.models import Material
from mipevents.people.services import mint_token, revoke_tokens
from mipevents.registration.models import Registration
from mipevents.showcase.models import ShowcaseSlot
from mipevents.workflows.erasure import erase_person
from tests.followup import files


@pytest.fixture
def speaker_link(make_meeting, make_item, make_speaker):
    """Kim speaks on a panel (invited, with her private link) and presents a showcase idea; Lee's
    panel and the panel Kim declined are not hers to attach anything to."""
    meeting = make_meeting(status="published", starts_on=date(2025, 1, 22), ends_on=date(2025, 1, 24))
    kim = make_speaker(name="Kim Norton", email="kim@tacoma.example")
    lee = make_speaker(name="Lee Park", email="lee@dubuque.example")
    panel = make_item(meeting, title="Flood finance", speakers=[(kim, "panelist")])
    declined = make_item(meeting, title="Zoning", speakers=[(kim, "panelist")])
    other = make_item(meeting, title="Lead lines", speakers=[(lee, "panelist")])
    showcase = make_item(meeting, kind="showcase", title="Innovation Showcase")
    slot = ShowcaseSlot(item_id=showcase.id, speaker_id=kim.id, presenter_name="Kim Norton", title="Stormwater credits")
    db.session.add(slot)
    links = {s.item_id: s for s in db.session.execute(select(SessionSpeaker)).scalars()}
    invitation = invitations.invite(links[panel.id], actor=None)
    invitations.respond(invitations.invite(links[declined.id], actor=None), "declined", "Away")
    token = mint_token(kim.person, "invitation", invitation.id)
    db.session.commit()
    return {"token": token, "kim": kim, "panel": panel, "declined": declined, "other": other, "slot": slot,
            "meeting": meeting}


def _post(client, token, target, data=None, name="deck.pdf", **fields):
    form = {"target": target, "title": fields.pop("title", "Flood finance slides"), "kind": fields.pop("kind", "file"),
            **fields}
    if data is not None:
        form["file"] = (io.BytesIO(data), name)
    return client.post(f"/speakers/invitation/{token}/materials", data=form, content_type="multipart/form-data")


def test_a_speaker_attaches_slides_and_a_link_and_staff_see_who_did(client, login_as, speaker_link):
    token, panel, slot, meeting = (speaker_link[k] for k in ("token", "panel", "slot", "meeting"))
    page = client.get(f"/speakers/invitation/{token}/materials")
    assert (page.status_code, page.headers["Cache-Control"], page.headers["Referrer-Policy"]) == (
        200, "no-store", "no-referrer")
    options = page.get_data(as_text=True)
    assert f'<option value="session:{panel.id}">Flood finance ({meeting.name})</option>' in options
    assert f'<option value="slot:{slot.id}">' in options
    assert "Zoning" not in options and "Lead lines" not in options
    assert "Your slides and links" in client.get(f"/speakers/invitation/{token}").get_data(as_text=True)

    assert _post(client, token, f"session:{panel.id}", files.PDF, "../x.svg").status_code == 303
    assert _post(client, token, f"slot:{slot.id}", kind="recording", title="My talk, recorded",
                 url="https://video.example.org/kim").status_code == 303
    deck, talk = db.session.execute(select(Material).order_by(Material.id)).scalars().all()
    assert (deck.item_id, deck.added_by_speaker_id, deck.filename, deck.is_public) == (
        panel.id, speaker_link["kim"].id, "Flood-finance-slides.pdf", True)
    assert (talk.slot_id, talk.kind, talk.added_by_speaker_id) == (slot.id, "recording", speaker_link["kim"].id)

    download = client.get(f"/materials/{deck.id}/{deck.filename}")
    assert (download.data, download.headers["Content-Disposition"]) == (
        files.PDF, 'attachment; filename="Flood-finance-slides.pdf"')
    session_page = client.get(f"/meetings/{meeting.slug}/sessions/{panel.id}").get_data(as_text=True)
    assert f'<a href="/materials/{deck.id}/Flood-finance-slides.pdf" download>Flood finance slides</a>' in session_page

    login_as("staff")
    staff_page = client.get(f"/staff/after/session/{panel.id}").get_data(as_text=True)
    assert "<td>Mayor Kim Norton (speaker) · " in staff_page
    client.post("/staff/logout")

    # Registrants-only slides: never on a public URL, only through a registrant's private link.
    assert _post(client, token, f"session:{panel.id}", files.PDF, registrants_only="y", title="Backup").status_code == 303
    backup = db.session.execute(select(Material).where(Material.title == "Backup")).scalar_one()
    assert backup.is_public is False
    assert client.get(f"/materials/{backup.id}/{backup.filename}").status_code == 404
    assert backup.filename not in client.get(f"/meetings/{meeting.slug}/sessions/{panel.id}").get_data(as_text=True)
    registration = Registration(person=speaker_link["kim"].person, meeting_id=meeting.id, status="confirmed",
                                first_name="Kim", last_name="Norton", email="kim@tacoma.example")
    db.session.add(registration)
    db.session.flush()
    followup = mint_token(registration.person, "survey", registration.id)
    db.session.commit()
    private = client.get(f"/followup/{followup}/files/{backup.id}")
    assert (private.status_code, private.data, private.headers["Cache-Control"]) == (200, files.PDF, "private, no-store")


REFUSED = [
    ("panel", files.SVG, "slides.svg", {}, "This file is not a PDF, PowerPoint, Word, Excel or OpenDocument file."),
    ("panel", files.HTML, "slides.pdf", {}, "This file is not a PDF, PowerPoint, Word, Excel or OpenDocument file."),
    ("panel", files.PDF + b"0" * 1024, "deck.pdf", {}, "The file is too large: at most 1 KB."),
    ("other", files.PDF, "deck.pdf", {}, "Choose one of your sessions."),
    ("declined", files.PDF, "deck.pdf", {}, "Choose one of your sessions."),
    ("panel", None, "", {"kind": "link", "url": "javascript:alert(1)"},
     "Enter a web address starting with https:// or http://.")]


def test_what_a_speaker_may_not_attach_is_refused_with_a_message(make_app, speaker_link):
    app = make_app(SPEAKER_MATERIAL_MAX_BYTES=1024)    # the route's own limit
    with app.app_context():
        client = app.test_client()
        for item, data, name, extra, message in REFUSED:
            response = _post(client, speaker_link["token"], f"session:{speaker_link[item].id}", data, name, **extra)
            assert (response.status_code, message in response.get_data(as_text=True)) == (422, True), message
        too_big = _post(client, speaker_link["token"], f"session:{speaker_link['panel'].id}",
                        b"%PDF-" + b"0" * (300 * 1024))
        assert too_big.status_code == 413
        assert db.session.execute(select(Material)).first() is None


def test_a_speaker_removes_only_their_own_a_revoked_link_opens_nothing_and_erasure_takes_theirs(
        client, login_as, speaker_link):
    token, panel = speaker_link["token"], speaker_link["panel"]
    assert _post(client, token, f"session:{panel.id}", files.PDF).status_code == 303
    mine = db.session.execute(select(Material)).scalar_one()
    staff = login_as("staff")
    client.post(f"/staff/after/session/{panel.id}/materials",
                data={"title": "Staff notes", "kind": "link", "url": "https://example.org/notes"})
    client.post("/staff/logout")
    staffs = db.session.execute(select(Material).where(Material.id != mine.id)).scalar_one()
    assert staffs.added_by_user_id == staff.id
    assert client.post(f"/speakers/invitation/{token}/materials/{staffs.id}/remove").status_code == 404
    assert client.post(f"/speakers/invitation/{token}/materials/{mine.id}/remove").status_code == 303
    assert db.session.execute(select(Material.id)).scalars().all() == [staffs.id]

    assert _post(client, token, f"session:{panel.id}", files.PDF).status_code == 303
    revoke_tokens(speaker_link["kim"].person, "invitation")
    db.session.commit()
    assert client.get(f"/speakers/invitation/{token}/materials").status_code == 404
    assert _post(client, token, f"session:{panel.id}", files.PDF).status_code == 404

    # Erasing the speaker removes what they added (and the pages that showed it move on); staff's stays.
    version = speaker_link["meeting"].agenda_version
    report = erase_person(speaker_link["kim"].person, actor=None)
    db.session.commit()
    assert report.done["materials they added as a speaker deleted"] == 1
    assert db.session.execute(select(Material.id)).scalars().all() == [staffs.id]
    assert speaker_link["meeting"].agenda_version == version + 1
