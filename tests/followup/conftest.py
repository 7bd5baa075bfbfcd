import pytest

from mipevents.core import timeutil


@pytest.fixture
def controlled_clock():
    """The app's clock (core.timeutil.utcnow) as the test sets it with timeutil.set_clock; the system
    clock again afterwards."""
    yield timeutil.set_clock
    timeutil.set_clock(None)
