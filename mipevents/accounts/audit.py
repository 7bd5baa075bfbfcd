"""Recording staff changes in the audit log."""
from mipevents.accounts.models import AuditEntry
from mipevents.extensions import db


def record(action: str, obj=None, *, actor=None, summary: str = "", before: dict | None = None,
           after: dict | None = None, meeting_id: int | None = None, object_type: str | None = None) -> AuditEntry:
    """Add an audit entry (flushed with the change it describes; the caller commits both).

    `actor` is a staff User, or None for the command line and the system."""
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "email", None) or "system",
        action=action,
        object_type=object_type or (type(obj).__name__ if obj is not None else ""),
        object_id=getattr(obj, "id", None),
        meeting_id=meeting_id if meeting_id is not None else getattr(obj, "meeting_id", None),
        summary=summary, before=before, after=after,
    )
    db.session.add(entry)
    return entry
