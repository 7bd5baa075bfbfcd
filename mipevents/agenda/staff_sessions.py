"""Staff pages of one session, on the agenda's staff blueprint (staff.staff_bp): adding and editing it
and its speakers (a change that would make a double booking public is confirmed first), cancelling,
reinstating and deleting it, and previewing it and the agenda as the public will see them."""
from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from mipevents.accounts.permissions import staff_required
from mipevents.agenda import queries, services
from mipevents.agenda.conflicts import conflicts_of
from mipevents.agenda.forms import AddSessionSpeakerForm, EditSessionForm, FindSpeakerForm
from mipevents.agenda.models import AgendaItem, SessionSpeaker
from mipevents.agenda.publishing import meeting_conflicts, meeting_items
from mipevents.agenda.staff import arg_date, clashes, flash_conflicts, resubmit, staff_bp, unconfirmed
from mipevents.core import vocabulary as vocab
from mipevents.core.web import query_id, status_change
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.speakers.models import Speaker


@staff_bp.route("/meetings/<int:meeting_id>/sessions/new", methods=["GET", "POST"])
@staff_required
def add_item(meeting_id):
    meeting = db.get_or_404(Meeting, meeting_id)
    form = EditSessionForm(meeting)
    if request.method == "GET":
        form.day.data = arg_date("day") or meeting.starts_on
        form.room_id.data = request.args.get("room", 0, type=query_id)
    if form.validate_on_submit():
        try:
            item = services.add_item(meeting, form.values(), actor=current_user)
        except services.SessionProblem as exc:
            db.session.rollback()
            getattr(form, exc.field or "title").errors.append(str(exc))
        else:
            db.session.commit()
            flash(f"Added “{item.title}” as a draft: it becomes public when you publish the agenda.", "success")
            flash_conflicts(item)
            return redirect(url_for(".edit_item", item_id=item.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("staff/agenda/edit_item.html", meeting=meeting, form=form, item=None), status


def _item_page(item: AgendaItem, form, speaker_form=None, status=200, pending=None, confirm_action=None):
    conflicts = conflicts_of(meeting_conflicts(item.meeting), item.id)
    find_form = FindSpeakerForm(formdata=request.args, prefix="find")
    query = (find_form.q.data or "").strip() if find_form.validate() else ""
    matches, total = services.search_speakers(query)
    if not query and total > services.SHOW_ALL_UP_TO:
        matches = []
    if speaker_form is None:
        speaker_form = AddSessionSpeakerForm(matches, prefix="speaker")
    elif not speaker_form.speaker_id.choices:
        speaker_form.speaker_id.choices = [(s.id, s.display_name + (f" — {s.position}" if s.position else "")) for s in matches]
    return render_template("staff/agenda/edit_item.html", meeting=item.meeting, form=form, item=item,
                           conflicts=conflicts, speaker_form=speaker_form, find_form=find_form, query=query,
                           total_matches=total, pending=pending, confirm_action=confirm_action,
                           clashes=clashes(pending, item.id), resubmit=resubmit()), status


@staff_bp.route("/sessions/<int:item_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_item(item_id):
    item = db.get_or_404(AgendaItem, item_id)
    form = EditSessionForm(item.meeting) if request.method == "POST" else EditSessionForm.for_item(item)
    if form.validate_on_submit():
        try:
            new = services.edit_values(item.meeting, form.values())
        except services.SessionProblem as exc:
            getattr(form, exc.field or "title").errors.append(str(exc))
        else:
            # A published session's edit is public at once: a double booking it would create is
            # confirmed before the save, never only reported after it.
            pending = unconfirmed(services.conflicts_if_saved(item, new)) if item.is_public else []
            if pending:
                return _item_page(item, form, status=409, pending=pending,
                                  confirm_action=url_for(".edit_item", item_id=item.id))
            changed = services.update_item(item, form.values(), actor=current_user, new=new)
            db.session.commit()
            if changed:
                public = " It is public at once." if item.is_public else ""
                flash(f"Saved “{item.title}”.{public}", "success")
            else:
                flash("Nothing changed.", "info")
            flash_conflicts(item)
            return redirect(url_for(".edit_item", item_id=item.id), 303)
    return _item_page(item, form, status=422 if request.method == "POST" else 200)


@staff_bp.route("/sessions/<int:item_id>/speakers", methods=["POST"])
@staff_required
def add_speaker(item_id):
    item = db.get_or_404(AgendaItem, item_id)
    speaker_form = AddSessionSpeakerForm(prefix="speaker")
    speaker = db.session.get(Speaker, speaker_form.speaker_id.data) if speaker_form.validate_on_submit() else None
    if speaker is None:
        if not speaker_form.speaker_id.errors:
            speaker_form.speaker_id.errors.append("Choose a speaker from the list.")
        return _item_page(item, EditSessionForm.for_item(item), speaker_form, status=422)
    pending = unconfirmed(services.conflicts_if_saved(item, speaker=speaker)) if item.is_public else []
    if pending:
        speaker_form.speaker_id.choices = [(speaker.id, speaker.display_name)]
        return _item_page(item, EditSessionForm.for_item(item), speaker_form, status=409, pending=pending,
                          confirm_action=url_for(".add_speaker", item_id=item.id))
    services.add_speaker(item, speaker, role=speaker_form.role.data, position=speaker_form.position.data,
                         actor=current_user)
    db.session.commit()
    flash(f"{speaker.display_name} is on “{item.title}”.", "success")
    flash_conflicts(item)
    return redirect(url_for(".edit_item", item_id=item.id), 303)


# ---------------------------------------------------------------------------------------------- preview

def _preview(html: str):
    """A staff preview: never stored by any cache, never indexed."""
    response = make_response(html)
    response.headers["Cache-Control"] = "no-store"     # as every /staff/ page (core.private_pages)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@staff_bp.route("/meetings/<int:meeting_id>/preview/agenda")
@staff_required
def preview_agenda(meeting_id):
    """The agenda as the public will see it once published: drafts included, the public template."""
    meeting = db.get_or_404(Meeting, meeting_id)
    items = [i for i in meeting_items(meeting) if i.status in ("draft", "published", "cancelled")]
    kinds = [k for k in vocab.SESSION_KINDS if any(i.kind == k for i in items)]
    return _preview(render_template(
        "staff/preview/agenda.html", meeting=meeting, filters=queries.AgendaFilters(), problem=None,
        days=queries.by_day_and_block(items, meeting.timezone), shown_count=len(items), total_count=len(items),
        tracks=queries.tracks(items), kinds=kinds, meeting_days=queries.meeting_days(meeting),
        preview_drafts=sum(1 for i in items if i.status == "draft"), rows=_preview_rows(meeting, items)))


def _preview_rows(meeting, items) -> dict:
    """The public agenda's row of each session, rendered afresh (a preview keeps nothing)."""
    row = current_app.jinja_env.get_template("agenda/_session_row.html")
    return {item.id: Markup(row.render(meeting=meeting, item=item, vocab=vocab)) for item in items}  # noqa: S704 (Jinja escaped it)


@staff_bp.route("/sessions/<int:item_id>/preview")
@staff_required
def preview_session(item_id):
    item = db.get_or_404(AgendaItem, item_id)
    return _preview(render_template("staff/preview/session.html", meeting=item.meeting, item=item))


@staff_bp.route("/sessions/<int:item_id>/speakers/<int:link_id>/remove", methods=["POST"])
@staff_required
def remove_speaker(item_id, link_id):
    item = db.get_or_404(AgendaItem, item_id)
    link = db.get_or_404(SessionSpeaker, link_id)
    if link.item_id != item.id:
        abort(404)
    services.remove_speaker(item, link, actor=current_user)
    db.session.commit()
    flash("Removed the speaker.", "success")
    return redirect(url_for(".edit_item", item_id=item.id), 303)


def _status_change(item_id, change, done: str):
    item = db.get_or_404(AgendaItem, item_id)
    return status_change(item, change, refused=services.SessionProblem, done=done,
                         back=url_for(".edit_item", item_id=item.id))


@staff_bp.route("/sessions/<int:item_id>/cancel", methods=["POST"])
@staff_required
def cancel_item(item_id):
    return _status_change(item_id, services.cancel_item, "Cancelled “{row.title}”: it stays on the agenda, marked cancelled.")


@staff_bp.route("/sessions/<int:item_id>/restore", methods=["POST"])
@staff_required
def restore_item(item_id):
    """Reinstating is public at once: a double booking it would bring back is confirmed first."""
    item = db.get_or_404(AgendaItem, item_id)
    if item.status == "cancelled":
        pending = unconfirmed(services.conflicts_if_saved(item, reinstate=True))
        if pending:
            return _item_page(item, EditSessionForm.for_item(item), status=409, pending=pending,
                              confirm_action=url_for(".restore_item", item_id=item.id))
    return _status_change(item_id, services.restore_item, "Reinstated “{row.title}”.")


@staff_bp.route("/sessions/<int:item_id>/delete", methods=["POST"])
@staff_required
def delete_item(item_id):
    item = db.get_or_404(AgendaItem, item_id)
    meeting_id, title = item.meeting_id, item.title
    try:
        services.delete_item(item, actor=current_user)
    except services.SessionProblem as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for(".edit_item", item_id=item.id), 303)
    db.session.commit()
    flash(f"Deleted the draft “{title}”.", "success")
    return redirect(url_for(".builder", meeting_id=meeting_id), 303)
