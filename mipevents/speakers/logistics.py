"""A speaker's A/V needs, travel and hotel details for one meeting (from their private page; staff
read them on the meeting's invitation list). Personal data, erased with the person."""
from sqlalchemy import select

from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.speakers.models import Speaker, SpeakerLogistics

FIELDS = ("av_needs", "arrives_on", "departs_on", "travel", "hotel", "needs_room")


def logistics_for(speaker: Speaker, meeting: Meeting) -> SpeakerLogistics | None:
    return db.session.execute(select(SpeakerLogistics).where(
        SpeakerLogistics.speaker_id == speaker.id, SpeakerLogistics.meeting_id == meeting.id)).scalar_one_or_none()


def save_logistics(speaker: Speaker, meeting: Meeting, values: dict) -> SpeakerLogistics:
    row = logistics_for(speaker, meeting)
    if row is None:
        row = SpeakerLogistics(speaker_id=speaker.id, meeting_id=meeting.id)
        db.session.add(row)
    for field in FIELDS:
        setattr(row, field, values.get(field))
    db.session.flush()
    return row


def meeting_logistics(meeting: Meeting) -> dict[int, SpeakerLogistics]:
    """Speaker id -> their details for this meeting."""
    return {row.speaker_id: row for row in db.session.execute(
        select(SpeakerLogistics).where(SpeakerLogistics.meeting_id == meeting.id)).scalars()}
