"""Forms for signing in, resetting a password, managing staff accounts and erasing a person."""
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from mipevents.accounts.passwords import MIN_PASSWORD_LENGTH, password_problem
from mipevents.core import vocabulary as vocab
from mipevents.core.forms import Form

ROLE_CHOICES = list(vocab.STAFF_ROLES.items())
_LENGTH_RULE = Length(min=MIN_PASSWORD_LENGTH, max=200,
                      message=f"Use at least {MIN_PASSWORD_LENGTH} characters (a few words work well).")


def _not_guessable(form, field):
    """A common or guessable password is refused here, next to the field (accounts.passwords)."""
    if field.data and len(field.data) >= MIN_PASSWORD_LENGTH:
        email = getattr(getattr(form, "email", None), "data", "") or ""
        problem = password_problem(field.data, email)
        if problem:
            raise ValidationError(problem[0].upper() + problem[1:] + ".")


_PASSWORD_RULE = [_LENGTH_RULE, _not_guessable]


class LoginForm(Form):
    takes_new_addresses = False   # looked up, never written to
    email = EmailField("Email", validators=[DataRequired(message="Enter your email."), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(message="Enter your password."), Length(max=200)])


class RequestPasswordResetForm(Form):
    takes_new_addresses = False   # looked up, never written to
    # No syntax check: any text gets the same answer, and staff addresses may be on internal domains.
    email = EmailField("Email", validators=[DataRequired(message="Enter your email."), Length(max=254)])


class ResetPasswordForm(Form):
    password = PasswordField("New password", validators=[DataRequired(message="Enter a new password."), *_PASSWORD_RULE])
    confirm = PasswordField("Repeat the new password", validators=[
        DataRequired(message="Repeat the new password."), EqualTo("password", message="The two passwords differ.")])


class CreateUserForm(Form):
    # A plain shape check: staff addresses may be on internal or reserved domains.
    email = EmailField("Email", validators=[DataRequired(message="Enter their email."), Length(max=254),
                                            Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$",
                                                   message="Enter an email address like name@example.org.")])
    name = StringField("Name", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES, default="staff")
    password = PasswordField("First password", validators=[DataRequired(message="Enter a first password."), *_PASSWORD_RULE])


class ChangeRoleForm(Form):
    role = SelectField("Role", choices=ROLE_CHOICES)


class FindPersonForm(Form):
    takes_new_addresses = False   # looked up, never written to
    email = EmailField("Their email", validators=[DataRequired(message="Enter their email."), Length(max=254)])


class ErasePersonForm(Form):
    confirm = BooleanField("I understand this removes their personal data everywhere and cannot be undone",
                           validators=[DataRequired(message="Tick the box to confirm.")])
