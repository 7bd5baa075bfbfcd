"""Staff pages of the speakers area (behind login, under /staff/)."""
from flask import Blueprint

staff_bp = Blueprint("staff_speakers", __name__, url_prefix="/staff")
