"""Forms of the calls area: applying (with the call's own questions), and staff's call, question,
review and decision forms."""
import re
from datetime import time

from wtforms import BooleanField, DateField, EmailField, IntegerField, RadioField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp, StopValidation, ValidationError

from mipevents.calls.deadlines import deadline_instant
from mipevents.calls.models import CALL_KINDS, POPULATION_BANDS, QUESTION_KINDS
from mipevents.calls.services import ApplicationValues
from mipevents.core.forms import Form, known_zone, web_address
from mipevents.core.timeutil import is_valid_zone, wall_clock_to_utc

SLUG = web_address("third-cohort-2026")


class RequiredToSubmit:
    """Required when the applicant submits; a draft may leave it empty."""

    def __init__(self, message: str):
        self.message = message
        self.field_flags = {"required": True}

    def __call__(self, form, field):
        empty = field.data is None or (isinstance(field.data, str) and not field.data.strip())
        if not empty:
            return
        field.errors[:] = []
        if getattr(form, "submitting", False):
            raise StopValidation(self.message)
        raise StopValidation()


class WordLimit:
    def __init__(self, limit: int):
        self.limit = limit

    def __call__(self, form, field):
        words = len(re.findall(r"\S+", field.data or ""))
        if words > self.limit:
            raise ValidationError(f"Please keep this to {self.limit} words; it has {words}.")


class ApplyToCallForm(Form):
    """The fields every call asks; `form_for_call` adds the call's questions as q_<id> fields."""

    mayor_name = StringField("Mayor’s name", validators=[DataRequired(message="Enter the mayor’s name."), Length(max=200)])
    email = EmailField("Mayor’s email", validators=[
        DataRequired(message="Enter the mayor’s email: the private link to this application goes there."),
        Email(message="Enter an email address like mayor@city.gov.", check_deliverability=False), Length(max=254)])
    scheduler_email = EmailField("Your email, if you apply on the mayor’s behalf", validators=[
        Optional(), Email(message="Enter an email address like scheduler@city.gov.", check_deliverability=False),
        Length(max=254)])
    city = StringField("City", validators=[RequiredToSubmit("Enter the city."), Length(max=120)])
    state = StringField("State", validators=[
        RequiredToSubmit("Enter the state."), Regexp(r"^\s*[A-Za-z]{2}\s*$", message="Use the two-letter abbreviation, e.g. WI.")])
    population_band = SelectField("City population", choices=[("", "Choose…"), *POPULATION_BANDS.items()],
                                  validators=[RequiredToSubmit("Choose the city’s population.")])
    title = StringField("Title of the idea you would present", validators=[Length(max=300)])
    summary = TextAreaField("Summary", validators=[Length(max=4000)])
    # Honeypot: people never see it; bots fill it in.
    website = StringField("Leave this empty", validators=[Optional()])

    submitting = False

    def question_fields(self):
        return [(q, self[f"q_{q.id}"]) for q in self._questions]

    def to_values(self) -> ApplicationValues:
        return ApplicationValues(
            email=self.email.data or "", mayor_name=self.mayor_name.data or "", city=self.city.data or "",
            state=(self.state.data or "").strip().upper(), population_band=self.population_band.data or "",
            scheduler_email=self.scheduler_email.data or "", title=self.title.data or "",
            summary=self.summary.data or "",
            answers={q.id: (self[f"q_{q.id}"].data or "") for q in self._questions})


def form_for_call(call, *, application=None):
    """An ApplyToCallForm with the call's questions: the posted values on POST, else `application`'s."""
    attrs = {"_questions": list(call.questions)}
    for q in call.questions:
        required = [RequiredToSubmit("Answer this question.")] if q.is_required else [Optional()]
        label = q.prompt
        if q.kind == "short_text":
            attrs[f"q_{q.id}"] = StringField(label, validators=[*required, Length(max=300)])
        elif q.kind == "long_text":
            limits = [WordLimit(q.word_limit)] if q.word_limit else []
            attrs[f"q_{q.id}"] = TextAreaField(label, validators=[*required, Length(max=20000), *limits])
        elif q.kind == "choice":
            attrs[f"q_{q.id}"] = RadioField(label, choices=[(c, c) for c in q.choices], validate_choice=False,
                                            validators=[*required, _one_of(q.choices)])
        else:
            attrs[f"q_{q.id}"] = RadioField(label, choices=[("yes", "Yes"), ("no", "No")], validate_choice=False,
                                            validators=[*required, _one_of(["yes", "no"])])
    if call.is_showcase:
        attrs["title"] = StringField("Title of the idea you would present", validators=[
            RequiredToSubmit("Give your idea a title."), Length(max=300)])
        attrs["summary"] = TextAreaField("Summary: what your city did and what changed", validators=[
            RequiredToSubmit("Summarise the idea in a few sentences."), Length(max=4000), WordLimit(150)])
    form_class = type("ApplyToThisCallForm", (ApplyToCallForm,), attrs)
    data = None
    if application is not None:
        data = {"mayor_name": application.mayor_name, "email": application.email, "city": application.city,
                "state": application.state, "population_band": application.population_band,
                "scheduler_email": application.scheduler_email, "title": application.title,
                "summary": application.summary,
                **{f"q_{a.question_id}": a.value for a in application.answers}}
    return form_class(data=data)


