"""Forms of the registration area: registering for a webinar (page and JSON API), a registrant's own
changes on their manage page, and staff's message to all registrants."""
from wtforms import BooleanField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional, ValidationError

from mipevents.core import vocabulary as vocab
from mipevents.core.forms import Form

# The roles a webinar registrant chooses from, in words (stored values from the one vocabulary).
WEBINAR_ROLES = ("mayor", "city_staff", "partner", "other")
ROLE_CHOICES = [("", "Choose one")] + [(value, vocab.REGISTRATION_ROLES[value]) for value in WEBINAR_ROLES]

# Field lengths: what the registration row holds (see registration/models.py).
LIMITS = {"first_name": 100, "last_name": 100, "email": 254, "title": 200, "organization": 200,
          "city": 120, "state": 40, "question": 2000}

PRIVACY_NOTICE = ("We use these details only to run this event: to send your confirmation, reminders and "
                  "changes, and to see who attended. We never publish them or share them outside the event's "
                  "organisers, and you can cancel or ask us to erase them at any time.")


def _text(label, limit, required=False, **kwargs):
    checks = [DataRequired(message=f"Enter your {label.lower()}.")] if required else [Optional()]
    checks.append(Length(max=limit, message=f"Keep this to {limit} characters or fewer."))
    return StringField(label, validators=checks, **kwargs)


class WebinarRegistrationFields(Form):
    """What a webinar registrant gives: the page form and the JSON API validate the same fields."""

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


class ConfirmForm(Form):
    """A button that only carries the CSRF token (cancel, resend, reset links)."""


class MessageRegistrantsForm(Form):
    subject = _text("Subject", 200, required=True)
    body = TextAreaField("Message", validators=[
        DataRequired(message="Write the message."), Length(max=20000, message="Keep this under 20,000 characters.")])
    include_waitlisted = BooleanField("Also send it to people on the waitlist")
