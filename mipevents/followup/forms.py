"""Staff forms after the event (materials, write-ups, photos, surveys). Uploads are checked by their
bytes in followup.uploads; dates typed in the event's own zone become UTC in to_values."""
from datetime import date, datetime, time

from flask_wtf.file import FileField
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField, URLField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from mipevents.core.forms import Form
from mipevents.core.timeutil import wall_clock_to_utc


def _in_bounds(form, field):
    if field.data is not None and not date(1990, 1, 1) <= field.data <= date(2100, 12, 31):
        raise ValidationError("Enter a date between 1990 and 2100.")


class AddMaterialForm(Form):
    title = StringField("Title", validators=[DataRequired(message="Give it a title."), Length(max=200)])
    kind = RadioField("What it is", choices=[("file", "Slides or a document (upload)"), ("recording", "The recording (a link)"),
                                             ("link", "A link (article, data)")], default="file")
    url = URLField("Web address", validators=[Optional(), Length(max=500)])
    file = FileField("File")
    registrants_only = BooleanField("Registrants only (sent through their private follow-up link)")

    def validate_url(self, field):
        if self.kind.data in ("link", "recording") and not field.data:
            raise ValidationError("Enter the web address.")


class AddOwnMaterialForm(AddMaterialForm):
    """A speaker's slides, document or link on one of their own sessions (their private page); the
    choices are the speaker's sessions and slots (followup.queries.speaker_targets)."""
    target = SelectField("For which session", validate_choice=False)
    registrants_only = BooleanField("Registrants only (not on the public pages; registrants get it through "
                                    "their private follow-up link)")

    def __init__(self, *args, targets=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.target.choices = [(t.ref, t.label) for t in targets]

    def validate_target(self, field):
        if field.data not in {value for value, _ in self.target.choices}:
            raise ValidationError("Choose one of your sessions.")


class EditStoryForm(Form):
    title = StringField("Title", validators=[DataRequired(message="Give the write-up a title."), Length(max=300)])
    author = StringField("Author", validators=[Optional(), Length(max=200)])
    summary = StringField("Summary (one sentence, for lists and the feed)",
                          validators=[Optional(), Length(max=500)])
    body = TextAreaField("Text (Markdown)", validators=[Optional(), Length(max=100_000)])
    published_on = DateField("Publish date", validators=[Optional(), _in_bounds])
    publish = BooleanField("Published (public once the publish date has come)")

    def to_values(self, zone: str) -> dict:
        published_at = (wall_clock_to_utc(self.published_on.data, time(0, 0), zone)
                        if self.published_on.data else None)
        return {"title": self.title.data, "author": self.author.data or "", "summary": self.summary.data or "",
                "body": self.body.data or "", "publish": self.publish.data, "published_at": published_at}


class AddPhotoForm(Form):
    photo = FileField("Photo")
    alt = StringField("Alt text (what the photo shows)",
                      validators=[DataRequired(message="Describe the photo for people who cannot see it (alt text)."),
                                  Length(max=300)])
    credit = StringField("Credit", validators=[Optional(), Length(max=200)])


class EditSurveyForm(Form):
    questions = TextAreaField("Questions, one a line", validators=[Optional(), Length(max=5000)])
    closes_on = DateField("Answers accepted until (end of that day)", validators=[DataRequired(message="Enter a date."),
                                                                                  _in_bounds])

    def closes_at(self, zone: str) -> datetime:
        return wall_clock_to_utc(self.closes_on.data, time(23, 59), zone)
