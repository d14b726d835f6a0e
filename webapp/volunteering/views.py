"""The front door for volunteering."""

from __future__ import annotations

from flask import Blueprint

from webapp.volunteering import models  # noqa: F401 (the tables, for the metadata)

bp = Blueprint("volunteering", __name__)
