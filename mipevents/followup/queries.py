"""Reading what came after the event: the public write-ups and materials (by the one visibility rule,
drafts invisible), what a registrant's private page shows, and a speaker's own materials (survey results: results.py)."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased

from mipevents.agenda.invitations import invitation_for_token
from mipevents.agenda.models import AgendaItem, Invitation, SessionSpeaker
from mipevents.core import storage
from mipevents.core.cache import Region
from mipevents.core.http_cache import etag_for
from mipevents.core.timeutil import utcnow
from mipevents.core.visibility import PUBLIC_STATUSES, is_public, is_public_item, public_events, public_items
from mipevents.extensions import db
from mipevents.followup.models import Material, Story, StoryPhoto, Survey, SurveyAnswer
from mipevents.meetings.models import Meeting
from mipevents.people.models import Token
from mipevents.people.services import token_hash
from mipevents.registration.models import Registration
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar

TRY_CHOICES = (("yes", "Yes"), ("maybe", "Maybe"), ("no", "No"))


def ideas_asked(survey: Survey) -> list[ShowcaseSlot]:
    """A showcase session's survey asks "will you try it?" of each published idea."""
    if survey.item is None or survey.item.kind != "showcase":
        return []
    return list(db.session.execute(select(ShowcaseSlot).where(
        ShowcaseSlot.item_id == survey.item_id, ShowcaseSlot.status == "published")
        .order_by(ShowcaseSlot.position, ShowcaseSlot.id)).scalars())


def target_is_public(target) -> bool:
    """A session, showcase slot or webinar the public may see."""
    if isinstance(target, Webinar):
        return is_public(target)
    if isinstance(target, ShowcaseSlot):
        return target.status == "published" and is_public_item(target.item, target.item.meeting)
    return is_public_item(target, target.meeting)


def _story_is_public(story: Story, now: datetime) -> bool:
    return story.status == "published" and story.published_at <= now and target_is_public(story.target)


def _public_story_conditions(now: datetime):
    """Stories the public may see, as SQL: published and dated, on a public session, slot or webinar."""
    slot_item, slot_meeting = aliased(AgendaItem), aliased(Meeting)
    on_item = select(AgendaItem.id).join(Meeting, Meeting.id == AgendaItem.meeting_id).where(
        *public_items(AgendaItem, Meeting))
    on_slot = (select(ShowcaseSlot.id).join(slot_item, slot_item.id == ShowcaseSlot.item_id)
               .join(slot_meeting, slot_meeting.id == slot_item.meeting_id)
               .where(ShowcaseSlot.status == "published", *public_items(slot_item, slot_meeting)))
    on_webinar = select(Webinar.id).where(*public_events(Webinar))
    return (Story.status == "published", Story.published_at <= now,
            or_(Story.item_id.in_(on_item), Story.slot_id.in_(on_slot), Story.webinar_id.in_(on_webinar)))


# -- the clock of cached pages that list write-ups ------------------------------------------------
#
# A write-up dated ahead is saved (and its meeting's version moves) before it is public, so a page
# rendered in between is cached without it. Pages that list write-ups therefore add to their cache
# version the next instant at which one becomes public: when it comes, their key moves on and the
# page is rendered again, with it. The instants to come are read once per version of the page
# (whatever changes a write-up also moves that version), then held in this process and the shared
# cache under that version, so a warm page still issues no query.

_UPCOMING = Region("stories-upcoming", local_seconds=60, timeout=24 * 3600, uncached_local=True)


@dataclass(frozen=True)
class PublishBoundary:
    """The next instant a dated write-up becomes public (None: none is waiting)."""
    next_at: datetime | None
    now: datetime

    @property
    def key(self) -> str:
        return self.next_at.isoformat() if self.next_at else ""

    def max_age(self, longest: int) -> int:
        """A page's max-age, so that no browser or proxy keeps it past that instant."""
        if self.next_at is None:
            return longest
        return max(0, min(longest, int((self.next_at - self.now).total_seconds())))


def _upcoming_publish_times(now: datetime) -> tuple:
    return tuple(db.session.execute(select(Story.published_at).where(
        Story.status == "published", Story.published_at > now).order_by(Story.published_at)).scalars())


