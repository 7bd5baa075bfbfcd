"""Delivery over a real SMTP conversation: sent once, retried after the server was down."""
from datetime import timedelta

from sqlalchemy import delete, select

from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.notify import delivery
from mipevents.notify.models import OutboxMessage
from mipevents.notify.outbox import BUILDERS, Attachment, BuiltMessage, enqueue


def _builder(msg):
    return BuiltMessage(subject=f"Hello {msg.context['name']}", text=f"Your link: {msg.context['manage_token']}",
                        html=f"<p>Your link: {msg.context['manage_token']}</p>",
                        attachments=[Attachment("event.ics", "text/calendar; method=PUBLISH", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")])


def _smtp_app(make_app, smtp_server):
    BUILDERS["test_hello"] = _builder
    return make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)


def test_a_message_is_delivered_once_with_parts_and_attachment(make_app, smtp_server):
    app = _smtp_app(make_app, smtp_server)
    with app.app_context():
        enqueue("test_hello", "mayor@example.org", {"name": "Mayor", "manage_token": "secret-token"})
        db.session.commit()
        assert delivery.send_pending().sent == 1
        assert delivery.send_pending().sent == 0
        msg = db.session.execute(select(OutboxMessage)).scalar_one()
        assert (msg.status, "manage_token" in msg.context) == ("sent", False)
    [received] = smtp_server.to("mayor@example.org")
    assert received["Subject"] == "Hello Mayor"
    assert received["Message-ID"] == msg.message_id
    assert "secret-token" in received.get_body(("plain",)).get_content()
    [attachment] = list(received.iter_attachments())
    assert (attachment.get_content_type(), attachment.get_filename()) == ("text/calendar", "event.ics")


def test_a_subject_built_from_text_with_line_breaks_is_delivered_on_one_line(make_app, smtp_server):
    app = _smtp_app(make_app, smtp_server)
    with app.app_context():
        enqueue("test_hello", "mayor@example.org", {"name": "Eve\r\nBcc: everyone@example.org\x00", "manage_token": "t"})
        db.session.commit()
        assert delivery.send_pending().sent == 1
        recorded = db.session.execute(select(OutboxMessage.subject)).scalar_one()
    [(recipients, received)] = smtp_server.messages
    assert recorded == "Hello Eve Bcc: everyone@example.org"   # PostgreSQL refuses the NUL it was built with
    assert recipients == ["mayor@example.org"]
    assert (received["Subject"], received["Bcc"]) == ("Hello Eve Bcc: everyone@example.org", None)


def test_a_failed_delivery_is_retried_with_backoff_and_never_lost(make_app, smtp_server):
    app = _smtp_app(make_app, smtp_server)
    smtp_server.stop()
    with app.app_context():
        enqueue("test_hello", "mayor@example.org", {"name": "Mayor", "manage_token": "t"})
        db.session.commit()
        first = delivery.send_pending()
        msg = db.session.execute(select(OutboxMessage)).scalar_one()
        assert (first.deferred, msg.status, msg.attempts) == (1, "pending", 1)
        assert msg.next_attempt_at > utcnow()
        smtp_server.start()
        assert delivery.send_pending().sent == 0          # not due yet
        later = delivery.send_pending(now=utcnow() + timedelta(minutes=2))
        assert later.sent == 1
    assert len(smtp_server.to("mayor@example.org")) == 1


def test_a_message_without_a_builder_is_kept_and_reported(make_app, smtp_server):
    app = _smtp_app(make_app, smtp_server)
    with app.app_context():
        enqueue("no_such_kind", "x@example.org", {})
        db.session.commit()
        assert delivery.send_pending().deferred == 1
        msg = db.session.execute(select(OutboxMessage)).scalar_one()
        assert msg.last_error == "LookupError: no message builder for 'no_such_kind'"


def test_a_registration_email_that_cannot_be_rendered_is_retried_then_failed_never_dropped(make_app, smtp_server,
                                                                                           make_webinar):
    """The request only queues the kind and its context; rendering happens at delivery, and a message
    that cannot be built there is recorded as a failed delivery, not lost."""
    from mipevents.registration import services
    from mipevents.registration.models import Registration

    app = make_app(MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port, MAIL_MAX_ATTEMPTS=2)
    with app.app_context():
        webinar = make_webinar()
        db.session.commit()
        outcome = services.register(webinar, {"first_name": "Ada", "last_name": "Lee", "email": "ada@city.gov",
                                              "role": "mayor", "consent": True})
        db.session.commit()
        queued = db.session.execute(select(OutboxMessage)).scalar_one()
        assert (queued.kind, queued.subject, queued.context["registration_id"]) == (
            "registration_received", "", outcome.registration_id)       # not rendered in the request
        db.session.execute(delete(Registration))                         # gone before delivery
        db.session.commit()
        assert delivery.send_pending().deferred == 1
        assert delivery.send_pending(now=utcnow() + timedelta(hours=2)).failed == 1
        msg = db.session.execute(select(OutboxMessage)).scalar_one()
        assert (msg.status, msg.attempts, msg.last_error) == (
            "failed", 2, f"LookupError: registration {outcome.registration_id} no longer exists")
    assert smtp_server.to("ada@city.gov") == []


_REFUSE_SENT = {
    "sqlite": ["CREATE TRIGGER refuse_sent BEFORE UPDATE OF status ON outbox_messages "
               "WHEN NEW.status = 'sent' AND NEW.to_email = 'refused@example.org' "
               "BEGIN SELECT RAISE(ABORT, 'this row may not become sent'); END"],
    "postgresql": ["CREATE FUNCTION refuse_sent() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "IF NEW.status = 'sent' AND NEW.to_email = 'refused@example.org' THEN "
                   "RAISE EXCEPTION 'this row may not become sent' USING ERRCODE = 'check_violation'; END IF; "
                   "RETURN NEW; END $$",
                   "CREATE TRIGGER refuse_sent BEFORE UPDATE ON outbox_messages FOR EACH ROW EXECUTE FUNCTION refuse_sent()"],
}
_ALLOW_SENT = {"sqlite": ["DROP TRIGGER IF EXISTS refuse_sent"],
               "postgresql": ["DROP TRIGGER IF EXISTS refuse_sent ON outbox_messages", "DROP FUNCTION IF EXISTS refuse_sent()"]}


def _run(statements):
    from sqlalchemy import text
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement))


