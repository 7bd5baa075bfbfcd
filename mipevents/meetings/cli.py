"""`flask --app wsgi demo` and `flask --app wsgi meetings …`: demo data, imports, generated data, publishing."""
import json
from datetime import date

import click
from flask.cli import AppGroup
from sqlalchemy import select

from mipevents.agenda.publishing import OpenConflicts, publish_agenda
from mipevents.extensions import db
from mipevents.meetings import demo, importer
from mipevents.meetings.models import Meeting
from mipevents.workflows import generator

meetings_cli = AppGroup("meetings", help="Import and publish meetings.")


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the database holds meetings.")
def demo_command(if_empty):
    """Load the demo convening into an empty database and print the staff sign-in."""
    if not demo.database_is_empty():
        if if_empty:
            click.echo("The database already holds meetings; demo not loaded.")
            return
        raise click.ClickException("the database already holds meetings; the demo loads only into an empty one")
    result = demo.load_demo()
    db.session.commit()
    click.echo(f"Loaded the demo: meetings {', '.join(result['meetings'])}; webinar {result['webinar']}.")
    click.echo(f"Staff sign-in at /staff/login: {result['email']} / {result['password']}")


@meetings_cli.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--draft", is_flag=True, help="Leave the meeting and its agenda unpublished.")
@click.option("--with-registrants", is_flag=True, help="Also import the file's registrants (benchmarks).")
def import_command(file, draft, with_registrants):
    """Import or update a meeting from FILE.json (the format of mipevents/workflows/import.schema.json)."""
    try:
        data = json.load(file)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{file.name} is not valid JSON: {exc}") from exc
    try:
        report = importer.import_meeting(data, draft=draft, with_registrants=with_registrants, progress=lambda message: click.echo(f"  … {message}", err=True))
    except importer.ImportProblem as exc:
        db.session.rollback()
        raise click.ClickException(f"nothing imported: {exc}") from exc
    db.session.commit()
    meeting = report.meeting
    if not report.changed:
        click.echo(f"{meeting.slug}: unchanged.")
    for bucket, counts in (("created", report.created), ("updated", report.updated)):
        if counts:
            click.echo(f"{meeting.slug}: {bucket} " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    if report.release is not None:
        click.echo(f"Published release {report.release.number} of the agenda.")
    for warning in report.warnings:
        click.echo(f"warning: {warning}")


@meetings_cli.command("generate")
@click.option("--scale", type=click.Choice(list(generator.SCALES)), default="small", show_default=True)
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]), default=generator.DEFAULT_START.isoformat(),
              show_default=True, help="The meeting's first day (YYYY-MM-DD).")
@click.option("--seed", type=int, default=generator.DEFAULT_SEED, show_default=True)
def generate_command(scale, start, seed):
    """Print a synthetic convening as an import file (JSON): `meetings generate --scale large > large.json`."""
    document = generator.generate(scale, seed, date(start.year, start.month, start.day))
    click.echo(json.dumps(document, ensure_ascii=False, indent=1))


@meetings_cli.command("publish")
@click.argument("slug")
@click.option("--accept-conflicts", is_flag=True, help="Publish although conflicts are open.")
def publish_command(slug, accept_conflicts):
    """Publish a meeting and its agenda."""
    meeting = db.session.execute(select(Meeting).where(Meeting.slug == slug)).scalar_one_or_none()
    if meeting is None:
        raise click.ClickException(f"no meeting with the slug {slug!r}")
    try:
        release = publish_agenda(meeting, accept_conflicts=accept_conflicts)
    except OpenConflicts as exc:
        db.session.rollback()
        for conflict in exc.conflicts:
            click.echo(f"conflict: {conflict.message}", err=True)
        raise click.ClickException(f"{len(exc.conflicts)} open conflicts; publish with --accept-conflicts "
                                   "to acknowledge them") from exc
    db.session.commit()
    click.echo(f"Published {slug}: release {release.number}." if release else f"{slug}: nothing new to publish.")
COMMANDS = [demo_command, meetings_cli]