def _one_of(values):
    def check(form, field):
        if field.data not in values:
            raise ValidationError("Choose one of the options.")
    return check


# ---------------------------------------------------------------------------------------------- staff

class EditCallForm(Form):
    title = StringField("Title", validators=[DataRequired(message="Give the call a title."), Length(max=200)])
    slug = StringField("Web address", validators=[DataRequired(message="Choose a web address."), Length(max=80), SLUG])
    kind = SelectField("For", choices=list(CALL_KINDS.items()))
    cohort_id = SelectField("Cohort (cohort applications)", coerce=int, choices=[], validate_choice=False)
    meeting_id = SelectField("Meeting (showcase proposals)", coerce=int, choices=[], validate_choice=False)
    description = TextAreaField("Description", validators=[Length(max=20000)])
    opens_on = DateField("Opens on", validators=[DataRequired(message="Give the opening date.")])
    opens_time = TimeField("Opens at", default=time(9, 0), validators=[DataRequired(message="Give the opening time.")])
    deadline_on = DateField("Deadline date", validators=[DataRequired(message="Give the deadline date.")])
    deadline_time = TimeField("Deadline time", default=time(23, 59), validators=[DataRequired(message="Give the deadline time.")])
    # Its options (core.forms.zone_choices) are set by the staff page, once the current zone is known.
    timezone = SelectField("Time zone", choices=[], validate_choice=False,
                           validators=[known_zone()])   # no `required`: a picker's first option sits in a group
    status = SelectField("Status", choices=[("draft", "Draft (hidden)"), ("published", "Published")])

    def validate_cohort_id(self, field):
        _one_listed(field, self.kind.data == "cohort", "Choose the cohort this call fills.")

    def validate_meeting_id(self, field):
        _one_listed(field, self.kind.data == "showcase", "Choose the meeting whose showcase this call fills.")

    def validate_deadline_on(self, field):
        if self.opens_on.data and field.data and self.opens_time.data and self.deadline_time.data and self.timezone.data \
                and is_valid_zone(self.timezone.data.strip()) and self.deadline_values()["deadline_at"] <= self.deadline_values()["opens_at"]:
            raise ValidationError("The deadline must come after the opening.")

    def deadline_values(self) -> dict:
        zone = self.timezone.data.strip()
        return {"opens_at": wall_clock_to_utc(self.opens_on.data, self.opens_time.data, zone),
                "deadline_at": deadline_instant(self.deadline_on.data, zone, self.deadline_time.data)}

    def to_values(self) -> dict:
        return {"title": self.title.data.strip(), "slug": self.slug.data.strip(), "kind": self.kind.data,
                "cohort_id": self.cohort_id.data or None, "meeting_id": self.meeting_id.data or None,
                "description": self.description.data or "", "timezone": self.timezone.data.strip(),
                "status": self.status.data, **self.deadline_values()}


def _one_listed(field, needed: bool, message: str) -> None:
    """A choice from the list (0 is "none"): needed for this kind of call, and never an unknown id."""
    field.errors[:] = []   # WTForms' "could not coerce" is replaced by words staff understand
    listed = {value for value, _ in field.choices if value}
    if field.process_errors or (field.data and field.data not in listed) or (needed and not field.data):
        raise ValidationError(message)


class AddQuestionForm(Form):
    prompt = StringField("Question", validators=[DataRequired(message="Write the question."), Length(max=500)])
    kind = SelectField("Kind of answer", choices=list(QUESTION_KINDS.items()))
    help_text = StringField("Hint shown under the question", validators=[Optional(), Length(max=1000)])
    is_required = BooleanField("Required to submit", default=True)
    word_limit = IntegerField("Word limit (long text)", validators=[Optional(), NumberRange(min=1, max=5000, message="Between 1 and 5,000 words.")])
    choices = TextAreaField("Choices, one per line (choice)", validators=[Optional(), Length(max=4000)])

    def choice_list(self) -> list[str]:
        return [line.strip() for line in (self.choices.data or "").splitlines() if line.strip()]

    def validate_choices(self, field):
        if self.kind.data == "choice" and len(self.choice_list()) < 2:
            raise ValidationError("A choice question needs at least two choices, one per line.")


class ReviewApplicationForm(Form):
    score = RadioField("Your score", coerce=int, choices=[(n, str(n)) for n in range(1, 6)],
                       validators=[DataRequired(message="Choose a score from 1 (weak) to 5 (outstanding).")])
    notes = TextAreaField("Private notes (reviewers and staff only)", validators=[Optional(), Length(max=10000)])


class ChangeStatusForm(Form):
    action = SelectField("Decision", choices=[("shortlist", "Shortlist"), ("unshortlist", "Take off the shortlist"),
                                              ("accept", "Accept"), ("decline", "Decline"), ("reopen", "Undo the decision")])
