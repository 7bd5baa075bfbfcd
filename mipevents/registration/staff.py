"""Staff pages of the registration area (behind login, under /staff/)."""
from flask import Blueprint

staff_bp = Blueprint("staff_registration", __name__, url_prefix="/staff")
