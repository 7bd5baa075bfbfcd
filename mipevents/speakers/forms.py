"""Forms for speaker profiles (staff's, and a speaker's own from their private page), invitations and
answers to them (photos are checked for type and size in speakers.services)."""
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional


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


class InviteSpeakerForm(FlaskForm):
    note = TextAreaField("Personal note (optional)", validators=[Optional(), Length(max=2000)],
                         description="Added to the invitation email.")


class RemindSpeakerForm(FlaskForm):
    """Only the CSRF token: the reminder is one click."""


class RespondToInvitationForm(FlaskForm):
    decision = RadioField("Will you take part?", choices=[("accepted", "Yes, I accept"), ("declined", "No, I decline")],
                          validators=[DataRequired(message="Choose whether you accept.")])
    reason = TextAreaField("If you decline, tell us why (optional)", validators=[Optional(), Length(max=2000)])


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
