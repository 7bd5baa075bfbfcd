"""Staff pages of the calls area (behind login, under /staff/)."""
from flask import Blueprint

staff_bp = Blueprint("staff_calls", __name__, url_prefix="/staff")