def publish_boundary(scope, version, now: datetime | None = None) -> PublishBoundary:
    """For the cache key of a page that lists write-ups: `scope` names the page (as its cache key
    does) and `version` is its version; the answer moves on when a dated write-up's time arrives."""
    now = now or utcnow()
    key = etag_for(scope, version)
    times = _UPCOMING.get(key)
    if times is None:
        times = _upcoming_publish_times(now)
        _UPCOMING.set(key, times)
    return PublishBoundary(next((t for t in times if t > now), None), now)


def stories_version() -> tuple:
    """What /stories/ and its feed depend on besides the clock: the write-ups, and the meetings and
    webinars that decide whether each is public (one small query)."""
    return tuple(str(v) for v in db.session.execute(select(
        select(func.count(Story.id)).scalar_subquery(), select(func.max(Story.updated_at)).scalar_subquery(),
        select(func.count(Meeting.id)).scalar_subquery(),
        select(func.coalesce(func.sum(Meeting.agenda_version), 0)).scalar_subquery(),
        select(func.max(Meeting.updated_at)).scalar_subquery(), select(func.max(Webinar.updated_at)).scalar_subquery(),
    )).one())


def public_stories(now: datetime | None = None, limit: int | None = None) -> list[Story]:
    """Published write-ups, newest first."""
    stmt = (select(Story).where(*_public_story_conditions(now or utcnow()))
            .order_by(Story.published_at.desc(), Story.id.desc()))
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.execute(stmt).scalars())


def public_story(story_id: int, now: datetime | None = None) -> Story | None:
    story = db.session.get(Story, story_id)
    return story if story is not None and _story_is_public(story, now or utcnow()) else None


def public_photo(photo_id: int, now: datetime | None = None) -> StoryPhoto | None:
    photo = db.session.get(StoryPhoto, photo_id)
    return photo if photo is not None and _story_is_public(photo.story, now or utcnow()) else None


def public_material(material_id: int) -> Material | None:
    material = db.session.get(Material, material_id)
    return material if material is not None and material.is_public and target_is_public(material.target) else None


@dataclass
class AfterEvent:
    """What a public page shows of a session, slot or webinar after it: public materials and the write-up."""
    materials: list = field(default_factory=list)
    story: Story | None = None

    @property
    def recordings(self):
        return [m for m in self.materials if m.kind == "recording"]

    @property
    def others(self):
        return [m for m in self.materials if m.kind != "recording"]


def _column(kind: str):
    return {"session": "item_id", "slot": "slot_id", "webinar": "webinar_id"}[kind]


def after_event(kind: str, target_id: int, now: datetime | None = None) -> AfterEvent:
    """For the page of a public session ("session"), showcase slot ("slot") or webinar ("webinar"):
    the caller has already decided the target is public."""
    now = now or utcnow()
    column = _column(kind)
    materials = list(db.session.execute(select(Material).where(
        getattr(Material, column) == target_id, Material.is_public.is_(True)).order_by(Material.id)).scalars())
    story = db.session.execute(select(Story).where(
        getattr(Story, column) == target_id, Story.status == "published", Story.published_at <= now)).scalar_one_or_none()
    return AfterEvent(materials, story)


def public_materials_by_item(meeting: Meeting) -> dict[int, list[Material]]:
    """The public materials of a meeting's sessions, by session id, in one query (for the schedule
    exports; the caller has decided which sessions are public)."""
    rows = db.session.execute(select(Material).join(AgendaItem, AgendaItem.id == Material.item_id).where(
        AgendaItem.meeting_id == meeting.id, Material.is_public.is_(True)).order_by(Material.id)).scalars()
    found: dict[int, list[Material]] = {}
    for material in rows:
        found.setdefault(material.item_id, []).append(material)
    return found


def public_materials_of_items(item_ids: list[int]) -> dict[int, list[Material]]:
    """The public materials of these (public) sessions, by session id, in one query: a speaker's page."""
    found: dict[int, list[Material]] = {}
    if item_ids:
        for material in db.session.execute(select(Material).where(
                Material.item_id.in_(item_ids), Material.is_public.is_(True)).order_by(Material.id)).scalars():
            found.setdefault(material.item_id, []).append(material)
    return found


