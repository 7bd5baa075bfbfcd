"""A person's briefing book on their private pages: from a speaker's invitation link and from a
registrant's manage link (a print stylesheet on the page, and the PDF)."""
from flask import Blueprint, Response, abort, make_response, render_template, url_for

from mipevents.printing import briefing, pdf

bp = Blueprint("printing", __name__)


def _private(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _from_invitation(token):
    found = briefing.for_invitation_link(token)
    if found is None:
        abort(404)
    return found


def _from_manage(token):
    found = briefing.for_manage_link(token)
    if found is None:
        abort(404)
    return found


def _page(person, meeting, pdf_url, back_url):
    return _private(make_response(render_template(
        "printing/briefing_book.html", book=briefing.briefing_book(person, meeting), pdf_url=pdf_url,
        pdf_problem=pdf.pdf_unavailable(), back_url=back_url)))


def _pdf(person, meeting):
    if pdf.pdf_unavailable():
        abort(503, pdf.pdf_unavailable())
    return _private(Response(briefing.briefing_pdf(person, meeting), mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="briefing-{meeting.slug}.pdf"'}))


@bp.route("/speakers/invitation/<token>/briefing")
def speaker_briefing(token):
    person, meeting = _from_invitation(token)
    return _page(person, meeting, url_for(".speaker_briefing_pdf", token=token),
                 url_for("agenda.invitation", token=token))


@bp.route("/speakers/invitation/<token>/briefing.pdf")
def speaker_briefing_pdf(token):
    return _pdf(*_from_invitation(token))


@bp.route("/manage/<token>/briefing")
def registrant_briefing(token):
    person, meeting = _from_manage(token)
    return _page(person, meeting, url_for(".registrant_briefing_pdf", token=token), None)


@bp.route("/manage/<token>/briefing.pdf")
def registrant_briefing_pdf(token):
    return _pdf(*_from_manage(token))
