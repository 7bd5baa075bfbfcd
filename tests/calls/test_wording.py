"""How a call reads: a title that already says "Apply to …" is not prefixed again on the form or in
its emails, and the list of problems reads naturally: "Question? Answer this question." (no "?:"), and
"Enter the city." (not "City: Enter the city.")."""
from sqlalchemy import select

from mipevents.calls import emails
from mipevents.extensions import db
from mipevents.notify.models import OutboxMessage
from tests.calls.conftest import form_data


def test_apply_is_said_once_on_the_form_and_in_the_email(client, make_call):
    call = make_call(title="Apply to the Women Mayors' Network: third cohort")
    plain = make_call(title="Climate cohort")
    db.session.commit()
    page = client.get(f"/calls/{call.slug}/apply").get_data(as_text=True)
    assert "<h1>Apply: The Women Mayors&#39; Network: third cohort</h1>" in page
    assert "Apply: Apply" not in page
    assert "<h1>Apply: Climate cohort</h1>" in client.get(f"/calls/{plain.slug}/apply").get_data(as_text=True)
    client.post(f"/calls/{call.slug}/apply", data=form_data(call))
    built = emails.build_application(db.session.execute(select(OutboxMessage)).scalar_one())
    assert built.subject == "We received your application: The Women Mayors' Network: third cohort"
    assert 'to "The Women Mayors\' Network: third cohort".' in built.text


def test_the_problem_list_does_not_put_a_colon_after_a_question(client, make_call):
    call = make_call()
    db.session.commit()
    term = next(q for q in call.questions if q.prompt == "Term")
    term.prompt = "Which term are you serving?"
    db.session.commit()
    response = client.post(f"/calls/{call.slug}/apply", data=form_data(call, **{f"q_{term.id}": ""}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'<a href="#q_{term.id}">Which term are you serving? Answer this question.</a>' in html
    assert "?:" not in html
    # A message that names its field is said alone; one that does not follows the field's label.
    assert "<a href=\"#city\">Enter the city.</a>" in client.post(
        f"/calls/{call.slug}/apply", data=form_data(call, city="")).get_data(as_text=True)
