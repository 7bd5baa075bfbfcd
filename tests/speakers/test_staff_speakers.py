"""Staff speaker pages: profiles, and photos checked for type and size, re-encoded and resized."""
import io

from PIL import Image
from sqlalchemy import select

from mipevents.speakers.models import Speaker


def image_bytes(fmt="PNG", size=(1600, 1200), mode="RGBA"):
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def profile(**over):
    values = {"honorific": "Mayor", "name": "Ana Ruiz", "position": "Mayor of Springfield, IL", "organization": "",
              "city": "Springfield", "state": "IL", "bio": "Two terms.", "email": ""}
    values.update(over)
    return values


def test_create_a_speaker_with_a_photo_stores_a_resized_jpeg(client, login_as, db_session):
    login_as("staff")
    data = profile(email="Ana.Ruiz@example.org")
    data["photo"] = (io.BytesIO(image_bytes()), "ana.png")
    response = client.post("/staff/speakers/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 303
    speaker = db_session.execute(select(Speaker)).scalar_one()
    assert (speaker.name, speaker.email, speaker.person.email) == ("Ana Ruiz", "ana.ruiz@example.org", "ana.ruiz@example.org")
    stored = Image.open(io.BytesIO(speaker.photo))
    assert (stored.format, stored.size, speaker.photo_type, speaker.photo_version) == ("JPEG", (800, 600), "image/jpeg", 1)
    served = client.get(f"/staff/speakers/{speaker.id}/photo")
    assert (served.status_code, served.mimetype, served.data) == (200, "image/jpeg", speaker.photo)


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_saved(client, login_as, db_session):
    login_as("staff")
    data = profile()
    data["photo"] = (io.BytesIO(b"%PDF-1.4 not an image"), "cv.pdf")
    response = client.post("/staff/speakers/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "This file is not an image we can read. Upload a JPEG, PNG, WebP or GIF." in response.get_data(as_text=True)
    assert db_session.execute(select(Speaker)).scalars().all() == []


def test_an_image_of_another_type_is_refused(client, login_as, db_session):
    login_as("staff")
    data = profile()
    data["photo"] = (io.BytesIO(image_bytes("BMP", (20, 20), "RGB")), "a.bmp")
    response = client.post("/staff/speakers/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Upload a JPEG, PNG, WebP or GIF image." in response.get_data(as_text=True)


def test_a_photo_over_the_size_limit_is_refused(make_app):
    from mipevents.accounts.services import create_user
    from mipevents.extensions import db

    app = make_app(SPEAKER_PHOTO_MAX_BYTES=2048)
    with app.app_context():
        create_user("ana@mipevents.test", "correct horse battery staple")
        db.session.commit()
        client = app.test_client()
        client.post("/staff/login", data={"email": "ana@mipevents.test", "password": "correct horse battery staple"})
        data = profile()
        data["photo"] = (io.BytesIO(image_bytes("PNG", (300, 300), "RGB") + b"\0" * 3000), "big.png")
        response = client.post("/staff/speakers/new", data=data, content_type="multipart/form-data")
        assert response.status_code == 422
        assert "The photo is too large: at most 2 KB." in response.get_data(as_text=True)
        assert db.session.execute(select(Speaker)).scalars().all() == []


def test_editing_a_speaker_on_a_public_session_touches_that_meeting(client, login_as, make_meeting, make_item,
                                                                    make_speaker, db_session):
    meeting = make_meeting()
    speaker = make_speaker(name="Ana Ruiz")
    make_item(meeting, speakers=[speaker])
    version = meeting.agenda_version
    db_session.commit()
    login_as("staff")
    assert client.post(f"/staff/speakers/{speaker.id}/edit", data=profile(email=speaker.email, bio="Three terms.")).status_code == 303
    db_session.refresh(meeting)
    db_session.refresh(speaker)
    assert (speaker.bio, meeting.agenda_version) == ("Three terms.", version + 1)
    data = profile(email=speaker.email, bio="Three terms.")
    data["photo"] = (io.BytesIO(image_bytes("JPEG", (400, 500), "RGB")), "a.jpg")
    assert client.post(f"/staff/speakers/{speaker.id}/edit", data=data, content_type="multipart/form-data").status_code == 303
    db_session.refresh(speaker)
    assert speaker.photo_version == 1
    assert client.post(f"/staff/speakers/{speaker.id}/edit", data=profile(email=speaker.email, bio="Three terms.",
                                                                          remove_photo="y")).status_code == 303
    db_session.refresh(speaker)
    assert (speaker.photo_type, speaker.photo_version) == (None, 2)


def test_two_profiles_cannot_share_an_email(client, login_as, make_speaker, db_session):
    make_speaker(email="ana@example.org")
    db_session.commit()
    login_as("staff")
    response = client.post("/staff/speakers/new", data=profile(email="ANA@example.org"))
    assert response.status_code == 422
    assert "Another speaker profile already has this email." in response.get_data(as_text=True)


def test_speaker_list_searches(client, login_as, make_speaker, db_session):
    make_speaker(name="Ana Ruiz")
    make_speaker(name="Bo Lee")
    db_session.commit()
    login_as("staff")
    html = client.get("/staff/speakers/?q=ruiz").get_data(as_text=True)
    assert "Ana Ruiz" in html
    assert "Bo Lee" not in html
