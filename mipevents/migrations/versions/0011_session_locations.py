"""session locations: an off-site session's own place (name, address) and coordinates

Revision ID: 0011_session_locations
Revises: 0010_speaker_materials
Create Date: 2026-12-05 15:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_session_locations'
down_revision = '0010_speaker_materials'
branch_labels = None
depends_on = None


# Plain ADD COLUMN, never a batch copy: on SQLite a copy of agenda_items would cascade the drop of
# the old table to the rows that reference it (speakers' roles, choices, slots).
def upgrade():
    op.add_column('agenda_items', sa.Column('location_name', sa.String(length=200), server_default='', nullable=False))
    op.add_column('agenda_items', sa.Column('location_address', sa.String(length=300), server_default='', nullable=False))
    op.add_column('agenda_items', sa.Column('latitude', sa.Float(), nullable=True))
    op.add_column('agenda_items', sa.Column('longitude', sa.Float(), nullable=True))


def downgrade():
    for column in ('longitude', 'latitude', 'location_address', 'location_name'):
        op.drop_column('agenda_items', column)
