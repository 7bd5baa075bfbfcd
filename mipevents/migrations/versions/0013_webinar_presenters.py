"""webinar presenters as speaker profiles: each entry of a webinar's presenters text becomes a link to
a profile, the one with the entry's email where it gives one, else a new profile (never merged by
name); the text is rebuilt from the profiles, without emails

Revision ID: 0013_webinar_presenters
Revises: 0012_canonical_zones
Create Date: 2026-12-05 15:10:00

"""
import re
import unicodedata
from datetime import UTC, datetime

from alembic import op
import idna
import sqlalchemy as sa
import mipevents.core.db_types


# revision identifiers, used by Alembic.
revision = '0013_webinar_presenters'
down_revision = '0012_canonical_zones'
branch_labels = None
depends_on = None

# mipevents.webinars.presenters when this revision was written (a migration keeps its own copy).
HONORIFICS = ("mayor", "dr.", "dr", "councilmember", "councilwoman", "councilman", "commissioner", "senator",
              "rep.", "representative", "secretary", "judge", "prof.", "professor", "mr.", "ms.", "mrs.", "mx.")
EMAIL = re.compile(r"<?\s*([^\s<>@,;()]+@[^\s<>@,;()]+\.[^\s<>@,;()]+)\s*>?")


def key(address: str) -> str:
    """mipevents.core.text.email_key when this revision was written."""
    folded = unicodedata.normalize("NFC", (address or "").strip()).casefold()
    local, at, domain = folded.rpartition("@")
    if at:
        try:
            folded = f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
        except idna.IDNAError:
            pass
    return folded.lower()


def entries(text: str) -> list[str]:
    return [part.strip() for line in (text or "").splitlines() for part in line.split(";") if part.strip()]


def parse(line: str) -> tuple[str, str, str, str]:
    """(honorific, name, position, email) of one entry."""
    email = ""
    found = EMAIL.search(line)
    if found:
        email = found.group(1)
        line = line[:found.start()] + line[found.end():]
    line = " ".join(line.split()).strip(" ,–-")
    cut = min([i for i in (line.find(","), line.find("(")) if i >= 0], default=len(line))
    name, rest = line[:cut].strip(), line[cut:].strip(" ,")
    if rest.startswith("(") and rest.endswith(")"):
        rest = rest[1:-1].strip()
    honorific = ""
    words = name.split(" ", 1)
    if len(words) == 2 and words[0].casefold() in HONORIFICS:
        honorific, name = words
    return honorific, name.strip(), rest.replace("(", "").replace(")", "").strip(" ,"), email


def upgrade():
    op.create_table('webinar_presenters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webinar_id', sa.Integer(), nullable=False),
    sa.Column('speaker_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['speaker_id'], ['speakers.id'], name=op.f('fk_webinar_presenters_speaker_id_speakers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webinar_id'], ['webinars.id'], name=op.f('fk_webinar_presenters_webinar_id_webinars'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webinar_presenters')),
    sa.UniqueConstraint('webinar_id', 'speaker_id', name=op.f('uq_webinar_presenters_webinar_id_speaker_id'))
    )
    with op.batch_alter_table('webinar_presenters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_webinar_presenters_speaker_id'), ['speaker_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_webinar_presenters_webinar_id'), ['webinar_id'], unique=False)
    _profiles_from_text(op.get_bind())


def _profiles_from_text(conn) -> None:
    now = datetime.now(UTC)
    speakers = sa.table('speakers', sa.column('id'), sa.column('person_id'), sa.column('honorific'),
                        sa.column('name'), sa.column('position'), sa.column('organization'), sa.column('city'),
                        sa.column('state'), sa.column('bio'), sa.column('email'), sa.column('photo_version'),
                        sa.column('photo_alt'),
                        sa.column('created_at', mipevents.core.db_types.UTCDateTime(timezone=True)),
                        sa.column('updated_at', mipevents.core.db_types.UTCDateTime(timezone=True)))
    by_email = {}
    for row in conn.execute(sa.text("SELECT id, email FROM speakers WHERE email IS NOT NULL AND email <> '' ORDER BY id")):
        by_email.setdefault(key(row.email), row.id)
    people = {row.email: row.id for row in conn.execute(sa.text("SELECT id, email FROM people"))}
    taken = {row.person_id for row in conn.execute(sa.text("SELECT person_id FROM speakers WHERE person_id IS NOT NULL"))}
    webinars = conn.execute(sa.text("SELECT id, presenters FROM webinars WHERE presenters IS NOT NULL AND presenters <> '' ORDER BY id")).all()
    for webinar in webinars:
        chosen, lines = [], []
        for entry in entries(webinar.presenters):
            honorific, name, position, email = parse(entry)
            if not name:
                continue
            email = key(email) if email else ""
            speaker_id = by_email.get(email) if email else None
            if speaker_id is None:
                person_id = people.get(email) if email and people.get(email) not in taken else None
                speaker_id = conn.execute(speakers.insert().values(
                    person_id=person_id, honorific=honorific[:40], name=name[:200], position=position[:200],
                    organization="", city="", state="", bio="", email=email or None, photo_version=0, photo_alt="",
                    created_at=now, updated_at=now).returning(speakers.c.id)).scalar_one()
                if email:
                    by_email[email] = speaker_id
                if person_id is not None:
                    taken.add(person_id)
                shown = (f"{honorific} {name}".strip()) + (f", {position}" if position else "")
            else:
                row = conn.execute(sa.text("SELECT honorific, name, position, organization FROM speakers WHERE id = :id"),
                                   {"id": speaker_id}).one()
                detail = row.position or row.organization
                shown = (f"{row.honorific or ''} {row.name}".strip()) + (f", {detail}" if detail else "")
            if speaker_id in chosen:
                continue
            conn.execute(sa.text("INSERT INTO webinar_presenters (webinar_id, speaker_id, role, position) "
                                 "VALUES (:w, :s, 'presenter', :p)"), {"w": webinar.id, "s": speaker_id, "p": len(chosen)})
            chosen.append(speaker_id)
            lines.append(shown)
        conn.execute(sa.text("UPDATE webinars SET presenters = :text WHERE id = :id"),
                     {"text": "\n".join(lines), "id": webinar.id})


def downgrade():
    # The profiles stay (staff may have edited or invited them); the webinars keep their text.
    with op.batch_alter_table('webinar_presenters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_webinar_presenters_webinar_id'))
        batch_op.drop_index(batch_op.f('ix_webinar_presenters_speaker_id'))
    op.drop_table('webinar_presenters')
