"""`flask --app wsgi staff …`: staff accounts from the command line."""
import secrets

import click
from flask.cli import AppGroup
from sqlalchemy import select

from mipevents.accounts import services
from mipevents.accounts.models import User
from mipevents.extensions import db

staff_cli = AppGroup("staff", help="Staff accounts.")


@staff_cli.command("create-admin")
@click.argument("email")
@click.option("--password", help="Default: a random one, printed once.")
@click.option("--name", default="")
def create_admin(email, password, name):
    """Create an administrator (the first account of a new installation)."""
    if db.session.execute(select(User).where(User.email == email.strip().casefold())).scalar_one_or_none():
        raise click.ClickException(f"an account for {email} already exists")
    password = password or secrets.token_urlsafe(12)
    try:
        services.create_user(email, password, role="admin", name=name)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Created administrator {email.strip().casefold()} with password: {password}")
COMMANDS = [staff_cli]
