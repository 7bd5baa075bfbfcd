"""stage runs: every room's running order timed, messages to the stage, display and speaker links

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 12:40:00

"""
from alembic import op
import sqlalchemy as sa

import mipevents.core.db_types


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

OLD_PURPOSES = "purpose IN ('manage', 'feed', 'application', 'invitation', 'checkin')"
NEW_PURPOSES = "purpose IN ('manage', 'feed', 'application', 'invitation', 'checkin', 'display', 'speaker_view')"


def upgrade():
    op.create_table('stage_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('current_item_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('deadline_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('remaining_us', sa.BigInteger(), nullable=True),
    sa.Column('added_seconds', sa.Integer(), nullable=False),
    sa.Column('message', sa.String(length=200), nullable=False),
    sa.Column('message_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('is_blackout', sa.Boolean(), nullable=False),
    sa.Column('is_timer_hidden', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('idle', 'ready', 'running', 'paused', 'finished')", name=op.f('ck_stage_runs_state_known')),
    sa.ForeignKeyConstraint(['current_item_id'], ['agenda_items.id'], name=op.f('fk_stage_runs_current_item_id_agenda_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_stage_runs_room_id_rooms'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_runs')),
    sa.UniqueConstraint('room_id', 'day', name='uq_stage_runs_room_day')
    )
    with op.batch_alter_table('stage_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_runs_room_id'), ['room_id'], unique=False)

    op.create_table('session_timings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('actual_started_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('actual_ended_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['agenda_items.id'], name=op.f('fk_session_timings_item_id_agenda_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_timings')),
    sa.UniqueConstraint('item_id', name=op.f('uq_session_timings_item_id'))
    )
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_tokens_purpose_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_tokens_purpose_known'), NEW_PURPOSES)


def downgrade():
    op.execute(sa.text("DELETE FROM tokens WHERE purpose IN ('display', 'speaker_view')"))
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_tokens_purpose_known'), type_='check')
        batch_op.create_check_constraint(op.f('ck_tokens_purpose_known'), OLD_PURPOSES)
    op.drop_table('session_timings')
    with op.batch_alter_table('stage_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_runs_room_id'))
    op.drop_table('stage_runs')
