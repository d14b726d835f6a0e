"""Migrations are code that is tested: one head, dated files, every downgrade works, and the migrated schema
matches the models. Runs on a throwaway SQLite file, and on a throwaway PostgreSQL database (created next to
TEST_DATABASE_URL's, then dropped) when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, make_url, text

from tests.conftest import app_config
from webapp import MIGRATIONS_DIR, create_app
from webapp.core.extensions import db


def script_directory() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config)


def test_there_is_exactly_one_head():
    heads = script_directory().get_heads()
    assert len(heads) == 1, f"several heads, merge them: {heads}"


def test_revision_history_is_one_line_from_base():
    revisions = list(script_directory().walk_revisions())
    assert revisions, "no migrations"
    assert sum(1 for r in revisions if r.down_revision is None) == 1
    for revision in revisions:
        assert not revision.is_merge_point, f"{revision.revision} merges branches: keep one line"


def test_revision_files_are_dated():
    names = [p.name for p in (Path(MIGRATIONS_DIR) / "versions").glob("*.py")]
    assert names
    for name in names:
        assert re.match(r"^\d{8}_[0-9a-f]{6,}_\w+\.py$", name), name


def model_tables() -> set[str]:
    return set(db.metadata.tables)


def schema_differences() -> list:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


def table_names() -> set[str]:
    return set(inspect(db.engine).get_table_names())


def check_up_down_up(app) -> None:
    revisions = [r.revision for r in script_directory().walk_revisions()]  # newest first
    with app.app_context():
        try:
            assert table_names() - {"alembic_version"} == set(), "the database is not empty"
            upgrade()
            assert table_names() == model_tables() | {"alembic_version"}
            assert schema_differences() == []

            # Step down one revision at a time, so every downgrade() runs on its own.
            for _ in revisions:
                downgrade(revision="-1")
            assert table_names() - {"alembic_version"} == set()

            # Step up one at a time, then check again.
            for _ in revisions:
                upgrade(revision="+1")
            assert table_names() == model_tables() | {"alembic_version"}
            assert schema_differences() == []

            downgrade(revision="base")
            assert table_names() - {"alembic_version"} == set()
            upgrade()
            assert schema_differences() == []
        finally:
            db.session.remove()
            db.engine.dispose()


def test_upgrade_downgrade_upgrade_on_an_empty_sqlite_database(tmp_path):
    app = create_app(app_config(f"sqlite:///{tmp_path / 'migrations.db'}", str(tmp_path)))
    check_up_down_up(app)


@pytest.fixture
def throwaway_postgres_url() -> Iterator[str]:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        pytest.skip("TEST_DATABASE_URL is not a PostgreSQL database")
    server = make_url(url)
    name = f"samen_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # no CREATEDB privilege: say so rather than touch the session's schema
        admin.dispose()
        pytest.skip(f"cannot create a throwaway database: {error}")
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def test_upgrade_downgrade_upgrade_on_an_empty_postgresql_database(throwaway_postgres_url, tmp_path):
    app = create_app(app_config(throwaway_postgres_url, str(tmp_path)))
    check_up_down_up(app)


def test_models_and_migrations_agree_on_the_test_database(app):
    """The session's database (SQLite, or PostgreSQL with TEST_DATABASE_URL) was built by the migrations."""
    with app.app_context():
        try:
            assert schema_differences() == []
        finally:
            db.session.remove()


def test_stepping_over_the_newest_revisions_keeps_the_rows_that_refer_to_a_person(tmp_path):
    """SQLite rebuilds a table to alter it (copy, DROP, rename); with foreign keys on, the DROP deleted every row
    that refers to the table with ON DELETE CASCADE: upgrading an existing database over a change to `users`
    emptied volunteer profiles, roles, notifications and more. Rows written at the head survive stepping down over
    the newest revisions and up again."""
    from webapp.accounts.models import User, UserRole, VolunteerProfile
    from webapp.core.access import Role
    from webapp.notifications.models import Notification

    app = create_app(app_config(f"sqlite:///{tmp_path / 'rows.db'}", str(tmp_path)))
    tables = ("users", "volunteer_profiles", "user_roles", "notifications")
    with app.app_context():
        try:
            upgrade()
            person = User(email="iemand@example.org", first_name="Iemand", last_name="Test")
            db.session.add(person)
            db.session.flush()
            db.session.add_all([VolunteerProfile(user_id=person.id, skills=["koken"], languages=["nl"]),
                                UserRole(user_id=person.id, role=Role.STAFF),
                                Notification(user_id=person.id, kind="thanks", params={})])
            db.session.commit()

            def counts() -> dict[str, int]:
                with db.engine.connect() as connection:
                    return {t: connection.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608 (fixed names)
                            for t in tables}

            assert counts() == dict.fromkeys(tables, 1)
            for _ in range(4):
                downgrade(revision="-1")
            for _ in range(4):
                upgrade(revision="+1")
            assert counts() == dict.fromkeys(tables, 1)
        finally:
            db.session.remove()
            db.engine.dispose()
