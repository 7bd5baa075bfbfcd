"""The cohorts tests reuse the calls area's factories."""
from tests.calls.conftest import make_cohort  # noqa: F401
