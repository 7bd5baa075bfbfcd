"""trust consent: cohort members' private links (purpose "member"); the owner of everything a scheduler
held before the trust model gets an email of its own asking whether to approve that scheduler, and
application schedulers get their waiting approval too

Revision ID: 0015_trust_consent
Revises: 0014_invitation_subjects
Create Date: 2026-12-05 15:00:00

Revision 0007 left each scheduler of a registration in place with a link to that registration alone
and an approval row waiting, and re-sent the owner her links; this one asks the owner, in an email of
its own (the approval link is made at delivery), whether that scheduler may act for her, and does the
same for the schedulers of applications. An approval that was already asked about (an outbox row of
the request kinds names it) is not asked again, so the revision is safe on a database that ran 0007
long ago.

"""
import json
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import mipevents.core.db_types


# revision identifiers, used by Alembic.
revision = '0015_trust_consent'
down_revision = '0014_invitation_subjects'
branch_labels = None
depends_on = None

REQUEST_KINDS = ('scheduler_request', 'calls.scheduler_request')
OLD_PURPOSES = ("purpose IN ('manage', 'feed', 'application', 'invitation', 'checkin', 'display', 'speaker_view', "
                "'survey', 'scheduler', 'scheduler_app', 'approval')")
NEW_PURPOSES = ("purpose IN ('manage', 'feed', 'application', 'invitation', 'checkin', 'display', 'speaker_view', "
                "'survey', 'scheduler', 'scheduler_app', 'approval', 'member')")

Instant = mipevents.core.db_types.UTCDateTime(timezone=True)
people = sa.table('people', sa.column('id', sa.Integer), sa.column('email', sa.String), sa.column('name', sa.String),
                  sa.column('created_at', Instant))
registrations = sa.table('registrations', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer),
                         sa.column('email', sa.String), sa.column('scheduler_person_id', sa.Integer))
applications = sa.table('applications', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer),
                        sa.column('email', sa.String), sa.column('scheduler_email', sa.String))
approvals = sa.table('scheduler_approvals', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer),
                     sa.column('scheduler_id', sa.Integer), sa.column('registration_id', sa.Integer),
                     sa.column('application_id', sa.Integer), sa.column('requested_at', Instant),
                     sa.column('approved_at', Instant), sa.column('revoked_at', Instant))
outbox = sa.table('outbox_messages', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                  sa.column('to_email', sa.String), sa.column('person_id', sa.Integer), sa.column('context', sa.JSON),
                  sa.column('status', sa.String), sa.column('attempts', sa.Integer),
                  sa.column('next_attempt_at', Instant), sa.column('last_error', sa.Text),
                  sa.column('message_id', sa.String), sa.column('subject', sa.String),
                  sa.column('created_at', Instant))


def _person_id(conn, email, now):
    found = conn.execute(sa.select(people.c.id).where(people.c.email == email)).scalar()
    if found is None:
        conn.execute(people.insert().values(email=email, name='', created_at=now))
        found = conn.execute(sa.select(people.c.id).where(people.c.email == email)).scalar()
    return found


def _context(value):
    if isinstance(value, str):   # a JSON column read back as text by some drivers
        return json.loads(value or '{}')
    return dict(value or {})


def upgrade():
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_tokens_purpose_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_tokens_purpose_known'), NEW_PURPOSES)
    conn = op.get_bind()
    now = datetime.now(UTC)
    for app in conn.execute(sa.select(applications).where(applications.c.scheduler_email != '')).all():
        scheduler_email = app.scheduler_email.strip().casefold()
        if scheduler_email == app.email:
            continue
        scheduler_id = _person_id(conn, scheduler_email, now)
        found = conn.execute(sa.select(approvals.c.id, approvals.c.application_id).where(
            approvals.c.person_id == app.person_id, approvals.c.scheduler_id == scheduler_id)).first()
        if found is None:
            conn.execute(approvals.insert().values(person_id=app.person_id, scheduler_id=scheduler_id,
                                                   application_id=app.id, requested_at=now))
        elif found.application_id is None:
            conn.execute(approvals.update().where(approvals.c.id == found.id).values(application_id=app.id))

    asked = set()
    for (context,) in conn.execute(sa.select(outbox.c.context).where(outbox.c.kind.in_(REQUEST_KINDS))).all():
        asked.add(_context(context).get('approval_id'))
    waiting = conn.execute(sa.select(approvals).where(approvals.c.approved_at.is_(None),
                                                      approvals.c.revoked_at.is_(None)).order_by(approvals.c.id)).all()
    for approval in waiting:
        if approval.id in asked:
            continue
        scheduler_email = conn.execute(sa.select(people.c.email).where(people.c.id == approval.scheduler_id)).scalar()
        owner_email = conn.execute(sa.select(people.c.email).where(people.c.id == approval.person_id)).scalar()
        reg = conn.execute(sa.select(registrations).where(registrations.c.id == approval.registration_id)).first() \
            if approval.registration_id else None
        if reg is not None and reg.person_id == approval.person_id and reg.scheduler_person_id == approval.scheduler_id:
            _queue(conn, now, 'scheduler_request', reg.email or owner_email, approval.person_id,
                   {'approval_id': approval.id, 'registration_id': reg.id, 'existing': True})
            continue
        app = conn.execute(sa.select(applications).where(applications.c.id == approval.application_id)).first() \
            if approval.application_id else None
        if app is not None and app.person_id == approval.person_id \
                and app.scheduler_email.strip().casefold() == scheduler_email:
            _queue(conn, now, 'calls.scheduler_request', app.email, approval.person_id,
                   {'approval_id': approval.id, 'application_id': app.id, 'existing': True})


def _queue(conn, now, kind, to_email, person_id, context):
    conn.execute(outbox.insert().values(kind=kind, to_email=to_email, person_id=person_id, context=context,
                                        status='pending', attempts=0, next_attempt_at=now, last_error='',
                                        message_id='', subject='', created_at=now))


def downgrade():
    # A member's link cannot exist under the old rule: it stops working. The queued emails and the
    # approval rows stay (data only).
    op.execute(sa.text("DELETE FROM tokens WHERE purpose = 'member'"))
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_tokens_purpose_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_tokens_purpose_known'), OLD_PURPOSES)
