"""Staff pages of the agenda area (behind login, under /staff/)."""
from flask import Blueprint

staff_bp = Blueprint("staff_agenda", __name__, url_prefix="/staff")
