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


def test_staff_create_and_edit_a_programme_and_cohort(client, login_as):
    from sqlalchemy import select

    from mipevents.cohorts.models import Cohort, Programme

    login_as("staff")
    assert client.post("/staff/programmes/new", data={"name": "New Mayors Cohort", "slug": "new-mayors",
                                                      "status": "published"}).status_code == 302
    programme = db.session.execute(select(Programme)).scalar_one()
    assert client.post(f"/staff/programmes/{programme.id}/cohorts/new", data={
        "name": "First cohort", "slug": "new-mayors-1", "starts_on": "2026-03-01", "ends_on": "2026-02-01"}).status_code == 422
    assert client.post(f"/staff/programmes/{programme.id}/cohorts/new", data={
        "name": "First cohort", "slug": "new-mayors-1", "starts_on": "2026-03-01", "ends_on": "2027-02-28"}).status_code == 302
    cohort = db.session.execute(select(Cohort)).scalar_one()
    assert client.post(f"/staff/cohorts/{cohort.id}/edit", data={"name": "First cohort, 2026", "slug": "new-mayors-2026"}
                       ).status_code == 302
    assert client.post(f"/staff/programmes/{programme.id}/edit", data={
        "name": "New Mayors Cohort", "slug": "new-mayors", "partners": "Smart Growth America", "status": "published"}).status_code == 302
    db.session.expire_all()
    assert (cohort.name, cohort.slug, cohort.status, programme.partners) == \
        ("First cohort, 2026", "new-mayors-2026", "draft", "Smart Growth America")
    assert "First cohort, 2026" in client.get("/programmes/new-mayors/").get_data(as_text=True)


def test_staff_add_a_member_by_hand_who_is_listed_once_the_cohort_is_published(client, login_as, make_cohort, make_person):
    from sqlalchemy import func, select

    from mipevents.accounts.models import AuditEntry

    cohort = make_cohort()
    known = make_person("kim@rochester.gov", "Kim Norton")
    db.session.commit()
    login_as("staff")
    form = {"member-name": "Mayor Kim Norton", "member-email": "Kim@Rochester.gov ", "member-city": "Rochester",
            "member-state": "mn"}
    added = client.post(f"/staff/cohorts/{cohort.id}/members", data=form)
    assert added.status_code == 303
    page = client.get(added.headers["Location"]).get_data(as_text=True)
    assert "Mayor Kim Norton is a member of the cohort. They are listed publicly once you publish it." in page
    member = db.session.execute(select(CohortMember).where(CohortMember.cohort_id == cohort.id)).scalar_one()
    assert (member.person_id, member.city, member.state) == (known.id, "Rochester", "MN")   # the same person, by email
    assert db.session.execute(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "add_cohort_member")).scalar_one() == 1

    again = client.post(f"/staff/cohorts/{cohort.id}/members", data=form)
    assert again.status_code == 422
    assert "kim@rochester.gov is a member of “Third cohort" in again.get_data(as_text=True)
    bad = client.post(f"/staff/cohorts/{cohort.id}/members", data={**form, "member-email": "not an email",
                                                                   "member-state": "Minnesota"})
    assert bad.status_code == 422
    text = bad.get_data(as_text=True)
    assert "Enter an email address like mayor@city.gov." in text and "Use the two-letter abbreviation" in text
    assert db.session.execute(select(func.count()).select_from(CohortMember)).scalar_one() == 1

    services.set_cohort_published(cohort, True, actor=None)
    db.session.commit()
    public = client.get(f"/cohorts/{cohort.slug}/").get_data(as_text=True)
    assert "Mayor Kim Norton" in public and "Rochester, MN" in public and "kim@rochester.gov" not in public


def test_only_signed_in_staff_add_members(client, make_cohort):
    cohort = make_cohort()
    db.session.commit()
    answer = client.post(f"/staff/cohorts/{cohort.id}/members", data={"member-name": "Mayor X"})
    assert answer.status_code in (302, 303) and "/staff/login" in answer.headers["Location"]
    assert db.session.query(CohortMember).count() == 0


def test_a_nul_character_in_a_new_member_is_dropped_not_a_500(client, login_as, make_cohort):
    cohort = make_cohort()
    db.session.commit()
    login_as("staff")
    answer = client.post(f"/staff/cohorts/{cohort.id}/members", data={
        "member-name": "Mayor\x00 Kim Norton", "member-email": "kim@rochester.gov", "member-city": "Roch\x00ester",
        "member-state": "MN"})
    assert answer.status_code == 303
    member = db.session.query(CohortMember).one()
    assert (member.name, member.city) == ("Mayor Kim Norton", "Rochester")
