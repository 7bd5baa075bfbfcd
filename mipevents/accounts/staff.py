"""Admin pages: staff accounts (create, change role, disable), the audit log, erasing a person."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from mipevents.accounts import services
from mipevents.accounts.forms import ChangeRoleForm, CreateUserForm, ErasePersonForm, FindPersonForm
from mipevents.accounts.models import AuditEntry, User
from mipevents.accounts.permissions import admin_required
from mipevents.core.web import query_id
from mipevents.extensions import db
from mipevents.people.models import Person
from mipevents.people.services import normalise_email
from mipevents.workflows import erasure

staff_bp = Blueprint("accounts_staff", __name__, url_prefix="/staff")

AUDIT_PAGE_SIZE = 50


@staff_bp.route("/accounts/")
@admin_required
def list_users():
    users = db.session.execute(select(User).order_by(User.is_enabled.desc(), User.email)).scalars().all()
    return render_template("staff/accounts/list_users.html", users=users,
                           role_forms={u.id: ChangeRoleForm(role=u.role, prefix=f"u{u.id}") for u in users})


@staff_bp.route("/accounts/new", methods=["GET", "POST"])
@admin_required
def create_user():
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.email.data, form.password.data, role=form.role.data,
                                        name=(form.name.data or "").strip(), actor=current_user)
        except services.AccountProblem as exc:
            db.session.rollback()
            form.email.errors.append(str(exc).capitalize() + ".")
        else:
            db.session.commit()
            flash(f"Created the account for {user.email}. Give them the first password in person.", "success")
            return redirect(url_for(".list_users"))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/accounts/create_user.html", form=form), status


@staff_bp.route("/accounts/<int:user_id>/role", methods=["POST"])
@admin_required
def change_role(user_id):
    user = db.get_or_404(User, user_id)
    form = ChangeRoleForm(prefix=f"u{user.id}")
    if not form.validate_on_submit():
        flash("Choose one of the roles.", "error")
        return redirect(url_for(".list_users")), 303
    try:
        changed = services.change_role(user, form.role.data, actor=current_user)
    except services.AccountProblem as exc:
        db.session.rollback()
        flash(str(exc).capitalize() + ".", "error")
        return redirect(url_for(".list_users")), 303
    db.session.commit()
    if changed:
        flash(f"{user.email} is now {form.role.data}.", "success")
    return redirect(url_for(".list_users")), 303


@staff_bp.route("/accounts/<int:user_id>/enabled", methods=["POST"])
@admin_required
def set_enabled(user_id):
    user = db.get_or_404(User, user_id)
    enable = request.form.get("enabled") == "1"
    try:
        services.set_enabled(user, enable, actor=current_user)
    except services.AccountProblem as exc:
        db.session.rollback()
        flash(str(exc).capitalize() + ".", "error")
        return redirect(url_for(".list_users")), 303
    db.session.commit()
    flash(f"{user.email} is {'enabled' if enable else 'disabled and signed out'}.", "success")
    return redirect(url_for(".list_users")), 303


@staff_bp.route("/audit")
@admin_required
def audit_log():
    page = request.args.get("page", 1, type=query_id)
    stmt = select(AuditEntry)
    meeting_id = request.args.get("meeting", type=query_id)
    if meeting_id:
        stmt = stmt.where(AuditEntry.meeting_id == meeting_id)
    total = db.session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    entries = db.session.execute(stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                                 .limit(AUDIT_PAGE_SIZE).offset((page - 1) * AUDIT_PAGE_SIZE)).scalars().all()
    return render_template("staff/accounts/audit_log.html", entries=entries, page=page, meeting_id=meeting_id,
                           has_next=page * AUDIT_PAGE_SIZE < total, total=total)


@staff_bp.route("/people/erase", methods=["GET", "POST"])
@admin_required
def find_person():
    form = FindPersonForm()
    if form.validate_on_submit():
        person = db.session.execute(select(Person).where(Person.email == normalise_email(form.email.data))).scalar_one_or_none()
        if person is None:
            form.email.errors.append("Nobody with this email is known here.")
            return render_template("staff/accounts/find_person.html", form=form), 404
        return redirect(url_for(".erase_person", person_id=person.id)), 303
    return render_template("staff/accounts/find_person.html", form=form), 422 if request.method == "POST" else 200


@staff_bp.route("/people/<int:person_id>/erase", methods=["GET", "POST"])
@admin_required
def erase_person(person_id):
    person = db.get_or_404(Person, person_id)
    if person.erased_at is not None:
        abort(404)
    form = ErasePersonForm()
    if form.validate_on_submit():
        report = erasure.erase_person(person, actor=current_user)
        db.session.commit()
        flash(report.summary + ".", "success")
        return redirect(url_for(".find_person")), 303
    return render_template("staff/accounts/erase_person.html", person=person, form=form,
                           summary=erasure.personal_summary(person)), 422 if request.method == "POST" else 200
