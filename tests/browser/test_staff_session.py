"""The staff session's warning in a real browser: with a short idle limit the page warns at once that
the session is ending, and once the session has ended on the server (signed out from another tab) the
page's next check says so and "Sign in again" brings the operator back to the page they were on. The
page's once-a-minute check is driven by Playwright's clock, not by waiting."""
import re

from playwright.sync_api import expect

PASSWORD = "correct horse battery staple"


def test_the_session_warning_appears_before_the_end_and_after_it(app, start_server, new_page, staff_login,
                                                                 assert_accessible):
    from mipevents.accounts.services import create_user
    from mipevents.extensions import db

    create_user("operator@example.org", PASSWORD, role="staff", name="Operator")
    db.session.commit()
    # Five idle minutes: less than the ten minutes of warning, so the first check already warns.
    server = start_server(workers=1, MIPEVENTS_STAFF_IDLE_SECONDS=300)
    page = new_page()
    page.clock.install()
    staff_login(page, server, "operator@example.org", PASSWORD)
    assert page.url == server.url + "/staff/"
    warning = page.get_by_role("status").filter(has_text="Your session")
    expect(warning).to_have_text(re.compile(
        r"Your session ends in [45] minutes\. Open any staff page to stay signed in, or sign in again after it ends\."))
    assert_accessible(page)

    other = page.context.new_page()           # the same browser, another tab: sign out there
    other.goto(server.url + "/staff/")
    other.get_by_role("button", name="Sign out (operator@example.org)").click()
    other.wait_for_url(lambda url: "/staff/" not in url or "/staff/login" in url)
    other.close()

    page.clock.run_for("01:00")               # the page's next check, a minute on
    expect(warning).to_have_text(re.compile(
        r"Your session has ended\. Sign in again to go on; a live run keeps running\.\s*Sign in again"))
    warning.get_by_role("link", name="Sign in again").click()
    page.wait_for_url(lambda url: "/staff/login" in url)
    assert page.url == server.url + "/staff/login?next=/staff/"
    page.get_by_label("Email").fill("operator@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(server.url + "/staff/")
