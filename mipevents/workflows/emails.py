"""Every email the application sends, by outbox kind, in one table (create_app installs it); the
registration emails carry the event's .ics from the feeds area."""
from functools import partial

from mipevents.accounts import emails as accounts_emails
from mipevents.agenda import invitations
from mipevents.calls import emails as calls_emails
from mipevents.cohorts import emails as cohorts_emails
from mipevents.feeds import ics
from mipevents.followup import emails as followup_emails
from mipevents.followup import links as followup_links
from mipevents.notify.outbox import Attachment
from mipevents.printing import emails as printing_emails
from mipevents.registration import emails as registration_emails
from mipevents.registration import scheduler_emails
from mipevents.registration.models import Registration
from mipevents.workflows import change_notices
from mipevents.workflows import invitations as invitation_work


def calendar_attachment(registration: Registration) -> Attachment | None:
    """The event's .ics for this registrant: the webinar with its private join link once confirmed
    (tentative without it while waiting), or the meeting's days. None once the registration is over."""
    if not registration.is_active:
        return None
    if registration.webinar is not None:
        name, data = registration.webinar.slug, ics.webinar_attachment(registration.webinar, registration)
    else:
        name, data = registration.meeting.slug, ics.meeting_attachment(registration.meeting, registration)
    return Attachment(f"{name}.ics", "text/calendar; method=PUBLISH; charset=utf-8", data)


_registration_message = partial(registration_emails.build_registration_message, calendar=calendar_attachment)

BUILDERS = {
    "password_reset": accounts_emails.build_password_reset,
    **{kind: _registration_message for kind in registration_emails.KINDS},
    "registration_links": registration_emails.build_links,
    "scheduler_request": scheduler_emails.build_request,
    "scheduler_request_sent": scheduler_emails.build_request_sent,
    "scheduler_added": scheduler_emails.build_added,
    change_notices.KIND: change_notices.build_session_changes,
    "calls.application": calls_emails.build_application,
    "calls.reminder": calls_emails.build_reminder,
    "calls.decision": calls_emails.build_decision,
    "calls.scheduler_request": calls_emails.build_scheduler_request,
    "calls.scheduler_added": calls_emails.build_scheduler_added,
    "cohorts.member_link": cohorts_emails.build_member_link,
    invitations.KIND: invitation_work.build_email,
    printing_emails.KIND: printing_emails.build_briefing_book,
    **{kind: followup_emails.build_followup for kind in followup_emails.KINDS},
    followup_links.KIND: followup_links.build_fresh_links,
}
