"""Staff pages of the calls area (behind login, under /staff/): calls and their questions, the review
of applications (scores, notes, statuses, CSV), decisions and their release."""
import csv
import io

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from mipevents.accounts.permissions import reviewer_required, staff_required
from mipevents.calls import queries, review, services, states
from mipevents.calls.deadlines import deadline_wording
from mipevents.calls.forms import AddQuestionForm, ChangeStatusForm, EditCallForm, ReviewApplicationForm
from mipevents.calls.models import APPLICATION_STATUSES, CALL_KINDS, POPULATION_BANDS, QUESTION_KINDS, Application, Call, CallQuestion, Review
from mipevents.cohorts.models import Cohort, Programme
from mipevents.core.database import lock_row
from mipevents.core.forms import zone_choices
from mipevents.core.text import csv_cell
from mipevents.core.timeutil import to_local, utcnow
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.workflows import call_decisions

staff_bp = Blueprint("calls_staff", __name__, url_prefix="/staff")

SORT_LABELS = {"submitted": "Submitted", "name": "Mayor", "city": "City", "status": "Status", "average": "Average",
               "mine": "Your score"}


def _vocab():
    return {"statuses": APPLICATION_STATUSES, "kinds": CALL_KINDS, "bands": POPULATION_BANDS,
            "question_kinds": QUESTION_KINDS}


@staff_bp.route("/calls/")
@reviewer_required
def list_calls():
    calls = db.session.execute(
        select(Call).options(selectinload(Call.cohort).selectinload(Cohort.programme), selectinload(Call.meeting))
        .order_by(Call.deadline_at.desc())
    ).scalars().all()
    counts = {}
    for call_id, status, n in db.session.execute(
            select(Application.call_id, Application.status, func.count()).group_by(Application.call_id, Application.status)):
        counts.setdefault(call_id, {})[status] = n
    return render_template("calls/staff/list_calls.html", calls=calls, counts=counts, now=utcnow(),
                           wording=deadline_wording, **_vocab())


def _call_form(call=None):
    form = EditCallForm(obj=None)
    cohorts = db.session.execute(select(Cohort).join(Programme).order_by(Programme.name, Cohort.starts_on)).scalars()
    form.cohort_id.choices = [(0, "—")] + [(c.id, f"{c.programme.name}: {c.name}") for c in cohorts]
    meetings = db.session.execute(select(Meeting).order_by(Meeting.starts_on.desc())).scalars()
    form.meeting_id.choices = [(0, "—")] + [(m.id, m.name) for m in meetings]
    if request.method == "GET":
        if call is None:
            form.timezone.data = current_app.config["MIPEVENTS_TIMEZONE"]
        else:
            opens, deadline = to_local(call.opens_at, call.timezone), to_local(call.deadline_at, call.timezone)
            for name, value in (("title", call.title), ("slug", call.slug), ("kind", call.kind),
                                ("cohort_id", call.cohort_id or 0), ("meeting_id", call.meeting_id or 0),
                                ("description", call.description), ("opens_on", opens.date()),
                                ("opens_time", opens.time().replace(tzinfo=None)), ("deadline_on", deadline.date()),
                                ("deadline_time", deadline.time().replace(tzinfo=None)), ("timezone", call.timezone),
                                ("status", call.status)):
                form[name].data = value
    form.timezone.choices = zone_choices(form.timezone.data)
    return form


def _slug_taken(slug, call_id=None):
    existing = db.session.execute(select(Call.id).where(Call.slug == slug)).scalar_one_or_none()
    return existing is not None and existing != call_id


@staff_bp.route("/calls/new", methods=["GET", "POST"])
@staff_required
def new_call():
    form = _call_form()
    status = 200
    if form.validate_on_submit():
        if _slug_taken(form.slug.data.strip()):
            form.slug.errors.append("Another call uses this web address; choose another.")
        else:
            call = services.save_call(None, form.to_values(), actor=current_user)
            db.session.commit()
            flash("The call is saved. Add its questions below.", "success")
            return redirect(url_for(".edit_call", call_id=call.id))
    if request.method == "POST":
        status = 422
    return render_template("calls/staff/edit_call.html", form=form, call=None, **_vocab()), status


