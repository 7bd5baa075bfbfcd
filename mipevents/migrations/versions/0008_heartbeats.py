"""heartbeats: the row /healthz writes to prove the database takes writes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 12:00:00

"""
from alembic import op
import sqlalchemy as sa

import mipevents.core.db_types


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('heartbeats',
    sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('process', sa.String(length=100), nullable=False),
    sa.Column('beat_at', mipevents.core.db_types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_heartbeats'))
    )


def downgrade():
    op.drop_table('heartbeats')
