"""Temporary: notify.delivery's worker still asks here for the change notices due (moved to workflows.change_notices)."""


def queue_due_change_notices(now=None) -> int:
    from mipevents.workflows.change_notices import queue_due_change_notices as queue  # the worker's old path

    return queue(now)
