"""seat counts: confirmed registrations per event, kept by triggers on registrations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 02:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The same SQL as mipevents.registration.models.SEAT_COUNT_TRIGGERS when this revision was written.
POSTGRESQL_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION registrations_seat_count() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'confirmed' THEN
        IF OLD.meeting_id IS NOT NULL THEN
            UPDATE seat_counts SET confirmed = confirmed - 1 WHERE meeting_id = OLD.meeting_id;
        ELSE
            UPDATE seat_counts SET confirmed = confirmed - 1 WHERE webinar_id = OLD.webinar_id;
        END IF;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.status = 'confirmed' THEN
        IF NEW.meeting_id IS NOT NULL THEN
            INSERT INTO seat_counts (meeting_id, confirmed) VALUES (NEW.meeting_id, 1)
            ON CONFLICT (meeting_id) DO UPDATE SET confirmed = seat_counts.confirmed + 1;
        ELSE
            INSERT INTO seat_counts (webinar_id, confirmed) VALUES (NEW.webinar_id, 1)
            ON CONFLICT (webinar_id) DO UPDATE SET confirmed = seat_counts.confirmed + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS registrations_seat_count_insert_delete ON registrations",
    """CREATE TRIGGER registrations_seat_count_insert_delete AFTER INSERT OR DELETE ON registrations
FOR EACH ROW EXECUTE FUNCTION registrations_seat_count()""",
    "DROP TRIGGER IF EXISTS registrations_seat_count_update ON registrations",
    """CREATE TRIGGER registrations_seat_count_update AFTER UPDATE OF status, meeting_id, webinar_id ON registrations
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.meeting_id IS DISTINCT FROM NEW.meeting_id
                   OR OLD.webinar_id IS DISTINCT FROM NEW.webinar_id)
EXECUTE FUNCTION registrations_seat_count()""",
]

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS registrations_seat_count_insert AFTER INSERT ON registrations
WHEN NEW.status = 'confirmed'
BEGIN
    INSERT OR IGNORE INTO seat_counts (meeting_id, webinar_id, confirmed) VALUES (NEW.meeting_id, NEW.webinar_id, 0);
    UPDATE seat_counts SET confirmed = confirmed + 1
    WHERE meeting_id IS NEW.meeting_id AND webinar_id IS NEW.webinar_id;
END""",
    """CREATE TRIGGER IF NOT EXISTS registrations_seat_count_delete AFTER DELETE ON registrations
WHEN OLD.status = 'confirmed'
BEGIN
    UPDATE seat_counts SET confirmed = confirmed - 1
    WHERE meeting_id IS OLD.meeting_id AND webinar_id IS OLD.webinar_id;
END""",
    """CREATE TRIGGER IF NOT EXISTS registrations_seat_count_update AFTER UPDATE OF status, meeting_id, webinar_id
ON registrations
WHEN OLD.status IS NOT NEW.status OR OLD.meeting_id IS NOT NEW.meeting_id OR OLD.webinar_id IS NOT NEW.webinar_id
BEGIN
    UPDATE seat_counts SET confirmed = confirmed - 1
    WHERE OLD.status = 'confirmed' AND meeting_id IS OLD.meeting_id AND webinar_id IS OLD.webinar_id;
    INSERT OR IGNORE INTO seat_counts (meeting_id, webinar_id, confirmed)
    SELECT NEW.meeting_id, NEW.webinar_id, 0 WHERE NEW.status = 'confirmed';
    UPDATE seat_counts SET confirmed = confirmed + 1
    WHERE NEW.status = 'confirmed' AND meeting_id IS NEW.meeting_id AND webinar_id IS NEW.webinar_id;
END""",
]


def upgrade():
    op.create_table('seat_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('webinar_id', sa.Integer(), nullable=True),
    sa.Column('confirmed', sa.Integer(), nullable=False),
    sa.CheckConstraint('(meeting_id IS NULL) <> (webinar_id IS NULL)', name=op.f('ck_seat_counts_one_event')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_seat_counts_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_seat_counts_webinar_id_webinars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_seat_counts')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_seat_counts_meeting_id')),
    sa.UniqueConstraint('webinar_id', name=op.f('uq_seat_counts_webinar_id'))
    )
    # The counts of the registrations already there, then the triggers that keep them.
    op.execute("""INSERT INTO seat_counts (meeting_id, webinar_id, confirmed)
        SELECT meeting_id, webinar_id, count(*) FROM registrations WHERE status = 'confirmed'
        GROUP BY meeting_id, webinar_id""")
    dialect = op.get_bind().dialect.name
    for statement in POSTGRESQL_TRIGGERS if dialect == 'postgresql' else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("DROP TRIGGER IF EXISTS registrations_seat_count_insert_delete ON registrations")
        op.execute("DROP TRIGGER IF EXISTS registrations_seat_count_update ON registrations")
        op.execute("DROP FUNCTION IF EXISTS registrations_seat_count()")
    else:
        for name in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER IF EXISTS registrations_seat_count_{name}")
    op.drop_table('seat_counts')
