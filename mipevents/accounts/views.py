"""Staff sign-in, sign-out and password reset (the pages under /staff/ that need no login)."""
import time

from flask import Blueprint, current_app, flash, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from mipevents.accounts import services, session_expiry, signin
from mipevents.accounts.forms import LoginForm, RequestPasswordResetForm, ResetPasswordForm
from mipevents.core.web import configured_limit
from mipevents.extensions import db, limiter

bp = Blueprint("accounts", __name__, url_prefix="/staff")
bp.before_app_request(session_expiry.check)

# The one message for every failed sign-in: it never says whether the email or the password was wrong.
BAD_LOGIN = "That email and password do not match an enabled account."


def _safe_next(target: str | None) -> str:
    return signin.safe_next(target)


def _failed(response) -> bool:
    """Only failed attempts count towards the throttle (a sign-in that works redirects)."""
    return response.status_code >= 400


def _attempted_account() -> str:
    return "login-account:" + (request.form.get("email") or "").strip().casefold()[:254]


def _known_device() -> bool:
    """A browser that signed in to this account before passes the per-account throttle (signin.py)."""
    return signin.is_known_device(request.cookies.get(signin.DEVICE_COOKIE), request.form.get("email"))


@bp.route("/login", methods=["GET", "POST"])
# Two throttles, both counting failures only: one per client address, and one per account tried,
# so guesses spread over many addresses still slow down on the account they aim at.
@limiter.limit(configured_limit("RATELIMIT_LOGIN"), methods=["POST"], deduct_when=_failed,
               error_message="Too many failed sign-ins from here. Wait a minute and try again.")
@limiter.limit(configured_limit("RATELIMIT_LOGIN"), methods=["POST"], deduct_when=_failed, key_func=_attempted_account,
               exempt_when=_known_device, error_message="Too many failed sign-ins for this account. Wait a minute and try again.")
def login():
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            db.session.commit()
            session.clear()   # nothing set before sign-in survives it (no session fixation)
            login_user(user)
            session_expiry.start()
            response = redirect(_safe_next(request.args.get("next")))
            response.set_cookie(signin.DEVICE_COOKIE, signin.device_cookie_value(user.email),
                                max_age=signin.DEVICE_LIFETIME, path=url_for(".login"), httponly=True,
                                secure=current_app.config["SESSION_COOKIE_SECURE"], samesite="Strict")
            return response
        db.session.rollback()
        form.password.errors.append(BAD_LOGIN)
        status = 401
    elif request.method == "POST":
        status = 422
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    # The session cookie is signed, not stored: a copy taken before sign-out would still open pages,
    # so the account's session generation moves on and every cookie carrying the old one stops working.
    services.end_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("meetings.home"))


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit(configured_limit("RATELIMIT_LOGIN"), methods=["POST"])
def forgot_password():
    form = RequestPasswordResetForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        # The same answer whether or not an account exists: the page must not reveal who has one.
        return render_template("accounts/reset_requested.html", email=form.email.data.strip())
    return render_template("accounts/forgot_password.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit(configured_limit("RATELIMIT_LOGIN"), methods=["POST"])
def reset_password(token):
    reset = services.resolve_reset(token)
    if reset is None:
        return render_template("accounts/reset_invalid.html"), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.complete_reset(reset, form.password.data)
        db.session.commit()
        if current_user.is_authenticated:
            logout_user()
        session.clear()
        flash("Your password is changed. Sign in with the new one.", "success")
        return redirect(url_for(".login"))
    return render_template("accounts/reset_password.html", form=form), 422 if request.method == "POST" else 200


@bp.route("/session")
def session_status():
    """For the page's warning: whether the staff session is on and how long it has left (a quiet
    request: it does not keep the session alive)."""
    end = session_expiry.ends_at() if current_user.is_authenticated else None
    if end is None:
        return jsonify(signed_in=False)
    return jsonify(signed_in=True, remaining_seconds=max(int(end - time.time()), 0),
                   warn_seconds=session_expiry.WARN_SECONDS)
