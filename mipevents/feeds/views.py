"""Public pages of the feeds area."""
from flask import Blueprint

bp = Blueprint("feeds", __name__)
