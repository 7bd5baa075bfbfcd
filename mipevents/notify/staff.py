"""Staff pages of the notify area (behind login, under /staff/)."""
from flask import Blueprint

staff_bp = Blueprint("staff_notify", __name__, url_prefix="/staff")
