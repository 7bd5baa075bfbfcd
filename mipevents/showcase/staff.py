"""Staff pages of the showcase area (behind login, under /staff/)."""
from flask import Blueprint

staff_bp = Blueprint("staff_showcase", __name__, url_prefix="/staff")
