"""Public webinar pages: the list, and one webinar (with its live seat count, so never from a shared
cache); its sign-up form is registration's (registration.views)."""
from flask import Blueprint, make_response, render_template

from mipevents.core.http_cache import cached_response
from mipevents.core.timeutil import utcnow
from mipevents.webinars import services
from mipevents.workflows import listings
from mipevents.workflows import webinars as webinar_work

bp = Blueprint("webinars", __name__)


@bp.route("/webinars/")
def list_webinars():
    now = utcnow()
    minute = now.strftime("%Y-%m-%dT%H:%M")   # "upcoming" depends on the clock
    version = listings.webinar_list_version()   # with which webinars are full: a card's state is in the key

    def build():
        upcoming, past = services.public_webinars(now)
        states = listings.card_states([], upcoming, now, listings.webinar_fullness(version))
        return render_template("webinars/list_webinars.html", lists=(upcoming, past), now=now, states=states,
                               card_states=listings.CARD_STATES)

    return cached_response(("webinars", minute), version, build)


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/webinars/<slug>/")
def show_webinar(slug):
    webinar = services.public_webinar_or_404(slug)
    now = utcnow()
    sign_up = webinar_work.sign_up(webinar, now)
    return _no_store(make_response(render_template(
        "webinars/show_webinar.html", webinar=webinar, is_open=sign_up.is_open, seats_left=sign_up.seats_left,
        is_past=webinar.ends_at < now)))
