"""The emails of the accounts area: the password-reset link."""
from datetime import datetime

from flask import current_app

from mipevents.core.timeutil import format_date, format_time, to_local
from mipevents.notify.outbox import BuiltMessage


def reset_url(token: str) -> str:
    return f"{current_app.config['MIPEVENTS_BASE_URL'].rstrip('/')}/staff/reset-password/{token}"


def build_password_reset(msg) -> BuiltMessage:
    """From the outbox row's context: the raw token and when the link expires."""
    expires = datetime.fromisoformat(msg.context["expires_at"].replace("Z", "+00:00"))
    zone = current_app.config["MIPEVENTS_TIMEZONE"]
    org = current_app.config["MIPEVENTS_ORG_NAME"]
    link = reset_url(msg.context["reset_token"])
    when = f"{format_time(expires, zone)} on {format_date(to_local(expires, zone).date())}"
    text = (f"Someone (we hope you) asked to reset the password of the {org} staff account for {msg.to_email}.\n\n"
            f"To choose a new password, open this link:\n{link}\n\n"
            f"The link works once and expires at {when}.\n"
            "If you did not ask for this, ignore this email: your password stays as it is.\n")
    return BuiltMessage(subject=f"Reset your {org} staff password", text=text)
