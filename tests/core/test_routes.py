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
