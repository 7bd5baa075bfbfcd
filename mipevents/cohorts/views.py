"""Public pages of the cohorts area: a programme, and one cohort with its published members
(names and cities only); and a member's private page of their cohorts' events (their own link)."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for

from mipevents.cohorts import services
from mipevents.core.forms import Form
from mipevents.core.http_cache import cached_response
from mipevents.core.timeutil import utcnow
from mipevents.core.web import configured_limit
from mipevents.extensions import db, limiter
from mipevents.people.services import resolve_token
from mipevents.workflows import cohorts as cohort_pages

bp = Blueprint("cohorts", __name__)


@bp.route("/programmes/<slug>/")
def show_programme(slug):
    programme = services.public_programme(slug)
    if programme is None:
        abort(404)
    now = utcnow()
    version = (programme.id, str(programme.created_at), programme.name, programme.description, programme.partners,
               programme.eligibility, [(c.id, c.version, c.status) for c in programme.cohorts],
               now.strftime("%Y-%m-%dT%H:%M"))

    def build():
        calls = cohort_pages.open_calls([c.id for c in programme.cohorts], now)
        return render_template("cohorts/show_programme.html", programme=programme, calls=calls, now=now)
    return cached_response(("cohorts.show_programme", slug), version, build)


@bp.route("/cohorts/<slug>/")
def show_cohort(slug):
    cohort = services.public_cohort(slug)
    if cohort is None:
        abort(404)
    now = utcnow()
    version = (cohort.id, cohort.version, cohort.status, cohort.programme.name, now.strftime("%Y-%m-%dT%H:%M"))

    def build():
        calls = cohort_pages.open_calls([cohort.id], now)
        return render_template("cohorts/show_cohort.html", cohort=cohort, programme=cohort.programme, calls=calls, now=now)
    return cached_response(("cohorts.show_cohort", slug), version, build)


def _member_or_404(token):
    """The membership a live member link opens (the person's own link: emailed to them alone), else 404."""
    found = resolve_token(token, "member")
    member = services.member_of(found.person_id) if found is not None else None
    if member is None:
        abort(404)
    return member


@bp.route("/cohort/<token>")
def member_page(token):
    """A cohort member's private page: each of their cohorts' meetings and webinars (cohort-only events
    included: this page is how members reach them), each agenda, and their own registrations."""
    member = _member_or_404(token)
    return render_template("cohorts/member.html", member=member, token=token, form=Form(),
                           cohorts=cohort_pages.member_page(member.person_id),
                           can_one_click=cohort_pages.member_registration_values(member) is not None)


STATUS_WORDS = {"confirmed": "you are registered", "waitlisted": "you are on the waitlist",
                "pending": "your registration waits for our staff's approval"}


@bp.route("/cohort/<token>/register/<any(meeting, webinar):kind>/<int:event_id>", methods=["POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"))
def register_member(token, kind, event_id):
    """One click: register the member (their own link proves who they are) for an open event of their
    cohort, through the normal registration (capacity, waitlist, approval, confirmation email)."""
    member = _member_or_404(token)
    if not Form().validate_on_submit():
        abort(400)
    outcome = cohort_pages.register_member(member, kind, event_id)
    if outcome is None:
        abort(404)
    db.session.commit()
    flash(f"Done: {STATUS_WORDS.get(outcome.status, 'we have your registration')}. We have emailed the details "
          f"to {member.person.email}.", "success")
    return redirect(url_for(".member_page", token=token), 303)


@bp.route("/cohort/<token>/send/<int:registration_id>", methods=["POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"))
def send_registration_link(token, registration_id):
    """Email the member the link to one of their registrations (links are never shown on a GET)."""
    member = _member_or_404(token)
    if not Form().validate_on_submit():
        abort(400)
    if cohort_pages.send_registration_link(member.person_id, registration_id) is None:
        abort(404)
    db.session.commit()
    flash(f"We have emailed the link to your registration to {member.person.email}.", "success")
    return redirect(url_for(".member_page", token=token), 303)


@bp.route("/cohort/<token>/reset", methods=["POST"])
@limiter.limit(configured_limit("RATELIMIT_REGISTRATION"))
def reset_member_link(token):
    """Cut off every link to this page (one was forwarded?) and email the member a new one."""
    member = _member_or_404(token)
    if not Form().validate_on_submit():
        abort(400)
    services.reset_member_link(member)
    db.session.commit()
    return render_template("cohorts/member_link_reset.html", member=member)
