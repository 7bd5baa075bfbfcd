"""The calendar routes: a meeting's agenda feed (with the agenda page's filters), one session, one
webinar, the organisation-wide feed and a person's private feed; plus the add-to-calendar links
the partials in templates/feeds/ show."""
import hashlib
from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, Response, abort, current_app, request, url_for
from sqlalchemy import func, select

from mipevents.agenda import queries as agenda
from mipevents.calls.queries import public_deadlines
from mipevents.core import visibility
from mipevents.core.http_cache import cached_response
from mipevents.extensions import db
from mipevents.feeds import events, fragments, ics, personal, queries
from mipevents.meetings.models import Meeting
from mipevents.meetings.queries import meeting_version, public_meeting_head_or_404
from mipevents.webinars.models import Webinar

bp = Blueprint("feeds", __name__)

CALENDAR = "text/calendar"
PUBLIC = visibility.PUBLIC_STATUSES


def _site() -> events.Site:
    return events.Site.from_config(current_app.config)


def _disposition(filename: str, *, download: bool) -> dict:
    return {"Content-Disposition": f'{"attachment" if download else "inline"}; filename="{filename}"'}


@bp.route("/meetings/<slug>/agenda.ics")
def agenda_feed(slug):
    """The published agenda as a subscription; ?day=&track=&kind= as on the agenda page."""
    head = public_meeting_head_or_404(slug)
    try:
        filters = agenda.parse_filters(request.args, head)
    except agenda.BadFilter as problem:
        return Response(problem.message + "\n", status=400, mimetype="text/plain")
    headers = _disposition(f"{head.slug}-agenda.ics", download=False)

    def build():   # from the sessions' kept VEVENTs: only those whose version changed are built
        meeting, site = head.load(), _site()
        rows = agenda.public_rows(meeting.id)
        chosen = agenda.apply_filters(rows, agenda.check_track(filters, agenda.tracks(rows)), meeting.timezone)
        subscription = ics.agenda_subscription(meeting, site, filtered=_filter_words(filters))
        body = ics.calendar_from_fragments(fragments.agenda_sessions(meeting, chosen, site), site, subscription)
        if body is None:   # a zone without a yearly rule over these dates: times in UTC, built in full
            ids = {row.id for row in chosen}
            items = [item for item in queries.public_sessions(meeting) if item.id in ids]
            body = ics.agenda_calendar(meeting, items, site, filtered=_filter_words(filters))
        return body

    def empty():   # a day outside the meeting or an unknown track: no event, and nothing kept for it
        body = ics.agenda_calendar(head.load(), [], _site(), filtered=_filter_words(filters))
        return Response(body, mimetype=CALENDAR, headers=headers)

    if agenda.outside_meeting(filters, head):
        return empty()
    try:
        return cached_response(("agenda.ics", head.id, filters.key()), meeting_version(head), build,
                               last_modified=head.updated_at, mimetype=CALENDAR, headers=headers)
    except agenda.NoMatch:   # an unknown track, found while building
        return empty()


def _filter_words(filters) -> str:
    parts = [filters.day.isoformat() if filters.day else "", filters.track, filters.kind]
    return ", ".join(p for p in parts if p)


@bp.route("/meetings/<slug>/sessions/<int:item_id>.ics")
def session_ics(slug, item_id):
    head = public_meeting_head_or_404(slug)

    def build():
        meeting, site = head.load(), _site()
        item = agenda.public_item_or_404(meeting, item_id)
        body = ics.calendar_from_fragments(fragments.agenda_sessions(meeting, [item], site), site)
        return body if body is not None else ics.session_calendar(meeting, item, site)

    return cached_response(("session.ics", head.id, item_id), meeting_version(head), build,
                           last_modified=head.updated_at, mimetype=CALENDAR,
                           headers=_disposition(f"{head.slug}-session-{item_id}.ics", download=True))


def _public_webinar_or_404(slug: str) -> Webinar:
    webinar = db.session.execute(select(Webinar).where(Webinar.slug == slug)).scalar_one_or_none()
    if not visibility.is_public(webinar):
        abort(404)
    return webinar


@bp.route("/webinars/<slug>.ics")
def webinar_ics(slug):
    """The public webinar file: never the join link (registrants get theirs by email and feed)."""
    webinar = _public_webinar_or_404(slug)
    version = (webinar.version, webinar.sequence, webinar.status, str(webinar.updated_at))
    def build():
        site = _site()
        body = ics.calendar_from_fragments([fragments.webinar(webinar, site)], site)
        return body if body is not None else ics.webinar_calendar(webinar, site)

    return cached_response(("webinar.ics", webinar.id), version, build,
                           last_modified=webinar.updated_at, mimetype=CALENDAR,
                           headers=_disposition(f"{webinar.slug}.ics", download=True))


