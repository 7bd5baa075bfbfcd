"""trust: links kept encrypted (tokens.secret), scheduler and approval links, scheduler approvals; links
that went to schedulers revoked, owners re-sent theirs; no raw secret left in the outbox

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 12:00:00

Existing rows move to the trust model (DESIGN, "Trust"): every feed, manage and application link
already sent keeps working until "reset my links", except where it was also sent to someone who is not
its owner (a registration or application with a scheduler address): those are revoked, and the owner is
re-sent their own links (the email says why, and names the scheduler with a one-click removal); the
scheduler, who stays the scheduler of what they submitted, gets their own link to that alone and no
approval (a SchedulerApproval row waits, unapproved). Outbox rows that wait or failed lose the raw
links they held: the links of a message are made when it is delivered.

"""
from datetime import UTC, datetime

from alembic import op
import sqlalchemy as sa

import mipevents.core.db_types


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

OLD_PURPOSES = ("purpose IN ('manage', 'feed', 'application', 'invitation', 'checkin', 'display', 'speaker_view', "
                "'survey')")
NEW_PURPOSES = ("purpose IN ('manage', 'feed', 'application', 'invitation', 'checkin', 'display', 'speaker_view', "
                "'survey', 'scheduler', 'scheduler_app', 'approval')")

tokens = sa.table('tokens', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer),
                  sa.column('purpose', sa.String), sa.column('subject_id', sa.Integer),
                  sa.column('revoked_at', mipevents.core.db_types.UTCDateTime(timezone=True)))
registrations = sa.table('registrations', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer),
                         sa.column('status', sa.String), sa.column('email', sa.String),
                         sa.column('scheduler_person_id', sa.Integer), sa.column('scheduler_email', sa.String))
applications = sa.table('applications', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer),
                        sa.column('email', sa.String), sa.column('scheduler_email', sa.String))
people = sa.table('people', sa.column('id', sa.Integer), sa.column('email', sa.String), sa.column('name', sa.String),
                  sa.column('created_at', mipevents.core.db_types.UTCDateTime(timezone=True)))
outbox = sa.table('outbox_messages', sa.column('id', sa.Integer), sa.column('kind', sa.String),
                  sa.column('to_email', sa.String), sa.column('person_id', sa.Integer), sa.column('context', sa.JSON),
                  sa.column('status', sa.String), sa.column('attempts', sa.Integer),
                  sa.column('next_attempt_at', mipevents.core.db_types.UTCDateTime(timezone=True)),
                  sa.column('last_error', sa.Text), sa.column('message_id', sa.String), sa.column('subject', sa.String),
                  sa.column('created_at', mipevents.core.db_types.UTCDateTime(timezone=True)))
approvals = sa.table('scheduler_approvals', sa.column('person_id', sa.Integer), sa.column('scheduler_id', sa.Integer),
                     sa.column('registration_id', sa.Integer),
                     sa.column('requested_at', mipevents.core.db_types.UTCDateTime(timezone=True)))


def upgrade():
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('secret', sa.Text(), nullable=True))
        batch_op.drop_constraint(op.f('ck_tokens_purpose_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_tokens_purpose_known'), NEW_PURPOSES)
    op.create_table('scheduler_approvals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('scheduler_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('requested_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approved_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], name=op.f('fk_scheduler_approvals_person_id_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scheduler_id'], ['people.id'], name=op.f('fk_scheduler_approvals_scheduler_id_people'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scheduler_approvals')),
    sa.UniqueConstraint('person_id', 'scheduler_id', name='uq_scheduler_approvals_person_scheduler')
    )
    with op.batch_alter_table('scheduler_approvals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scheduler_approvals_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scheduler_approvals_scheduler_id'), ['scheduler_id'], unique=False)
    _move_links_to_their_owners()


def _queue(conn, now, kind, to_email, person_id, context):
    conn.execute(outbox.insert().values(kind=kind, to_email=to_email, person_id=person_id, context=context,
                                        status='pending', attempts=0, next_attempt_at=now, last_error='',
                                        message_id='', subject='', created_at=now))


def _person_id(conn, email, now):
    found = conn.execute(sa.select(people.c.id).where(people.c.email == email)).scalar()
    if found is None:
        conn.execute(people.insert().values(email=email, name='', created_at=now))
        found = conn.execute(sa.select(people.c.id).where(people.c.email == email)).scalar()
    return found


