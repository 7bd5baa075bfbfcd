"""The one text rule (core.text) and the base form that puts it on every text field."""
import pytest
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, PasswordField, StringField, TextAreaField, TimeField
from wtforms.validators import Length, NumberRange, Optional

from mipevents.core.forms import Form
from mipevents.core.text import TextProblem, clean_text, csv_cell, has_controls, slugify


def test_clean_text_normalises_strips_and_drops_control_characters():
    assert clean_text("  Cafe\u0301\x00 de\x07 Paris\x7f\x9b  ") == "Café de Paris"


def test_clean_text_turns_every_line_break_into_a_space_on_one_line():
    assert clean_text("Eve\r\nBEGIN:VEVENT\rUID:x\nEND\x0bA\x0cB\x85C\u2028D\u2029E\tF") == \
        "Eve BEGIN:VEVENT UID:x END A B C D E F"


def test_clean_text_keeps_newlines_and_tabs_in_multi_line_text_as_plain_newlines():
    assert clean_text("\r\nfirst\r\nsecond\rthird\u2028fourth\n\tfifth\x00\n", multiline=True) == \
        "first\nsecond\nthird\nfourth\n\tfifth"


def test_clean_text_keeps_emoji_and_right_to_left_text():
    assert clean_text("مرحبا 👋🏽 \u200fשלום") == "مرحبا 👋🏽 \u200fשלום"


@pytest.mark.parametrize("value", ["a\ud800b", "\udfff", "x\udc80"])
def test_clean_text_refuses_lone_surrogates(value):
    with pytest.raises(TextProblem, match="not valid text"):
        clean_text(value)


def test_clean_text_refuses_what_is_longer_than_the_column_once_cleaned():
    assert clean_text("  " + "x" * 10 + "\x00  ", max_length=10) == "x" * 10
    with pytest.raises(TextProblem, match="Keep this to 10 characters or fewer."):
        clean_text("x" * 11, max_length=10)


def test_has_controls_finds_control_characters_line_breaks_and_surrogates_but_not_tabs():
    assert [has_controls(v) for v in ("a\x00", "a\r", "a\u2028", "a\ud800", "a\tb", "Zürich 👋")] == \
        [True, True, True, True, False, False]


class _Sample(Form):
    name = StringField("Name", validators=[Length(max=5)])
    notes = TextAreaField("Notes")
    password = PasswordField("Password")


def test_the_base_form_cleans_text_fields_keeps_newlines_in_text_areas_and_passwords_as_typed(app):
    with app.test_request_context():
        form = _Sample(formdata=MultiDict({"name": " Ann\r\nB\x00 ", "notes": "one\r\ntwo\x00", "password": " p\x00w "}),
                       meta={"csrf": False})
        assert form.validate()
        assert (form.name.data, form.notes.data, form.password.data) == ("Ann B", "one\ntwo", " p\x00w ")


def test_the_base_form_answers_a_lone_surrogate_with_the_fields_error(app):
    with app.test_request_context():
        form = _Sample(formdata=MultiDict({"name": "a\ud800"}), meta={"csrf": False})
        assert not form.validate()
        assert form.errors == {"name": ["Contains a character that is not valid text."]}


class _Bounds(Form):
    day = DateField("Day", validators=[Optional()])
    at = TimeField("At", validators=[Optional()])
    seats = IntegerField("Seats", validators=[Optional(), NumberRange(min=0, message="Enter 0 or more.")])
    order = IntegerField("Order", validators=[Optional(), NumberRange(min=0, max=99, message="From 0 to 99.")])


@pytest.mark.parametrize(("data", "errors"), [
    ({"day": "0001-01-01", "at": "00:00"}, {"day": ["Enter a date between the years 1990 and 2100."]}),
    ({"day": "9999-12-31"}, {"day": ["Enter a date between the years 1990 and 2100."]}),
    ({"day": "1990-01-01", "seats": "2147483647"}, {}),
    ({"day": "2100-12-31", "seats": "2147483648"}, {"seats": ["Enter a smaller number."]}),
    ({"seats": "-1"}, {"seats": ["Enter 0 or more."]}),
    ({"order": "99999999999999999999"}, {"order": ["From 0 to 99."]}),
])
def test_the_base_form_bounds_every_date_and_whole_number(app, data, errors):
    with app.test_request_context():
        form = _Bounds(formdata=MultiDict(data), meta={"csrf": False})
        form.validate()
        assert form.errors == errors


def test_every_form_of_the_application_is_built_on_the_base_form(app):
    from flask_wtf import FlaskForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("mipevents.")]
    assert len(ours) >= 25
    assert [cls.__qualname__ for cls in ours if not issubclass(cls, Form)] == []


def test_csv_cells_never_start_a_formula():
    """The one formula guard of every CSV export (registrations, applications, survey answers, stage timing)."""
    assert [csv_cell(v) for v in ("=HYPERLINK(1)", "+1", "-2", "@SUM", "\tx", "\rx", "Panel", None, 360, -5.0)] == [
        "'=HYPERLINK(1)", "'+1", "'-2", "'@SUM", "'\tx", "'\rx", "Panel", "", "360", "-5.0"]


def test_one_slug_rule_for_every_web_address_made_from_a_name():
    assert [slugify(t) for t in ("Summer Meeting 2026 — Tacoma, WA", "Lucía's plan", "Lucía’s plan", "  ---  ", "東京")] == [
        "summer-meeting-2026-tacoma-wa", "lucias-plan", "lucias-plan", "", ""]
    # Cut between words when there is one to cut at, never past the limit.
    assert [slugify("alpha beta gamma", limit) for limit in (16, 15, 10, 9, 3)] == [
        "alpha-beta-gamma", "alpha-beta", "alpha-beta", "alpha", "alp"]
