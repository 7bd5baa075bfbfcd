"""Staff pages of the cohorts area (behind login, under /staff/)."""
from flask import Blueprint

staff_bp = Blueprint("staff_cohorts", __name__, url_prefix="/staff")
