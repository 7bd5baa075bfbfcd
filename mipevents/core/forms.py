"""What every area's forms share: the base form, which puts the one text rule on every text field
and sane bounds on every date and whole number, and the web-address and time-zone checks."""
from datetime import date

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import DateTimeField, EmailField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.validators import StopValidation, ValidationError

from mipevents.core.text import ascii_domain, clean_text, is_slug
from mipevents.core.timeutil import US_GENERIC, canonical_zones, is_valid_zone

# Dates far from now are typos, and years near 1 or 9999 overflow time-zone arithmetic.
FIRST_YEAR, LAST_YEAR = 1990, 2100
# What a database integer column holds (PostgreSQL's INTEGER); a form's own range is usually far smaller.
LARGEST_NUMBER = 2**31 - 1


def _single_line(value):
    return clean_text(value) if isinstance(value, str) else value


def _multi_line(value):
    return clean_text(value, multiline=True) if isinstance(value, str) else value


def _address(value):
    return ascii_domain(clean_text(value)) if isinstance(value, str) else value


def deliverable_address(form, field):
    """Without SMTPUTF8 (MAIL_SMTPUTF8) no mail server takes letters outside ASCII before the @."""
    if field.data and not current_app.config["MAIL_SMTPUTF8"] and not field.data.rpartition("@")[0].isascii():
        raise ValidationError("We cannot send email to an address with accented or non-Latin letters before "
                              "the @: please give another address.")


def sane_date(form, field):
    """A date or date and time between FIRST_YEAR and LAST_YEAR, with a message next to the field."""
    if isinstance(field.data, date) and not FIRST_YEAR <= field.data.year <= LAST_YEAR:   # not a TimeField's time
        raise StopValidation(f"Enter a date between the years {FIRST_YEAR} and {LAST_YEAR}.")


def sane_number(form, field):
    """A whole number a database column holds, for a field whose own range (checked first) has no end."""
    if not field.errors and field.data is not None and abs(field.data) > LARGEST_NUMBER:
        raise ValidationError("Enter a smaller number.")


class Form(FlaskForm):
    """Every form of the application. Each text field (a text area keeps its line breaks, a password
    is taken as typed) is cleaned by core.text before its own filters and validators, and a lone
    surrogate becomes the field's error; an email address gets its domain in IDNA and must be one
    the mail server can deliver to; every date is checked against FIRST_YEAR..LAST_YEAR before the
    field's own rules, and every whole number against LARGEST_NUMBER after them. So a form answers
    odd input with a message next to the field, never a 500."""

    # False on a form whose address is only looked up (sign-in, erasure): it is taken as typed (but
    # cleaned), so whatever was stored is found, and no delivery rule applies.
    takes_new_addresses = True

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                rules = {TextAreaField: _multi_line, EmailField: _address if form.takes_new_addresses else _single_line}
                rule = next((r for kind, r in rules.items() if issubclass(field_class, kind)), _single_line)
                options["filters"] = [rule, *unbound_field.kwargs.get("filters", ())]
            if issubclass(field_class, EmailField) and form.takes_new_addresses:
                options["validators"] = [*unbound_field.kwargs.get("validators", ()), deliverable_address]
            if issubclass(field_class, DateTimeField | IntegerField):
                assert len(unbound_field.args) < 2, "give a form field's validators by name"
                own = list(unbound_field.kwargs.get("validators", ()))
                options["validators"] = [sane_date, *own] if issubclass(field_class, DateTimeField) else [*own, sane_number]
            return super().bind_field(form, unbound_field, options)


def web_address(example: str):
    """A validator: the field is a web address like `example` (lowercase words, single hyphens)."""
    def check(form, field):
        if field.data and not is_slug(field.data.strip()):
            raise ValidationError(f"Use lowercase letters, digits and single hyphens, like {example}.")
    return check


def known_zone(message: str = "Choose a time zone from the list."):
    """A validator: the field names a time zone this system knows (IANA, e.g. America/Chicago)."""
    def check(form, field):
        if not is_valid_zone((field.data or "").strip()):
            raise ValidationError(message)
    return check


def _zone_label(zone: str) -> str:
    words = zone.replace("_", " ")
    return f"{words} ({US_GENERIC[zone]})" if zone in US_GENERIC else words


def zone_choices(current: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """The time-zone picker's options, grouped: the US zones first, then the rest of the world; only
    canonical names (core.timeutil.canonical_zones). A stored zone outside them (a fixed offset kept
    from an import) stays offered, so saving the form never changes it behind the user's back."""
    us, others = canonical_zones()
    groups = {"United States": [(z, _zone_label(z)) for z in us], "Elsewhere": [(z, _zone_label(z)) for z in others]}
    if current and current not in us and current not in others and is_valid_zone(current):
        groups["Elsewhere"].append((current, _zone_label(current)))
    return groups
