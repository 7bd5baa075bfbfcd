"""Showcase forms: a presenter's slot (add and edit) and the session's timing settings."""
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import URL, InputRequired, Length, NumberRange, Optional, ValidationError

from mipevents.core.forms import Form

STATUS_CHOICES = [("published", "Published (shown on the public line-up)"),
                  ("draft", "Draft (staff only, not in the live run)")]


def _speaker_choices(speakers) -> list[tuple[int, str]]:
    choices = [(0, "— Not a listed speaker (type the name below) —")]
    for s in speakers:
        where = f" ({s.location})" if s.location else ""
        choices.append((s.id, f"{s.display_name}{where}"))
    return choices


class _SlotFields(Form):
    speaker_id = SelectField("Speaker", coerce=int, default=0)
    presenter_name = StringField("Presenter's name", validators=[Length(max=200)])
    city = StringField("City", validators=[Length(max=120)])
    state = StringField("State", validators=[Length(max=40)])
    title = StringField("Title of the idea", validators=[InputRequired(message="Give the idea a title."),
                                                         Length(max=300)])
    summary = TextAreaField("Short summary", validators=[Length(max=2000)])
    topic = StringField("Topic", validators=[Length(max=120)])
    link_url = StringField("Link to a fuller write-up", validators=[
        Optional(), Length(max=500),
        URL(require_tld=True, message="Enter a full web address starting with https:// or http://.")])

    def __init__(self, *args, speakers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.speaker_id.choices = _speaker_choices(speakers)

    def validate_presenter_name(self, field):
        if not self.speaker_id.data and not (field.data or "").strip():
            raise ValidationError("Choose a speaker or type the presenter's name.")

    def validate_link_url(self, field):
        if field.data and not field.data.lower().startswith(("https://", "http://")):
            raise ValidationError("Enter a full web address starting with https:// or http://.")

    def to_values(self) -> dict:
        return {"speaker_id": self.speaker_id.data or None,
                "presenter_name": (self.presenter_name.data or "").strip(),
                "city": (self.city.data or "").strip(), "state": (self.state.data or "").strip(),
                "title": self.title.data.strip(), "summary": (self.summary.data or "").strip(),
                "topic": (self.topic.data or "").strip(), "link_url": (self.link_url.data or "").strip()}


class AddSlotForm(_SlotFields):
    position = IntegerField("Order", validators=[Optional(), NumberRange(min=1, max=999, message="Enter a number from 1.")])


class EditSlotForm(_SlotFields):
    duration_seconds = IntegerField("Slot length (seconds)", validators=[
        Optional(), NumberRange(min=10, max=3600, message="Enter a length from 10 to 3600 seconds.")])
    status = SelectField("Status", choices=STATUS_CHOICES)

    def to_values(self) -> dict:
        return super().to_values() | {"duration_seconds": self.duration_seconds.data, "status": self.status.data}


class UpdateTimingForm(Form):
    slot_seconds = IntegerField("Slot length (seconds)", validators=[
        InputRequired(message="Enter the slot length in seconds."),
        NumberRange(min=10, max=3600, message="Enter a length from 10 to 3600 seconds.")])
    changeover_seconds = IntegerField("Changeover between presenters (seconds)", validators=[
        InputRequired(message="Enter the changeover in seconds (0 for none)."),
        NumberRange(min=0, max=600, message="Enter a changeover from 0 to 600 seconds.")])
