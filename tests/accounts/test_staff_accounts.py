"""Admin pages: staff accounts (create, change role, disable) and the audit log."""
from sqlalchemy import select

from mipevents.accounts.models import AuditEntry, User

PASSWORD = "correct horse battery staple"


def test_admin_creates_an_account_that_can_sign_in(app, client, login_as, db_session):
    admin = login_as("admin")
    response = client.post("/staff/accounts/new", data={"email": "New.Person@Example.org", "name": "New Person",
                                                        "role": "reviewer", "password": PASSWORD})
    assert response.status_code == 302
    user = db_session.execute(select(User).where(User.email == "new.person@example.org")).scalar_one()
    assert (user.role, user.name) == ("reviewer", "New Person")
    entry = db_session.execute(select(AuditEntry).where(AuditEntry.action == "create_user", AuditEntry.object_id == user.id)).scalar_one()
    assert (entry.actor_id, entry.after) == (admin.id, {"email": "new.person@example.org", "role": "reviewer", "name": "New Person"})
    assert app.test_client().post("/staff/login", data={"email": "new.person@example.org", "password": PASSWORD}).status_code == 302


def test_create_refuses_a_taken_email_and_a_short_password(client, login_as):
    admin = login_as("admin")
    taken = client.post("/staff/accounts/new", data={"email": admin.email, "role": "staff", "password": PASSWORD})
    assert taken.status_code == 422
    assert "An account with this email already exists." in taken.get_data(as_text=True)
    short = client.post("/staff/accounts/new", data={"email": "x@example.org", "role": "staff", "password": "short"})
    assert short.status_code == 422
    assert "Use at least 12 characters" in short.get_data(as_text=True)


def test_changing_a_role_applies_at_once_and_is_audited(app, client, login_as, db_session):
    from mipevents.accounts.services import create_user

    login_as("admin")
    user = create_user("staffer@example.org", PASSWORD, role="staff")
    db_session.commit()
    theirs = app.test_client()
    theirs.post("/staff/login", data={"email": user.email, "password": PASSWORD})
    assert theirs.get("/staff/meetings/new").status_code == 200
    response = client.post(f"/staff/accounts/{user.id}/role", data={f"u{user.id}-role": "reviewer"})
    assert response.status_code == 303
    db_session.refresh(user)
    assert user.role == "reviewer"
    assert theirs.get("/staff/meetings/new").status_code == 302      # their session ended; sign in again
    entry = db_session.execute(select(AuditEntry).where(AuditEntry.action == "change_role")).scalar_one()
    assert (entry.before, entry.after) == ({"role": "staff"}, {"role": "reviewer"})


def test_the_last_admin_keeps_the_role_and_cannot_disable_themselves(client, login_as, db_session):
    admin = login_as("admin")
    demote = client.post(f"/staff/accounts/{admin.id}/role", data={f"u{admin.id}-role": "staff"}, follow_redirects=True)
    assert "This is the last administrator" in demote.get_data(as_text=True)
    disable = client.post(f"/staff/accounts/{admin.id}/enabled", data={"enabled": "0"}, follow_redirects=True)
    assert "You cannot disable your own account." in disable.get_data(as_text=True)
    db_session.refresh(admin)
    assert (admin.role, admin.is_enabled) == ("admin", True)


def test_disable_and_enable_an_account(client, login_as, db_session):
    from mipevents.accounts.services import create_user

    login_as("admin")
    user = create_user("staffer@example.org", PASSWORD)
    db_session.commit()
    assert client.post(f"/staff/accounts/{user.id}/enabled", data={"enabled": "0"}).status_code == 303
    db_session.refresh(user)
    assert user.is_enabled is False
    assert client.post(f"/staff/accounts/{user.id}/enabled", data={"enabled": "1"}).status_code == 303
    db_session.refresh(user)
    assert user.is_enabled is True
    page = client.get("/staff/accounts/").get_data(as_text=True)
    assert "staffer@example.org" in page


def test_audit_log_lists_changes_newest_first_with_before_and_after(client, login_as, make_meeting, make_item, db_session):
    meeting = make_meeting()
    item = make_item(meeting, title="Housing")
    db_session.commit()
    login_as("admin")
    client.post(f"/staff/sessions/{item.id}/cancel")
    html = client.get("/staff/audit").get_data(as_text=True)
    assert "Cancelled “Housing”" in html
    assert '"status": "cancelled"' in html
    filtered = client.get(f"/staff/audit?meeting={meeting.id}").get_data(as_text=True)
    assert "Cancelled “Housing”" in filtered
    assert "Cancelled “Housing”" not in client.get("/staff/audit?meeting=999999").get_data(as_text=True)
