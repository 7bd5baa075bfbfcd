"""Staff pages of the showcase area (behind login, under /staff/showcase/): the line-up of each
showcase session (add, edit, reorder, remove, publish drafts, timing), the printable run-of-show
and the overtime report."""
from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mipevents.accounts.permissions import staff_required
from mipevents.agenda import services as agenda_services
from mipevents.agenda.forms import FindSpeakerForm, InviteSpeakerForm
from mipevents.agenda.models import AgendaItem
from mipevents.core.timeutil import utcnow
from mipevents.core.web import form_action
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.showcase import queries, services
from mipevents.showcase.forms import AddSlotForm, EditSlotForm, UpdateTimingForm
from mipevents.showcase.models import ShowcaseSlot
from mipevents.speakers.models import Speaker
from mipevents.workflows import invitations as invitation_work

staff_bp = Blueprint("showcase_staff", __name__, url_prefix="/staff/showcase")


def _item_or_404(item_id: int) -> AgendaItem:
    item = db.session.execute(select(AgendaItem).where(AgendaItem.id == item_id, AgendaItem.kind == "showcase")
                              .options(selectinload(AgendaItem.meeting))).scalar_one_or_none()
    if item is None:
        abort(404)
    return item


def _slot_or_404(slot_id: int) -> ShowcaseSlot:
    slot = db.session.get(ShowcaseSlot, slot_id)
    if slot is None:
        abort(404)
    return slot


@staff_bp.route("/")
@staff_required
def index():
    """Every showcase session, newest meeting first."""
    rows = db.session.execute(
        select(AgendaItem, Meeting).join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.kind == "showcase").order_by(Meeting.starts_on.desc(), AgendaItem.starts_at)).all()
    return render_template("showcase/staff_index.html", rows=rows)


class SpeakerSearch:
    """The slot form's speaker picker, searchable on the server like a session's (it works without
    JavaScript with any number of speakers): a GET form `find-q` searches every profile; without a
    search the meeting's own speakers are listed while they are few. A post's choices are the
    speaker it names, whichever search found them; the slot's current speaker is always a choice."""

    def __init__(self, item: AgendaItem, keep: Speaker | None = None):
        self.find_form = FindSpeakerForm(formdata=request.args, prefix="find")
        self.query = (self.find_form.q.data or "").strip() if self.find_form.validate() else ""
        self.total = 0
        if request.method == "POST":
            posted = request.form.get("speaker_id", type=int)
            chosen = db.session.get(Speaker, posted) if posted and 0 < posted < 2**31 else None
            self.speakers = [chosen] if chosen else []
        elif self.query:
            self.speakers, self.total = agenda_services.search_speakers(self.query)
        else:
            own = queries.speakers_to_pick(item.meeting, limit=agenda_services.SHOW_ALL_UP_TO + 1)
            self.speakers = own if len(own) <= agenda_services.SHOW_ALL_UP_TO else []
        if keep is not None and keep not in self.speakers:
            self.speakers = [keep, *self.speakers]


def _render_lineup(item, add_form=None, timing_form=None, status=200):
    slots = queries.lineup(item)
    search = SpeakerSearch(item)
    if add_form is None:
        add_form = AddSlotForm(speakers=search.speakers, formdata=None)
        if search.query and search.speakers:
            add_form.speaker_id.data = search.speakers[0].id     # the best match, ready to add
    timing_form = timing_form or UpdateTimingForm(formdata=None, obj=item)
    return render_template("showcase/staff_lineup.html", item=item, meeting=item.meeting, plan=queries.plan(item, slots),
                           fit=queries.fit(item, slots), add_form=add_form, timing_form=timing_form, search=search,
                           public_count=sum(1 for s in slots if s.status == "published")), status


@staff_bp.route("/<int:item_id>")
@staff_required
def lineup(item_id):
    return _render_lineup(_item_or_404(item_id))


@staff_bp.route("/<int:item_id>/slots", methods=["POST"])
@staff_required
def add_slot(item_id):
    item = _item_or_404(item_id)
    form = AddSlotForm(speakers=SpeakerSearch(item).speakers)
    if not form.validate_on_submit():
        return _render_lineup(item, add_form=form, status=422)
    slot = services.add_slot(item, form.to_values(), actor=current_user, position=form.position.data)
    db.session.commit()
    flash(f"Added “{slot.title}” ({slot.presenter_name}).", "success")
    return redirect(url_for(".lineup", item_id=item.id), 303)


@staff_bp.route("/<int:item_id>/timing", methods=["POST"])
@staff_required
def update_timing(item_id):
    item = _item_or_404(item_id)
    form = UpdateTimingForm()
    if not form.validate_on_submit():
        return _render_lineup(item, timing_form=form, status=422)
    services.update_timing(item, form.slot_seconds.data, form.changeover_seconds.data, actor=current_user)
    db.session.commit()
    flash("Saved the showcase timing.", "success")
    return redirect(url_for(".lineup", item_id=item.id), 303)


