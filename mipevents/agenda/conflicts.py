"""Conflicts: double-booked rooms and speakers, sessions outside the meeting's days, sessions that end
before they start, showcases that overrun, speakers who declined their invitation. Pure rules on plain values; all but the impossible are
warnings, shown where staff work and before publishing."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from mipevents.core.timeutil import local_day_bounds


@dataclass(frozen=True)
class Placed:
    """What the rules need to know of one session (instants in UTC)."""
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    room_id: int | None = None
    room_name: str = ""
    speakers: tuple[tuple[int, str], ...] = ()      # (speaker id, display name)
    is_cancelled: bool = False
    kind: str = ""
    showcase_seconds: int = 0                       # a showcase's slots and changeovers, in seconds
    declined: tuple[tuple[int, str, str], ...] = ()  # (speaker id, display name, their reason)


@dataclass(frozen=True)
class Conflict:
    kind: str                  # room, speaker, outside_dates, ends_before_start, showcase_overrun, declined
    message: str
    item_ids: tuple[int, ...] = field(default_factory=tuple)
    subject_id: int | None = None    # the room or speaker booked twice

    @property
    def key(self) -> str:
        """Stable identity (not the words, which change with a title), so an acknowledgement names
        exactly what was accepted: kind, the room or speaker, and the sessions."""
        subject = f":{self.subject_id}" if self.subject_id is not None else ""
        return f"{self.kind}{subject}:" + ",".join(str(i) for i in sorted(self.item_ids))

    @property
    def is_impossible(self) -> bool:
        return self.kind == "ends_before_start"

    def involves(self, item_id: int) -> bool:
        return item_id in self.item_ids


KIND_ORDER = {"ends_before_start": 0, "room": 1, "speaker": 2, "declined": 3, "outside_dates": 4, "showcase_overrun": 5}


def overlaps(a: Placed, b: Placed) -> bool:
    """Touching sessions (one ends as the next begins) do not overlap."""
    return a.starts_at < b.ends_at and b.starts_at < a.ends_at


def _overlapping_pairs(items: list[Placed]):
    """Pairs that overlap, by a sweep over start times (n log n plus the pairs found)."""
    ordered = sorted(items, key=lambda p: (p.starts_at, p.id))
    active: list[Placed] = []
    for item in ordered:
        active = [a for a in active if a.ends_at > item.starts_at]
        for other in active:
            yield other, item
        active.append(item)


def outside_dates(p: Placed, first_day: date, last_day: date, zone: str) -> bool:
    """Whether a session starts before the meeting's first local day or ends after its last one
    (ending at midnight that closes the last day is inside). Days are the meeting's, in its zone."""
    opens, _ = local_day_bounds(first_day, zone)
    _, closes = local_day_bounds(last_day, zone)
    return p.starts_at < opens or p.ends_at > closes


def find_conflicts(items: list[Placed], first_day: date | None = None, last_day: date | None = None,
                   zone: str = "UTC") -> list[Conflict]:
    """Every conflict among `items`, most serious first. Cancelled sessions never conflict.
    `first_day`/`last_day` are the meeting's local dates in `zone`."""
    live = [p for p in items if not p.is_cancelled]
    found: list[Conflict] = []

    for p in live:
        if p.ends_at <= p.starts_at:
            found.append(Conflict("ends_before_start", f"“{p.title}” ends before it starts.", (p.id,)))
    timed = [p for p in live if p.ends_at > p.starts_at]

    by_room: dict[int, list[Placed]] = defaultdict(list)
    for p in timed:
        if p.room_id is not None:
            by_room[p.room_id].append(p)
    for room_id, room_items in by_room.items():
        for a, b in _overlapping_pairs(room_items):
            found.append(Conflict("room", f"{a.room_name or 'One room'} is booked twice: “{a.title}” and “{b.title}” overlap.",
                                  (a.id, b.id), room_id))

    by_speaker: dict[int, list[Placed]] = defaultdict(list)
    names: dict[int, str] = {}
    for p in timed:
        for speaker_id, name in dict(p.speakers).items():
            by_speaker[speaker_id].append(p)
            names[speaker_id] = name
    for speaker_id, speaker_items in by_speaker.items():
        for a, b in _overlapping_pairs(speaker_items):
            found.append(Conflict("speaker", f"{names[speaker_id]} is in two sessions at once: “{a.title}” and “{b.title}”.",
                                  (a.id, b.id), speaker_id))

    if first_day and last_day:
        for p in timed:
            if outside_dates(p, first_day, last_day, zone):
                found.append(Conflict("outside_dates", f"“{p.title}” falls outside the meeting's dates.", (p.id,)))

    for p in timed:
        if p.kind == "showcase" and p.showcase_seconds:
            over = p.showcase_seconds - (p.ends_at - p.starts_at).total_seconds()
            if over > 0:
                minutes, seconds = divmod(int(over), 60)
                found.append(Conflict("showcase_overrun",
                                      f"The showcase “{p.title}” overruns its session by {minutes}:{seconds:02d}.",
                                      (p.id,)))
    for p in live:
        for speaker_id, name, reason in p.declined:
            because = f" ({reason})" if reason else ""
            found.append(Conflict("declined", f"{name} declined “{p.title}”{because}.", (p.id,), speaker_id))
    found.sort(key=lambda c: KIND_ORDER.get(c.kind, 9))
    return found


def conflicts_of(conflicts: list[Conflict], item_id: int) -> list[Conflict]:
    """The conflicts one session is part of."""
    return [c for c in conflicts if c.involves(item_id)]


def conflicting_ids(conflicts: list[Conflict]) -> set[int]:
    return {i for c in conflicts for i in c.item_ids}


