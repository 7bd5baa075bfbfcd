"""Public pages of the calls area."""
from flask import Blueprint

bp = Blueprint("calls", __name__)