@staff_bp.route("/<int:item_id>/publish-drafts", methods=["POST"])
@staff_required
def publish_drafts(item_id):
    item = _item_or_404(item_id)
    count = services.publish_drafts(item, actor=current_user)
    db.session.commit()
    flash(f"Published {count} draft slot{'s' if count != 1 else ''}.", "success")
    return redirect(url_for(".lineup", item_id=item.id), 303)


@staff_bp.route("/<int:item_id>/reorder", methods=["POST"])
@staff_required
def reorder(item_id):
    """The drag-and-drop enhancement: the whole new order at once, as `order` ids."""
    item = _item_or_404(item_id)
    raw = request.get_json(silent=True) or {}
    order = raw.get("order") if isinstance(raw, dict) else None
    if order is None:
        order = request.form.getlist("order")
    try:
        ids = [int(i) for i in order]
        services.reorder(item, ids, actor=current_user)
    except (TypeError, ValueError):
        db.session.rollback()
        return jsonify({"error": "invalid", "message": "The new order must list every slot of the line-up once."}), 422
    db.session.commit()
    if request.is_json:
        return jsonify({"order": ids})
    return redirect(url_for(".lineup", item_id=item.id), 303)


@staff_bp.route("/slots/<int:slot_id>/move", methods=["POST"])
@staff_required
def move_slot(slot_id):
    slot = _slot_or_404(slot_id)
    direction = request.form.get("direction")
    if direction not in ("up", "down"):
        abort(400)
    item_id = slot.item_id
    services.move_slot(slot, direction, actor=current_user)
    db.session.commit()
    return redirect(url_for(".lineup", item_id=item_id, _anchor=f"slot-{slot_id}"), 303)


@staff_bp.route("/slots/<int:slot_id>/invite", methods=["POST"])
@staff_required
def invite_slot(slot_id):
    """Invite the slot's mayor the way a session's speakers are (their answer, profile and travel)."""
    slot = _slot_or_404(slot_id)
    return form_action(InviteSpeakerForm(), slot,
                       lambda row, form, actor: invitation_work.invite_slot(row, form.note.data or "", actor=actor),
                       refused=invitation_work.InvitationProblem, done="Invited {row.speaker.display_name}: the email is on its way.",
                       back=url_for(".lineup", item_id=slot.item_id, _anchor=f"slot-{slot_id}"), invalid="The note is too long: at most 2,000 characters.")


@staff_bp.route("/slots/<int:slot_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_slot(slot_id):
    slot = _slot_or_404(slot_id)
    item = slot.item
    search = SpeakerSearch(item, keep=slot.speaker)
    form = EditSlotForm(speakers=search.speakers, obj=slot)
    if form.validate_on_submit():
        services.update_slot(slot, form.to_values(), actor=current_user)
        db.session.commit()
        flash(f"Saved “{slot.title}”.", "success")
        return redirect(url_for(".lineup", item_id=item.id), 303)
    if request.method == "GET":
        form.speaker_id.data = slot.speaker_id or 0
    status = 422 if request.method == "POST" else 200
    return render_template("showcase/staff_edit_slot.html", form=form, slot=slot, item=item, meeting=item.meeting,
                           search=search), status


@staff_bp.route("/slots/<int:slot_id>/remove", methods=["POST"])
@staff_required
def remove_slot(slot_id):
    slot = _slot_or_404(slot_id)
    item_id, title = slot.item_id, slot.title
    services.remove_slot(slot, actor=current_user)
    db.session.commit()
    flash(f"Removed “{title}”.", "success")
    return redirect(url_for(".lineup", item_id=item_id), 303)


@staff_bp.route("/<int:item_id>/run-of-show")
@staff_required
def run_of_show(item_id):
    """The MC's printable sheet: order, presenter, city, title, planned start."""
    item = _item_or_404(item_id)
    slots = queries.lineup(item, public_only=True)
    return render_template("showcase/staff_run_of_show.html", item=item, meeting=item.meeting,
                           plan=queries.plan(item, slots), fit=queries.fit(item, slots))


@staff_bp.route("/<int:item_id>/report")
@staff_required
def report(item_id):
    """Planned against actual per presenter and in total, after (or during) the run."""
    item = _item_or_404(item_id)
    slots = queries.lineup(item, public_only=True)
    return render_template("showcase/staff_report.html", item=item, meeting=item.meeting,
                           rows=list(zip(slots, queries.overtime(item, slots).rows, strict=True)),
                           report=queries.overtime(item, slots), now=utcnow())