def meeting_stories(meeting: Meeting, now: datetime | None = None) -> list[Story]:
    """A public meeting's published write-ups (its public sessions' and showcase slots'), in agenda
    order, in one query (the caller has decided the meeting is public)."""
    slot_item = aliased(AgendaItem)
    stmt = (select(Story)
            .outerjoin(AgendaItem, AgendaItem.id == Story.item_id)
            .outerjoin(ShowcaseSlot, ShowcaseSlot.id == Story.slot_id)
            .outerjoin(slot_item, slot_item.id == ShowcaseSlot.item_id)
            .where(Story.status == "published", Story.published_at <= (now or utcnow()),
                   or_(and_(AgendaItem.meeting_id == meeting.id, AgendaItem.status.in_(PUBLIC_STATUSES)),
                       and_(slot_item.meeting_id == meeting.id, slot_item.status.in_(PUBLIC_STATUSES),
                            ShowcaseSlot.status == "published")))
            .order_by(func.coalesce(AgendaItem.starts_at, slot_item.starts_at), func.coalesce(ShowcaseSlot.position, -1),
                      Story.id))
    return list(db.session.execute(stmt).scalars())


def slot_story_ids(slot_ids: list[int], now: datetime | None = None) -> dict[int, Story]:
    """Published write-ups of these showcase slots, by slot id (for the ideas library)."""
    if not slot_ids:
        return {}
    rows = db.session.execute(select(Story).where(
        Story.slot_id.in_(slot_ids), Story.status == "published", Story.published_at <= (now or utcnow()))).scalars()
    return {story.slot_id: story for story in rows}


def file_bytes(material: Material) -> bytes:
    """A file material's bytes: from its row (deferred there, so lists never load them) or from the
    file store its key names."""
    if material.storage_key:
        return storage.get(material.storage_key)
    return db.session.execute(select(Material.data).where(Material.id == material.id)).scalar_one()


def photo_bytes(photo_id: int) -> bytes:
    return db.session.execute(select(StoryPhoto.data).where(StoryPhoto.id == photo_id)).scalar_one()


def materials_of(target) -> list[Material]:
    """Every material of a session, slot or webinar, public or not (for staff)."""
    column = {AgendaItem: "item_id", ShowcaseSlot: "slot_id", Webinar: "webinar_id"}[type(target)]
    return list(db.session.execute(select(Material).where(getattr(Material, column) == target.id)
                                   .order_by(Material.id)).scalars())


# -- a registrant's follow-up page ---------------------------------------------------------------

LINK_PURPOSE = "survey"   # noqa: S105 (a token purpose, not a secret): the follow-up page's private link


@dataclass(frozen=True)
class FollowupLink:
    """What a follow-up link is now: "live", "revoked" (by staff), "expired" (every survey of its event
    has closed) or "unknown" (never ours, or its registration is gone)."""
    state: str
    registration: Registration | None = None
    closed_at: datetime | None = None


def followup_link(raw: str, now: datetime | None = None) -> FollowupLink:
    digest = token_hash(raw)
    token = db.session.execute(select(Token).where(Token.token_hash == digest, Token.purpose == LINK_PURPOSE)
                               ).scalar_one_or_none() if digest is not None else None
    registration = db.session.get(Registration, token.subject_id) if token and token.subject_id else None
    if registration is None or registration.person_id != token.person_id:
        return FollowupLink("unknown")
    if token.revoked_at is not None:
        return FollowupLink("revoked", registration)
    closed_at = link_expires_at(registration)
    if closed_at is not None and (now or utcnow()) >= closed_at:
        return FollowupLink("expired", registration, closed_at)
    return FollowupLink("live", registration)


def link_expires_at(registration: Registration) -> datetime | None:
    """A follow-up link ends when the last survey of its event closes (never, for an event without one):
    staff extending a survey extend its links."""
    surveys = surveys_for(registration)
    return max(s.closes_at for s in surveys) if surveys else None


