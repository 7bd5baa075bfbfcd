"""Public pages of the showcase area."""
from flask import Blueprint

bp = Blueprint("showcase", __name__)
