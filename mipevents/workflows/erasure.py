"""Erasing a person (DESIGN "Privacy"): their personal data goes from every place that holds it —
registrations' copies, tokens, the outbox, speaker contact details, cohort memberships, other
areas' rows that point at them, and the audit log, which keeps "erased person #id" and what was done."""
import json
from dataclasses import dataclass, field

from sqlalchemy import Text, cast, delete, func, or_, select, update

from mipevents.accounts import audit
from mipevents.accounts.models import AuditEntry
from mipevents.agenda import privacy as agenda_privacy
from mipevents.calls import privacy as calls_privacy
from mipevents.calls.models import Application
from mipevents.cohorts.models import CohortMember
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.followup import privacy as followup_privacy
from mipevents.meetings.queries import is_past
from mipevents.notify.models import OutboxMessage
from mipevents.people.models import Person, Token
from mipevents.printing import privacy as printing_privacy
from mipevents.registration import services as registrations
from mipevents.registration.models import Registration
from mipevents.speakers import privacy as speakers_privacy
from mipevents.speakers.models import Speaker

# Every area's own step, in order: fn(person, report) -> None. They run while the person's speaker
# profiles still point at them (their invitations, proposed changes and travel are found that way).
STEPS = (
    calls_privacy.forget_scheduler,
    agenda_privacy.forget_invitations,
    speakers_privacy.forget_drafts_and_travel,
    printing_privacy.forget_badge_builds,
    followup_privacy.forget_answers,
)


@dataclass
class ErasureReport:
    person_id: int
    done: dict = field(default_factory=dict)      # what -> how many rows

    def add(self, what: str, n: int) -> None:
        if n:
            self.done[what] = self.done.get(what, 0) + n

    @property
    def summary(self) -> str:
        parts = [f"{n} {what}" for what, n in sorted(self.done.items())]
        return f"Erased person #{self.person_id}" + (": " + ", ".join(parts) if parts else "")


def erased_label(person_id: int) -> str:
    return f"erased person #{person_id}"


def erased_email(person_id: int) -> str:
    # Unique, case-folded and undeliverable (.invalid is reserved by RFC 2606).
    return f"erased-{person_id}@erased.invalid"


def personal_summary(person: Person) -> dict:
    """What erase_person would touch, counted, to show staff before they confirm."""

    def count(stmt):
        return db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()

    return {
        "registrations": count(select(Registration.id).where(Registration.person_id == person.id)),
        "private links": count(select(Token.id).where(Token.person_id == person.id)),
        "emails in the outbox": count(select(OutboxMessage.id).where(
            or_(OutboxMessage.person_id == person.id, func.lower(OutboxMessage.to_email) == person.email))),
        "speaker profiles": count(select(Speaker.id).where(
            or_(Speaker.person_id == person.id, func.lower(Speaker.email) == person.email))),
        "cohort memberships": count(select(CohortMember.id).where(CohortMember.person_id == person.id)),
    }


def erase_person(person: Person, actor) -> ErasureReport:
    """Remove `person`'s personal data everywhere it exists now (flushed; the caller commits).

    The Person row stays, emptied (an undeliverable placeholder email, no name, `erased_at` set), so
    counts and foreign keys hold; sending them anything becomes impossible."""

    report = ErasureReport(person.id)
    email = person.email
    label = erased_label(person.id)
    now = utcnow()

    # First, before anything is written: a seat they hold at an event still to come goes to the next
    # in line, since an erased person will not come (their cancellation email goes with the outbox below).
    report.add("upcoming registrations cancelled, their seats passed on", _release_upcoming_seats(person, now))

    registrations = db.session.execute(select(Registration).where(Registration.person_id == person.id)).scalars().all()
    names = {person.name} | {r.name for r in registrations}
    members = db.session.execute(select(CohortMember).where(CohortMember.person_id == person.id)).scalars().all()
    names |= {m.name for m in members}
    speakers = db.session.execute(select(Speaker).where(
        or_(Speaker.person_id == person.id, func.lower(Speaker.email) == email))).scalars().all()

    # Registrations keep their event, status and dates (past attendance stays counted) but none of
    # what was typed.
    for reg in registrations:
        for column in ("first_name", "last_name", "email", "title", "organization", "city", "state", "phone",
                       "dietary_needs", "accessibility_needs", "question", "scheduler_email"):
            setattr(reg, column, "")
        reg.extras = []
        reg.is_listed = False
        reg.scheduler_person_id = None
    report.add("registrations anonymised", len(registrations))
    report.add("registrations no longer naming them as scheduler", db.session.execute(
        update(Registration).where(Registration.scheduler_person_id == person.id)
        .values(scheduler_person_id=None, scheduler_email="")).rowcount)

    report.add("private links deleted", db.session.execute(delete(Token).where(Token.person_id == person.id)).rowcount)
    report.add("outbox messages deleted", db.session.execute(delete(OutboxMessage).where(
        or_(OutboxMessage.person_id == person.id, func.lower(OutboxMessage.to_email) == email))).rowcount)

    db.session.flush()
    for step in STEPS:
        step(person, report)

    for speaker in speakers:
        speaker.email = None
        speaker.person_id = None
    report.add("speaker profiles unlinked (email removed)", len(speakers))

    for member in members:
        db.session.delete(member)
    report.add("cohort memberships removed", len(members))

    # Applications to open calls (their answers and reviews go with them).
    applications = _applications(person)
    for application in applications:
        names |= {application.mayor_name}
        db.session.delete(application)
    report.add("applications deleted", len(applications))

    db.session.flush()
    report.add("rows in other areas removed", _delete_remaining_references(person))

    person.email = erased_email(person.id)
    person.name = ""
    person.erased_at = now
    db.session.flush()

    report.add("audit entries scrubbed", scrub_audit_log({email, *(n for n in names if n and len(n.strip()) >= 3)}, label))
    audit.record("erase_person", actor=actor, object_type="Person", summary=report.summary,
                 after={"person": label, "done": report.done})
    db.session.flush()
    return report


