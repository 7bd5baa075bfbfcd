"""extras asked: tell a registration never asked about receptions and site visits from one that declined

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05 12:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# A registration was asked when it ticked something, or when it came through the web form while its
# meeting already had a reception or tour to offer (the form lists them); every other row (the JSON
# API, imports, staff, or a form that had nothing to offer yet) was never asked and joins them all.
MARK_ASKED = """
UPDATE registrations SET extras_asked = :yes
WHERE meeting_id IS NOT NULL
  AND (CAST(extras AS TEXT) NOT IN ('[]', 'null')
       OR (source = 'web' AND EXISTS (
           SELECT 1 FROM agenda_items a
           WHERE a.meeting_id = registrations.meeting_id AND a.kind IN ('reception', 'tour')
             AND a.created_at <= registrations.created_at)))
"""


# Plain ALTER TABLE, never a batch copy: copying the table on SQLite would drop its seat-count triggers.
def upgrade():
    op.add_column('registrations', sa.Column('extras_asked', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.get_bind().execute(sa.text(MARK_ASKED), {"yes": True})


def downgrade():
    op.drop_column('registrations', 'extras_asked')
