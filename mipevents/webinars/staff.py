"""Staff pages of the webinars area (behind login, under /staff/)."""
from flask import Blueprint

staff_bp = Blueprint("staff_webinars", __name__, url_prefix="/staff")
