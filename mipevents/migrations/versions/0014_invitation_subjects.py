"""invitations beyond sessions: an invitation names its speaker and role itself (its session link is
optional), and showcase slots and webinar presenters point at the invitation staff sent them

Revision ID: 0014_invitation_subjects
Revises: 0013_webinar_presenters
Create Date: 2026-12-05 15:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014_invitation_subjects'
down_revision = '0013_webinar_presenters'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('speaker_invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speaker_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('role', sa.String(length=20), server_default='speaker', nullable=False))
        batch_op.alter_column('link_id', existing_type=sa.Integer(), nullable=True)
    op.execute("UPDATE speaker_invitations SET "
               "speaker_id = (SELECT s.speaker_id FROM session_speakers s WHERE s.id = speaker_invitations.link_id), "
               "role = (SELECT s.role FROM session_speakers s WHERE s.id = speaker_invitations.link_id)")
    with op.batch_alter_table('speaker_invitations', schema=None) as batch_op:
        batch_op.alter_column('speaker_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_index(batch_op.f('ix_speaker_invitations_speaker_id'), ['speaker_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_speaker_invitations_speaker_id_speakers'), 'speakers',
                                    ['speaker_id'], ['id'], ondelete='CASCADE')
    for table in ('showcase_slots', 'webinar_presenters'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('invitation_id', sa.Integer(), nullable=True))
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_invitation_id'), ['invitation_id'])
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_invitation_id_speaker_invitations'),
                                        'speaker_invitations', ['invitation_id'], ['id'], ondelete='SET NULL')


def downgrade():
    for table in ('webinar_presenters', 'showcase_slots'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_invitation_id_speaker_invitations'), type_='foreignkey')
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_invitation_id'), type_='unique')
            batch_op.drop_column('invitation_id')
    # Invitations to showcase slots and webinars have no session to hang on before this revision.
    op.execute("DELETE FROM speaker_invitations WHERE link_id IS NULL")
    with op.batch_alter_table('speaker_invitations', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_speaker_invitations_speaker_id_speakers'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_speaker_invitations_speaker_id'))
        batch_op.alter_column('link_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('role')
        batch_op.drop_column('speaker_id')
