"""Forms of the registration area: registering for a meeting or a webinar (the pages, and the field
rules of the JSON API), a registrant's own changes and session picks on their manage page, and
staff's registration settings and message to all registrants."""
from werkzeug.datastructures import MultiDict
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from mipevents.core import vocabulary as vocab
from mipevents.core.email_typos import suggest_email
from mipevents.core.forms import Form
from mipevents.core.text import email_key
from mipevents.core.timeutil import to_local, wall_clock_to_utc

# The roles a webinar registrant chooses from, in words (stored values from the one vocabulary).
WEBINAR_ROLES = ("mayor", "city_staff", "partner", "other")
ROLE_CHOICES = [("", "Choose one")] + [(value, vocab.REGISTRATION_ROLES[value]) for value in WEBINAR_ROLES]

# Field lengths: what the registration row holds (see registration/models.py).
LIMITS = {"first_name": 100, "last_name": 100, "email": 254, "title": 200, "organization": 200,
          "city": 120, "state": 40, "question": 2000, "scheduler_email": 254}

PRIVACY_NOTICE = ("We use these details only to run this event: to send your confirmation, reminders and "
                  "changes, and to see who attended. We never publish them or share them outside the event's "
                  "organisers, and you can cancel or ask us to erase them at any time.")


def _text(label, limit, required=False, **kwargs):
    checks = [DataRequired(message=f"Enter your {label.lower()}.")] if required else [Optional()]
    checks.append(Length(max=limit, message=f"Keep this to {limit} characters or fewer."))
    return StringField(label, validators=checks, **kwargs)


class EmailTypoCheck:
    """The registration pages ask before taking an address whose domain looks mistyped
    (`mayor@gmial.con`): the form comes back with "did you mean mayor@gmail.com?" and the registrant
    chooses (`email_choice`: the suggestion, or the address as typed). Off unless the page turns it on
    (`check_typos`): the JSON API takes what it is given."""

    check_typos = False

    @property
    def typo_suggestions(self) -> dict[str, str]:
        """{field name: the address suggested for it}, for the fields whose typo this post found."""
        return self.__dict__.setdefault("_typo_suggestions", {})

    @property
    def email_suggestion(self) -> str | None:
        return self.typo_suggestions.get("email")

    def check_email_typo(self, field) -> None:
        """The same question for any address field: its choice comes back as `<field name>_choice`
        (the registrant's `email`, and a scheduler's own `scheduler_email`)."""
        if not self.check_typos or not field.data:
            return
        suggestion = suggest_email(field.data)
        if suggestion is None:
            return
        choice = (self[f"{field.name}_choice"].data or "").strip()
        if choice == suggestion:
            field.data = suggestion
        elif choice != field.data.strip():
            self.typo_suggestions[field.name] = suggestion
            raise ValidationError(f"Did you mean {suggestion}? Choose the address to use.")


class WebinarRegistrationFields(EmailTypoCheck, Form):
    """What a webinar registrant gives: the page form and the JSON API validate the same fields."""

    scheduler_email = EmailField("Your email, if you register someone else", validators=[
        Optional(), Length(max=LIMITS["scheduler_email"], message=f"Keep this to {LIMITS['email']} characters or fewer."),
        Email(message="Enter an email address like scheduler@city.gov.", check_deliverability=False)])
    first_name = _text("First name", LIMITS["first_name"], required=True)
    last_name = _text("Last name", LIMITS["last_name"], required=True)
    email = EmailField("Email", validators=[
        DataRequired(message="Enter your email address."),
        Length(max=LIMITS["email"], message=f"Keep this to {LIMITS['email']} characters or fewer."),
        Email(message="Enter an email address like name@city.gov.", check_deliverability=False)])
    role = SelectField("Your role", choices=ROLE_CHOICES, validate_choice=False,
                       validators=[InputRequired(message="Choose your role.")])
    title = _text("Title", LIMITS["title"])
    organization = _text("City or organization", LIMITS["organization"])
    city = _text("City", LIMITS["city"])
    state = _text("State", LIMITS["state"])
    question = TextAreaField("A question for the presenters (optional)", validators=[
        Optional(), Length(max=LIMITS["question"], message=f"Keep this to {LIMITS['question']} characters or fewer.")])
    consent = BooleanField("I agree that my details are used as described above.",
                           validators=[DataRequired(message="Tick the box to agree, or we cannot register you.")])
    email_choice = StringField("Which address?", validators=[Optional()])
    scheduler_email_choice = StringField("Which address?", validators=[Optional()])

    def validate_email(self, field):
        self.check_email_typo(field)

    def validate_scheduler_email(self, field):
        if field.data and self.email.data and email_key(field.data) == email_key(self.email.data):
            raise ValidationError("This is the registrant's email: leave it empty when you register yourself.")
        self.check_email_typo(field)

    def validate_role(self, field):
        if field.data not in WEBINAR_ROLES:
            raise ValidationError("Choose one of: " + ", ".join(label for value, label in ROLE_CHOICES if value) + ".")

    def to_values(self) -> dict:
        """The values the registration core takes."""
        values = {name: (getattr(self, name).data or "") for name in LIMITS}
        values["role"] = self.role.data
        values["consent"] = bool(self.consent.data)
        return values


