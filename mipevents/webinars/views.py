"""Public pages of the webinars area."""
from flask import Blueprint

bp = Blueprint("webinars", __name__)
