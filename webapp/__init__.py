"""Samen: the web app. `create_app` wires extensions, blueprints, CLI and error handlers, and nothing else."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask

from webapp import cli, hooks
from webapp.accounts.services import find_by_login_id
from webapp.accounts.views import bp as accounts_bp
from webapp.asks.views import bp as asks_bp
from webapp.budgets.views import bp as budgets_bp
from webapp.core import config, database, errors, i18n, pagecache, security, templating
from webapp.core.extensions import babel, csrf, db, login_manager, migrate
from webapp.core.ratelimit import services as ratelimit
from webapp.help_pages.views import bp as help_pages_bp
from webapp.initiatives.views import bp as initiatives_bp
from webapp.notifications.views import bp as notifications_bp
from webapp.offers.views import bp as offers_bp
from webapp.pages.views import bp as pages_bp
from webapp.privacy.views import bp as privacy_bp
from webapp.reports.views import bp as reports_bp
from webapp.staff.views import bp as staff_bp
from webapp.suggestions.views import bp as suggestions_bp
from webapp.volunteering.views import bp as volunteering_bp

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
BLUEPRINTS: tuple[Blueprint, ...] = (
    pages_bp,
    accounts_bp,
    asks_bp,
    offers_bp,
    suggestions_bp,
    volunteering_bp,
    initiatives_bp,
    budgets_bp,
    notifications_bp,
    staff_bp,
    reports_bp,
    help_pages_bp,
    privacy_bp,
)


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    try:
        app.config.update(config.from_environment())
    except config.ConfigError as error:
        sys.exit(f"Samen cannot start: {error}")  # one line on stderr, exit status 1: never a traceback
    if overrides:
        app.config.update(overrides)
    register_extensions(app)
    register_blueprints(app)
    errors.register(app)
    security.register(app)
    cli.register(app)
    templating.register(app)
    pagecache.register(app)
    hooks.register(app)
    return app


def register_extensions(app: Flask) -> None:
    database.install_sqlite_pragmas()
    database.install_postgres_timeouts()
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS",
                          database.engine_options(app.config["SQLALCHEMY_DATABASE_URI"], app.config))
    db.init_app(app)
    ratelimit.register(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.login_message = i18n.LOGIN_MESSAGE
    login_manager.user_loader(find_by_login_id)


def register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
