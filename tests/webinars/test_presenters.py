"""A webinar's presenters are speaker profiles: staff write them a line each, an email links the line to
the profile with that email, a line without one becomes its own profile (never another profile with the
same name); the speaker's page and the API list the webinar; the email never shows publicly."""
from dataclasses import astuple

from sqlalchemy import func, select

from mipevents.extensions import db
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar
from mipevents.webinars.presenters import parse_line
from tests.webinars.test_staff import webinar_form


def test_a_line_reads_as_honorific_name_position_and_email():
    assert astuple(parse_line("Mayor Elena Rivera (Dubuque, IA) <Elena@Dubuque.example>")) == (
        "Mayor", "Elena Rivera", "Dubuque, IA", "Elena@Dubuque.example")
    assert astuple(parse_line("Ramón Ortiz, Flood Finance Institute")) == ("", "Ramón Ortiz", "Flood Finance Institute", "")


def test_presenters_link_to_profiles_by_email_and_show_on_the_speaker_page_and_api(client, login_as, make_speaker):
    kim = make_speaker(name="Kim Norton", email="kim@tacoma.example", honorific="Mayor", position="Mayor of Tacoma, WA")
    namesake = make_speaker(name="Ramón Ortiz")
    db.session.commit()
    login_as("staff")
    lines = "Mayor Kim Norton <KIM@tacoma.example>\nRamón Ortiz, Flood Finance Institute"
    assert client.post("/staff/webinars/new", data=webinar_form(presenters=lines)).status_code == 303
    webinar = db.session.execute(select(Webinar)).scalar_one()
    speakers = [link.speaker for link in webinar.presenter_links]
    assert speakers[0].id == kim.id
    assert speakers[1].id != namesake.id and speakers[1].position == "Flood Finance Institute"
    assert webinar.presenters == "Mayor Kim Norton, Mayor of Tacoma, WA\nRamón Ortiz, Flood Finance Institute"

    # Saving the form as shown changes nothing: each line finds its own profile again.
    form = client.get(f"/staff/webinars/{webinar.id}/edit").get_data(as_text=True)
    assert "Mayor Kim Norton, Mayor of Tacoma, WA &lt;kim@tacoma.example&gt;" in form
    shown = "Mayor Kim Norton, Mayor of Tacoma, WA <kim@tacoma.example>\nRamón Ortiz, Flood Finance Institute"
    count = db.session.execute(select(func.count()).select_from(Speaker)).scalar_one()
    response = client.post(f"/staff/webinars/{webinar.id}/edit", data=webinar_form(presenters=shown), follow_redirects=True)
    assert "Nothing changed." in response.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(Speaker)).scalar_one() == count

    # A draft webinar makes nobody public; published, its presenters' pages list it.
    client.post("/staff/logout")
    assert client.get(f"/speakers/{speakers[1].id}").status_code == 404
    webinar.status = "published"
    webinar.version += 1
    db.session.commit()
    page = client.get(f"/speakers/{speakers[1].id}").get_data(as_text=True)
    assert f'<a class="title" href="/webinars/{webinar.slug}/">{webinar.title}</a>' in page
    webinar_page = client.get(f"/webinars/{webinar.slug}/").get_data(as_text=True)
    assert f'<a href="/speakers/{kim.id}">Mayor Kim Norton</a>, Mayor of Tacoma, WA' in webinar_page
    profile = client.get(f"/api/v1/speakers/{speakers[1].id}").get_json()
    assert (profile["roles"], [w["slug"] for w in profile["webinars"]]) == ([], [webinar.slug])
    listed = client.get(f"/api/v1/webinars/{webinar.slug}").get_json()
    assert [(s["id"], s["role"]) for s in listed["speakers"]] == [(kim.id, "presenter"), (speakers[1].id, "presenter")]
    for body in (page, webinar_page, str(profile), str(listed)):
        assert "kim@tacoma.example" not in body

    # A profile edit reaches the webinar's public line.
    login_as("staff")
    client.post(f"/staff/speakers/{kim.id}/edit", data={"name": "Kim Norton", "honorific": "Mayor",
                                                       "position": "Mayor of Tacoma", "email": "kim@tacoma.example"})
    db.session.refresh(webinar)
    assert webinar.presenters.splitlines()[0] == "Mayor Kim Norton, Mayor of Tacoma"


def test_a_line_without_a_name_is_refused_next_to_the_field(client, login_as):
    login_as("staff")
    response = client.post("/staff/webinars/new", data=webinar_form(presenters="<a@b.example>"))
    assert response.status_code == 422
    assert "write the presenter&#39;s name" in response.get_data(as_text=True)
    assert db.session.execute(select(func.count()).select_from(Webinar)).scalar_one() == 0
