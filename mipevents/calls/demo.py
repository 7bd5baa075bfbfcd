"""The demo's programmes and calls: the Women Mayors' Network with a published cohort and the next
cohort's open call, and Innovation Showcase proposals for the upcoming Summer Meeting."""
from datetime import date, time, timedelta

from sqlalchemy import select

from mipevents.calls.deadlines import deadline_instant
from mipevents.calls.models import Answer, Application, Call, CallQuestion
from mipevents.cohorts.models import Cohort, CohortMember, Programme
from mipevents.core.timeutil import wall_clock_to_utc
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.people.services import person_for_email

ORG_ZONE = "America/Chicago"

MEMBERS = [  # email key of the demo's people, name, city, state
    ("rivera", "Mayor Elena Rivera", "Dubuque", "IA"),
    ("lindqvist", "Mayor Sara Lindqvist", "Evanston", "IL"),
    ("chen", "Mayor Grace Chen", "Ann Arbor", "MI"),
    ("moreno", "Mayor Lucía Moreno", "Santa Fe", "NM"),
]

PROPOSALS = [  # email key, name, city, state, population band, title, summary
    ("haddad", "Mayor Omar Haddad", "Durham", "NC", "250k_500k", "A guaranteed-income pilot for 120 families",
     "Durham gave 120 families $500 a month for a year and measured employment, housing stability and health."),
    ("kowalski", "Mayor Anna Kowalski", "Rochester", "MN", "100k_250k", "Heat pumps for every city building",
     "Rochester replaced gas boilers in eleven city buildings with heat pumps, paid for by the energy saved."),
    ("walsh", "Mayor Patrick Walsh", "Ithaca", "NY", "under_25k", "A permit that takes ten days, not ten weeks",
     "Ithaca rebuilt its permit process around a single reviewer per project and published the clock."),
]


def load_calls_demo(today: date) -> dict:
    """Add the demo programme, cohorts and calls (after the meetings and their people exist)."""
    programme = Programme(
        slug="women-mayors-network", name="Women Mayors' Network", status="published",
        description="A peer network for women mayors: three convenings a year, a private forum and "
                    "one-on-one mentoring by mayors who have served more than one term.",
        partners="AARP Livable Communities, Smart Growth America",
        eligibility="Sitting women mayors of US cities of any size.")
    db.session.add(programme)
    second = Cohort(programme=programme, slug=f"women-mayors-network-{today.year - 1}",
                    name=f"Second cohort, {today.year - 1}", status="published",
                    description="Twelve months of convenings on housing, safe streets and clean energy.",
                    starts_on=date(today.year - 1, 3, 1), ends_on=date(today.year, 2, 28))
    third = Cohort(programme=programme, slug=f"women-mayors-network-{today.year}",
                   name=f"Third cohort, {today.year}", status="draft",
                   description="The third cohort meets three times over a year, starting with the Summer Meeting.",
                   starts_on=today + timedelta(days=45), ends_on=today + timedelta(days=45 + 364))
    db.session.add_all([second, third])
    db.session.flush()
    for key, name, city, state in MEMBERS:
        person = person_for_email(f"{key}@example.org", name.removeprefix("Mayor "))
        db.session.add(CohortMember(cohort_id=second.id, person_id=person.id, name=name, city=city, state=state))

    cohort_call = Call(
        slug=f"women-mayors-network-{today.year}", title="Apply to the Women Mayors' Network: third cohort",
        kind="cohort", cohort_id=third.id, status="published", timezone=ORG_ZONE,
        opens_at=wall_clock_to_utc(today - timedelta(days=7), time(9, 0), ORG_ZONE),
        deadline_at=deadline_instant(today + timedelta(days=21), ORG_ZONE),
        description="Applications are now open for the third cohort of the Women Mayors' Network.\n\n"
                    "You can save your application and finish it later from the link we email you.")
    db.session.add(cohort_call)
    db.session.flush()
    db.session.add_all([
        CallQuestion(call_id=cohort_call.id, position=0, kind="long_text", word_limit=200,
                     prompt="What would you like to learn from the other mayors in the cohort?"),
        CallQuestion(call_id=cohort_call.id, position=1, kind="choice", prompt="Which term are you serving?",
                     choices=["First term", "Second term", "Third term or later"]),
        CallQuestion(call_id=cohort_call.id, position=2, kind="yes_no",
                     prompt="Can you attend the three convenings in person?"),
    ])

    result = {"programme": programme.slug, "calls": [cohort_call.slug]}
    summer = db.session.execute(
        select(Meeting).where(Meeting.kind == "summer", Meeting.starts_on > today).order_by(Meeting.starts_on).limit(1)
    ).scalar_one_or_none()
    if summer is None:
        return result
    opens_at = wall_clock_to_utc(today - timedelta(days=14), time(9, 0), ORG_ZONE)
    showcase_call = Call(
        slug=f"{summer.slug}-showcase", title=f"Propose an idea for the {summer.name} Innovation Showcase",
        kind="showcase", meeting_id=summer.id, status="published", timezone=summer.timezone, opens_at=opens_at,
        deadline_at=deadline_instant(summer.starts_on - timedelta(days=21), summer.timezone),
        description="Each mayor has exactly three minutes to present a policy, program or practice their city "
                    "implemented. Tell us what you did and what changed.")
    db.session.add(showcase_call)
    db.session.flush()
    question = CallQuestion(call_id=showcase_call.id, position=0, kind="yes_no",
                            prompt="Has it been in place for at least a year?")
    db.session.add(question)
    db.session.flush()
    for n, (key, name, city, state, band, title, summary) in enumerate(PROPOSALS):
        person = person_for_email(f"{key}@example.org", name.removeprefix("Mayor "))
        submitted = opens_at + timedelta(days=1 + n)
        application = Application(call_id=showcase_call.id, person=person, email=person.email, mayor_name=name,
                                  city=city, state=state, population_band=band, title=title, summary=summary,
                                  status="submitted", submitted_at=submitted, created_at=submitted, updated_at=submitted)
        application.answers.append(Answer(question_id=question.id, value="yes" if n != 2 else "no"))
        db.session.add(application)
    db.session.flush()
    result["calls"].append(showcase_call.slug)
    return result
