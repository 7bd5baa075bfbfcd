"""Webinars: what the public may see, and staff's changes (create, edit, publish, cancel), each
raising the webinar's version (caches) and, once public, its SEQUENCE (subscribed calendars)."""
from datetime import datetime

from flask import abort
from sqlalchemy import select

from mipevents.accounts import audit
from mipevents.core import visibility
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.webinars import presenters
from mipevents.webinars.models import Webinar, WebinarPresenter

PUBLIC_STATUSES = visibility.PUBLIC_STATUSES
# Changes that subscribed calendars must follow.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "timezone", "status", "join_url")
EDITABLE_FIELDS = ("slug", "title", "description", "presenters", "starts_at", "ends_at", "timezone",
                   "capacity", "join_url", "registration_closes_at")


class WebinarProblem(Exception):
    """A change that cannot be made (impossible times, a slug in use, a wrong status); `field` names
    the form field it belongs next to (none for a status change)."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.field = field


def public_webinar_or_404(slug: str) -> Webinar:
    """A published or cancelled webinar open to the public (not cohort-only), else 404."""
    webinar = db.session.execute(select(Webinar).where(Webinar.slug == slug)).scalar_one_or_none()
    if not visibility.is_public(webinar):
        abort(404)
    return webinar


def public_webinars(now: datetime | None = None) -> tuple[list[Webinar], list[Webinar]]:
    """(upcoming soonest first, past latest first) public webinars."""
    now = now or utcnow()
    rows = db.session.execute(
        select(Webinar).where(*visibility.public_events(Webinar))
        .order_by(Webinar.starts_at, Webinar.id)
    ).scalars().all()
    upcoming = [w for w in rows if w.ends_at >= now]
    past = [w for w in rows if w.ends_at < now][::-1]
    return upcoming, past


def _snapshot(webinar: Webinar) -> dict:
    return {key: (value.isoformat() if isinstance(value, datetime) else value)
            for key in EDITABLE_FIELDS + ("status",) if (value := getattr(webinar, key)) is not None}


def _check(values: dict, webinar: Webinar | None = None) -> None:
    if values["ends_at"] <= values["starts_at"]:
        raise WebinarProblem("the webinar must end after it starts", "ends")
    closes = values.get("registration_closes_at")
    if closes is not None and closes > values["starts_at"]:
        raise WebinarProblem("registration must close before the webinar starts", "closes_time")
    taken = db.session.execute(select(Webinar.id).where(Webinar.slug == values["slug"])).scalar_one_or_none()
    if taken is not None and (webinar is None or taken != webinar.id):
        raise WebinarProblem(f"the address /webinars/{values['slug']}/ is already used by another webinar", "slug")


def create_webinar(values: dict, *, actor=None) -> Webinar:
    """A new draft webinar (public only once published)."""
    _check(values)
    webinar = Webinar(status="draft", **{k: values.get(k) for k in EDITABLE_FIELDS if k in values and k != "presenters"})
    db.session.add(webinar)
    db.session.flush()
    if values.get("presenters"):
        _set_presenters(webinar, values["presenters"], actor=actor)
    audit.record("webinar.create", webinar, actor=actor, summary=f"Created webinar {webinar.title}",
                 after=_snapshot(webinar))
    return webinar


def update_webinar(webinar: Webinar, values: dict, *, actor=None) -> bool:
    """Apply staff's edit; True when something changed. A public webinar's calendar entries take
    a higher SEQUENCE when the time, title, link or status changed."""
    _check(values, webinar)
    before = _snapshot(webinar)
    changed = [key for key in EDITABLE_FIELDS
               if key in values and key != "presenters" and getattr(webinar, key) != values[key]]
    text = values.get("presenters")
    if text is not None and presenters.split_entries(text) != presenters.split_entries(presenters.staff_lines(webinar)):
        changed.append("presenters")
    if not changed:
        return False
    for key in changed:
        if key == "presenters":
            _set_presenters(webinar, text, actor=actor)
        else:
            setattr(webinar, key, values[key])
    _bump(webinar, calendar=any(key in CALENDAR_FIELDS for key in changed))
    db.session.flush()
    audit.record("webinar.update", webinar, actor=actor, summary=f"Edited {', '.join(changed)}",
                 before=before, after=_snapshot(webinar))
    return True


def presenter_changed(speaker_id: int) -> None:
    """A presenter's profile changed: each webinar listing them moves its version on (caches) and its
    public line follows the profile."""
    webinars = db.session.execute(select(Webinar).join(WebinarPresenter, WebinarPresenter.webinar_id == Webinar.id)
                                  .where(WebinarPresenter.speaker_id == speaker_id)).scalars().all()
    for webinar in webinars:
        webinar.presenters = "\n".join(presenters.display_line(link.speaker) for link in webinar.presenter_links)
        _bump(webinar, calendar=False)


def _set_presenters(webinar: Webinar, text: str, *, actor) -> None:
    try:
        presenters.set_presenters(webinar, text, actor=actor)
    except presenters.PresenterProblem as exc:
        raise WebinarProblem(str(exc), "presenters") from None


def _bump(webinar: Webinar, *, calendar: bool) -> None:
    webinar.version = (webinar.version or 0) + 1
    webinar.updated_at = utcnow()
    if calendar and webinar.status != "draft":
        webinar.sequence = (webinar.sequence or 0) + 1


def publish_webinar(webinar: Webinar, *, actor=None) -> None:
    if webinar.status != "draft":
        raise WebinarProblem("only a draft can be published")
    webinar.status = "published"
    _bump(webinar, calendar=False)
    audit.record("webinar.publish", webinar, actor=actor, summary=f"Published {webinar.title}")


def cancel_webinar(webinar: Webinar, *, actor=None) -> None:
    """Cancelled stays visible, marked cancelled; calendars get STATUS:CANCELLED with a higher SEQUENCE."""
    if webinar.status != "published":
        raise WebinarProblem("only a published webinar can be cancelled")
    webinar.status = "cancelled"
    _bump(webinar, calendar=True)
    audit.record("webinar.cancel", webinar, actor=actor, summary=f"Cancelled {webinar.title}")
