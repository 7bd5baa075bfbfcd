"""The public programme and cohort pages: members (names and cities only) once the cohort is published."""
from mipevents.cohorts import services
from mipevents.cohorts.models import CohortMember
from mipevents.extensions import db


def _cohort_with_member(make_cohort, make_person, status="draft"):
    cohort = make_cohort(status=status)
    person = make_person("kim@rochester.gov", "Kim Norton")
    db.session.add(CohortMember(cohort_id=cohort.id, person_id=person.id, name="Mayor Kim Norton", city="Rochester", state="MN"))
    db.session.commit()
    return cohort



def test_a_draft_cohort_hides_its_members(client, make_cohort, make_person):
    cohort = _cohort_with_member(make_cohort, make_person)
    html = client.get(f"/cohorts/{cohort.slug}/").get_data(as_text=True)
    assert "Mayor Kim Norton" not in html
    assert "This cohort is forming" in html



def test_publishing_a_cohort_lists_names_and_cities_only(client, make_cohort, make_person):
    cohort = _cohort_with_member(make_cohort, make_person)
    assert client.get(f"/cohorts/{cohort.slug}/").status_code == 200
    services.set_cohort_published(cohort, True, actor=None)
    db.session.commit()
    html = client.get(f"/cohorts/{cohort.slug}/").get_data(as_text=True)
    assert "Mayor Kim Norton" in html and "Rochester, MN" in html
    assert "kim@rochester.gov" not in html
    programme = client.get(f"/programmes/{cohort.programme.slug}/").get_data(as_text=True)
    assert cohort.name in programme and "1 mayors" in programme



def test_a_draft_programme_is_not_public(client, make_cohort):
    cohort = make_cohort()
    cohort.programme.status = "draft"
    db.session.commit()
    assert client.get(f"/programmes/{cohort.programme.slug}/").status_code == 404
    assert client.get(f"/cohorts/{cohort.slug}/").status_code == 404



def test_staff_publish_a_cohort_from_its_page(client, login_as, make_cohort, make_person):
    cohort = _cohort_with_member(make_cohort, make_person)
    login_as("staff")
    assert client.post(f"/staff/cohorts/{cohort.id}/publish", data={"publish": "1"}).status_code == 302
    db.session.expire_all()
    assert cohort.status == "published"
    assert "Mayor Kim Norton" in client.get(f"/staff/cohorts/{cohort.id}").get_data(as_text=True)
