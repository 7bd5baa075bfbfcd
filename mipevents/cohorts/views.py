"""Public pages of the cohorts area: a programme, and one cohort with its published members
(names and cities only)."""
from flask import Blueprint, abort, render_template

from mipevents.cohorts import services
from mipevents.core.http_cache import cached_response
from mipevents.core.timeutil import utcnow
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
