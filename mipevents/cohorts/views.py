"""Public pages of the cohorts area."""
from flask import Blueprint

bp = Blueprint("cohorts", __name__)
