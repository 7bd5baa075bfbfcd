"""Staff forms for sessions: the session itself (day and times in the meeting's zone), its speakers,
and publishing the agenda."""


from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from mipevents.core import vocabulary as vocab
from mipevents.core.forms import Form
from mipevents.core.timeutil import to_local


class EditSessionForm(Form):
    """Add or edit a session. Day and times are wall-clock in the meeting's zone; an end at or before
    the start is impossible data and refused here, next to the field."""
    kind = SelectField("Kind", choices=list(vocab.SESSION_KINDS.items()), default="panel")
    title = StringField("Title", validators=[DataRequired(message="Give the session a title."), Length(max=300)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=20000)])
    day = DateField("Day", validators=[DataRequired(message="Enter the day (YYYY-MM-DD).")])
    starts = TimeField("Starts", validators=[DataRequired(message="Enter the start time (HH:MM).")])
    ends = TimeField("Ends", validators=[DataRequired(message="Enter the end time (HH:MM).")])
    ends_next_day = BooleanField("Ends after midnight, on the next day")
    room_id = SelectField("Room", coerce=int, default=0, validate_choice=False)
    track = StringField("Track", validators=[Optional(), Length(max=120)])
    capacity = IntegerField("Capacity", validators=[Optional(), NumberRange(min=0, max=100_000, message="Enter a number from 0 to 100,000.")])
    press_status = SelectField("Press and recording", choices=list(vocab.PRESS_STATUSES.items()), default="open")

    def __init__(self, meeting, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.room_id.choices = [(0, "No room")] + [(r.id, r.name) for r in meeting.rooms]

    @classmethod
    def for_item(cls, item, **kwargs):
        zone = item.meeting.timezone
        start, end = to_local(item.starts_at, zone), to_local(item.ends_at, zone)
        return cls(item.meeting, obj=item, day=start.date(), starts=start.time(), ends=end.time(),
                   ends_next_day=end.date() > start.date(), room_id=item.room_id or 0, **kwargs)

    def validate_room_id(self, field):
        field.errors[:] = []   # WTForms' "could not coerce" is replaced by words staff understand
        if field.process_errors or field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Choose one of this meeting's rooms.")

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data and not self.ends_next_day.data:
            raise ValidationError("The session must end after it starts.")

    def values(self) -> dict:
        """Plain values for agenda.services: local day and times, in the meeting's zone."""
        return {"kind": self.kind.data, "title": self.title.data.strip(), "description": self.description.data or "",
                "day": self.day.data, "starts": self.starts.data, "ends": self.ends.data,
                "ends_next_day": bool(self.ends_next_day.data),
                "room_id": self.room_id.data or None, "track": (self.track.data or "").strip(),
                "capacity": self.capacity.data, "press_status": self.press_status.data}


class AddSessionSpeakerForm(Form):
    speaker_id = SelectField("Speaker", coerce=int, validate_choice=False, validators=[InputRequired(message="Choose a speaker.")])
    role = SelectField("Role", choices=list(vocab.SPEAKER_ROLES.items()), default="panelist")
    position = IntegerField("Order", validators=[Optional(), NumberRange(min=0, max=99)],
                            description="1 is listed first; empty puts them last.")

    def __init__(self, speakers, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.speaker_id.choices = [(s.id, f"{s.display_name}" + (f" — {s.position}" if s.position else ""))
                                   for s in speakers]

    def validate_speaker_id(self, field):
        field.errors[:] = []
        if field.process_errors or field.data not in {value for value, _ in self.speaker_id.choices}:
            raise ValidationError("Choose a speaker from the list.")


class PublishAgendaForm(Form):
    accept_conflicts = BooleanField("I have read the conflicts above and want to publish with them")
    note = TextAreaField("Note for the changelog (optional)", validators=[Optional(), Length(max=2000)])


