"""The trust attacks reuse the calls area's factories (a cohort, a call with questions)."""
from tests.calls.conftest import make_call, make_cohort  # noqa: F401  (fixtures)
