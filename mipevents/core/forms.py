"""What every area's forms share: the base form, which puts the one text rule on every text field."""
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

from mipevents.core.text import clean_text


def _single_line(value):
    return clean_text(value) if isinstance(value, str) else value


def _multi_line(value):
    return clean_text(value, multiline=True) if isinstance(value, str) else value


class Form(FlaskForm):
    """Every form of the application. Each text field (a text area keeps its line breaks, a password
    is taken as typed) is cleaned by core.text before its own filters and validators; a lone
    surrogate becomes the field's error, so the form answers 4xx with a message next to it."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                rule = _multi_line if issubclass(field_class, TextAreaField) else _single_line
                options["filters"] = [rule, *unbound_field.kwargs.get("filters", ())]
            return super().bind_field(form, unbound_field, options)
