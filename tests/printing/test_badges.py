"""Badges for the door: a PDF on label sheets whose text has the names and ribbons, and whose QR code,
read by zxing-cpp from the page rendered by pypdfium2, checks that person in at the desk's search box
(as a scanner types it); building again revokes the codes printed before. Table tents render too."""
import io
import re

import pypdfium2
import zxingcpp
from pypdf import PdfReader
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.printing.models import PrintJob
from mipevents.registration.models import Registration


def _codes_on_first_page(data: bytes) -> list[str]:
    page = pypdfium2.PdfDocument(data)[0]
    image = page.render(scale=300 / 72).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def _build(staff_client, meeting, paper="letter", **extra) -> PrintJob:
    response = staff_client.post(f"/staff/meetings/{meeting.id}/badges", data={"paper": paper, **extra})
    assert response.status_code == 303
    return db.session.execute(select(PrintJob).order_by(PrintJob.id.desc())).scalars().first()


def test_badges_render_with_names_and_a_qr_code_that_checks_in(staff_client, convening):
    meeting = convening["meeting"]
    job = _build(staff_client, meeting)
    assert (job.status, job.done, job.total) == ("done", 4, 4)
    page = staff_client.get(f"/staff/meetings/{meeting.id}/print").get_data(as_text=True)
    assert "ready, 4 badges" in page
    pdf = staff_client.get(f"/staff/print-jobs/{job.id}.pdf")
    assert pdf.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace("-\n", "-")   # a long name wraps after its hyphen
    for expected in ("Zoë Nuñez-Ødegaard", "Brad Cavanagh", "Lena Weiß", "Omar Haddad", "SPEAKER", "MAYOR", "Dubuque, IA"):
        assert expected in text, expected

    codes = _codes_on_first_page(pdf.data)
    assert len(codes) == 4 and all(c.startswith("MIPCHK-") for c in codes)
    # The desk's search box receives what the scanner types, and checks that one person in.
    desk = staff_client.get(f"/staff/meetings/{meeting.id}/registrations/check-in", query_string={"q": codes[0]})
    assert desk.status_code == 302
    done = int(re.search(r"done=(\d+)", desk.headers["Location"]).group(1))
    checked = db.session.execute(select(Registration).where(Registration.checked_in_at.is_not(None))).scalars().all()
    assert [r.id for r in checked] == [done]

    # Building again replaces every code: a photographed old badge checks no one in.
    _build(staff_client, meeting, paper="a4")
    refused = staff_client.get(f"/staff/meetings/{meeting.id}/registrations/check-in", query_string={"q": codes[1]})
    assert refused.status_code == 302
    assert "done=" not in refused.headers["Location"]
    follow = staff_client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "This badge&#39;s code does not check anyone in at this meeting" in follow


def test_one_person_badge_and_the_print_view_without_pdf(staff_client, convening):
    meeting = convening["meeting"]
    brad = convening["registrations"][1]
    desk = staff_client.get(f"/staff/meetings/{meeting.id}/registrations/check-in").get_data(as_text=True)
    assert f'action="/staff/meetings/{meeting.id}/registrations/{brad.id}/badge"' in desk      # "Print a badge" at the door
    job = _build(staff_client, meeting, registration_id=str(brad.id))
    assert (job.status, job.total) == ("done", 1)
    view = staff_client.get(f"/staff/print-jobs/{job.id}/print").get_data(as_text=True)
    assert re.findall(r'<p class="name">(.*?)</p>', view) == ["Brad Cavanagh"]


def test_table_tents_name_each_speaker_of_each_session(staff_client, convening):
    meeting = convening["meeting"]
    view = staff_client.get(f"/staff/meetings/{meeting.id}/tents?paper=a4").get_data(as_text=True)
    assert re.findall(r'<p class="name">(.*?)</p>', view) == ["Dr. Ana Ruiz", "Dr. Ana Ruiz",
                                                              "Mayor Zoë Nuñez-Ødegaard", "Mayor Zoë Nuñez-Ødegaard"]
    pdf = staff_client.get(f"/staff/meetings/{meeting.id}/tents.pdf?paper=letter")
    reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 2
    assert "Housing that works" in reader.pages[0].extract_text()
    assert staff_client.get(f"/staff/meetings/{meeting.id}/tents.pdf?paper=legal").status_code == 400
