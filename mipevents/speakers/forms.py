"""Forms for speaker profiles (staff's, and a speaker's own from their private page) and a speaker's
A/V, travel and hotel details (photos are checked for type and size in speakers.services)."""
from datetime import date

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError


class EditSpeakerForm(FlaskForm):
    honorific = StringField("Honorific", validators=[Optional(), Length(max=40)], description="Mayor, Dr., Councilmember")
    name = StringField("Name", validators=[DataRequired(message="Enter the speaker's name."), Length(max=200)])
    position = StringField("Position", validators=[Optional(), Length(max=200)], description="Mayor of Tacoma, WA")
    organization = StringField("Organization", validators=[Optional(), Length(max=200)])
    city = StringField("City", validators=[Optional(), Length(max=120)])
    state = StringField("State", validators=[Optional(), Length(max=40)])
    bio = TextAreaField("Biography", validators=[Optional(), Length(max=20000)])
    email = EmailField("Email (private)", validators=[Optional(), Length(max=254),
                                                      Email(message="Enter an email address like name@example.org.")])
    photo = FileField("Photo")
    remove_photo = BooleanField("Remove the current photo")

    def values(self) -> dict:
        return {name: (getattr(self, name).data or "").strip() for name in
                ("honorific", "name", "position", "organization", "city", "state", "bio", "email")}


BIO_GUIDE = "About 100 words (600–900 characters) reads well on the agenda; at most 3,000 characters."


class EditOwnProfileForm(FlaskForm):
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


class SpeakerLogisticsForm(FlaskForm):
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
