"""What a programme's or cohort's public page shows of the calls area: its open calls, each with its
deadline in words."""
from datetime import datetime

from mipevents.calls.deadlines import deadline_wording
from mipevents.calls.models import Call
from mipevents.calls.queries import open_calls_of_cohorts


def open_calls(cohort_ids: list[int], now: datetime) -> list[tuple[Call, str]]:
    """[(call, "closes Friday … — 6 days left")] for the calls open to these cohorts."""
    return [(call, deadline_wording(call.deadline_at, call.timezone, now, call.opens_at))
            for call in open_calls_of_cohorts(cohort_ids, now)]