class RegisterWebinarForm(WebinarRegistrationFields):
    """The public page form: the shared fields plus a honeypot that people never see."""

    website = StringField("Leave this field empty", validators=[Optional()])

    @property
    def is_bot(self) -> bool:
        return bool((self.website.data or "").strip())


class UpdateDetailsForm(Form):
    """A registrant's own changes on their manage page (never the email, status or event)."""

    first_name = _text("First name", LIMITS["first_name"], required=True)
    last_name = _text("Last name", LIMITS["last_name"], required=True)
    title = _text("Title", LIMITS["title"])
    organization = _text("City or organization", LIMITS["organization"])
    city = _text("City", LIMITS["city"])
    state = _text("State", LIMITS["state"])
    question = TextAreaField("A question for the presenters (optional)", validators=[
        Optional(), Length(max=LIMITS["question"], message=f"Keep this to {LIMITS['question']} characters or fewer.")])

    def to_values(self) -> dict:
        return {name: getattr(self, name).data or "" for name in
                ("first_name", "last_name", "title", "organization", "city", "state", "question")}


class SendMyLinkForm(Form):
    """"Email me my link": an address looked up, never stored."""

    takes_new_addresses = False
    email = EmailField("Your email address", validators=[
        DataRequired(message="Enter the email address you registered with."),
        Length(max=LIMITS["email"], message=f"Keep this to {LIMITS['email']} characters or fewer."),
        Email(message="Enter an email address like name@city.gov.", check_deliverability=False)])


class ConfirmForm(Form):
    """A button that only carries the CSRF token (cancel, resend, reset links)."""


class MessageRegistrantsForm(Form):
    subject = _text("Subject", 200, required=True)
    body = TextAreaField("Message", validators=[
        DataRequired(message="Write the message."), Length(max=20000, message="Keep this under 20,000 characters.")])
    include_waitlisted = BooleanField("Also send it to people on the waitlist")


# ---------------------------------------------------------------------------------------------- meetings

# The registration types of a meeting, as the form shows them (stored as Registration.role).
MEETING_TYPES = [
    ("mayor", "Mayor"),
    ("city_staff", "Senior city staff/advisor"),
    ("partner", "Partner organization"),
    ("speaker", "Speaker"),
    ("guest", "Guest"),
]
TYPE_LABELS = dict(MEETING_TYPES)

