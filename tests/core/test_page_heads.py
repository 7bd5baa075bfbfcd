"""What a newcomer's browser and a search engine read on every page: the site's icon (and no 404 for
/favicon.ico), and a description of the page from what it shows."""
import re
from datetime import date
from html import unescape

from mipevents.extensions import db
from mipevents.workflows.demo import load_demo

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')


def _description(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    found = DESCRIPTION.findall(response.get_data(as_text=True))
    assert len(found) == 1, url
    return unescape(found[0])


def test_favicon_ico_sends_browsers_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert (response.status_code, response.headers["Location"]) == (301, "/static/img/favicon.svg")
    icon = client.get("/static/img/favicon.svg")
    assert (icon.status_code, icon.mimetype) == (200, "image/svg+xml")
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in client.get("/").get_data(as_text=True)


def test_each_public_page_describes_what_it_shows(app, client):
    demo = load_demo(date(2026, 3, 2))
    db.session.commit()
    assert demo["meetings"] == ["winter-2025", "summer-2026"]
    webinar = demo["webinar"]
    assert _description(client, "/") == (
        "Upcoming and past convenings of the Mayors Innovation Project: Winter and Summer Meetings, webinars "
        "and open calls for mayors and city staff.")
    assert _description(client, "/meetings/winter-2025/") == (
        "Winter 2025 Meeting, January 22–24, 2025, Washington, DC: panels of mayors and national experts, "
        "the agenda, speakers and registration.")
    assert _description(client, "/meetings/winter-2025/agenda") == (
        "The agenda of the Winter 2025 Meeting, January 22–24, 2025, Washington, DC, day by day, with rooms, "
        "sessions and speakers.")
    assert _description(client, f"/webinars/{webinar}/") == (
        "Financing flood-resilient infrastructure: a one-hour webinar on March 16, 2026 at 12:00 PM CT. "
        "Registration is free.")
    assert _description(client, "/meetings/winter-2025/register") == (
        "Registration for the Winter 2025 Meeting, January 22–24, 2025, Washington, DC: closed.")
    pages = ["/webinars/", f"/webinars/{webinar}/register", "/calls/", "/ideas/", "/api/", "/meetings/winter-2025/speakers",
             "/meetings/winter-2025/showcase", "/meetings/winter-2025/agenda/changes"]
    described = {url: _description(client, url) for url in pages}
    assert len(set(described.values())) == len(pages)
    default = "Meetings, webinars and open calls of the Mayors Innovation Project, a network of mayors."
    assert default not in described.values()
