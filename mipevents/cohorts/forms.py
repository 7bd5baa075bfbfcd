"""Staff forms for programmes and cohorts."""
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

SLUG = Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$", message="Use lower-case letters, digits and hyphens.")


class EditProgrammeForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Name the programme."), Length(max=200)])
    slug = StringField("Web address", validators=[DataRequired(message="Choose a web address."), Length(max=80), SLUG])
    description = TextAreaField("Description", validators=[Optional(), Length(max=20000)])
    partners = StringField("Partners", validators=[Optional(), Length(max=2000)])
    eligibility = TextAreaField("Who can apply", validators=[Optional(), Length(max=4000)])
    status = SelectField("Status", choices=[("published", "Published"), ("draft", "Draft (hidden)")])


class EditCohortForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(message="Name the cohort, e.g. Third cohort, 2026."), Length(max=200)])
    slug = StringField("Web address", validators=[DataRequired(message="Choose a web address."), Length(max=80), SLUG])
    description = TextAreaField("Description", validators=[Optional(), Length(max=20000)])
    starts_on = DateField("Starts on", validators=[Optional()])
    ends_on = DateField("Ends on", validators=[Optional()])

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The cohort must end on or after its first day.")