_EMAIL = [Length(max=254), Email(message="Enter an email address like name@example.org.")]


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes, one per choice (valid HTML without JavaScript)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RegisterForMeetingForm(EmailTypoCheck, Form):
    type = RadioField("Registration type", choices=MEETING_TYPES,
                      validators=[InputRequired(message="Choose a registration type.")])
    first_name = StringField("First name", validators=[DataRequired(message="Enter the attendee's first name."), Length(max=100)])
    last_name = StringField("Last name", validators=[DataRequired(message="Enter the attendee's last name."), Length(max=100)])
    title = StringField("Title", validators=[Optional(), Length(max=200)])
    organization = StringField("City or organization", validators=[Optional(), Length(max=200)])
    city = StringField("City", validators=[DataRequired(message="Enter the attendee's city."), Length(max=120)])
    state = StringField("State", validators=[DataRequired(message="Enter the attendee's state."), Length(max=40)])
    email = EmailField("Attendee's email", validators=[DataRequired(message="Enter the attendee's email."), *_EMAIL])
    phone = TelField("Phone", validators=[Optional(), Length(max=40), Regexp(
        r"^[0-9+().\-\s]*(?:(?:ext|x)\.?\s*[0-9]+)?$", message="Use digits, spaces and + ( ) - only.")])
    dietary_needs = TextAreaField("Dietary needs", validators=[Optional(), Length(max=1000)])
    accessibility_needs = TextAreaField("Accessibility needs", validators=[Optional(), Length(max=1000)])
    extras = MultiCheckboxField("Receptions and site visits", coerce=int, validate_choice=True)
    scheduler_email = EmailField("Your email (if you register someone else)", validators=[Optional(), *_EMAIL])
    is_listed = BooleanField("Show the attendee's name, title and city on the list of attendees")
    consent = BooleanField("I agree that the Mayors Innovation Project keeps these details to run this meeting",
                           validators=[DataRequired(message="Please agree, so that we can register you.")])
    # A field people never see: bots that fill every field fill it too.
    website = StringField("Leave this field empty", validators=[Optional()])
    email_choice = StringField("Which address?", validators=[Optional()])
    scheduler_email_choice = StringField("Which address?", validators=[Optional()])

    def set_extras(self, items) -> None:
        """The meeting's reception and site-visit sessions as the extras' choices."""
        self.extras.choices = [(item.id, item.title) for item in items]

    def validate_email(self, field):
        self.check_email_typo(field)

    def validate_scheduler_email(self, field):
        if field.data and self.email.data and email_key(field.data) == email_key(self.email.data):
            raise ValidationError("This is the attendee's email: leave it empty when you register yourself.")
        self.check_email_typo(field)

    @property
    def is_bot(self) -> bool:
        return bool((self.website.data or "").strip())

    def to_values(self) -> dict:
        """What services.register takes."""
        return {
            "role": self.type.data, "first_name": self.first_name.data.strip(), "last_name": self.last_name.data.strip(),
            "title": (self.title.data or "").strip(), "organization": (self.organization.data or "").strip(),
            "city": self.city.data.strip(), "state": self.state.data.strip(), "email": self.email.data.strip(),
            "phone": (self.phone.data or "").strip(), "dietary_needs": (self.dietary_needs.data or "").strip(),
            "accessibility_needs": (self.accessibility_needs.data or "").strip(), "extras": list(self.extras.data or []),
            "extras_asked": bool(self.extras.choices),
            "scheduler_email": (self.scheduler_email.data or "").strip(), "is_listed": bool(self.is_listed.data),
            "consent": bool(self.consent.data),
        }


class UpdateMeetingDetailsForm(UpdateDetailsForm):
    """A meeting registrant's record on their manage page: everything they gave on the form but the
    email, the type and the consent (which decide who they are and whether staff approve them).
    `scheduler_email` is the registrant's own to change (their own link only: the view drops it for
    a scheduler's)."""

    phone = RegisterForMeetingForm.phone
    dietary_needs = RegisterForMeetingForm.dietary_needs
    accessibility_needs = RegisterForMeetingForm.accessibility_needs
    extras = MultiCheckboxField("Receptions and site visits", coerce=int, validate_choice=True)
    is_listed = RegisterForMeetingForm.is_listed
    scheduler_email = EmailField("Scheduler's email (someone who manages this registration for you)",
                                 validators=[Optional(), *_EMAIL])

    def set_extras(self, items) -> None:
        self.extras.choices = [(item.id, item.title) for item in items]

    def fill_extras(self, joined_ids) -> None:
        """Tick what the registration joins now (never asked: every one of them)."""
        self.extras.data = [value for value, _ in self.extras.choices if value in joined_ids]

    def validate_scheduler_email(self, field):
        owner = getattr(self, "owner_email", "")
        if field.data and owner and email_key(field.data) == email_key(owner):
            raise ValidationError("This is your own email: leave it empty if nobody manages this for you.")

    def to_values(self) -> dict:
        values = super().to_values()
        values.pop("question", None)
        values.update({"phone": (self.phone.data or "").strip(), "dietary_needs": (self.dietary_needs.data or "").strip(),
                       "accessibility_needs": (self.accessibility_needs.data or "").strip(),
                       "is_listed": bool(self.is_listed.data)})
        if self.extras.choices:   # asked now: the registration joins exactly what is ticked
            values.update({"extras": sorted(self.extras.data or []), "extras_asked": True})
        return values