def test_an_acceptance_the_database_refuses_to_record_is_failed_with_its_reason_and_never_sent_again(
        make_app, smtp_server):
    """A permanent refusal while recording "sent" (here a constraint the database enforces) ends in
    `failed` with the reason instead of a loop that never returns; a row erased while its message was
    on its way is left gone; the rest of the pass goes on, and nothing is sent twice, even once every
    claim has gone stale."""
    app = _smtp_app(make_app, smtp_server)
    with app.app_context():
        dialect = db.engine.dialect.name
        for name in ("refused", "erased", "plain"):
            enqueue("test_hello", f"{name}@example.org", {"name": name, "manage_token": "t"})
        db.session.commit()
        engine = db.engine
        erased_id = db.session.execute(select(OutboxMessage.id).where(
            OutboxMessage.to_email == "erased@example.org")).scalar_one()
        db.session.commit()

        def erase_while_on_its_way(received):
            if received["To"] == "erased@example.org":
                with engine.begin() as conn:   # another connection, from the server's thread
                    conn.execute(delete(OutboxMessage).where(OutboxMessage.id == erased_id))

        smtp_server.on_accept = erase_while_on_its_way
        _run(_REFUSE_SENT[dialect])
        try:
            result = delivery.send_pending()
        finally:
            _run(_ALLOW_SENT[dialect])
            smtp_server.on_accept = None
        assert (result.sent, result.failed, result.deferred) == (3, 0, 0)   # each was accepted once
        rows = {m.to_email: m for m in db.session.execute(select(OutboxMessage)).scalars()}
        refused = rows["refused@example.org"]
        assert sorted(rows) == ["plain@example.org", "refused@example.org"]
        assert (refused.status, refused.attempts, refused.sent_at is not None) == ("failed", 1, True)
        assert refused.last_error.startswith("accepted by the mail server but not recorded as sent: IntegrityError: ")
        assert "this row may not become sent" in refused.last_error
        assert rows["plain@example.org"].status == "sent"
        assert delivery.send_pending(now=utcnow() + timedelta(days=1)).sent == 0   # stale claims swept: none
    assert sorted(m["To"] for _rcpts, m in smtp_server.messages) == [
        "erased@example.org", "plain@example.org", "refused@example.org"]


_REFUSE_ENDING = {
    "sqlite": ["CREATE TRIGGER refuse_ending BEFORE UPDATE OF status ON outbox_messages "
               "WHEN NEW.status IN ('sent', 'failed') AND NEW.to_email = 'refused@example.org' "
               "BEGIN SELECT RAISE(ABORT, 'this row may not end'); END"],
    "postgresql": ["CREATE FUNCTION refuse_ending() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                   "IF NEW.status IN ('sent', 'failed') AND NEW.to_email = 'refused@example.org' THEN "
                   "RAISE EXCEPTION 'this row may not end' USING ERRCODE = 'check_violation'; END IF; "
                   "RETURN NEW; END $$",
                   "CREATE TRIGGER refuse_ending BEFORE UPDATE ON outbox_messages FOR EACH ROW EXECUTE FUNCTION refuse_ending()"],
}
_ALLOW_ENDING = {"sqlite": ["DROP TRIGGER IF EXISTS refuse_ending"],
                 "postgresql": ["DROP TRIGGER IF EXISTS refuse_ending ON outbox_messages",
                                "DROP FUNCTION IF EXISTS refuse_ending()"]}


def test_an_acceptance_refused_as_sent_and_as_failed_keeps_no_claim_and_is_never_sent_again(make_app, smtp_server):
    """Even when the database refuses both `sent` and `failed` for a row the server accepted, the
    row loses its claim, and the stale-claim sweep (here a day later, the refusal still in force)
    never offers it again."""
    app = _smtp_app(make_app, smtp_server)
    with app.app_context():
        dialect = db.engine.dialect.name
        for name in ("refused", "plain"):
            enqueue("test_hello", f"{name}@example.org", {"name": name, "manage_token": "t"})
        db.session.commit()
        _run(_REFUSE_ENDING[dialect])
        try:
            assert delivery.send_pending().sent == 2
            assert delivery.send_pending(now=utcnow() + timedelta(days=1)).sent == 0
            rows = {m.to_email: (m.status, m.claimed_at, m.attempts)
                    for m in db.session.execute(select(OutboxMessage)).scalars()}
        finally:
            db.session.rollback()   # the reads above hold a lock the trigger's removal waits for
            _run(_ALLOW_ENDING[dialect])
        assert rows["refused@example.org"] == ("sending", None, 1)
        assert rows["plain@example.org"][0] == "sent"
    assert sorted(m["To"] for _rcpts, m in smtp_server.messages) == ["plain@example.org", "refused@example.org"]