def _org_version(deadlines) -> tuple:
    """Two small queries: changes whenever a public meeting or webinar is added, edited or removed."""
    meetings = db.session.execute(
        select(func.count(Meeting.id), func.max(Meeting.updated_at), func.sum(Meeting.sequence))
        .where(*visibility.public_events(Meeting))).one()
    webinars = db.session.execute(
        select(func.count(Webinar.id), func.max(Webinar.updated_at), func.sum(Webinar.version),
               func.sum(Webinar.sequence))
        .where(*visibility.public_events(Webinar))).one()
    calls = tuple((d.uid_key, d.title, d.deadline_at.isoformat(), d.zone, d.url, d.sequence) for d in deadlines)
    return (tuple(str(v) for v in meetings), tuple(str(v) for v in webinars), calls)


@bp.route("/calendar.ics")
def org_feed():
    """Published meetings (all-day), public webinars and open calls' deadlines."""
    deadlines = public_deadlines()

    def build():
        meetings = db.session.execute(
            select(Meeting).where(*visibility.public_events(Meeting))
            .order_by(Meeting.starts_on, Meeting.id)).scalars()
        webinars = db.session.execute(
            select(Webinar).where(*visibility.public_events(Webinar))
            .order_by(Webinar.starts_at, Webinar.id)).scalars()
        return ics.org_calendar(list(meetings), list(webinars), deadlines, _site())

    return cached_response(("org.ics",), _org_version(deadlines), build, mimetype=CALENDAR,
                           headers=_disposition("calendar.ics", download=False))


@bp.route("/calendar/<token>.ics")
def personal_feed(token):
    """One person's private feed. Put together on each request (two queries, the token's included,
    from events serialised once and kept: see feeds/personal.py), then answered 304 when the client
    already holds these bytes; the whole feed is never stored in the shared cache (join links)."""
    body = personal.personal_calendar(token, _site())
    if body is None:   # an unknown, revoked or other purpose token, or a person since erased
        abort(404)
    response = Response(body, mimetype=CALENDAR)
    response.headers.update(_disposition("my-schedule.ics", download=False))
    response.headers["Cache-Control"] = "private, max-age=0, must-revalidate"
    response.headers["X-Robots-Tag"] = "noindex"
    # ETag only: the bytes' own hash. No Last-Modified, because some changes (a session un-picked,
    # a membership ended) leave no newer timestamp behind, and If-Modified-Since would then be a 304.
    response.set_etag(hashlib.sha256(body).hexdigest()[:32])
    return response.make_conditional(request)


# ------------------------------------------------------------------------------------ add-to-calendar links

def _utc_compact(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _utc_iso(instant: datetime) -> str:
    return instant.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def webcal(url: str) -> str:
    """The same address with the webcal: scheme that makes a client subscribe."""
    parts = urlsplit(url)
    return "webcal://" + parts.netloc + parts.path + (f"?{parts.query}" if parts.query else "")


def event_links(*, title: str, starts_at: datetime, ends_at: datetime, zone: str, details: str,
                location: str) -> dict:
    """Google Calendar and Outlook (Outlook.com, Microsoft 365) deeplinks, with UTC times."""
    google = "https://calendar.google.com/calendar/render?" + urlencode({
        "action": "TEMPLATE", "text": title, "dates": f"{_utc_compact(starts_at)}/{_utc_compact(ends_at)}",
        "ctz": zone, "details": details, "location": location})
    outlook_args = urlencode({"path": "/calendar/action/compose", "rru": "addevent", "subject": title,
                              "startdt": _utc_iso(starts_at), "enddt": _utc_iso(ends_at),
                              "body": details, "location": location})
    return {"google": google,
            "outlook": "https://outlook.live.com/calendar/0/deeplink/compose?" + outlook_args,
            "office365": "https://outlook.office.com/calendar/0/deeplink/compose?" + outlook_args}


def subscribe_links(https_url: str) -> dict:
    return {"https": https_url, "webcal": webcal(https_url),
            "google": "https://calendar.google.com/calendar/r?" + urlencode({"cid": webcal(https_url)})}


def _absolute(endpoint: str, **values) -> str:
    return current_app.config["MIPEVENTS_BASE_URL"].rstrip("/") + url_for(endpoint, **values)


@bp.app_template_global()
def session_calendar_links(meeting, item) -> dict:
    site = _site()
    return {"download": url_for("feeds.session_ics", slug=meeting.slug, item_id=item.id),
            **event_links(title=item.title, starts_at=item.starts_at, ends_at=item.ends_at, zone=meeting.timezone,
                          details=events.session_url(meeting, item, site),
                          location=events.session_location(meeting, item))}


@bp.app_template_global()
def agenda_subscribe_links(meeting, filters: dict | None = None) -> dict:
    """The whole agenda's feed; with `filters` (?day=&track=&kind= as on the agenda page) just those."""
    return subscribe_links(_absolute("feeds.agenda_feed", slug=meeting.slug, **(filters or {})))


@bp.app_template_global()
def webinar_calendar_links(webinar) -> dict:
    site = _site()
    return {"download": url_for("feeds.webinar_ics", slug=webinar.slug),
            **event_links(title=webinar.title, starts_at=webinar.starts_at, ends_at=webinar.ends_at,
                          zone=webinar.timezone, details=events.webinar_url(webinar, site), location="Online")}


@bp.app_template_global()
def org_subscribe_links() -> dict:
    return subscribe_links(_absolute("feeds.org_feed"))