def _release_upcoming_seats(person: Person, now) -> int:
    """Cancel the person's active registrations for events not over yet (the waitlist moves up)."""
    active = db.session.execute(select(Registration).where(
        Registration.person_id == person.id, Registration.status.in_(("confirmed", "waitlisted", "pending")))
        .order_by(Registration.id)).scalars().all()
    upcoming = [r for r in active
                if (r.webinar.ends_at > now if r.webinar is not None else not is_past(r.meeting, now))]
    for registration in upcoming:
        registrations.cancel(registration, now=now, by_staff=True)
    return len(upcoming)


def _applications(person: Person) -> list:
    return list(db.session.execute(select(Application).where(Application.person_id == person.id)).scalars())


def _delete_remaining_references(person: Person) -> int:
    """Rows of tables not handled above that still point at this person (an area added after this
    module, without its own eraser) are deleted: a row about a person is personal data."""
    handled = {"registrations", "tokens", "outbox_messages", "speakers", "cohort_members", "applications", "people"}
    removed = 0
    people_id = Person.__table__.c.id
    for table in db.metadata.sorted_tables:
        if table.name in handled:
            continue
        for fk in table.foreign_keys:
            if fk.column is people_id:
                column = fk.parent
                if column.nullable:
                    removed += db.session.execute(update(table).where(column == person.id).values({column.name: None})).rowcount
                else:
                    removed += db.session.execute(delete(table).where(column == person.id)).rowcount
    return removed


def _replace(value, needles: list[str], label: str):
    if isinstance(value, str):
        for needle in needles:
            if needle.casefold() in value.casefold():
                lowered, out, i = value.casefold(), [], 0
                n = needle.casefold()
                while (j := lowered.find(n, i)) >= 0:
                    out.append(value[i:j] + label)
                    i = j + len(n)
                value = "".join(out) + value[i:]
                lowered = value.casefold()
        return value
    if isinstance(value, dict):
        return {_replace(k, needles, label): _replace(v, needles, label) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, needles, label) for v in value]
    return value


def scrub_audit_log(needles: set[str], label: str) -> int:
    """Replace every mention of `needles` (an email, names) in audit entries with `label`."""
    needles_sorted = sorted((n for n in needles if n), key=len, reverse=True)   # longest first
    if not needles_sorted:
        return 0
    conditions = []
    for needle in needles_sorted:
        pattern = f"%{needle.casefold()}%"
        # JSON columns hold non-ASCII text escaped ("Jos\\u00e9"), so look for that form too.
        escaped = "%" + json.dumps(needle.casefold())[1:-1] + "%"
        conditions += [func.lower(AuditEntry.summary).like(pattern), func.lower(AuditEntry.actor_label).like(pattern)]
        for column in (AuditEntry.before, AuditEntry.after):
            conditions += [func.lower(cast(column, Text)).like(pattern), func.lower(cast(column, Text)).like(escaped)]
    entries = db.session.execute(select(AuditEntry).where(or_(*conditions))).scalars().all()
    for entry in entries:
        entry.summary = _replace(entry.summary, needles_sorted, label)
        entry.before = _replace(entry.before, needles_sorted, label)
        entry.after = _replace(entry.after, needles_sorted, label)
        entry.actor_label = _replace(entry.actor_label, needles_sorted, label)
    return len(entries)