# The JSON endpoint's fields: its name -> the form's field (the form holds the rules for both).
API_FIELDS = {"type": "type", "first_name": "first_name", "last_name": "last_name", "title": "title",
              "organization": "organization", "city": "city", "state": "state", "email": "email", "phone": "phone",
              "dietary_needs": "dietary_needs", "accessibility_needs": "accessibility_needs",
              "scheduler_email": "scheduler_email", "consent": "consent"}
API_OPTIONAL_TEXT = ("question",)


def form_from_json(payload: dict) -> tuple[RegisterForMeetingForm, dict[str, list[str]]]:
    """The registration form filled from a JSON object, and the type errors found before its rules
    run ({api field: [message]}). `role` is accepted for `type` (the webinar endpoint's name)."""
    errors: dict[str, list[str]] = {}
    data = MultiDict()
    if "type" not in payload and "role" in payload:
        payload = {**payload, "type": payload["role"]}
    for name, field_name in API_FIELDS.items():
        value = payload.get(name)
        if value is None:
            continue
        if name == "consent":
            if not isinstance(value, bool):
                errors[name] = ["Must be true or false."]
            elif value:
                data[field_name] = "y"
            continue
        if not isinstance(value, str):
            errors[name] = ["Must be a string."]
            continue
        data[field_name] = value
    if data.get("scheduler_email") and email_key(data["scheduler_email"]) == email_key(data.get("email", "")):
        del data["scheduler_email"]   # the attendee's own address: they register themselves
    for name in API_OPTIONAL_TEXT:
        value = payload.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > 2000):
            errors[name] = ["Must be a string of at most 2000 characters."]
    form = RegisterForMeetingForm(formdata=data, meta={"csrf": False})
    form.extras.choices = []
    return form, errors


def api_errors(form: RegisterForMeetingForm) -> dict[str, list[str]]:
    """The form's errors under the JSON endpoint's field names."""
    reverse = {field_name: name for name, field_name in API_FIELDS.items()}
    return {reverse.get(name, name): list(messages) for name, messages in form.errors.items()}


class ChooseSessionsForm(Form):
    sessions = MultiCheckboxField("Sessions", coerce=int, validate_choice=True)


class MessageMeetingRegistrantsForm(Form):
    """Staff's email to a meeting's registrants, chosen by status and type."""
    subject = MessageRegistrantsForm.subject
    body = MessageRegistrantsForm.body
    statuses = MultiCheckboxField("Send it to", choices=[("confirmed", "Confirmed"), ("waitlisted", "Waitlisted"),
                                                          ("pending", "Awaiting approval")], default=["confirmed"],
                                  validators=[DataRequired(message="Choose who gets it.")])
    types = MultiCheckboxField("Registration types (none ticked: every type)", choices=[*MEETING_TYPES, ("other", "Other")])


class EditRegistrationSettingsForm(Form):
    """Capacity, dates and approval of one meeting's registration (times in the meeting's zone)."""

    capacity = IntegerField("Capacity (seats)", validators=[Optional(), NumberRange(min=0, max=100000, message="Enter 0 or more.")])
    opens_at = DateTimeLocalField("Registration opens", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    closes_at = DateTimeLocalField("Registration deadline", format="%Y-%m-%dT%H:%M", validators=[Optional()])
    approval_roles = MultiCheckboxField("Types that wait for staff approval", choices=MEETING_TYPES, validate_choice=True)

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("The deadline must be after registration opens.")

    def fill_from(self, meeting) -> None:
        self.capacity.data = meeting.capacity
        self.opens_at.data = _local_naive(meeting.registration_opens_at, meeting.timezone)
        self.closes_at.data = _local_naive(meeting.registration_closes_at, meeting.timezone)
        self.approval_roles.data = list(meeting.approval_roles or [])

    def to_values(self, meeting) -> dict:
        def utc(naive):
            return wall_clock_to_utc(naive.date(), naive.time(), meeting.timezone) if naive else None
        return {"capacity": self.capacity.data, "registration_opens_at": utc(self.opens_at.data),
                "registration_closes_at": utc(self.closes_at.data), "approval_roles": list(self.approval_roles.data or [])}


def _local_naive(instant, zone):
    return to_local(instant, zone).replace(tzinfo=None) if instant else None
