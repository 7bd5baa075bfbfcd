"""Registration's private pages, on its public blueprint (views.bp): a registrant's page through their
manage link or the scheduler's link (status, details, cancelling, session picks; the registrant alone:
resending, the feed link, new links, removing the scheduler), "email me my link", the person's consent
to a scheduler, and a scheduler's page of the registrations they manage."""
from itertools import groupby

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for

from mipevents.core.timeutil import to_local
from mipevents.core.web import asked_then_done, configured_limit, per_email_asked, private_page
from mipevents.extensions import db, limiter
from mipevents.people import tokens
from mipevents.people.services import reset_token, resolve_token
from mipevents.registration import access, emails, queries, schedulers, services, sessions
from mipevents.registration.forms import (
    ChooseSessionsForm,
    ConfirmForm,
    SendMyLinkForm,
    UpdateDetailsForm,
    UpdateMeetingDetailsForm,
)
from mipevents.registration.models import Registration
from mipevents.registration.views import bp, extra_items, meeting_day_links
from mipevents.workflows import consent
from mipevents.workflows.emails import calendar_attachment

# ------------------------------------------------------------------------------- the private manage page

def dead_link():
    """A manage, scheduler or consent link that opens nothing (never valid, reset, revoked, or its scheduler removed):
    404, with the way to get a working link by email (only to an address on record)."""
    abort(private_page(make_response(render_template("registration/dead_link.html", form=SendMyLinkForm()), 404)))


def opened_or_404(raw: str) -> access.Opened:
    """The registration a live manage link (or its scheduler's link) opens, else the dead-link page (404)."""
    opened = access.opened_by(raw)
    if opened is None:
        dead_link()
    return opened


def registration_for_token(raw: str) -> Registration:
    return opened_or_404(raw).registration


def owners_registration(raw: str) -> Registration:
    """The registration of the registrant's own manage link, else 404: resending, resetting links and
    changing the scheduler are the registrant's alone."""
    opened = opened_or_404(raw)
    if not opened.is_owner:
        abort(404)
    return opened.registration


def _feed_url(registration, is_owner: bool) -> str | None:
    """The person's one stable feed address, shown again (never to a scheduler); a GET never makes it."""
    raw = tokens.stable_feed_token(registration.person_id) if is_owner and registration.is_active else None
    return emails.feed_url(raw) if raw else None


def _details_form(registration: Registration, is_owner: bool, *, posted: bool = False):
    """The registrant's record as a form: name and where they are from for a webinar; for a meeting
    also phone, needs, receptions and site visits, the attendee list, and (their own link only) the
    scheduler. Filled from the registration unless `posted`."""
    if registration.meeting_id is None:
        return UpdateDetailsForm() if posted else UpdateDetailsForm(obj=registration)
    form = UpdateMeetingDetailsForm() if posted else UpdateMeetingDetailsForm(obj=registration)
    if is_owner:
        form.owner_email = registration.email or registration.person.email
    else:
        del form.scheduler_email   # who manages a registration is the registrant's own choice
    items = extra_items(registration.meeting_id)
    form.set_extras(items)
    if not posted:
        form.fill_extras({item.id for item in items if sessions.joins(registration, item)})
    return form


def _manage_page(token, registration, form=None, status=200, is_owner=True):
    meeting_id = registration.meeting_id
    picked = joined = []
    if meeting_id is not None:
        chosen = sessions.chosen_ids(registration)
        picked = [item for item in sessions.choosable_items(meeting_id) if item.id in chosen]
        joined = sessions.joined_extras(registration)
    position = queries.waitlist_position(registration)
    return private_page(make_response(render_template(
        "registration/manage.html", token=token, registration=registration, event=registration.event,
        position=position, status_line=emails.status_line(registration.status, position),
        feed_url=_feed_url(registration, is_owner), is_owner=is_owner, manage_url=emails.manage_url(token),
        form=form or _details_form(registration, is_owner), confirm=ConfirmForm(), picked=picked, joined=joined,
        day_links=meeting_day_links(registration.meeting) if meeting_id is not None else None,
        can_change=registration.is_active), status))


@bp.route("/manage/<token>")
def manage(token):
    opened = opened_or_404(token)
    return _manage_page(token, opened.registration, is_owner=opened.is_owner)


@bp.route("/manage/<token>/calendar.ics")
def registration_calendar(token):
    """This one registration's event as a calendar (a scheduler's feed, scoped to what they made)."""
    attachment = calendar_attachment(registration_for_token(token))
    if attachment is None:
        abort(404)
    return private_page(make_response(attachment.data, {"Content-Type": "text/calendar; charset=utf-8"}))


