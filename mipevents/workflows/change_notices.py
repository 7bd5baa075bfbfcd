"""Change notices: when a published session changes time, room or status, the people it affects
(its speakers, the registrants who chose it — everyone confirmed, for the sessions every attendee
is at; those who join it, for receptions and site visits — and their schedulers) get ONE email per person with what changed, before and after, and an
updated .ics (same UID, the session's higher SEQUENCE).

Calendar feeds alone are not enough on the day: some clients refresh twice a day, and some drop a
cancelled event silently. Edits are batched: `agenda.changes.record_session_change` leaves a ChangeNotice row per
saved edit; `queue_change_notices` turns the pending rows of a meeting into one outbox message per
person once the burst is over (no edit for QUIET, or the first one LONGEST_WAIT old), comparing the
first edit's `before` with the session as it is then, so three edits make one message and an
edit undone makes none."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app, render_template
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from mipevents.agenda.changes import changed_fields, session_state
from mipevents.agenda.models import AgendaItem, ChangeNotice, SessionSpeaker
from mipevents.core import vocabulary as vocab
from mipevents.core.timeutil import format_day, format_time, to_local, utcnow
from mipevents.extensions import db
from mipevents.feeds import events, ics
from mipevents.meetings.models import Meeting
from mipevents.notify.outbox import Attachment, BuiltMessage, enqueue
from mipevents.people.models import Person
from mipevents.people.services import normalise_email
from mipevents.registration import sessions
from mipevents.registration.models import Registration, SessionChoice
from mipevents.speakers.models import Speaker

KIND = "session_changes"
QUIET = timedelta(minutes=5)          # a burst of edits is over when none came for this long
LONGEST_WAIT = timedelta(minutes=30)  # … but nobody waits longer than this for the first change


class AlreadyQueued(Exception):
    """Another run queued these notices first (the caller rolls back)."""


# ---------------------------------------------------------------------------------------------- batches

@dataclass
class PendingChange:
    """One session's pending notices, as they would go out now."""

    item: AgendaItem
    notices: list[ChangeNotice]
    before: dict
    after: dict
    changed: list[str]
    recipients: list[str] = field(default_factory=list)   # emails, case-folded


def _recipients(items: list[AgendaItem]) -> dict[int, set[str]]:
    """Per session: the emails of its speakers, of the confirmed registrants who chose it (all
    confirmed registrants for a session every attendee is at), and of those registrants' schedulers."""
    by_item: dict[int, set[str]] = {item.id: set() for item in items}
    if not items:
        return by_item
    ids = [item.id for item in items]
    for item_id, email, person_email in db.session.execute(
            select(SessionSpeaker.item_id, Speaker.email, Person.email)
            .join(Speaker, Speaker.id == SessionSpeaker.speaker_id).outerjoin(Person, Person.id == Speaker.person_id)
            .where(SessionSpeaker.item_id.in_(ids))).all():
        if email or person_email:
            by_item[item_id].add(normalise_email(email or person_email))
    for item_id, email, scheduler_email in db.session.execute(
            select(SessionChoice.item_id, Registration.email, Registration.scheduler_email)
            .join(Registration, Registration.id == SessionChoice.registration_id)
            .where(SessionChoice.item_id.in_(ids), Registration.status == "confirmed")).all():
        by_item[item_id].update(normalise_email(e) for e in (email, scheduler_email) if e)
    everyone = [item for item in items if item.kind in vocab.ALL_ATTENDEE_KINDS]
    for meeting_id in {item.meeting_id for item in everyone}:
        rows = db.session.execute(
            select(Registration.email, Registration.scheduler_email)
            .where(Registration.meeting_id == meeting_id, Registration.status == "confirmed")).all()
        emails = {normalise_email(e) for row in rows for e in row if e}
        for item in everyone:
            if item.meeting_id == meeting_id:
                by_item[item.id].update(emails)
    extras = [item for item in items if item.kind in vocab.OPT_IN_KINDS]
    for meeting_id in {item.meeting_id for item in extras}:
        regs = db.session.execute(
            select(Registration).where(Registration.meeting_id == meeting_id, Registration.status == "confirmed")).scalars()
        for registration in regs:
            emails = {normalise_email(e) for e in (registration.email, registration.scheduler_email) if e}
            for item in extras:
                if item.meeting_id == meeting_id and sessions.joins(registration, item):
                    by_item[item.id].update(emails)
    return by_item


def pending_changes(meeting_id: int | None = None) -> list[PendingChange]:
    """The pending notices grouped per session, oldest first, with who would get them (a fixed
    number of queries)."""
    stmt = (select(ChangeNotice).where(ChangeNotice.status == "pending")
            .options(selectinload(ChangeNotice.item).selectinload(AgendaItem.room))
            .order_by(ChangeNotice.created_at, ChangeNotice.id))
    if meeting_id is not None:
        stmt = stmt.where(ChangeNotice.meeting_id == meeting_id)
    grouped: dict[int, list[ChangeNotice]] = defaultdict(list)
    for notice in db.session.execute(stmt).scalars():
        grouped[notice.item_id].append(notice)
    items = [notices[0].item for notices in grouped.values()]
    recipients = _recipients(items)
    changes = []
    for item in items:
        notices = grouped[item.id]
        before, after = notices[0].before, session_state(item)
        changes.append(PendingChange(item=item, notices=notices, before=before, after=after,
                                     changed=changed_fields(before, after), recipients=sorted(recipients[item.id])))
    return changes


def _is_due(notices: list[ChangeNotice], now: datetime, quiet: timedelta, longest: timedelta) -> bool:
    first = min(n.created_at for n in notices)
    last = max(n.created_at for n in notices)
    return now - last >= quiet or now - first >= longest


