"""Programmes and cohorts: creating them, publishing a cohort (its members become public), and
reading what the public pages show."""
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from mipevents.accounts import audit
from mipevents.cohorts.models import Cohort, CohortMember, Programme
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.notify.outbox import enqueue
from mipevents.people.services import person_for_email, revoke_tokens


def public_programme(slug: str) -> Programme | None:
    """A published programme with its cohorts (one query for the cohorts, whatever their number)."""
    return db.session.execute(
        select(Programme).where(Programme.slug == slug, Programme.status == "published")
        .options(selectinload(Programme.cohorts))
    ).scalar_one_or_none()


def public_cohort(slug: str) -> Cohort | None:
    """A cohort whose programme is published; its members are shown only once it is published too."""
    cohort = db.session.execute(
        select(Cohort).where(Cohort.slug == slug).options(selectinload(Cohort.programme), selectinload(Cohort.members))
    ).scalar_one_or_none()
    if cohort is None or cohort.programme.status != "published":
        return None
    return cohort


def save_programme(programme: Programme | None, values: dict, *, actor) -> Programme:
    created = programme is None
    if created:
        programme = Programme()
        db.session.add(programme)
    for key in ("slug", "name", "description", "partners", "eligibility", "status"):
        if key in values:
            setattr(programme, key, values[key])
    for cohort in programme.cohorts:
        cohort.version += 1
    db.session.flush()
    audit.record("create_programme" if created else "update_programme", programme, actor=actor,
                 summary=f"{'Created' if created else 'Edited'} the programme “{programme.name}”")
    return programme


def save_cohort(cohort: Cohort | None, values: dict, *, actor) -> Cohort:
    created = cohort is None
    if created:
        cohort = Cohort(status="draft")
        db.session.add(cohort)
    for key in ("programme_id", "slug", "name", "description", "starts_on", "ends_on"):
        if key in values:
            setattr(cohort, key, values[key])
    cohort.version = (cohort.version or 1) + 1
    db.session.flush()
    audit.record("create_cohort" if created else "update_cohort", cohort, actor=actor,
                 summary=f"{'Created' if created else 'Edited'} the cohort “{cohort.name}”")
    return cohort


def set_cohort_published(cohort: Cohort, published: bool, *, actor) -> None:
    """Publish a cohort (its member mayors and cities become public) or take it back to draft."""
    status = "published" if published else "draft"
    if cohort.status == status:
        return
    cohort.status = status
    if published and cohort.published_at is None:
        cohort.published_at = utcnow()
    cohort.version += 1
    db.session.flush()
    audit.record("publish_cohort" if published else "unpublish_cohort", cohort, actor=actor,
                 summary=f"{'Published' if published else 'Unpublished'} the cohort “{cohort.name}”")


def remove_member(member: CohortMember, *, actor) -> None:
    cohort = member.cohort
    audit.record("remove_cohort_member", cohort, actor=actor, summary=f"Removed {member.name} from “{cohort.name}”")
    cohort.members.remove(member)
    cohort.version += 1
    db.session.flush()


class AlreadyMember(ValueError):
    """The person is a member of this cohort already."""


def add_member(cohort: Cohort, values: dict, *, actor) -> CohortMember:
    """Add the person with values["email"] (created if new) to the cohort, listed by name and city."""
    person = person_for_email(values["email"], values["name"])
    exists = db.session.execute(select(CohortMember.id).where(
        CohortMember.cohort_id == cohort.id, CohortMember.person_id == person.id)).first()
    already = AlreadyMember(f"{person.email} is a member of “{cohort.name}” already.")
    if exists:
        raise already
    member = CohortMember(cohort_id=cohort.id, person_id=person.id, name=values["name"], city=values["city"],
                          state=values["state"])
    try:
        with db.session.begin_nested():          # another staff member adding them at the same moment
            db.session.add(member)
            db.session.flush()
    except IntegrityError:
        raise already from None
    cohort.version += 1
    audit.record("add_cohort_member", cohort, actor=actor, summary=f"Added {member.name} to “{cohort.name}”")
    send_member_link(member)
    return member


def send_member_link(member: CohortMember, *, reset: bool = False) -> None:
    """Email the member their private page of the cohort's events (the link is made at delivery)."""
    enqueue("cohorts.member_link", member.person.email, {"member_id": member.id, "reset": reset}, person=member.person)


def member_of(person_id: int) -> CohortMember | None:
    """One of the person's memberships (the first), or None when they belong to no cohort."""
    return db.session.execute(select(CohortMember).where(CohortMember.person_id == person_id)
                              .order_by(CohortMember.id).limit(1)).scalar_one_or_none()


def reset_member_link(member: CohortMember) -> None:
    """"Reset my link": every member link of the person stops working and a new one is emailed."""
    revoke_tokens(member.person, "member")
    send_member_link(member, reset=True)
