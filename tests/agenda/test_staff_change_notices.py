"""A staff edit to a published session records a change notice for the people it affects."""
from datetime import date, datetime, time

from sqlalchemy import select

from mipevents.agenda import services
from mipevents.agenda.models import ChangeNotice
from mipevents.extensions import db


def test_moving_a_published_session_records_one_notice_and_one_sequence_bump(make_meeting, make_item, make_room):
    meeting = make_meeting()
    room = make_room(meeting, "Salon A")
    item = make_item(meeting, at=datetime(2025, 1, 22, 9, 0), room=room, title="Housing panel")
    db.session.commit()
    services.cancel_item(item, actor=None)
    db.session.commit()
    notices = db.session.execute(select(ChangeNotice)).scalars().all()
    assert [(n.item_id, n.before["status"], n.after["status"]) for n in notices] == [(item.id, "published", "cancelled")]
    assert item.sequence == 1


def test_a_new_title_alone_raises_the_sequence_but_sends_no_notice(make_meeting, make_item):
    meeting = make_meeting()
    item = make_item(meeting, at=datetime(2025, 1, 22, 9, 0), title="Housing panel")
    db.session.commit()
    services.update_item(item, {"day": date(2025, 1, 22), "starts": time(9, 0), "ends": time(10, 0), "kind": "panel",
                                "title": "Housing people can afford"}, actor=None)
    db.session.commit()
    assert (item.title, item.sequence) == ("Housing people can afford", 1)
    assert db.session.execute(select(ChangeNotice)).scalars().all() == []
