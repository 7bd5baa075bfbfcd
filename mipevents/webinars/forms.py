"""Staff form for creating and editing a webinar: local date and times typed in the webinar's zone."""

from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField, TimeField, URLField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from mipevents.core.forms import Form, known_zone, web_address, zone_choices
from mipevents.core.timeutil import to_local, wall_clock_to_utc
from mipevents.webinars import presenters


class EditWebinarForm(Form):
    title = StringField("Title", validators=[DataRequired(message="Give the webinar a title."), Length(max=300)])
    slug = StringField("Web address", validators=[DataRequired(message="Give the webinar a web address."),
                                                  Length(max=80), web_address("housing-feb-2026")])
    day = DateField("Date", validators=[DataRequired(message="Enter the date (YYYY-MM-DD).")])
    starts = TimeField("Starts", validators=[DataRequired(message="Enter the start time (HH:MM).")])
    ends = TimeField("Ends", validators=[DataRequired(message="Enter the end time (HH:MM).")])
    timezone = SelectField("Time zone", default="America/Chicago", validators=[known_zone()], validate_choice=False)
    description = TextAreaField("Description", validators=[Optional(), Length(max=20000)])
    presenters = TextAreaField(
        "Presenters (one a line)", validators=[Optional(), Length(max=5000)],
        description="Honorific, name, position and, where you know it, the email in angle brackets "
                    "(Mayor Elena Rivera, Mayor of Dubuque, IA <elena@example.org>). Each line links to a speaker "
                    "profile: the one with that email, else a new one (never another profile with the same name). "
                    "The email stays private.")
    capacity = IntegerField("Seats", validators=[Optional(), NumberRange(min=0, max=100_000, message="Enter a number from 0 to 100,000.")])
    join_url = URLField("Join link (private: only confirmed registrants see it)",
                        validators=[Optional(), Length(max=500)])
    closes_day = DateField("Registration closes (date)", validators=[Optional()])
    closes_time = TimeField("Registration closes (time)", validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = zone_choices(self.timezone.data)

    def validate_ends(self, field):
        if self.starts.data and field.data and field.data <= self.starts.data:
            raise ValidationError("The webinar must end after it starts (same day).")

    def validate_join_url(self, field):
        if field.data and not field.data.startswith(("https://", "http://")):
            raise ValidationError("Enter a web address starting with https://.")

    def validate_closes_time(self, field):
        if bool(field.data) != bool(self.closes_day.data):
            raise ValidationError("Give both the date and the time registration closes, or neither.")

    def to_values(self) -> dict:
        """Plain values for the services, instants in UTC."""
        zone = self.timezone.data
        closes = None
        if self.closes_day.data and self.closes_time.data:
            closes = wall_clock_to_utc(self.closes_day.data, self.closes_time.data, zone)
        return {
            "title": self.title.data.strip(), "slug": self.slug.data.strip(), "timezone": zone,
            "starts_at": wall_clock_to_utc(self.day.data, self.starts.data, zone),
            "ends_at": wall_clock_to_utc(self.day.data, self.ends.data, zone),
            "description": (self.description.data or "").strip(), "presenters": (self.presenters.data or "").strip(),
            "capacity": self.capacity.data, "join_url": (self.join_url.data or "").strip(),
            "registration_closes_at": closes,
        }

    @classmethod
    def for_webinar(cls, webinar):
        start = to_local(webinar.starts_at, webinar.timezone)
        closes = to_local(webinar.registration_closes_at, webinar.timezone) if webinar.registration_closes_at else None
        return cls(data={
            "title": webinar.title, "slug": webinar.slug, "timezone": webinar.timezone, "day": start.date(),
            "starts": start.time(), "ends": to_local(webinar.ends_at, webinar.timezone).time(),
            "description": webinar.description, "presenters": presenters.staff_lines(webinar) or webinar.presenters, "capacity": webinar.capacity,
            "join_url": webinar.join_url, "closes_day": closes.date() if closes else None,
            "closes_time": closes.time() if closes else None,
        })

