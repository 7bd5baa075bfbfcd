"""`flask --app wsgi notify …`: deliver the outbox and queue reminders."""
import click
from flask import current_app
from flask.cli import AppGroup

from mipevents.notify import delivery
from mipevents.workflows import change_notices
from mipevents.workflows import reminders as reminders_due

notify_cli = AppGroup("notify", help="Email: deliver the outbox, queue reminders.")


@notify_cli.command("send")
@click.option("--limit", default=500, show_default=True, help="At most this many messages.")
def send(limit):
    """Deliver pending messages once (for cron); nothing when another sender of this installation runs."""
    lock = delivery.SenderLock(current_app.instance_path)
    if not lock.acquire():
        click.echo("another sender of this installation is delivering; nothing to do")
        return
    try:
        result = delivery.send_pending(limit=limit)
    finally:
        lock.release()
    click.echo(f"sent {result.sent}, failed {result.failed}, retrying later {result.deferred}")


@notify_cli.command("worker")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes when idle.")
def worker(interval):
    """Deliver continuously, beside the web processes (one at a time per installation: a second
    worker waits and takes over when the first ends)."""
    delivery.run_worker(interval=interval, before_each_pass=change_notices.queue_due_change_notices)


@notify_cli.command("reminders")
def reminders():
    """Queue the 24-hour and 1-hour reminders that are due (each exactly once; cron-safe)."""
    queued = reminders_due.queue_due_reminders()
    click.echo(f"queued {queued} reminders")
COMMANDS = [notify_cli]
