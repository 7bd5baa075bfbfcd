"""speaker materials: who added a material (a staff member or the speaker through their private
link) and where its file is kept (empty: in the row; else a storage backend's key)

Revision ID: 0010_speaker_materials
Revises: 0009
Create Date: 2026-12-05 15:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_speaker_materials'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.add_column(sa.Column('added_by_user_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('added_by_speaker_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('storage_key', sa.String(length=200), server_default='', nullable=False))
        batch_op.create_foreign_key(batch_op.f('fk_materials_added_by_user_id_users'), 'users',
                                    ['added_by_user_id'], ['id'], ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_materials_added_by_speaker_id_speakers'), 'speakers',
                                    ['added_by_speaker_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_materials_added_by_speaker_id'), ['added_by_speaker_id'], unique=False)


def downgrade():
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_materials_added_by_speaker_id'))
        batch_op.drop_constraint(batch_op.f('fk_materials_added_by_speaker_id_speakers'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_materials_added_by_user_id_users'), type_='foreignkey')
        batch_op.drop_column('storage_key')
        batch_op.drop_column('added_by_speaker_id')
        batch_op.drop_column('added_by_user_id')
