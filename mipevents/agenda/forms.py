"""Forms for sessions: the session itself (day and times in the meeting's zone), its speakers, inviting
them, and publishing the agenda; and an invited speaker's own: their answer, the profile changes they
propose, their A/V, travel and hotel."""


from datetime import date

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, FloatField, IntegerField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from mipevents.core import vocabulary as vocab
from mipevents.core.forms import Form
from mipevents.core.timeutil import to_local
from mipevents.core.web import MAX_ID


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
    # Off-site (a site visit, a reception at another venue): the session's own place.
    location_name = StringField("Off-site place", validators=[Optional(), Length(max=200)])
    location_address = StringField("Its address", validators=[Optional(), Length(max=300)])
    latitude = FloatField("Latitude", validators=[Optional()])
    longitude = FloatField("Longitude", validators=[Optional()])

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

    def _check_degrees(self, field, limit):
        field.errors[:] = []   # WTForms' "Not a valid float value" is replaced by words staff understand
        if field.process_errors or (field.data is not None and not -limit <= field.data <= limit):
            raise ValidationError(f"Enter degrees from -{limit} to {limit}, e.g. 38.8977.")

    def validate_latitude(self, field):
        self._check_degrees(field, 90)

    def validate_longitude(self, field):
        self._check_degrees(field, 180)
        if (field.data is None) != (self.latitude.data is None) and not self.latitude.process_errors:
            raise ValidationError("Give both the latitude and the longitude, or neither.")

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data and not self.ends_next_day.data:
            raise ValidationError("The session must end after it starts.")

    def values(self) -> dict:
        """Plain values for agenda.services: local day and times, in the meeting's zone."""
        return {"kind": self.kind.data, "title": self.title.data.strip(), "description": self.description.data or "",
                "day": self.day.data, "starts": self.starts.data, "ends": self.ends.data,
                "ends_next_day": bool(self.ends_next_day.data),
                "room_id": self.room_id.data or None, "track": (self.track.data or "").strip(),
                "capacity": self.capacity.data, "press_status": self.press_status.data,
                "location_name": (self.location_name.data or "").strip(),
                "location_address": (self.location_address.data or "").strip(),
                "latitude": self.latitude.data, "longitude": self.longitude.data}


