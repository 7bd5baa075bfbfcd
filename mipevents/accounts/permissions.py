"""Who may do what: decorators for staff views."""
from functools import wraps

from flask import abort
from flask_login import current_user

from mipevents.extensions import login_manager


def role_required(*roles):
    """Signed in, with one of `roles` (any staff role when none is given)."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        wrapper.required_roles = roles or ("admin", "staff", "reviewer")
        return wrapper
    return decorator


staff_required = role_required("admin", "staff")
admin_required = role_required("admin")
reviewer_required = role_required("admin", "staff", "reviewer")
