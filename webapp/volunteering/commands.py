"""`flask volunteering ...`: jobs of the front door."""

from __future__ import annotations

from flask.cli import AppGroup

cli = AppGroup("volunteering", help="The front door for volunteering: alerts about new vacancies.")
