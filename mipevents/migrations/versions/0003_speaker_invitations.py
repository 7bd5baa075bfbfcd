"""speaker invitations, profile drafts held for review, alt text for speaker photos, speakers' logistics,
check-in codes, print jobs

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-05 12:40:00

"""
from alembic import op
import sqlalchemy as sa

import mipevents.core.db_types


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

PURPOSES_BEFORE = ('manage', 'feed', 'application')
PURPOSES_AFTER = (*PURPOSES_BEFORE, 'invitation', 'checkin')


def _purposes(purposes) -> str:
    return "purpose IN (" + ", ".join(f"'{p}'" for p in purposes) + ")"


def upgrade():
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_alt', sa.String(length=300), server_default='', nullable=False))

    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_tokens_purpose_known'), type_='check')
        batch_op.create_check_constraint('purpose_known', _purposes(PURPOSES_AFTER))

    op.create_table('speaker_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('invited_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('responded_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('invited', 'accepted', 'declined')", name=op.f('ck_speaker_invitations_status_known')),
    sa.ForeignKeyConstraint(['link_id'], ['session_speakers.id'], name=op.f('fk_speaker_invitations_link_id_session_speakers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speaker_invitations')),
    sa.UniqueConstraint('link_id', name=op.f('uq_speaker_invitations_link_id'))
    )
    op.create_table('speaker_profile_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('photo', sa.LargeBinary(), nullable=True),
    sa.Column('photo_type', sa.String(length=40), nullable=True),
    sa.Column('submitted_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_speaker_profile_drafts_speaker_id_speakers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speaker_profile_drafts')),
    sa.UniqueConstraint('speaker_id', name=op.f('uq_speaker_profile_drafts_speaker_id'))
    )
    op.create_table('speaker_logistics',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('av_needs', sa.Text(), nullable=False),
    sa.Column('arrives_on', sa.Date(), nullable=True),
    sa.Column('departs_on', sa.Date(), nullable=True),
    sa.Column('travel', sa.Text(), nullable=False),
    sa.Column('hotel', sa.String(length=300), nullable=False),
    sa.Column('needs_room', sa.Boolean(), nullable=False),
    sa.Column('updated_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_speaker_logistics_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_speaker_logistics_speaker_id_speakers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_speaker_logistics')),
    sa.UniqueConstraint('speaker_id', 'meeting_id', name='uq_speaker_logistics_speaker_meeting')
    )
    with op.batch_alter_table('speaker_logistics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_speaker_logistics_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_speaker_logistics_speaker_id'), ['speaker_id'], unique=False)
    op.create_table('print_jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=True),
    sa.Column('paper', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('html', sa.Text(), nullable=True),
    sa.Column('created_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("paper IN ('letter', 'a4')", name=op.f('ck_print_jobs_paper_known')),
    sa.CheckConstraint("status IN ('pending', 'running', 'done', 'failed')", name=op.f('ck_print_jobs_status_known')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_print_jobs_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_print_jobs_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_print_jobs'))
    )
    with op.batch_alter_table('print_jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_print_jobs_meeting_id'), ['meeting_id'], unique=False)


def downgrade():
    op.drop_table('print_jobs')
    op.drop_table('speaker_logistics')
    op.drop_table('speaker_profile_drafts')
    op.drop_table('speaker_invitations')
    op.execute("DELETE FROM tokens WHERE purpose IN ('invitation', 'checkin')")
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_tokens_purpose_known'), type_='check')
        batch_op.create_check_constraint('purpose_known', _purposes(PURPOSES_BEFORE))
    with op.batch_alter_table('speakers', schema=None) as batch_op:
        batch_op.drop_column('photo_alt')
