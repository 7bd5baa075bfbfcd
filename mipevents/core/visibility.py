"""What the public may see, decided once (DESIGN: "What the public may see is one rule"): a meeting or
webinar that is published or cancelled and not cohort-only; a session, slot or speaker appearance when
it is published or cancelled and its meeting is public. Every public read path (pages, feeds, API,
schedule exports, showcase pages and state.json, /ideas/, speaker profiles, listings) asks here, as a
Python test for a loaded row or as SQL conditions for a query. Cohort-only events reach their members
only through private links and feeds."""

PUBLIC_STATUSES = ("published", "cancelled")


def is_public(event) -> bool:
    """A meeting or webinar (or its cached head) the public may see."""
    return event is not None and event.status in PUBLIC_STATUSES and event.cohort_id is None


def is_public_item(item, meeting) -> bool:
    """A session (or anything with a status) of `meeting` that the public may see."""
    return item is not None and item.status in PUBLIC_STATUSES and is_public(meeting)


def public_events(model) -> tuple:
    """is_public as SQL conditions on a Meeting or Webinar: select(...).where(*public_events(Meeting))."""
    return (model.status.in_(PUBLIC_STATUSES), model.cohort_id.is_(None))


def public_items(item_model, meeting_model) -> tuple:
    """is_public_item as SQL conditions, for a query that joins the item to its meeting."""
    return (item_model.status.in_(PUBLIC_STATUSES), *public_events(meeting_model))
