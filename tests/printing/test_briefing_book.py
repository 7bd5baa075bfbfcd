"""The briefing book of the keynote mayor: every session they speak in or picked and the receptions, in
order, in the meeting's zone, with rooms, co-panelists, the moderator and their showcase slot; as a
page on their private link and as a PDF whose text says so; emailed once a week before the meeting."""
import io
import re
from datetime import UTC, datetime, timedelta

from pypdf import PdfReader

from mipevents.extensions import db
from mipevents.notify.delivery import send_pending
from mipevents.people.models import SchedulerApproval
from mipevents.people.services import person_for_email
from mipevents.printing.briefing import briefing_book
from mipevents.workflows.reminders import queue_due_reminders
from tests.support.links import delivered_link


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_book_lists_what_the_mayor_does_where_and_with_whom(convening):
    book = briefing_book(convening["keynote"].person, convening["meeting"])
    assert [(e.day, e.times, e.room, e.title, e.role) for e in book.entries] == [
        ("Wednesday, July 9", "10:30 AM–11:30 AM CT", "Grand Ballroom", "Housing that works", "Panelist"),
        ("Wednesday, July 9", "2:00 PM–2:45 PM CT", "Salon Zoë", "Innovation Showcase", "Showcase presenter"),
        ("Wednesday, July 9", "6:00 PM–8:00 PM CT", "Grand Ballroom", "Welcome reception", "Attending"),
        ("Thursday, July 10", "12:00 PM–1:00 PM CT", "Salon Zoë", "Water workshop", "Attending"),
    ]
    panel, showcase = book.entries[0], book.entries[1]
    assert panel.moderator == "Dr. Ana Ruiz"
    assert [(c.name, c.role, c.photo_uri[:23]) for c in panel.co_speakers] == [("Dr. Ana Ruiz", "Moderator", "data:image/jpeg;base64,")]
    assert panel.co_speakers[0].bio.endswith(" …") and len(panel.co_speakers[0].bio) <= 282
    assert showcase.showcase == "3rd of 3, planned 2:06 PM–2:09 PM CT"
    assert (book.venue, book.address) == ("Grand River Center", "500 Bell St, Dubuque, IA")
    assert book.map_url == "https://www.openstreetmap.org/search?query=500+Bell+St%2C+Dubuque%2C+IA"


def test_the_pdf_holds_names_times_in_the_zone_and_rooms(staff_client, convening):
    meeting, person = convening["meeting"], convening["keynote"].person
    response = staff_client.get(f"/staff/meetings/{meeting.id}/briefing/{person.id}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = _pdf_text(response.data)
    fonts = {font.get_object()["/BaseFont"].split("+")[-1] for page in PdfReader(io.BytesIO(response.data)).pages
             for font in page["/Resources"]["/Font"].values()}
    assert fonts == {"DejaVu-Sans", "DejaVu-Sans-Bold"}      # the bundled font, embedded
    for expected in ("Mayor Zoë Nuñez-Ødegaard", "10:30 AM–11:30 AM CT", "Grand Ballroom", "Salon Zoë",
                     "Dr. Ana Ruiz", "3rd of 3, planned 2:06 PM–2:09 PM CT", "Thursday, July 10"):
        assert expected in text, expected


def test_the_speaker_opens_their_book_from_their_invitation_link(staff_client, convening):
    from mipevents.agenda import invitations
    from mipevents.agenda.models import SessionSpeaker

    link = db.session.query(SessionSpeaker).filter_by(speaker_id=convening["keynote"].id).one()
    invitations.invite(link, actor=None)
    db.session.commit()
    from mipevents.notify.models import OutboxMessage
    token = delivered_link(db.session.query(OutboxMessage).one(), r"/speakers/invitation/([A-Za-z0-9_-]{40,})")
    client = staff_client.application.test_client()
    page = client.get(f"/speakers/invitation/{token}/briefing")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert re.findall(r'<p class="when">(.*?)</p>', html) == [
        "Wednesday, July 9 · 10:30 AM–11:30 AM CT · Grand Ballroom",
        "Wednesday, July 9 · 2:00 PM–2:45 PM CT · Salon Zoë",
        "Wednesday, July 9 · 6:00 PM–8:00 PM CT · Grand Ballroom",
        "Thursday, July 10 · 12:00 PM–1:00 PM CT · Salon Zoë"]
    pdf = client.get(f"/speakers/invitation/{token}/briefing.pdf")
    assert "Housing that works" in _pdf_text(pdf.data)
    assert client.get("/speakers/invitation/wrong/briefing.pdf").status_code == 404


def test_each_speaker_gets_the_book_once_a_week_before(make_app, smtp_server, convening):
    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    with app.app_context():
        # The keynote mayor's office, which she approved, gets a copy; one that only asked gets nothing.
        mayor = person_for_email("mayor@keynote.example")
        now = datetime.now(UTC)
        db.session.add_all([
            SchedulerApproval(person_id=mayor.id, scheduler_id=person_for_email("office@keynote.example").id,
                              requested_at=now, approved_at=now),
            SchedulerApproval(person_id=mayor.id, scheduler_id=person_for_email("asker@example.net").id, requested_at=now)])
        db.session.commit()
        first_session = datetime(2031, 7, 9, 15, 30, tzinfo=UTC)     # 10:30 AM CT
        assert queue_due_reminders(first_session - timedelta(days=8)) == 0
        assert queue_due_reminders(first_session - timedelta(days=6)) == 2
        assert queue_due_reminders(first_session - timedelta(days=5)) == 0
        send_pending()
    [message] = smtp_server.to("mayor@keynote.example")
    assert message["Subject"] == "Your briefing book: Summer Meeting 2031"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert "10:30 AM–11:30 AM CT" in _pdf_text(attachment.get_content())
    assert [m["Subject"] for m in smtp_server.to("ana@example.org")] == ["Your briefing book: Summer Meeting 2031"]
    [copy] = smtp_server.to("office@keynote.example")
    assert copy["Subject"] == "Briefing book of Mayor Zoë Nuñez-Ødegaard: Summer Meeting 2031"
    assert [a.get_content_type() for a in copy.iter_attachments()] == ["application/pdf"]
    assert smtp_server.to("asker@example.net") == []