class AddSessionSpeakerForm(Form):
    """Put a speaker on a session. The choices are the speakers a search found (a list of 1,500 is
    no list); the one posted is checked against every speaker by the view, not against the choices."""
    # Checked by validate_speaker_id (not InputRequired: a `required` select would need an empty first option).
    speaker_id = SelectField("Speaker", coerce=int, validate_choice=False)
    role = SelectField("Role", choices=list(vocab.SPEAKER_ROLES.items()), default="panelist")
    position = IntegerField("Order", validators=[Optional(), NumberRange(min=0, max=99)],
                            description="1 is listed first; empty puts them last.")

    def __init__(self, speakers=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.speaker_id.choices = [(s.id, f"{s.display_name}" + (f" — {s.position}" if s.position else ""))
                                   for s in speakers]

    def validate_speaker_id(self, field):
        field.errors[:] = []
        if field.process_errors or not field.data or not 1 <= field.data <= MAX_ID:
            raise ValidationError("Choose a speaker from the list.")


class FindSpeakerForm(Form):
    """The speaker picker's search (a GET form: no token, nothing changes)."""
    class Meta(Form.Meta):
        csrf = False

    q = StringField("Find a speaker", validators=[Optional(), Length(max=100)],
                    description="A name, organisation or city: “Ruiz”, “Tacoma”.")


class MoveSessionForm(Form):
    """The builder's keyboard and no-JavaScript way to move a session: another room, day or start
    time (local, in the meeting's zone); it keeps its length."""
    item_id = SelectField("Session", coerce=int, validate_choice=False)
    room_id = SelectField("To room", coerce=int, default=0, validate_choice=False)
    day = DateField("On", validators=[DataRequired(message="Enter the day (YYYY-MM-DD).")])
    starts = TimeField("At", validators=[DataRequired(message="Enter the start time (HH:MM).")])

    def __init__(self, meeting, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.show_sessions(meeting, items)
        self.room_id.choices = [(0, "No room")] + [(r.id, r.name) for r in meeting.rooms]

    def show_sessions(self, meeting, items) -> None:
        """The sessions to choose from (those of the meeting when checking a post, of the day shown on a page)."""
        zone = meeting.timezone
        self.item_id.choices = [(i.id, f"{to_local(i.starts_at, zone).strftime('%I:%M %p').lstrip('0')} {i.title}"
                                 + (f" ({i.room.name})" if i.room else "")) for i in items]

    def validate_item_id(self, field):
        field.errors[:] = []
        if field.process_errors or field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Choose one of the meeting's sessions.")

    def validate_room_id(self, field):
        field.errors[:] = []
        if field.process_errors or field.data not in {value for value, _ in field.choices}:
            raise ValidationError("Choose one of this meeting's rooms.")


class PublishAgendaForm(Form):
    accept_conflicts = BooleanField("I have read the conflicts above and want to publish with them")
    note = TextAreaField("Note for the changelog (optional)", validators=[Optional(), Length(max=2000)])


class InviteSpeakerForm(Form):
    note = TextAreaField("Personal note (optional)", validators=[Optional(), Length(max=2000)],
                         description="Added to the invitation email.")


class RemindSpeakerForm(Form):
    """Only the CSRF token: the reminder is one click."""


class RespondToInvitationForm(Form):
    decision = RadioField("Will you take part?", choices=[("accepted", "Yes, I accept"), ("declined", "No, I decline")],
                          validators=[DataRequired(message="Choose whether you accept.")])
    reason = TextAreaField("If you decline, tell us why (optional)", validators=[Optional(), Length(max=2000)])


BIO_GUIDE = "About 100 words (600–900 characters) reads well on the agenda; at most 3,000 characters."


class EditOwnProfileForm(Form):
    """What a speaker may change on their public profile (staff review it before it is public)."""
    honorific = StringField("Honorific", validators=[Optional(), Length(max=40)], description="Mayor, Dr., Councilmember")
    name = StringField("Name", validators=[DataRequired(message="Enter your name."), Length(max=200)])
    position = StringField("Position", validators=[Optional(), Length(max=200)], description="Mayor of Tacoma, WA")
    organization = StringField("Organization", validators=[Optional(), Length(max=200)])
    city = StringField("City", validators=[Optional(), Length(max=120)])
    state = StringField("State", validators=[Optional(), Length(max=40)])
    bio = TextAreaField("Biography", validators=[Optional(), Length(max=3000, message="At most 3,000 characters.")],
                        description=BIO_GUIDE)
    photo = FileField("Headshot", description="JPEG, PNG or WebP, at most 5 MB; a square crop of your face and shoulders works best.")
    photo_alt = StringField("Describe your headshot for people who cannot see it", validators=[Optional(), Length(max=300)],
                            description="For example: “Mayor Ada Lovelace smiling, in front of City Hall”.")

    FIELDS = ("honorific", "name", "position", "organization", "city", "state", "bio", "photo_alt")

    def values(self) -> dict:
        return {name: (getattr(self, name).data or "").strip() for name in self.FIELDS}


class SpeakerLogisticsForm(Form):
    """A speaker's A/V needs, travel and hotel for one meeting (only staff see them)."""
    av_needs = TextAreaField("Audio and video needs", validators=[Optional(), Length(max=2000)],
                             description="Slides, a video with sound, a lapel microphone, a clicker …")
    arrives_on = DateField("Arriving on", validators=[Optional()])
    departs_on = DateField("Leaving on", validators=[Optional()])
    travel = TextAreaField("How you travel", validators=[Optional(), Length(max=2000)],
                           description="Flight or train numbers and times, or who drives you.")
    hotel = StringField("Hotel", validators=[Optional(), Length(max=300)])
    needs_room = BooleanField("I need a hotel room booked for me on those nights")

    def validate_arrives_on(self, field):
        for value in (field.data, self.departs_on.data):
            if value is not None and not date(1990, 1, 1) <= value <= date(2100, 12, 31):
                raise ValidationError("Enter a date between 1990 and 2100.")

    def validate_departs_on(self, field):
        if field.data and self.arrives_on.data and field.data < self.arrives_on.data:
            raise ValidationError("You cannot leave before you arrive.")

    def values(self) -> dict:
        return {"av_needs": (self.av_needs.data or "").strip(), "arrives_on": self.arrives_on.data,
                "departs_on": self.departs_on.data, "travel": (self.travel.data or "").strip(),
                "hotel": (self.hotel.data or "").strip(), "needs_room": bool(self.needs_room.data)}
