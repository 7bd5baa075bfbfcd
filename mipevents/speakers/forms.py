"""Staff forms for speaker profiles (the photo is checked for type and size in speakers.services)."""
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from mipevents.core.forms import Form


class EditSpeakerForm(Form):
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
