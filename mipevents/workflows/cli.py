"""`flask --app wsgi demo` and `flask --app wsgi meetings …`: the commands of work across areas — demo
data, imports, generated data, publishing a meeting and its agenda."""
import json
from datetime import date
from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from mipevents.agenda.publishing import OpenConflicts, publish_agenda
from mipevents.extensions import db
from mipevents.meetings.models import Meeting
from mipevents.workflows import demo, generator, importer

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
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--draft", is_flag=True, help="Leave the meeting and its agenda unpublished.")
@click.option("--with-registrants", is_flag=True, help="Also import the file's registrants (benchmarks).")
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change, writing nothing.")
def import_command(file, draft, with_registrants, dry_run):
    """Import or update a meeting from FILE.json (the format of mipevents/workflows/import.schema.json).
    Every problem in the file is named by its place, and then nothing is written."""
    data = _read_json(file)
    try:
        report = importer.import_meeting(data, draft=draft, with_registrants=with_registrants, progress=lambda message: click.echo(f"  … {message}", err=True))
    except importer.ImportProblem as exc:
        db.session.rollback()
        problems = str(exc).splitlines()
        if len(problems) == 1:
            raise click.ClickException(f"nothing imported: {problems[0]}") from None
        raise click.ClickException(f"nothing imported, {len(problems)} problems:\n" + "\n".join(f"  {p}" for p in problems)) from None
    except SQLAlchemyError as exc:   # what the checks could not foresee: the file is refused all the same
        db.session.rollback()
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise click.ClickException(f"nothing imported: the database refused the file ({reason})") from None
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    meeting = report.meeting
    would = "would be " if dry_run else ""
    if not report.changed:
        click.echo(f"{meeting.slug}: {would}unchanged.")
    for bucket, counts in (("created", report.created), ("updated", report.updated)):
        if counts:
            click.echo(f"{meeting.slug}: {would}{bucket} " + ", ".join(f"{n} {what}" for what, n in counts.items()))
    if report.release is not None:
        click.echo(f"{'Would publish' if dry_run else 'Published'} release {report.release.number} of the agenda.")
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    if dry_run:
        click.echo("Dry run: nothing was written.")


def _read_json(path: str):
    """The file's JSON, or a ClickException saying why it is none (never a traceback)."""
    try:
        return json.loads(Path(path).read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"{path} is not UTF-8 text (byte {exc.start} cannot be read)") from None
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"{path} is not valid JSON: {exc}") from None
    except RecursionError:
        raise click.ClickException(f"{path} is not valid JSON: it is nested too deeply") from None


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
