"""`flask asks expire`: close open requests past their expiry date, for a daily scheduler."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from webapp.asks.services import expire_requests
from webapp.core.extensions import db

cli = AppGroup("asks", help="Help requests: maintenance jobs.")


@cli.command("expire")
def expire() -> None:
    """Close open requests past their expiry date (for a daily scheduler)."""
    count = expire_requests()
    db.session.commit()
    click.echo(f"Expired {count} request(s).")
