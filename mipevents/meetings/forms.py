"""Staff forms for meetings and rooms."""
from wtforms import DateField, DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from mipevents.core import vocabulary as vocab
from mipevents.core.forms import Form, known_zone, web_address, zone_choices


class EditMeetingForm(Form):
    """Create or edit a meeting (registration times are typed in the meeting's own zone)."""
    name = StringField("Name", validators=[DataRequired(message="Give the meeting a name."), Length(max=200)])
    slug = StringField("Web address", validators=[Optional(), Length(max=80), web_address("winter-2026")])
    kind = SelectField("Kind", choices=list(vocab.MEETING_KINDS.items()), default="winter")
    starts_on = DateField("First day", validators=[DataRequired(message="Enter the first day (YYYY-MM-DD).")])
    ends_on = DateField("Last day", validators=[DataRequired(message="Enter the last day (YYYY-MM-DD).")])
    timezone = SelectField("Time zone", default="America/Chicago", validators=[known_zone()], validate_choice=False)
    city = StringField("City", validators=[Optional(), Length(max=120)])
    state = StringField("State", validators=[Optional(), Length(max=40)])
    venue = StringField("Venue", validators=[Optional(), Length(max=200)])
    address = StringField("Address", validators=[Optional(), Length(max=300)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=20000)])
    panel_topics = TextAreaField("Panel topics", validators=[Optional(), Length(max=5000)])
    capacity = IntegerField("Capacity", validators=[Optional(), NumberRange(min=0, max=100_000, message="Enter a number from 0 to 100,000.")])
    registration_opens_at = DateTimeLocalField("Registration opens", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    registration_closes_at = DateTimeLocalField("Registration closes", format="%Y-%m-%dT%H:%M", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices(self.timezone.data)

    def validate_ends_on(self, field):
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("The last day cannot be before the first day.")

    def validate_registration_closes_at(self, field):
        opens = self.registration_opens_at.data
        if opens and field.data and field.data <= opens:
            raise ValidationError("Registration must close after it opens.")

    def values(self) -> dict:
        """Plain values for the services (registration times still local and naive)."""
        return {
            "name": self.name.data.strip(), "slug": (self.slug.data or "").strip(), "kind": self.kind.data,
            "starts_on": self.starts_on.data, "ends_on": self.ends_on.data, "timezone": self.timezone.data,
            "city": (self.city.data or "").strip(), "state": (self.state.data or "").strip(),
            "venue": (self.venue.data or "").strip(), "address": (self.address.data or "").strip(),
            "description": self.description.data or "",
            "panel_topics": [t.strip() for t in (self.panel_topics.data or "").splitlines() if t.strip()],
            "capacity": self.capacity.data,
            "registration_opens_local": self.registration_opens_at.data,
            "registration_closes_local": self.registration_closes_at.data,
        }


class DuplicateMeetingForm(Form):
    name = StringField("Name of the new meeting", validators=[DataRequired(message="Give the new meeting a name."), Length(max=200)])
    slug = StringField("Its web address", validators=[Optional(), Length(max=80), web_address("winter-2026")])
    starts_on = DateField("Its first day", validators=[DataRequired(message="Enter the first day (YYYY-MM-DD).")])
    timezone = SelectField("Its time zone", validators=[known_zone()], validate_choice=False)
    kind = SelectField("Kind", choices=list(vocab.MEETING_KINDS.items()))
    with_speakers = SelectField("Speakers", choices=[("no", "Leave sessions without speakers"),
                                                     ("yes", "Keep each session's speakers")], default="no")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices(self.timezone.data)


class EditRoomForm(Form):
    name = StringField("Room name", validators=[DataRequired(message="Name the room."), Length(max=120)])
    capacity = IntegerField("Seats", validators=[Optional(), NumberRange(min=0, max=100_000, message="Enter a number from 0 to 100,000.")])
    # Empty puts a new room last; 0 is a position like any other (first).
    position = IntegerField("Order on the grid", validators=[Optional(), NumberRange(min=0, max=999)])


