"""The README's URL table is the app's: URL → blueprint → view → what the view calls."""
from pathlib import Path

from mipevents.core.routes import markdown, url_table

README = Path(__file__).resolve().parents[2] / "README.md"
BEGIN, END = "<!-- urls: begin -->\n", "<!-- urls: end -->"


def test_the_readme_url_table_is_the_one_the_app_builds(app):
    text = README.read_text()
    shown = text[text.index(BEGIN) + len(BEGIN):text.index(END)]
    assert shown == markdown(url_table(app)), "run `flask --app wsgi urls` and paste its table into the README"


def test_the_table_names_each_view_and_the_workflow_it_calls(app):
    rows = {(r.url, r.methods): r for r in url_table(app)}
    home = rows[("/", "GET")]
    assert (home.blueprint, home.view, home.calls) == ("meetings", "meetings/views.py: home", "workflows.home")
    erase = rows[("/staff/people/<int:person_id>/erase", "GET, POST")]
    assert (erase.blueprint, erase.view, erase.calls) == ("accounts_staff", "accounts/staff.py: erase_person", "workflows.erasure")


def test_the_urls_command_prints_the_table(app):
    result = app.test_cli_runner().invoke(args=["urls"])
    assert (result.exit_code, result.output) == (0, markdown(url_table(app)))


def test_the_calls_are_what_the_view_and_its_helpers_load_not_names_that_match_an_attribute(app):
    rows = {(r.url, r.methods): r for r in url_table(app)}
    # The showcase's view module imports workflows.write_ups for its line-up; the stage views read
    # attributes that share names with other helpers (`.state`), which is no call of it.
    lineup = rows[("/meetings/<slug>/showcase", "GET")]
    control = rows[("/meetings/<slug>/showcase/control", "GET")]
    assert "workflows.write_ups" in lineup.calls.split(", ")
    assert "workflows.write_ups" not in control.calls.split(", ")
    # A helper of the blueprint's other module (registration.views) is followed, not named.
    manage = rows[("/manage/<token>", "GET")]
    assert (manage.view, "registration.access" in manage.calls, "registration.views" in manage.calls) == (
        "registration/manage.py: manage", True, False)
