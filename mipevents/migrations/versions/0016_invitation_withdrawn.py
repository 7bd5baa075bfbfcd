"""an invitation can be withdrawn: its showcase slot changed speaker or its webinar presenter was removed

Revision ID: 0016_invitation_withdrawn
Revises: 0015_trust_consent
Create Date: 2026-12-05 16:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_invitation_withdrawn'
down_revision = '0015_trust_consent'
branch_labels = None
depends_on = None

STATUSES_BEFORE = ('invited', 'accepted', 'declined')
STATUSES_AFTER = (*STATUSES_BEFORE, 'withdrawn')


def _statuses(values) -> str:
    return "status IN (" + ", ".join(f"'{v}'" for v in values) + ")"


def upgrade():
    with op.batch_alter_table('speaker_invitations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_speaker_invitations_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', _statuses(STATUSES_AFTER))


def downgrade():
    # A withdrawn invitation is to nothing any more: before this revision it could not exist.
    op.execute("DELETE FROM speaker_invitations WHERE status = 'withdrawn'")
    with op.batch_alter_table('speaker_invitations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_speaker_invitations_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', _statuses(STATUSES_BEFORE))
