"""Materials on sessions, showcase slots and webinars: only listed types by their bytes (SVG, HTML
under a PDF's name and other zips refused with 4xx), per-route size limits, downloads as attachments
with safe names, registrants-only files never on a public URL, and on the public pages."""
import io

import pytest
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.followup.models import Material
from tests.followup import files


@pytest.fixture
def session(make_meeting, make_item):
    meeting = make_meeting(status="published")
    item = make_item(meeting, title="Flood finance")
    db.session.commit()
    return item


def _upload(client, item, data, name, **fields):
    form = {"title": fields.pop("title", "Panel slides"), "kind": "file", "file": (io.BytesIO(data), name), **fields}
    return client.post(f"/staff/after/session/{item.id}/materials", data=form, content_type="multipart/form-data")


def test_slides_are_kept_and_downloaded_as_an_attachment_with_a_safe_name(client, login_as, session):
    login_as("staff")
    response = _upload(client, session, files.PDF, "../../etc/passwd.html", title='Slides: "Flood" <finance> / 2025')
    assert response.status_code == 303
    material = db.session.execute(select(Material)).scalar_one()
    assert (material.content_type, material.filename, material.size) == (
        "application/pdf", "Slides-Flood-finance-2025.pdf", len(files.PDF))
    download = client.get(f"/materials/{material.id}/{material.filename}")
    assert download.status_code == 200
    assert download.data == files.PDF
    assert download.headers["Content-Disposition"] == 'attachment; filename="Slides-Flood-finance-2025.pdf"'
    assert (download.mimetype, download.headers["X-Content-Type-Options"]) == ("application/pdf", "nosniff")
    page = client.get(f"/meetings/{session.meeting.slug}/sessions/{session.id}").get_data(as_text=True)
    assert f'<a href="/materials/{material.id}/Slides-Flood-finance-2025.pdf" download>' in page


@pytest.mark.parametrize(("part", "content_type", "extension"), [
    ("ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
    ("word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")])
def test_office_documents_are_known_by_their_contents(client, login_as, session, part, content_type, extension):
    login_as("staff")
    assert _upload(client, session, files.office(part), "deck.bin").status_code == 303
    material = db.session.execute(select(Material)).scalar_one()
    assert (material.content_type, material.filename) == (content_type, f"Panel-slides.{extension}")


@pytest.mark.parametrize(("data", "name"), [(files.SVG, "slides.svg"), (files.HTML, "slides.pdf"),
                                            (files.plain_zip(), "slides.pptx"), (b"", "empty.pdf")])
def test_svg_html_and_unknown_files_are_refused(client, login_as, session, data, name):
    login_as("staff")
    response = _upload(client, session, data, name)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert ("This file is not a PDF, PowerPoint, Word, Excel or OpenDocument file." in page
            or "The file is empty." in page)
    assert db.session.execute(select(Material)).first() is None


def test_size_limits_are_set_per_route(app, client, login_as, session):
    app.config["MATERIAL_MAX_BYTES"] = 4096
    login_as("staff")
    over_the_limit = files.PDF + b"%" * 4096
    response = _upload(client, session, over_the_limit, "big.pdf")
    assert response.status_code == 422
    assert "The file is too large: at most 4 KB." in response.get_data(as_text=True)
    # Far past the limit the request itself is refused before it is read, with 413.
    assert _upload(client, session, files.PDF + b"%" * 1024 * 1024, "huge.pdf").status_code == 413
    # The material route takes more than the site-wide limit allows other forms.
    app.config["MATERIAL_MAX_BYTES"] = app.config["MAX_CONTENT_LENGTH"] * 2
    big = files.PDF + b"%" * (app.config["MAX_CONTENT_LENGTH"] + 1024)
    assert _upload(client, session, big, "big.pdf").status_code == 303


def test_a_registrants_only_file_is_never_on_a_public_url(client, login_as, session):
    login_as("staff")
    assert _upload(client, session, files.PDF, "s.pdf", registrants_only="y").status_code == 303
    material = db.session.execute(select(Material)).scalar_one()
    assert material.is_public is False
    assert client.get(f"/materials/{material.id}/{material.filename}").status_code == 404
    page = client.get(f"/meetings/{session.meeting.slug}/sessions/{session.id}").get_data(as_text=True)
    assert "/materials/" not in page


def test_a_speaker_s_page_lists_the_materials_of_their_sessions(client, login_as, make_meeting, make_item, make_speaker):
    speaker = make_speaker(name="Elena Rivera")
    meeting = make_meeting(status="published")
    panel = make_item(meeting, title="Flood finance", speakers=[(speaker, "panelist")])
    db.session.commit()
    login_as("staff")
    assert _upload(client, panel, files.PDF, "s.pdf", title="Flood slides").status_code == 303
    material = db.session.execute(select(Material)).scalar_one()
    page = client.get(f"/speakers/{speaker.id}").get_data(as_text=True)
    assert f'<li><a href="/materials/{material.id}/Flood-slides.pdf" download>Flood slides</a></li>' in page


def test_links_must_be_web_addresses_and_recordings_show_on_the_page(client, login_as, session):
    login_as("staff")
    url = f"/staff/after/session/{session.id}/materials"
    bad = client.post(url, data={"title": "Video", "kind": "recording", "url": "javascript:alert(1)"})
    assert bad.status_code == 422
    assert "Enter a web address starting with https:// or http://." in bad.get_data(as_text=True)
    assert client.post(url, data={"title": "Video", "kind": "recording", "url": "https://video.example.org/1"}).status_code == 303
    page = client.get(f"/meetings/{session.meeting.slug}/sessions/{session.id}").get_data(as_text=True)
    assert '<a href="https://video.example.org/1" rel="noopener">Recording: Video</a>' in page


def test_materials_of_a_draft_session_are_not_public(client, login_as, make_meeting, make_item):
    meeting = make_meeting(status="published")
    draft = make_item(meeting, status="draft")
    db.session.commit()
    login_as("staff")
    assert _upload(client, draft, files.PDF, "s.pdf").status_code == 303
    material = db.session.execute(select(Material)).scalar_one()
    assert client.get(f"/materials/{material.id}/{material.filename}").status_code == 404