def event_registration_ids(event):
    """The registrations of a meeting or webinar, as a subquery (their follow-up links' subjects)."""
    column = Registration.webinar_id if isinstance(event, Webinar) else Registration.meeting_id
    return select(Registration.id).where(column == event.id)


def live_link_count(event) -> int:
    return db.session.execute(select(func.count(Token.id)).where(
        Token.purpose == LINK_PURPOSE, Token.revoked_at.is_(None),
        Token.subject_id.in_(event_registration_ids(event)))).scalar_one()


def surveys_for(registration: Registration) -> list[Survey]:
    """The surveys a registrant is asked: their webinar's, or those of their meeting's published sessions."""
    if registration.webinar_id is not None:
        return list(db.session.execute(select(Survey).where(Survey.webinar_id == registration.webinar_id)).scalars())
    return list(db.session.execute(select(Survey).join(AgendaItem, AgendaItem.id == Survey.item_id).where(
        AgendaItem.meeting_id == registration.meeting_id, AgendaItem.status.in_(PUBLIC_STATUSES))
        .order_by(AgendaItem.starts_at, Survey.id)).scalars())


def registrant_materials(registration: Registration) -> list[Material]:
    """Every material of the registration's event (public and registrants-only), sessions' and slots' too."""
    if registration.webinar_id is not None:
        condition = Material.webinar_id == registration.webinar_id
    else:
        items = select(AgendaItem.id).where(AgendaItem.meeting_id == registration.meeting_id,
                                            AgendaItem.status.in_(("published", "cancelled")))
        slots = select(ShowcaseSlot.id).where(ShowcaseSlot.item_id.in_(items), ShowcaseSlot.status == "published")
        condition = or_(Material.item_id.in_(items), Material.slot_id.in_(slots))
    return list(db.session.execute(select(Material).where(condition).order_by(Material.id)).scalars())


def answer_of(survey: Survey, registration: Registration) -> SurveyAnswer | None:
    return db.session.execute(select(SurveyAnswer).where(
        SurveyAnswer.survey_id == survey.id, SurveyAnswer.registration_id == registration.id)).scalar_one_or_none()


# -- a speaker's own materials -------------------------------------------------------------------

@dataclass(frozen=True)
class SpeakerTarget:
    """One of a speaker's sessions or showcase slots, as their materials form offers it."""
    ref: str          # "session:<id>" or "slot:<id>"
    label: str
    target: object


def speaker_of_invitation(raw: str) -> Speaker | None:
    """The speaker whose live invitation link this is (agenda's rule), or None."""
    invitation = invitation_for_token(raw)
    return invitation.speaker if invitation is not None else None


def speaker_targets(speaker: Speaker) -> list[SpeakerTarget]:
    """What a speaker may attach materials to: the sessions they speak in (unless they declined that
    invitation) and their own showcase slots, by time."""
    items = db.session.execute(
        select(AgendaItem).join(SessionSpeaker, SessionSpeaker.item_id == AgendaItem.id)
        .outerjoin(Invitation, Invitation.link_id == SessionSpeaker.id)
        .where(SessionSpeaker.speaker_id == speaker.id, AgendaItem.status != "cancelled",
               or_(Invitation.id.is_(None), Invitation.status != "declined"))
        .order_by(AgendaItem.starts_at, AgendaItem.id)).scalars().all()
    slots = db.session.execute(
        select(ShowcaseSlot).join(AgendaItem, AgendaItem.id == ShowcaseSlot.item_id)
        .where(ShowcaseSlot.speaker_id == speaker.id, AgendaItem.status != "cancelled")
        .order_by(AgendaItem.starts_at, ShowcaseSlot.position, ShowcaseSlot.id)).scalars().all()
    found = [SpeakerTarget(f"session:{i.id}", f"{i.title} ({i.meeting.name})", i) for i in items]
    found += [SpeakerTarget(f"slot:{s.id}", f"{s.title} (showcase, {s.item.meeting.name})", s) for s in slots]
    return found


def speaker_added_materials(speaker: Speaker) -> list[Material]:
    """What this speaker added through their link, newest first."""
    return list(db.session.execute(select(Material).where(Material.added_by_speaker_id == speaker.id)
                                   .order_by(Material.id.desc())).scalars())
