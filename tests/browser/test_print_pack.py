"""The door in a real browser: staff build the badges in the background and watch the progress; the
check-in desk takes a badge's code as a scanner types it into the search box, and from the camera
(Chromium's fake camera showing a badge's QR code, read by the vendored jsQR)."""
import io
from datetime import date

import pypdfium2
import pytest
import segno
import zxingcpp
from PIL import Image

from tests.browser.conftest import ARGS, CHROMIUM

PASSWORD = "correct horse battery staple"


@pytest.fixture
def door(app, make_meeting):
    from mipevents.accounts.services import create_user
    from mipevents.extensions import db
    from mipevents.registration import services

    meeting = make_meeting(slug="winter-2031", name="Winter 2031 Meeting", starts_on=date(2031, 1, 22),
                           ends_on=date(2031, 1, 24), timezone="America/New_York")
    meeting.registration_opens_at = None
    db.session.commit()
    for first, last in (("Ana", "Ruiz"), ("Bo", "Lee"), ("Cy", "Park")):
        services.register(meeting, {"first_name": first, "last_name": last, "email": f"{first.lower()}@example.org",
                                    "role": "mayor", "city": "Springfield", "state": "IL", "consent": True})
        db.session.commit()
    user = create_user("door@example.org", PASSWORD, role="staff", name="Door")
    db.session.commit()
    return {"meeting_id": meeting.id, "email": user.email}


def _y4m(path, text):
    """A one-frame Y4M video (what Chromium's fake camera plays, in a loop) showing `text` as a QR code."""
    png = io.BytesIO()
    segno.make(text, error="m").save(png, kind="png", scale=6, border=4)
    png.seek(0)
    frame = Image.new("L", (640, 480), 255)
    code = Image.open(png).convert("L")
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(2):
            out.write(b"FRAME\n" + frame.tobytes() + bytes([128]) * (320 * 240 * 2))


def test_badges_build_in_the_background_and_check_people_in(door, live_server, page, browser, staff_login,
                                                            assert_accessible, tmp_path):
    url = live_server.url
    staff_login(page, live_server, door["email"], PASSWORD)
    page.goto(f"{url}/staff/meetings/{door['meeting_id']}/print")
    assert_accessible(page)
    page.get_by_label("Label sheets").select_option("a4")
    page.get_by_role("button", name="Build the badges").click()
    ready = page.locator(".print-job-done")
    ready.wait_for(timeout=20_000)          # the page refreshes itself while the build runs
    assert ready.inner_text().startswith("Badges on A4: ready, 3 badges")
    assert_accessible(page)

    pdf = page.request.get(url + page.get_by_role("link", name="PDF of badges").first.get_attribute("href"))
    image = pypdfium2.PdfDocument(pdf.body())[0].render(scale=300 / 72).to_pil()
    codes = [r.text for r in zxingcpp.read_barcodes(image)]
    assert len(codes) == 3

    # A scanner types the code and Enter into the desk's search box.
    page.goto(f"{url}/staff/meetings/{door['meeting_id']}/registrations/check-in")
    assert_accessible(page)
    page.get_by_label("Find a person").fill(codes[0])
    page.get_by_label("Find a person").press("Enter")
    page.wait_for_url("**done=*")
    assert page.locator(".notice strong").first.inner_text() in ("Ana Ruiz", "Bo Lee", "Cy Park")
    assert page.locator("#checkin-summary").inner_text().startswith("1 of 3 checked in")

    # The camera: Chromium's fake device shows the next badge's QR code.
    video = tmp_path / "badge.y4m"
    _y4m(video, codes[1])
    camera_browser = browser.browser_type.launch(
        executable_path=CHROMIUM, headless=True,
        args=[*ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
              f"--use-file-for-fake-video-capture={video}"])
    try:
        context = camera_browser.new_context(permissions=["camera"])
        desk = context.new_page()
        staff_login(desk, live_server, door["email"], PASSWORD)
        desk.goto(f"{url}/staff/meetings/{door['meeting_id']}/registrations/check-in")
        desk.get_by_role("button", name="Scan a badge with the camera").click()
        desk.wait_for_url("**done=*", timeout=15_000)
        assert desk.locator("#checkin-summary").inner_text().startswith("2 of 3 checked in")
    finally:
        camera_browser.close()
