"""person keys: every stored address in the one normal form; people who become one are merged

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 12:40:00

"""
import unicodedata

from alembic import op
import idna
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def key(address: str) -> str:
    """mipevents.core.text.email_key when this revision was written: trimmed, NFC, case-folded, the
    domain in IDNA, lower-cased."""
    folded = unicodedata.normalize("NFC", (address or "").strip()).casefold()
    local, at, domain = folded.rpartition("@")
    if at:
        try:
            folded = f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}"
        except idna.IDNAError:
            pass
    return folded.lower()


def _references(conn):
    """(table, column, nullable, the other columns of each unique constraint or index it is in) for
    every column that points at people.id, whichever area's table it is in."""
    inspector = sa.inspect(conn)
    found = []
    for table in inspector.get_table_names():
        for fk in inspector.get_foreign_keys(table):
            if fk["referred_table"] != "people" or len(fk["constrained_columns"]) != 1:
                continue
            column = fk["constrained_columns"][0]
            nullable = next(c["nullable"] for c in inspector.get_columns(table) if c["name"] == column)
            uniques = [u["column_names"] for u in inspector.get_unique_constraints(table)]
            uniques += [i["column_names"] for i in inspector.get_indexes(table) if i.get("unique")]
            others = [[c for c in cols if c != column] for cols in uniques if column in cols]
            found.append((table, column, nullable, others))
    return found


def _merge(conn, references, duplicate: int, kept: int) -> None:
    """Point everything of `duplicate` at `kept`. Where `kept` already has the row a unique constraint
    allows once (a registration for the same event, a membership of the same cohort, a speaker
    profile), the duplicate's row gives way: set to NULL where it may be, else deleted."""
    ids = {"duplicate": duplicate, "kept": kept}
    for table, column, nullable, others in references:
        for cols in others:
            same = "".join(f' AND k."{c}" = "{table}"."{c}"' for c in cols)
            where = (f'"{column}" = :duplicate AND EXISTS '
                     f'(SELECT 1 FROM "{table}" AS k WHERE k."{column}" = :kept{same})')
            if nullable:
                conn.execute(sa.text(f'UPDATE "{table}" SET "{column}" = NULL WHERE {where}'), ids)
            else:
                conn.execute(sa.text(f'DELETE FROM "{table}" WHERE {where}'), ids)
        conn.execute(sa.text(f'UPDATE "{table}" SET "{column}" = :kept WHERE "{column}" = :duplicate'), ids)
    conn.execute(sa.text("DELETE FROM people WHERE id = :duplicate"), ids)


def upgrade():
    conn = op.get_bind()
    groups = {}
    for person_id, email in conn.execute(sa.text("SELECT id, email FROM people ORDER BY id")):
        groups.setdefault(key(email), []).append((person_id, email))
    references = None
    for normal, rows in groups.items():
        kept, email = rows[0]
        for duplicate, _ in rows[1:]:
            references = references if references is not None else _references(conn)
            _merge(conn, references, duplicate, kept)
        if email != normal:
            conn.execute(sa.text("UPDATE people SET email = :email WHERE id = :id"), {"email": normal, "id": kept})
    # The lookup keys kept beside a person: a speaker's email, an application's (once per call).
    for speaker_id, email in conn.execute(sa.text("SELECT id, email FROM speakers WHERE email IS NOT NULL")).all():
        if key(email) != email:
            conn.execute(sa.text("UPDATE speakers SET email = :email WHERE id = :id"), {"email": key(email), "id": speaker_id})
    taken = {tuple(row) for row in conn.execute(sa.text("SELECT call_id, email FROM applications"))}
    for application_id, call_id, email in conn.execute(sa.text("SELECT id, call_id, email FROM applications")).all():
        if key(email) != email and (call_id, key(email)) not in taken:
            conn.execute(sa.text("UPDATE applications SET email = :email WHERE id = :id"),
                         {"email": key(email), "id": application_id})
            taken.add((call_id, key(email)))


def downgrade():
    pass   # merged people stay merged; the keys they now have are keys the code before read as well
