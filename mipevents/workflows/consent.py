"""A person's approval of a scheduler, given from her own inbox (the /consent/ link): one approval per
person and scheduler covers what the requests were about, her registration (registration.schedulers)
and her application to a call (calls.services)."""
from mipevents.calls import services as calls
from mipevents.calls.models import Application
from mipevents.extensions import db
from mipevents.people.models import SchedulerApproval
from mipevents.registration import schedulers
from mipevents.registration.models import Registration


def about(approval: SchedulerApproval) -> list[str]:
    """What the request is about, in words for the person's page ("your registration for …")."""
    things = []
    registration = db.session.get(Registration, approval.registration_id) if approval.registration_id else None
    if registration is not None and registration.person_id == approval.person_id:
        event = registration.event
        things.append(f"your registration for {event.title if registration.webinar_id else event.name}")
    application = db.session.get(Application, approval.application_id) if approval.application_id else None
    if application is not None and application.person_id == approval.person_id:
        things.append(f"your application to “{application.call.title}”")
    return things


def approve(approval: SchedulerApproval) -> None:
    """The person approves: the scheduler is attached to the registration and the application the
    requests were about, and emailed their own links; the person is told, with a one-click removal."""
    schedulers.approve(approval)
    calls.approve_scheduler(approval)
