"""A webinar's presenters as speaker profiles. Staff write them one a line ("Mayor Elena Rivera,
Mayor of Dubuque, IA <elena@dubuque.example>"); each line becomes a link to a profile: the profile
with that email where the line gives one, the same presenter the webinar already lists where the
line reads as they do, else a new profile. Never merged by name (many people share one). The
webinar's public `presenters` line is rebuilt from the profiles, never with an email in it."""
import re
from dataclasses import dataclass

from sqlalchemy import literal, select
from sqlalchemy.orm import joinedload

from mipevents.agenda import invitations
from mipevents.core import visibility
from mipevents.extensions import db
from mipevents.people.services import normalise_email
from mipevents.speakers import services as speakers
from mipevents.speakers.models import Speaker
from mipevents.webinars.models import Webinar, WebinarPresenter

HONORIFICS = ("mayor", "dr.", "dr", "councilmember", "councilwoman", "councilman", "commissioner", "senator",
              "rep.", "representative", "secretary", "judge", "prof.", "professor", "mr.", "ms.", "mrs.", "mx.")
EMAIL = re.compile(r"<?\s*([^\s<>@,;()]+@[^\s<>@,;()]+\.[^\s<>@,;()]+)\s*>?")
MAX_PRESENTERS = 40


class PresenterProblem(ValueError):
    pass


@dataclass(frozen=True)
class PresenterLine:
    honorific: str
    name: str
    position: str
    email: str


def split_entries(text: str) -> list[str]:
    """The entries of a presenters text: one a line (older text separated them with semicolons)."""
    return [part.strip() for line in (text or "").splitlines() for part in line.split(";") if part.strip()]


def parse_line(line: str) -> PresenterLine:
    """'Mayor Elena Rivera (Dubuque, IA) <e@x.org>' -> Mayor / Elena Rivera / Dubuque, IA / e@x.org:
    the email anywhere, a leading honorific, the name up to the first comma or parenthesis, the rest
    as the position."""
    email = ""
    found = EMAIL.search(line)
    if found:
        email = found.group(1)
        line = (line[:found.start()] + line[found.end():])
    line = " ".join(line.split()).strip(" ,–-")
    cut = min([i for i in (line.find(","), line.find("(")) if i >= 0], default=len(line))
    name, rest = line[:cut].strip(), line[cut:].strip(" ,")
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1].strip()
    honorific = ""
    words = name.split(" ", 1)
    if len(words) == 2 and words[0].casefold() in HONORIFICS:
        honorific, name = words
    return PresenterLine(honorific, name.strip(), rest.replace("(", "").replace(")", "").strip(" ,"), email)


def display_line(speaker: Speaker) -> str:
    """How a presenter reads in the webinar's public line: never their email."""
    detail = speaker.position or speaker.organization
    return speaker.display_name + (f", {detail}" if detail else "")


def staff_lines(webinar: Webinar) -> str:
    """The presenters as staff edit them: one a line, with the email where the profile has one."""
    return "\n".join(display_line(link.speaker) + (f" <{link.speaker.email}>" if link.speaker.email else "")
                     for link in webinar.presenter_links)


def _same(speaker: Speaker, parsed: PresenterLine) -> bool:
    return ((speaker.honorific or "", speaker.name, speaker.position or speaker.organization or "")
            == (parsed.honorific, parsed.name, parsed.position))


def set_presenters(webinar: Webinar, text: str, *, actor) -> list[Speaker]:
    """Link the webinar to a profile for each line of `text` (see the module's rule), in order, and
    rebuild its public line. Raises PresenterProblem for a line without a name."""
    entries = split_entries(text)
    if len(entries) > MAX_PRESENTERS:
        raise PresenterProblem(f"At most {MAX_PRESENTERS} presenters.")
    current = [link.speaker for link in webinar.presenter_links]
    chosen: list[Speaker] = []
    for entry in entries:
        parsed = parse_line(entry)
        if not parsed.name:
            raise PresenterProblem(f"“{entry}”: write the presenter's name.")
        speaker = None
        if parsed.email:
            key = normalise_email(parsed.email)
            speaker = db.session.execute(select(Speaker).where(Speaker.email == key)
                                         .order_by(Speaker.id).limit(1)).scalar_one_or_none()
        if speaker is None:
            speaker = next((s for s in current if _same(s, parsed) and s not in chosen
                            and (not parsed.email or not s.email)), None)
        if speaker is None:
            speaker = speakers.create_speaker({"honorific": parsed.honorific, "name": parsed.name,
                                               "position": parsed.position, "email": parsed.email}, actor=actor)
        elif parsed.email and not speaker.email:
            speakers.update_speaker(speaker, {f: getattr(speaker, f) or "" for f in speakers.PROFILE_FIELDS}
                                    | {"email": parsed.email}, actor=actor)
        if speaker not in chosen:
            chosen.append(speaker)
    by_speaker = {link.speaker_id: link for link in webinar.presenter_links}
    for link in list(webinar.presenter_links):
        if link.speaker_id not in {s.id for s in chosen}:
            if link.invitation is not None:
                invitations.withdraw(link.invitation, f"no longer presenting “{webinar.title}”", actor=actor)
            webinar.presenter_links.remove(link)
    for position, speaker in enumerate(chosen):
        link = by_speaker.get(speaker.id)
        if link is None:
            link = WebinarPresenter(speaker=speaker)
            webinar.presenter_links.append(link)
        link.position = position
    webinar.presenters = "\n".join(display_line(s) for s in chosen)
    db.session.flush()
    return chosen


def public_webinars_of(speaker_id: int) -> list[Webinar]:
    """The public webinars a speaker presents, the latest first."""
    return list(db.session.execute(
        select(Webinar).join(WebinarPresenter, WebinarPresenter.webinar_id == Webinar.id)
        .where(WebinarPresenter.speaker_id == speaker_id, *visibility.public_events(Webinar))
        .order_by(Webinar.starts_at.desc(), Webinar.id)).scalars())


def public_webinar_versions(speaker_id: int):
    """(kind "webinar", webinar id, version) of each public webinar the speaker presents, as a statement
    (their page's cache depends on it; workflows.speakers asks it with the meetings in one query)."""
    return (select(literal("webinar").label("kind"), Webinar.id, Webinar.version.label("version"))
            .join(WebinarPresenter, WebinarPresenter.webinar_id == Webinar.id)
            .where(WebinarPresenter.speaker_id == speaker_id, *visibility.public_events(Webinar)))


def presenters_of(webinar: Webinar) -> list[WebinarPresenter]:
    """The webinar's presenters with their profiles, in order (one query)."""
    return list(db.session.execute(
        select(WebinarPresenter).where(WebinarPresenter.webinar_id == webinar.id)
        .options(joinedload(WebinarPresenter.speaker)).order_by(WebinarPresenter.position, WebinarPresenter.id)
    ).scalars())