@staff_bp.route("/calls/<int:call_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_call(call_id):
    call = db.get_or_404(Call, call_id)
    form = _call_form(call)
    status = 200
    if form.validate_on_submit():
        if _slug_taken(form.slug.data.strip(), call.id):
            form.slug.errors.append("Another call uses this web address; choose another.")
        else:
            services.save_call(call, form.to_values(), actor=current_user)
            db.session.commit()
            flash("The call is saved.", "success")
            return redirect(url_for(".edit_call", call_id=call.id))
    if request.method == "POST":
        status = 422
    return render_template("calls/staff/edit_call.html", form=form, call=call, question_form=AddQuestionForm(formdata=None, prefix="question"),
                           **_vocab()), status


@staff_bp.route("/calls/<int:call_id>/questions", methods=["POST"])
@staff_required
def add_question(call_id):
    call = db.get_or_404(Call, call_id)
    question_form = AddQuestionForm(prefix="question")   # its fields' ids never repeat the call form's (kind)
    if question_form.validate_on_submit():
        services.add_question(call, kind=question_form.kind.data, prompt=question_form.prompt.data.strip(),
                              help_text=(question_form.help_text.data or "").strip(),
                              is_required=question_form.is_required.data, word_limit=question_form.word_limit.data,
                              choices=question_form.choice_list(), actor=current_user)
        db.session.commit()
        flash("The question is added.", "success")
        return redirect(url_for(".edit_call", call_id=call.id) + "#questions")
    return render_template("calls/staff/edit_call.html", form=_call_form(call), call=call, question_form=question_form,
                           **_vocab()), 422


@staff_bp.route("/calls/<int:call_id>/questions/<int:question_id>/delete", methods=["POST"])
@staff_required
def remove_question(call_id, question_id):
    question = db.get_or_404(CallQuestion, question_id)
    if question.call_id != call_id:
        abort(404)
    services.remove_question(question, actor=current_user)
    db.session.commit()
    flash("The question is removed.", "success")
    return redirect(url_for(".edit_call", call_id=call_id) + "#questions")


def _review_args():
    status = request.args.get("status", "")
    status = status if status in APPLICATION_STATUSES else ""
    sort = request.args.get("sort", "submitted")
    sort = sort if sort in SORT_LABELS else "submitted"
    return status, sort, request.args.get("dir") == "desc"


@staff_bp.route("/calls/<int:call_id>/applications")
@reviewer_required
def applications(call_id):
    call = db.get_or_404(Call, call_id)
    status, sort, descending = _review_args()
    rows = review.review_rows(call, current_user, status=status, sort=sort, descending=descending)
    return render_template("calls/staff/applications.html", call=call, rows=rows, status=status, sort=sort,
                           descending=descending, sort_labels=SORT_LABELS, waiting=queries.decisions_waiting(call),
                           now=utcnow(), wording=deadline_wording, **_vocab())


@staff_bp.route("/calls/<int:call_id>/applications.csv")
@reviewer_required
def export_applications(call_id):
    call = db.get_or_404(Call, call_id)
    status, sort, descending = _review_args()
    rows = review.review_rows(call, current_user, status=status, sort=sort, descending=descending)
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["id", "status", "submitted", "mayor", "email", "scheduler_email", "city", "state", "population"]
    if call.is_showcase:
        header += ["title", "summary"]
    header += [q.prompt for q in call.questions] + ["your_score", "average", "reviews"]
    writer.writerow([csv_cell(h) for h in header])   # the prompts are staff-written text
    for row in rows:
        a = row.application
        submitted = to_local(a.submitted_at, call.timezone).strftime("%Y-%m-%d %H:%M") if a.submitted_at else ""
        values = [a.id, a.status, submitted, a.mayor_name, a.email, a.scheduler_email, a.city, a.state,
                  POPULATION_BANDS.get(a.population_band, "")]
        if call.is_showcase:
            values += [a.title, a.summary]
        answers = {ans.question_id: ans.value for ans in a.answers}
        values += [answers.get(q.id, "") for q in call.questions]
        values += [row.my_review.score if row.my_review else "",
                   row.average if row.average is not None else "", row.review_count if row.may_see else ""]
        writer.writerow([csv_cell(v) for v in values])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{call.slug}-applications.csv"',
                             "Cache-Control": "private, no-store"})


def _application(application_id) -> Application:
    return db.session.execute(
        select(Application).where(Application.id == application_id)
        .options(selectinload(Application.answers), selectinload(Application.reviews).selectinload(Review.reviewer))
    ).scalar_one_or_none() or abort(404)


def _show(application, review_form=None, status_form=None, code=200):
    call = application.call
    row = review.review_row(application, current_user)
    if review_form is None:
        review_form = ReviewApplicationForm(formdata=None, data={"score": row.my_review.score, "notes": row.my_review.notes}
                                            if row.my_review else None)
    return render_template("calls/staff/show_application.html", call=call, application=application, row=row,
                           review_form=review_form, status_form=status_form or ChangeStatusForm(formdata=None),
                           allowed=set(states.TRANSITIONS), now=utcnow(), **_vocab()), code


@staff_bp.route("/calls/applications/<int:application_id>")
@reviewer_required
def show_application(application_id):
    return _show(_application(application_id))


@staff_bp.route("/calls/applications/<int:application_id>/review", methods=["POST"])
@reviewer_required
def review_application(application_id):
    application = _application(application_id)
    form = ReviewApplicationForm()
    if application.status not in states.IN_REVIEW:
        abort(409, "Only submitted applications are reviewed.")
    if not form.validate_on_submit():
        return _show(application, review_form=form, code=422)
    review.save_review(application, current_user, form.score.data, form.notes.data or "")
    db.session.commit()
    flash("Your score is saved.", "success")
    return redirect(url_for(".show_application", application_id=application.id))


@staff_bp.route("/calls/applications/<int:application_id>/status", methods=["POST"])
@staff_required
def change_status(application_id):
    application = _application(application_id)
    form = ChangeStatusForm()
    if not form.validate_on_submit():
        return _show(application, status_form=form, code=422)
    try:
        new = review.change_status(application, form.action.data, actor=current_user)
    except states.InvalidTransition as problem:
        db.session.rollback()
        form.action.errors.append(str(problem).capitalize() + ".")
        return _show(application, status_form=form, code=409)
    db.session.commit()
    flash(f"{application.mayor_name}: {APPLICATION_STATUSES[new].lower()}.", "success")
    return redirect(url_for(".show_application", application_id=application.id))


@staff_bp.route("/calls/<int:call_id>/release", methods=["POST"])
@staff_required
def release_decisions(call_id):
    call = lock_row(Call, call_id)   # one release at a time per call
    if call is None:
        abort(404)
    try:
        released = call_decisions.release_decisions(call, actor=current_user)
    except call_decisions.ReleaseProblem as problem:
        db.session.rollback()
        flash(str(problem), "error")
        return redirect(url_for(".applications", call_id=call_id))
    db.session.commit()
    flash(f"Released {released} decision{'s' if released != 1 else ''}; each applicant gets one email."
          if released else "There were no new decisions to release.", "success")
    return redirect(url_for(".applications", call_id=call_id))
