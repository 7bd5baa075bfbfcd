"""Staff pages of the cohorts area (behind login, under /staff/): programmes, cohorts, their members,
and publishing a cohort."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mipevents.accounts.permissions import staff_required
from mipevents.cohorts import services
from mipevents.cohorts.forms import AddMemberForm, EditCohortForm, EditProgrammeForm
from mipevents.cohorts.models import Cohort, CohortMember, Programme
from mipevents.extensions import db

staff_bp = Blueprint("cohorts_staff", __name__, url_prefix="/staff")


@staff_bp.route("/programmes/")
@staff_required
def list_programmes():
    programmes = db.session.execute(
        select(Programme).options(selectinload(Programme.cohorts).selectinload(Cohort.members)).order_by(Programme.name)
    ).scalars().all()
    return render_template("cohorts/staff/list_programmes.html", programmes=programmes)


def _taken(model, slug, own_id=None):
    existing = db.session.execute(select(model.id).where(model.slug == slug)).scalar_one_or_none()
    return existing is not None and existing != own_id


@staff_bp.route("/programmes/new", methods=["GET", "POST"])
@staff_required
def new_programme():
    form = EditProgrammeForm()
    if form.validate_on_submit():
        if _taken(Programme, form.slug.data):
            form.slug.errors.append("Another programme uses this web address.")
        else:
            services.save_programme(None, {k: (form[k].data or "").strip() for k in
                                           ("name", "slug", "description", "partners", "eligibility", "status")},
                                    actor=current_user)
            db.session.commit()
            flash("The programme is saved.", "success")
            return redirect(url_for(".list_programmes"))
    return render_template("cohorts/staff/edit_programme.html", form=form), 422 if request.method == "POST" else 200


@staff_bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_programme(programme_id):
    programme = db.get_or_404(Programme, programme_id)
    form = EditProgrammeForm(obj=programme)
    if form.validate_on_submit():
        if _taken(Programme, form.slug.data, programme.id):
            form.slug.errors.append("Another programme uses this web address.")
        else:
            services.save_programme(programme, {k: (form[k].data or "").strip() for k in
                                                ("name", "slug", "description", "partners", "eligibility", "status")},
                                    actor=current_user)
            db.session.commit()
            flash("The programme is saved.", "success")
            return redirect(url_for(".list_programmes"))
    return render_template("cohorts/staff/edit_programme.html", form=form, programme=programme), \
        422 if request.method == "POST" else 200


@staff_bp.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_cohort(cohort_id):
    cohort = db.get_or_404(Cohort, cohort_id)
    form = EditCohortForm(obj=cohort)
    if form.validate_on_submit():
        if _taken(Cohort, form.slug.data, cohort.id):
            form.slug.errors.append("Another cohort uses this web address.")
        else:
            services.save_cohort(cohort, {
                "name": form.name.data.strip(), "slug": form.slug.data.strip(), "description": form.description.data or "",
                "starts_on": form.starts_on.data, "ends_on": form.ends_on.data}, actor=current_user)
            db.session.commit()
            flash("The cohort is saved.", "success")
            return redirect(url_for(".show_cohort", cohort_id=cohort.id))
    return render_template("cohorts/staff/edit_cohort.html", form=form, programme=cohort.programme, cohort=cohort), \
        422 if request.method == "POST" else 200


@staff_bp.route("/programmes/<int:programme_id>/cohorts/new", methods=["GET", "POST"])
@staff_required
def new_cohort(programme_id):
    programme = db.get_or_404(Programme, programme_id)
    form = EditCohortForm()
    if form.validate_on_submit():
        if _taken(Cohort, form.slug.data):
            form.slug.errors.append("Another cohort uses this web address.")
        else:
            cohort = services.save_cohort(None, {
                "programme_id": programme.id, "name": form.name.data.strip(), "slug": form.slug.data.strip(),
                "description": form.description.data or "", "starts_on": form.starts_on.data,
                "ends_on": form.ends_on.data}, actor=current_user)
            db.session.commit()
            flash("The cohort is saved (as a draft: its members stay private until you publish it).", "success")
            return redirect(url_for(".show_cohort", cohort_id=cohort.id))
    return render_template("cohorts/staff/edit_cohort.html", form=form, programme=programme), \
        422 if request.method == "POST" else 200


@staff_bp.route("/cohorts/<int:cohort_id>")
@staff_required
def show_cohort(cohort_id):
    cohort = db.get_or_404(Cohort, cohort_id)
    return render_template("cohorts/staff/show_cohort.html", cohort=cohort, member_form=AddMemberForm(prefix="member"))


@staff_bp.route("/cohorts/<int:cohort_id>/members", methods=["POST"])
@staff_required
def add_member(cohort_id):
    cohort = db.get_or_404(Cohort, cohort_id)
    form = AddMemberForm(prefix="member")
    if form.validate_on_submit():
        try:
            member = services.add_member(cohort, form.values(), actor=current_user)
        except services.AlreadyMember as exc:
            db.session.rollback()
            form.email.errors = [str(exc)]
        else:
            db.session.commit()
            flash(f"{member.name} is a member of the cohort." + ("" if cohort.status == "published" else
                  " They are listed publicly once you publish it."), "success")
            return redirect(url_for(".show_cohort", cohort_id=cohort.id), 303)
    return render_template("cohorts/staff/show_cohort.html", cohort=cohort, member_form=form), 422


@staff_bp.route("/cohorts/<int:cohort_id>/publish", methods=["POST"])
@staff_required
def publish_cohort(cohort_id):
    cohort = db.get_or_404(Cohort, cohort_id)
    publish = request.form.get("publish") == "1"
    services.set_cohort_published(cohort, publish, actor=current_user)
    db.session.commit()
    flash("The cohort is published: its members are listed on its public page." if publish
          else "The cohort is back to draft: its members are hidden.", "success")
    return redirect(url_for(".show_cohort", cohort_id=cohort.id))


@staff_bp.route("/cohorts/<int:cohort_id>/members/<int:member_id>/remove", methods=["POST"])
@staff_required
def remove_member(cohort_id, member_id):
    member = db.get_or_404(CohortMember, member_id)
    if member.cohort_id != cohort_id:
        abort(404)
    services.remove_member(member, actor=current_user)
    db.session.commit()
    flash("The member is removed.", "success")
    return redirect(url_for(".show_cohort", cohort_id=cohort_id))
