"""Finding people by email, and minting, resolving and revoking their private tokens."""
import hashlib
import secrets

from sqlalchemy import bindparam, select, text, update

from mipevents.core.database import execute, insert_or_ignore, prebuilt
from mipevents.core.db_types import UTCDateTime
from mipevents.core.text import email_key
from mipevents.core.timeutil import utcnow
from mipevents.extensions import db
from mipevents.people.models import Person, SchedulerApproval, Token


def normalise_email(email: str) -> str:
    """A person's key (see core.text.email_key): `Mayor@Bücher.DE` and `mayor@xn--bcher-kva.de` are one."""
    return email_key(email)


def person_for_email(email: str, name: str = "", *, fill_name: bool = True) -> Person:
    """The one Person with this email, created if new (flushed, not committed). `name` names a new
    person; with `fill_name` (staff and imports, who know) it also names one who has no name yet. A
    public post passes fill_name=False: an address proves nothing, so it never changes a person.

    Two requests creating the same new person race on the unique email; the loser's flush
    fails inside a savepoint and it reads the winner's row instead."""
    key = normalise_email(email)
    person = db.session.execute(select(Person).where(Person.email == key)).scalar_one_or_none()
    if person is not None:
        if fill_name and name and not person.name:
            person.name = name
        return person
    person = Person(email=key, name=name or "")
    try:
        with db.session.begin_nested():
            db.session.add(person)
    except Exception:  # IntegrityError from a concurrent insert of the same email
        person = db.session.execute(select(Person).where(Person.email == key)).scalar_one()
    return person


@prebuilt
def _insert_person(dialect_name: str):
    table = Person.__table__
    return insert_or_ignore(table, ["email"], dialect_name).returning(table.c.id)


@prebuilt
def _person_id(dialect_name: str):
    table = Person.__table__
    return select(table.c.id, table.c.name).where(table.c.email == bindparam("email"))


def person_id_for_email(email: str, name: str = "") -> tuple[int, bool]:
    """The id of the one Person with this email, created (with `name`) if new; and whether this call
    created it. For public posts: an existing person is never changed (not even a missing name).

    No ORM object and one statement for a new person (the hot path of registering): a concurrent
    insert of the same email makes this one a no-op that then reads the winner's row."""
    key = normalise_email(email)
    created = execute(_insert_person, {"email": key, "name": name or "", "created_at": utcnow()}).scalar()
    if created is not None:
        return created, True
    return execute(_person_id, {"email": key}).one()[0], False


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_hash(raw: str) -> str | None:
    """What a raw token is stored as, or None for a value no token can have: for a read that looks a
    live token up inside its own statement (resolve_token's rule: this hash, the purpose, not revoked)."""
    if not raw or len(raw) > 100:
        return None
    return _hash(raw)


def mint_token(person: Person, purpose: str, subject_id: int | None = None) -> str:
    """A fresh random token (256 bits) for this person and purpose; returns the raw value, once."""
    raw = secrets.token_urlsafe(32)
    db.session.add(Token(person=person, purpose=purpose, subject_id=subject_id, token_hash=_hash(raw)))
    db.session.flush()
    return raw


def _insert_tokens(rows: int):
    """INSERT of `rows` tokens in one statement. Text, as SQLAlchemy does not cache the compiled form
    of a multi-row VALUES (and executemany would take a round trip more)."""
    @prebuilt
    def build(dialect_name: str):
        values = ", ".join(f"(:person_id_{n}, :purpose_{n}, :subject_id_{n}, :token_hash_{n}, :created_at_{n})"
                           for n in range(rows))
        sql = f"INSERT INTO tokens (person_id, purpose, subject_id, token_hash, created_at) VALUES {values}"  # noqa: S608 (placeholders only)
        return text(sql).bindparams(*(bindparam(f"created_at_{n}", type_=UTCDateTime) for n in range(rows)))
    return build


_INSERT_TOKENS = {rows: _insert_tokens(rows) for rows in (1, 2, 4)}


def mint_tokens(person_id: int, wanted: list[tuple[str, int | None]]) -> list[str]:
    """Fresh tokens for one person, one per (purpose, subject_id) asked (1, 2 or 4 of them), in one
    statement and no ORM objects; returns the raw values in that order (each shown once, as
    mint_token's)."""
    raws = [secrets.token_urlsafe(32) for _ in wanted]
    now = utcnow()
    params = {}
    for n, ((purpose, subject_id), raw) in enumerate(zip(wanted, raws, strict=True)):
        params.update({f"person_id_{n}": person_id, f"purpose_{n}": purpose, f"subject_id_{n}": subject_id,
                       f"token_hash_{n}": _hash(raw), f"created_at_{n}": now})
    execute(_INSERT_TOKENS[len(wanted)], params)
    return raws


def resolve_token(raw: str, purpose: str) -> Token | None:
    """The live token for a raw value and purpose, or None (unknown, revoked, or another purpose)."""
    if not raw or len(raw) > 100:
        return None
    token = db.session.execute(
        select(Token).where(Token.token_hash == _hash(raw), Token.purpose == purpose)
    ).scalar_one_or_none()
    if token is None or token.revoked_at is not None:
        return None
    return token


def revoke_tokens(person: Person, purpose: str, subject_id: int | None = None) -> int:
    """Revoke every live token of this purpose (and subject, when given); returns how many."""
    stmt = update(Token).where(Token.person_id == person.id, Token.purpose == purpose,
                               Token.revoked_at.is_(None))
    if subject_id is not None:
        stmt = stmt.where(Token.subject_id == subject_id)
    return db.session.execute(stmt.values(revoked_at=utcnow())).rowcount


def reset_token(person: Person, purpose: str, subject_id: int | None = None) -> str:
    """'Reset my link': revoke all of that purpose and issue one new token."""
    revoke_tokens(person, purpose, subject_id)
    return mint_token(person, purpose, subject_id)


def approved_schedulers(person_id: int | None) -> list[Person]:
    """The schedulers this person approved from their own inbox and has not removed (never one who
    only asked: a scheduler's word proves nothing). They get copies of what is sent to the person
    about their roles (speaker invitations, briefing books)."""
    if person_id is None:
        return []
    return list(db.session.execute(
        select(Person).join(SchedulerApproval, SchedulerApproval.scheduler_id == Person.id)
        .where(SchedulerApproval.person_id == person_id, SchedulerApproval.approved_at.is_not(None),
               SchedulerApproval.revoked_at.is_(None), Person.erased_at.is_(None), Person.id != person_id)
        .order_by(SchedulerApproval.id)).scalars())
