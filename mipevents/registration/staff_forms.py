"""Forms of staff's registrations hub: one registration's details as staff edit them, and the email to
a meeting's or a webinar's registrants that is previewed before it is sent, and sent once."""
import hashlib
import re
import secrets

from wtforms import BooleanField, HiddenField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from mipevents.core import vocabulary as vocab
from mipevents.core.forms import Form
from mipevents.registration.forms import LIMITS, MEETING_TYPES, MessageMeetingRegistrantsForm, MessageRegistrantsForm


def _text(label, limit, required=False):
    checks = [DataRequired(message=f"Enter the {label.lower()}.")] if required else [Optional()]
    return StringField(label, validators=[*checks, Length(max=limit, message=f"Keep this to {limit} characters or fewer.")])


# A meeting's types as its form names them; a webinar's in the one vocabulary's words.
STAFF_TYPE_CHOICES = {"meeting": [*MEETING_TYPES, ("other", "Other")],
                      "webinar": list(vocab.REGISTRATION_ROLES.items())}


class EditRegistrationForm(Form):
    """What staff may correct in one registration (never the email: it is the person's identity, and
    never the status: the hub's actions change that, with their emails)."""

    role = SelectField("Registration type", validate_choice=True)
    first_name = _text("First name", LIMITS["first_name"], required=True)
    last_name = _text("Last name", LIMITS["last_name"], required=True)
    title = _text("Title", LIMITS["title"])
    organization = _text("City or organization", LIMITS["organization"])
    city = _text("City", LIMITS["city"])
    state = _text("State", LIMITS["state"])
    phone = TelField("Phone", validators=[Optional(), Length(max=40, message="Keep this to 40 characters or fewer."), Regexp(
        r"^[0-9+().\-\s]*(?:(?:ext|x)\.?\s*[0-9]+)?$", message="Use digits, spaces and + ( ) - only.")])
    dietary_needs = TextAreaField("Dietary needs", validators=[Optional(), Length(max=1000, message="Keep this to 1,000 characters or fewer.")])
    accessibility_needs = TextAreaField("Accessibility needs", validators=[
        Optional(), Length(max=1000, message="Keep this to 1,000 characters or fewer.")])
    question = TextAreaField("Question for the presenters", validators=[
        Optional(), Length(max=LIMITS["question"], message=f"Keep this to {LIMITS['question']} characters or fewer.")])
    is_listed = BooleanField("Listed on the meeting's list of attendees (only with the attendee's consent)")

    FIELDS = ("role", "first_name", "last_name", "title", "organization", "city", "state", "phone", "dietary_needs",
              "accessibility_needs", "question", "is_listed")
    MEETING_ONLY = ("phone", "dietary_needs", "accessibility_needs", "is_listed")
    WEBINAR_ONLY = ("question",)

    def for_registration(self, registration) -> "EditRegistrationForm":
        """The fields that apply to this registration's kind of event, the type's choices, and (on GET)
        its values."""
        kind = "meeting" if registration.meeting_id is not None else "webinar"
        self.role.choices = STAFF_TYPE_CHOICES[kind]
        for name in (self.WEBINAR_ONLY if kind == "meeting" else self.MEETING_ONLY):
            delattr(self, name)
        return self

    def fill_from(self, registration) -> None:
        for name in self.shown():
            getattr(self, name).data = getattr(registration, name)

    def shown(self) -> list[str]:
        return [name for name in self.FIELDS if name in self._fields]

    def to_values(self) -> dict:
        values = {name: self[name].data for name in self.shown()}
        for name, value in values.items():
            if isinstance(value, str):
                values[name] = value.strip()
        if "is_listed" in values:
            values["is_listed"] = bool(values["is_listed"])
        return values


class SendOnce:
    """A message previewed first: the preview gives the send button a key made of a fresh nonce and a
    digest of the exact message and its recipients' choice, and only a send with the key of what is on
    the form queues it (once per key: a double submit queues nothing more)."""

    send_key = HiddenField()

    def digest_parts(self) -> list[str]:
        return [self.subject.data or "", self.body.data or ""]

    def content_digest(self) -> str:
        return hashlib.sha256("\x1f".join(self.digest_parts()).encode()).hexdigest()[:32]

    def new_send_key(self) -> str:
        return f"{secrets.token_urlsafe(16)}.{self.content_digest()}"

    def validate_send_key(self, field):
        if field.data and not (re.fullmatch(r"[A-Za-z0-9_-]{16,43}\.[0-9a-f]{32}", field.data)
                               and field.data.endswith("." + self.content_digest())):
            raise ValidationError("The message changed since its preview: check the new preview, then send it.")

    @property
    def nonce(self) -> str:
        return (self.send_key.data or "").partition(".")[0]


class MessagePreviewForm(SendOnce, MessageMeetingRegistrantsForm):
    """The email to a meeting's registrants by status and type, previewed first and sent once."""

    to_schedulers = BooleanField("Also send it to their schedulers (whoever registered them for them), each with "
                                 "their own link to that registration")

    def digest_parts(self) -> list[str]:
        return [*super().digest_parts(), ",".join(sorted(self.statuses.data or [])),
                ",".join(sorted(self.types.data or [])), "schedulers" if self.to_schedulers.data else ""]

    def chosen_statuses(self) -> list[str]:
        return list(self.statuses.data)

    @property
    def copies_to_schedulers(self) -> bool:
        return bool(self.to_schedulers.data)


class WebinarMessagePreviewForm(SendOnce, MessageRegistrantsForm):
    """The email to a webinar's registrants (the confirmed, and with the box the waitlisted), previewed
    first and sent once."""

    def digest_parts(self) -> list[str]:
        return [*super().digest_parts(), "waitlisted" if self.include_waitlisted.data else ""]

    def chosen_statuses(self) -> list[str]:
        return ["confirmed", "waitlisted"] if self.include_waitlisted.data else ["confirmed"]

    # A webinar's registrants sign up for themselves: no scheduler gets a copy.
    copies_to_schedulers = False
