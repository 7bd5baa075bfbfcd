"""Staff forms for programmes and cohorts."""
from wtforms import DateField, EmailField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError

from mipevents.core.forms import Form, web_address

SLUG = web_address("wmn-2026")


class EditProgrammeForm(Form):
    name = StringField("Name", validators=[DataRequired(message="Name the programme."), Length(max=200)])
    slug = StringField("Web address", validators=[DataRequired(message="Choose a web address."), Length(max=80), SLUG])
    description = TextAreaField("Description", validators=[Optional(), Length(max=20000)])
    partners = StringField("Partners", validators=[Optional(), Length(max=2000)])
    eligibility = TextAreaField("Who can apply", validators=[Optional(), Length(max=4000)])
    status = SelectField("Status", choices=[("published", "Published"), ("draft", "Draft (hidden)")])


class EditCohortForm(Form):
    name = StringField("Name", validators=[DataRequired(message="Name the cohort, e.g. Third cohort, 2026."), Length(max=200)])
    slug = StringField("Web address", validators=[DataRequired(message="Choose a web address."), Length(max=80), SLUG])
    description = TextAreaField("Description", validators=[Optional(), Length(max=20000)])
    starts_on = DateField("Starts on", validators=[Optional()])
    ends_on = DateField("Ends on", validators=[Optional()])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The cohort must end on or after its first day.")


class AddMemberForm(Form):
    """A member added by staff (a mayor who joined without applying through a call)."""
    name = StringField("Name as listed", validators=[
        DataRequired(message="Enter the name as the cohort page lists it, e.g. Mayor Kim Norton."), Length(max=200)])
    email = EmailField("Email", validators=[
        DataRequired(message="Enter their email: the cohort's events reach them through it."),
        Email(message="Enter an email address like mayor@city.gov.", check_deliverability=False), Length(max=254)])
    city = StringField("City", validators=[DataRequired(message="Enter the city."), Length(max=120)])
    state = StringField("State", validators=[
        DataRequired(message="Enter the state."), Regexp(r"^[A-Za-z]{2}$", message="Use the two-letter abbreviation, e.g. WI.")])

    def values(self) -> dict:
        return {"name": self.name.data, "email": self.email.data, "city": self.city.data,
                "state": self.state.data.upper()}