def queue_change_notices(*, now: datetime | None = None, meeting_id: int | None = None, force: bool = False,
                         quiet: timedelta = QUIET, longest: timedelta = LONGEST_WAIT) -> int:
    """Queue one `session_changes` message per person for every meeting whose burst of edits is
    over (every pending one with `force`, as staff's "send now" does). Returns the messages queued.

    The rows are claimed with one UPDATE … WHERE status = 'pending', so two runs never both send a
    batch (the loser raises AlreadyQueued). Flushes; the caller commits."""
    now = now or utcnow()
    by_meeting: dict[int, list[PendingChange]] = defaultdict(list)
    for change in pending_changes(meeting_id):
        by_meeting[change.item.meeting_id].append(change)
    queued = 0
    for changes in by_meeting.values():
        notices = [n for change in changes for n in change.notices]
        if not force and not _is_due(notices, now, quiet, longest):
            continue
        ids = [n.id for n in notices]
        claimed = db.session.execute(
            update(ChangeNotice).where(ChangeNotice.id.in_(ids), ChangeNotice.status == "pending")
            .values(status="queued", queued_at=now).execution_options(synchronize_session=False)).rowcount
        if claimed != len(ids):
            raise AlreadyQueued("these change notices were queued by another run")
        per_person: dict[str, list[PendingChange]] = defaultdict(list)
        for change in changes:
            if not change.changed:
                continue
            for email in change.recipients:
                per_person[email].append(change)
        batch = f"{min(ids)}-{max(ids)}"
        for email, theirs in sorted(per_person.items()):
            enqueue(KIND, email, {
                "meeting_id": changes[0].item.meeting_id,
                "changes": [{"item_id": c.item.id, "before": c.before, "after": c.after, "changed": c.changed}
                            for c in theirs],
            }, dedupe_key=f"session-changes:{batch}:{email}"[:200])
            queued += 1
        for change in changes:
            status = "queued" if change.changed else "void"
            for notice in change.notices:
                db.session.execute(update(ChangeNotice).where(ChangeNotice.id == notice.id)
                                   .values(status=status, recipients=len(change.recipients) if change.changed else 0)
                                   .execution_options(synchronize_session=False))
    db.session.flush()
    db.session.expire_all()
    return queued


def queue_due_change_notices(now: datetime | None = None) -> int:
    """For cron and the worker (`notify reminders` or beside it): queue what is due, and commit."""
    try:
        queued = queue_change_notices(now=now)
    except AlreadyQueued:
        db.session.rollback()
        return 0
    db.session.commit()
    return queued


# ---------------------------------------------------------------------------------------------- the email

def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


@dataclass
class ChangeLine:
    what: str          # "Time", "Room" (or "Place" for an off-site session), "Status"
    before: str
    after: str


def change_lines(before: dict, after: dict, zone: str) -> list[ChangeLine]:
    """Before/after in words, in the meeting's zone ("Wednesday, January 22, 9:00 AM – 10:00 AM ET")."""
    def when(state):
        starts, ends = _parse(state.get("starts_at")), _parse(state.get("ends_at"))
        if starts is None or ends is None:
            return ""
        return f"{format_day(to_local(starts, zone).date())}, {format_time(starts, zone, False)} – {format_time(ends, zone)}"

    lines = []
    if before.get("starts_at") != after.get("starts_at") or before.get("ends_at") != after.get("ends_at"):
        lines.append(ChangeLine("Time", when(before), when(after)))
    if before.get("room", after.get("room")) != after.get("room"):
        # "Room" only when both sides are rooms: a move to or from an off-site place is a "Place".
        what = "Place" if before.get("offsite") or after.get("offsite") else "Room"
        lines.append(ChangeLine(what, before.get("room") or f"No {what.lower()} given",
                                after.get("room") or f"No {what.lower()} given"))
    if before.get("status") != after.get("status"):
        lines.append(ChangeLine("Status", "Cancelled" if before.get("status") == "cancelled" else "Taking place",
                                "Cancelled" if after.get("status") == "cancelled" else "Taking place"))
    return lines


def build_session_changes(msg) -> BuiltMessage:
    """Built at delivery: the changes as recorded, the sessions' .ics as they are at sending."""
    meeting = db.session.get(Meeting, msg.context["meeting_id"])
    ids = [c["item_id"] for c in msg.context["changes"]]
    items = {item.id: item for item in db.session.execute(
        select(AgendaItem).where(AgendaItem.id.in_(ids))
        .options(selectinload(AgendaItem.room), selectinload(AgendaItem.speaker_links).selectinload(SessionSpeaker.speaker))
    ).scalars()}
    site = events.Site.from_config(current_app.config)
    changes = []
    for change in msg.context["changes"]:
        item = items.get(change["item_id"])
        if item is None:   # deleted since: nothing to attach, nothing to say
            continue
        changes.append({"item": item, "lines": change_lines(change["before"], change["after"], meeting.timezone),
                        "is_cancelled": item.is_cancelled, "url": events.session_url(meeting, item, site)})
    if len(changes) == 1:
        only = changes[0]["item"]
        subject = f"{'Cancelled' if only.is_cancelled else 'Changed'}: {only.title} ({meeting.name})"
    else:
        subject = f"{len(changes)} sessions changed at {meeting.name}"
    context = {"meeting": meeting, "changes": changes, "zone": meeting.timezone}
    text = render_template("email/registration/meeting_session_changes.txt", **context)
    html = render_template("email/registration/meeting_session_changes.html", **context)
    calendar = ics.calendar([events.session_event(meeting, c["item"], site) for c in changes], site)
    return BuiltMessage(subject=subject, text=text, html=html,
                        attachments=[Attachment("changes.ics", "text/calendar; method=PUBLISH", calendar)])