def _move_links_to_their_owners():
    conn = op.get_bind()
    now = datetime.now(UTC)
    # No raw link waits in the outbox: messages not yet sent get theirs at delivery.
    for row_id, kind, context in conn.execute(sa.select(outbox.c.id, outbox.c.kind, outbox.c.context)
                                              .where(outbox.c.status.in_(('pending', 'sending', 'failed')))).all():
        context = dict(context or {})
        if not any(key.endswith('_token') for key in context):
            continue
        had_link = 'link_token' in context
        context = {key: value for key, value in context.items() if not key.endswith('_token')}
        if had_link and kind in ('calls.application', 'calls.reminder'):
            context['with_link'] = True
        if kind == 'password_reset':   # its link can no longer be made: the staff member asks again
            conn.execute(outbox.update().where(outbox.c.id == row_id).values(context=context, status='failed',
                                                                                last_error='link withdrawn by migration 0007'))
            continue
        conn.execute(outbox.update().where(outbox.c.id == row_id).values(context=context))

    scheduled = conn.execute(sa.select(registrations).where(registrations.c.scheduler_email != '')).all()
    for reg in scheduled:
        owner_email = conn.execute(sa.select(people.c.email).where(people.c.id == reg.person_id)).scalar()
        if (reg.scheduler_email or '').strip().casefold() == owner_email:
            continue
        conn.execute(tokens.update().where(tokens.c.revoked_at.is_(None), sa.or_(
            sa.and_(tokens.c.purpose == 'manage', tokens.c.subject_id == reg.id),
            sa.and_(tokens.c.purpose == 'feed', tokens.c.person_id == reg.person_id))).values(revoked_at=now))
        scheduler_id = reg.scheduler_person_id or _person_id(conn, reg.scheduler_email.strip().casefold(), now)
        if reg.scheduler_person_id is None:
            conn.execute(registrations.update().where(registrations.c.id == reg.id)
                         .values(scheduler_person_id=scheduler_id))
        if not conn.execute(sa.select(sa.func.count()).select_from(approvals).where(
                approvals.c.person_id == reg.person_id, approvals.c.scheduler_id == scheduler_id)).scalar():
            conn.execute(approvals.insert().values(person_id=reg.person_id, scheduler_id=scheduler_id,
                                                   registration_id=reg.id, requested_at=now))
        context = {'registration_id': reg.id, 'status': reg.status, 'resent': True, 'links_revoked': True}
        _queue(conn, now, 'registration_repeat', reg.email or owner_email, reg.person_id, context)
        _queue(conn, now, 'registration_repeat', reg.scheduler_email, scheduler_id,
               {'registration_id': reg.id, 'status': reg.status, 'to_scheduler': True, 'links_revoked': True})

    for app in conn.execute(sa.select(applications).where(applications.c.scheduler_email != '')).all():
        if app.scheduler_email.strip().casefold() == app.email:
            continue
        conn.execute(tokens.update().where(tokens.c.revoked_at.is_(None), tokens.c.purpose == 'application',
                                           tokens.c.subject_id == app.id).values(revoked_at=now))
        scheduler_id = _person_id(conn, app.scheduler_email.strip().casefold(), now)
        _queue(conn, now, 'calls.application', app.email, app.person_id,
               {'application_id': app.id, 'event': 'link', 'with_link': True})
        _queue(conn, now, 'calls.application', app.scheduler_email, scheduler_id,
               {'application_id': app.id, 'event': 'link', 'with_link': True, 'to_scheduler': True})


def downgrade():
    # The new kinds of links cannot exist under the old rule: they stop working.
    op.execute(sa.text("DELETE FROM tokens WHERE purpose IN ('scheduler', 'scheduler_app', 'approval')"))
    with op.batch_alter_table('scheduler_approvals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scheduler_approvals_scheduler_id'))
        batch_op.drop_index(batch_op.f('ix_scheduler_approvals_person_id'))
    op.drop_table('scheduler_approvals')
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_tokens_purpose_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_tokens_purpose_known'), OLD_PURPOSES)
        batch_op.drop_column('secret')
