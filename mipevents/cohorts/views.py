"""Public pages of the cohorts area: a programme, and one cohort with its published members
(names and cities only)."""
from flask import Blueprint, abort, render_template

from mipevents.calls.deadlines import deadline_wording
from mipevents.cohorts import services
from mipevents.core.http_cache import cached_response
from mipevents.core.timeutil import utcnow

bp = Blueprint("cohorts", __name__)


def _open_calls(cohort_ids, now):
    from sqlalchemy import select

    from mipevents.calls.models import Call
    from mipevents.extensions import db

    if not cohort_ids:
        return []
    return list(db.session.execute(
        select(Call).where(Call.cohort_id.in_(cohort_ids), Call.status == "published", Call.deadline_at > now)
        .order_by(Call.deadline_at)
    ).scalars())


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
        calls = _open_calls([c.id for c in programme.cohorts], now)
        return render_template("cohorts/show_programme.html", programme=programme, calls=calls, now=now,
                               wording=deadline_wording)
    return cached_response(("cohorts.show_programme", slug), version, build)


@bp.route("/cohorts/<slug>/")
def show_cohort(slug):
    cohort = services.public_cohort(slug)
    if cohort is None:
        abort(404)
    now = utcnow()
    version = (cohort.id, cohort.version, cohort.status, cohort.programme.name, now.strftime("%Y-%m-%dT%H:%M"))

    def build():
        calls = _open_calls([cohort.id], now)
        return render_template("cohorts/show_cohort.html", cohort=cohort, programme=cohort.programme, calls=calls,
                               now=now, wording=deadline_wording)
    return cached_response(("cohorts.show_cohort", slug), version, build)
