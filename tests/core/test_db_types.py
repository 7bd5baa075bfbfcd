from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy.exc import StatementError

from mipevents.extensions import db


def test_instants_come_back_aware_in_utc(make_meeting, make_item):
    meeting = make_meeting()
    eastern = timezone(timedelta(hours=-5))
    item = make_item(meeting, starts_at=datetime(2025, 1, 22, 9, 0, tzinfo=eastern),
                     ends_at=datetime(2025, 1, 22, 10, 0, tzinfo=eastern))
    db.session.commit()
    db.session.expire_all()
    assert item.starts_at == datetime(2025, 1, 22, 14, 0, tzinfo=UTC)
    assert item.starts_at.tzinfo == UTC


def test_naive_instants_are_rejected(make_meeting, make_item):
    meeting = make_meeting()
    with pytest.raises(StatementError, match="naive datetime"):
        make_item(meeting, starts_at=datetime(2025, 1, 22, 9), ends_at=datetime(2025, 1, 22, 10))