@bp.route("/manage/<token>/feed", methods=["POST"])
def show_feed(token):
    """Make the registrant's personal feed address (once; afterwards it is shown again)."""
    registration = owners_registration(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    tokens.feed_token(registration.person_id)
    db.session.commit()
    return redirect(url_for(".manage", token=token) + "#feed-heading", 303)


@bp.route("/manage/<token>/register-again", methods=["POST"])
def register_again(token):
    """The registrant's own way back after cancelling (a public form never revives a registration)."""
    registration = owners_registration(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.register_again(registration)
    except (services.NotAllowed, services.RegistrationClosed):
        db.session.rollback()
        flash("Registration for this event is closed, or you are already registered.", "warning")
        return redirect(url_for(".manage", token=token), 303)
    db.session.commit()
    flash("You are registered again. We have sent you an email to confirm it.", "success")
    return redirect(url_for(".manage", token=token), 303)


@bp.route("/manage/<token>/details", methods=["POST"])
def update_details(token):
    opened = opened_or_404(token)
    registration = opened.registration
    if not registration.is_active:
        abort(409, "This registration is cancelled: register again from the event's page.")
    form = _details_form(registration, opened.is_owner, posted=True)
    if not form.validate_on_submit():
        return _manage_page(token, registration, form=form, status=422, is_owner=opened.is_owner)
    values = form.to_values()
    if "extras" in values and registration.extras_asked:
        # Receptions said yes to that are no longer offered (cancelled since) stay as they were.
        offered = {value for value, _ in form.extras.choices}
        values["extras"] = sorted(set(values["extras"]) | (sessions.extra_ids(registration) - offered))
    services.update_details(registration, values)
    new_scheduler = None
    if "scheduler_email" in form and services.change_scheduler(registration, form.scheduler_email.data or ""):
        new_scheduler = registration.scheduler_email
    db.session.commit()
    if new_scheduler:
        flash(f"Your details are saved. {new_scheduler} now manages this registration: we have emailed them "
              "their own link to it.", "success")
    else:
        flash("Your details are saved.", "success")
    return redirect(url_for(".manage", token=token), 303)


@bp.route("/manage/<token>/cancel", methods=["GET", "POST"])
def cancel(token):
    registration = registration_for_token(token)
    if not registration.is_active:
        flash("This registration is already cancelled.", "warning")
        return redirect(url_for(".manage", token=token), 303)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.cancel(registration)
        except services.NotAllowed:
            db.session.rollback()
            flash("This registration is already cancelled.", "warning")
            return redirect(url_for(".manage", token=token), 303)
        db.session.commit()
        flash("Your registration is cancelled. We have sent you an email to confirm it.", "success")
        return redirect(url_for(".manage", token=token), 303)
    return private_page(make_response(render_template(
        "registration/cancel.html", token=token, registration=registration, event=registration.event,
        form=form), 422 if request.method == "POST" else 200))


@bp.route("/manage/<token>/resend", methods=["POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"))
def resend(token):
    registration = owners_registration(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    emails.queue_resend(registration)
    db.session.commit()
    flash(f"We have sent your confirmation again to {registration.email or registration.person.email}.", "success")
    return redirect(url_for(".manage", token=token), 303)


@bp.route("/manage/<token>/reset", methods=["POST"])
def reset_links(token):
    """Revoke every manage link of this registration and every personal feed link of the person;
    the new manage link is this page's new address, and it is emailed too."""
    registration = owners_registration(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    new_token = reset_token(registration.person, "manage", registration.id)
    tokens.reset_feed(registration.person_id)   # a scheduler's approval is not a link: it stays
    emails.queue_resend(registration)
    db.session.commit()
    flash("Your old links no longer work. This page has a new address: bookmark it, or use the link in the "
          "email we just sent you.", "success")
    return redirect(url_for(".manage", token=new_token), 303)


def meeting_registration_for_token(token: str) -> access.Opened | None:
    """What a manage link (or its scheduler's) opens when it is a meeting registration, else None
    (a link that opens nothing answers with the dead-link page)."""
    opened = opened_or_404(token)
    return opened if opened.registration.meeting_id is not None else None


@bp.route("/manage/lost-link", methods=["GET", "POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"), methods=["POST"])
@limiter.limit(configured_limit("RATELIMIT_LINK_REQUEST"), methods=["POST"], key_func=per_email_asked("link-request"),
               error_message="We have already sent this address its links several times in the last hour. "
                             "Look for them in the inbox (and the spam folder), or try again later.")
def lost_link():
    """"Email me my link": whoever asks, the links go only to the address on record, and the answer
    is the same whether or not that address has a registration."""
    form = SendMyLinkForm()
    if form.validate_on_submit():
        emails.queue_links(form.email.data)
        db.session.commit()
        return private_page(make_response(render_template("registration/lost_link.html", form=form,
                                                      sent_to=form.email.data.strip())))
    return private_page(make_response(render_template("registration/lost_link.html", form=form, sent_to=None),
                                  422 if request.method == "POST" else 200))


def _by_day(items, zone):
    return [(day, list(group)) for day, group in groupby(items, key=lambda i: to_local(i.starts_at, zone).date())]


@bp.route("/manage/<token>/sessions", methods=["GET", "POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"), methods=["POST"])
def manage_sessions(token):
    opened = meeting_registration_for_token(token)
    if opened is None:
        abort(404)
    registration = opened.registration
    form = ChooseSessionsForm()
    problems: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        form.sessions.choices = [(item.id, item.title) for item in sessions.choosable_items(registration.meeting_id)]
        if registration.status != "confirmed":
            status = 409
        elif form.validate_on_submit():
            try:
                sessions.set_choices(registration, form.sessions.data or [])
            except sessions.NotConfirmed:
                db.session.rollback()
                status = 409
            except sessions.ChoiceRefused as refused:
                db.session.rollback()
                problems = refused.problems
                status = 409 if refused.is_full else 422
            else:
                db.session.commit()
                flash("Your sessions are saved. Your personal calendar feed follows them.", "success")
                return redirect(url_for(".manage_sessions", token=token), 303)
        else:
            status = 422
    return _sessions_page(token, registration.id, form, problems, status, opened.is_owner)


def _sessions_page(token: str, registration_id: int, form: ChooseSessionsForm, problems: dict, status: int,
                   is_owner: bool):
    """The picks page; after a refused save it shows what was asked, so it can be fixed."""
    db.session.commit()   # before reading what the page shows: a commit expires what was loaded
    registration = db.session.get(Registration, registration_id)
    feed_url = _feed_url(registration, is_owner)
    meeting = registration.meeting
    items = sessions.choosable_items(meeting.id)
    form.sessions.choices = [(item.id, item.title) for item in items]
    chosen = set(form.sessions.data or []) if problems or status == 422 else sessions.chosen_ids(registration)
    manage_url = url_for("registration.manage", token=token)
    response = current_app.make_response((render_template(
        "registration/meeting_sessions.html", meeting=meeting, registration=registration, form=form,
        days=_by_day(items, meeting.timezone), everyone=sessions.everyone_items(meeting.id), chosen=chosen,
        joined=[item for item in sessions.joined_extras(registration) if item.kind not in sessions.CHOOSABLE_KINDS],
        counts=sessions.taken(item.id for item in items if item.capacity is not None), problems=problems,
        feed_url=feed_url, manage_url=manage_url), status))
    return private_page(response)


# ------------------------------------------------------------------- schedulers and the person's consent

@bp.route("/consent/<token>", methods=["GET", "POST"])
def approve_scheduler(token):
    """The person approves a scheduler who asked, from the link in her own inbox (a GET changes nothing);
    a link that opens nothing (never valid, or revoked) answers as a dead manage link does."""
    approval = schedulers.approval_for_token(token)
    if approval is None:
        dead_link()
    form = ConfirmForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        consent.approve(approval)
        db.session.commit()
    return private_page(make_response(render_template("registration/consent.html", approval=approval, form=form,
                                                  done=approval.is_approved, about=consent.about(approval))))


@bp.route("/manage/<token>/scheduler/remove", methods=["GET", "POST"])
def remove_scheduler(token):
    registration = owners_registration(token)
    form = ConfirmForm()
    return asked_then_done(
        form, lambda: schedulers.remove(registration),
        done="Your scheduler is removed: their link no longer opens your registration.",
        back=url_for(".manage", token=token), needed=bool(registration.scheduler_email),
        ask=lambda: render_template("registration/remove_scheduler.html", registration=registration, token=token, form=form))


def _scheduler_or_404(token):
    """The scheduler a live scheduler link names (any of their links to a registration they manage)."""
    found = resolve_token(token, "scheduler")
    if found is None:
        dead_link()
    return found.person


@bp.route("/scheduler/<token>")
def scheduler_overview(token):
    """Every registration this scheduler manages, with the way to register someone else."""
    scheduler = _scheduler_or_404(token)
    return render_template("registration/scheduler.html", scheduler=scheduler, token=token,
                           registrations=schedulers.scheduled_by(scheduler.id), form=ConfirmForm())


@bp.route("/scheduler/<token>/send/<int:registration_id>", methods=["POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"))
def send_scheduler_link(token, registration_id):
    """Email the scheduler their link to one registration they manage (links are never shown on a GET)."""
    scheduler = _scheduler_or_404(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.scheduler_person_id != scheduler.id:
        abort(404)
    schedulers.send_link(registration)
    db.session.commit()
    flash(f"We have emailed you the link to the registration of {registration.name}.", "success")
    return redirect(url_for(".scheduler_overview", token=token), 303)
