"""Conflicts: double-booked rooms and speakers, sessions outside the meeting's days, showcases that
overrun. Pure rules on plain values; they are warnings, shown where staff work and before publishing."""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo


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


@dataclass(frozen=True)
class Conflict:
    kind: str                  # room, speaker, outside_dates, showcase_overrun
    message: str
    item_ids: tuple[int, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        """Stable identity, so an acknowledgement names exactly what was accepted."""
        return f"{self.kind}:" + ",".join(str(i) for i in sorted(self.item_ids)) + (
            f":{self.message}" if self.kind == "speaker" else "")


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


def find_conflicts(items: list[Placed], first_day: date | None = None, last_day: date | None = None,
                   zone: str = "UTC") -> list[Conflict]:
    """Every conflict among `items`. Cancelled sessions never conflict. `first_day`/`last_day` are
    the meeting's local dates in `zone`."""
    live = [p for p in items if not p.is_cancelled]
    found: list[Conflict] = []

    by_room: dict[int, list[Placed]] = defaultdict(list)
    for p in live:
        if p.room_id is not None:
            by_room[p.room_id].append(p)
    for room_items in by_room.values():
        for a, b in _overlapping_pairs(room_items):
            found.append(Conflict("room", f"{a.room_name or 'One room'} is booked twice: “{a.title}” and “{b.title}” overlap.",
                                  (a.id, b.id)))

    by_speaker: dict[int, list[Placed]] = defaultdict(list)
    names: dict[int, str] = {}
    for p in live:
        for speaker_id, name in p.speakers:
            by_speaker[speaker_id].append(p)
            names[speaker_id] = name
    for speaker_id, speaker_items in by_speaker.items():
        for a, b in _overlapping_pairs(speaker_items):
            found.append(Conflict("speaker", f"{names[speaker_id]} is in two sessions at once: “{a.title}” and “{b.title}”.",
                                  (a.id, b.id)))

    if first_day and last_day:
        tz = ZoneInfo(zone)
        for p in live:
            start_day = p.starts_at.astimezone(tz).date()
            end_local = p.ends_at.astimezone(tz)
            if start_day < first_day or start_day > last_day or end_local.date() > last_day and end_local.time() != end_local.time().min:
                found.append(Conflict("outside_dates", f"“{p.title}” falls outside the meeting's dates.", (p.id,)))

    for p in live:
        if p.kind == "showcase" and p.showcase_seconds:
            available = (p.ends_at - p.starts_at).total_seconds()
            over = p.showcase_seconds - available
            if over > 0:
                minutes, seconds = divmod(int(over), 60)
                found.append(Conflict("showcase_overrun",
                                      f"The showcase “{p.title}” overruns its session by {minutes}:{seconds:02d}.",
                                      (p.id,)))
    return found
