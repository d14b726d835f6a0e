"""`flask backup OUT` copies a live SQLite database consistently while the app writes, and the copy restores: an app
pointed at it finds every row of every table. For PostgreSQL the command points to pg_dump, and the commands the
README documents are tested against the suite's PostgreSQL database when there is one."""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, insert, make_url, select, text

from tests.conftest import app_config
from tests.factories import PASSWORD, make_request, make_user
from webapp import create_app
from webapp.accounts.models import User
from webapp.core.extensions import db
from webapp.core.reference.services import load_reference_data
from webapp.notifications.models import Notification

DEMO_PASSWORD = "demo-wachtwoord-2026"


def fresh_app(url: str, instance: Path) -> Flask:
    return create_app(app_config(url, str(instance)))


def close(app: Flask) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def row_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        counts = {table.name: db.session.execute(select(func.count()).select_from(table)).scalar_one()
                  for table in db.metadata.sorted_tables}
        db.session.remove()
        return counts


def sqlite_app(tmp_path: Path) -> Flask:
    app = fresh_app(f"sqlite:///{tmp_path / 'live.db'}", tmp_path)
    with app.app_context():
        upgrade()
    return app


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Flask]:
    """An app on an SQLite file of its own, filled with the demo data (every table has rows)."""
    app = sqlite_app(tmp_path)
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    yield app
    close(app)


@pytest.fixture
def small(tmp_path: Path) -> Iterator[Flask]:
    """An app on an SQLite file of its own with one person in it."""
    app = sqlite_app(tmp_path)
    with app.app_context():
        load_reference_data(db.session)
        make_user("resident")
        db.session.remove()
    yield app
    close(app)


def test_backup_while_the_app_writes_is_consistent_and_restores_every_row(live, tmp_path):
    with live.app_context():
        user_id = db.session.execute(select(User.id).limit(1)).scalar_one()
        db.session.remove()
    committed: list[int] = []
    stop = threading.Event()
    errors: list[BaseException] = []

    def keep_writing() -> None:  # another worker of the app, committing one notification after another
        with live.app_context():
            try:
                while not stop.is_set():
                    new_id = db.session.execute(insert(Notification).values(
                        user_id=user_id, kind="new_response", params={"title": "schrijver"})
                        .returning(Notification.id)).scalar_one()
                    db.session.commit()
                    committed.append(new_id)
            except BaseException as error:
                errors.append(error)
            finally:
                db.session.remove()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        while len(committed) < 20:  # the writer is going
            stop.wait(0.01)
        before = row_counts(live)
        committed_before = set(committed)
        out = tmp_path / "backups" / "samen.db"
        out.parent.mkdir()
        result = live.test_cli_runner().invoke(args=["backup", "create", str(out)])
        written_during = len(committed)
    finally:
        stop.set()
        writer.join(30)
    assert not errors, errors
    assert result.exit_code == 0, result.output
    assert f"Backup written to {out}" in result.output
    assert len(committed) > written_during > len(committed_before)  # it really wrote before, during and after

    with sqlite3.connect(out) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one self-contained file
        in_copy = {row[0] for row in copy.execute("SELECT id FROM notifications")}
    copy_app = fresh_app(f"sqlite:///{out}", tmp_path)
    try:
        restored = row_counts(copy_app)
        # Every row that was committed before the backup started is there ...
        assert committed_before <= in_copy
        # ... every other table is exactly as it was ...
        assert {k: v for k, v in restored.items() if k != "notifications"} == {
            k: v for k, v in before.items() if k != "notifications"}
        assert all(restored[name] > 0 for name in ("users", "help_requests", "responses", "matches", "wijken"))
        # ... and the copy is one moment in time: the writer's rows up to some commit, without gaps.
        written = in_copy & set(committed)
        assert written == set(committed[:len(written)])
        # The restored app works: a demo resident logs in and sees their page.
        client = copy_app.test_client()
        assert client.post("/inloggen", data={"email": "inwoner@demo.samen.nl",
                                              "password": DEMO_PASSWORD}).status_code == 302
        assert client.get("/mijn").status_code == 200
    finally:
        close(copy_app)


def test_backup_refuses_to_overwrite_or_to_write_into_a_missing_folder(small, tmp_path):
    runner = small.test_cli_runner()
    out = tmp_path / "samen-backup.db"
    out.write_bytes(b"an older backup")

    refused = runner.invoke(args=["backup", "create", str(out)])
    assert refused.exit_code == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.output
    assert out.read_bytes() == b"an older backup"

    missing = runner.invoke(args=["backup", "create", str(tmp_path / "no-such-folder" / "samen.db")])
    assert missing.exit_code == 2 and "does not exist" in missing.stderr
    assert not (tmp_path / "no-such-folder").exists()

    forced = runner.invoke(args=["backup", "create", str(out), "--force"])
    assert forced.exit_code == 0, forced.output
    with sqlite3.connect(out) as copy:
        assert copy.execute("SELECT count(*) FROM users").fetchone()[0] > 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_backup_of_postgresql_points_to_pg_dump(tmp_path):
    app = create_app(app_config("postgresql+psycopg://samen:geheim@db.example:5432/samen", str(tmp_path)))
    result = app.test_cli_runner().invoke(args=["backup", "create", str(tmp_path / "samen.db")])
    assert result.exit_code == 2
    assert 'pg_dump --format=custom --file=samen-$(date +%F).dump "postgresql://samen@db.example:5432/samen"' \
        in result.stderr
    assert "pg_restore --clean --if-exists --no-owner" in result.stderr
    assert "geheim" not in result.output + result.stderr  # the password never ends up in a terminal log
    assert not (tmp_path / "samen.db").exists()
    close(app)


@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql"),
                    reason="runs in the PostgreSQL run of the suite (TEST_DATABASE_URL)")
def test_the_documented_pg_dump_and_pg_restore_commands_restore_every_row(app, make, tmp_path):
    """The README's commands, run against the suite's PostgreSQL: dump, restore into a new database, count."""
    bin_dir = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]
    resident = make.user("resident")
    make.matched(resident, make.user("volunteer"))
    before = row_counts(app)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    copy_name = f"samen_restore_{uuid.uuid4().hex[:8]}"
    with app.app_context():
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text(f'CREATE DATABASE "{copy_name}"'))
        db.session.remove()
    dump = tmp_path / "samen.dump"
    source = url.set(drivername="postgresql").render_as_string(hide_password=False)
    target = url.set(drivername="postgresql", database=copy_name).render_as_string(hide_password=False)
    copy_app = None
    try:
        subprocess.run([f"{bin_dir}/pg_dump", "--format=custom", f"--file={dump}", source], check=True, timeout=120)
        subprocess.run([f"{bin_dir}/pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={target}",
                        str(dump)], check=True, timeout=120)
        copy_app = fresh_app(url.set(database=copy_name).render_as_string(hide_password=False), tmp_path)
        assert row_counts(copy_app) == before
        client = copy_app.test_client()
        assert client.post("/inloggen", data={"email": resident.email, "password": PASSWORD}).status_code == 302
    finally:
        if copy_app is not None:
            close(copy_app)
        with app.app_context():
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{copy_name}"'))
            db.session.remove()


# -- restoring SQLite -------------------------------------------------------------------------------------------------

CRASH = """
import os, signal, sys
from tests.conftest import app_config
from tests.factories import make_request
from webapp import create_app
from webapp.accounts.models import User
from webapp.core.extensions import db
app = create_app(app_config(sys.argv[1], sys.argv[2]))
with app.app_context():
    owner = db.session.get(User, int(sys.argv[3]))
    for n in range(4):
        make_request(owner, title=f"Na de back-up geplaatst {n}")
    os.kill(os.getpid(), signal.SIGKILL)  # the app dies: its write-ahead log stays next to the database
"""


def content(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return list(connection.iterdump())
    finally:
        connection.close()


def requests_in(path: Path) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [row[0] for row in connection.execute("SELECT title FROM help_requests ORDER BY id")]


def test_restore_puts_the_backup_in_place_and_never_replays_a_stale_write_ahead_log(small, tmp_path):
    """The app crashed after the backup: samen.db-wal holds four requests posted after it. Putting the backup in
    place of samen.db by hand replays that log onto it; `flask backup restore` keeps the crashed files aside."""
    live_db = tmp_path / "live.db"
    with small.app_context():
        owner_id = db.session.execute(select(User.id)).scalar_one()
        make_request(db.session.get(User, owner_id), title="Voor de back-up geplaatst")
        db.session.remove()
        db.engine.dispose()  # the test holds no connection: the crashed process is the last one that wrote
    backup = tmp_path / "backups" / "samen.db"
    backup.parent.mkdir()
    assert small.test_cli_runner().invoke(args=["backup", "create", str(backup)]).exit_code == 0
    with small.app_context():
        db.engine.dispose()
    crashed = subprocess.run([sys.executable, "-c", CRASH, f"sqlite:///{live_db}", str(tmp_path), str(owner_id)],
                             cwd=Path(__file__).resolve().parents[3], capture_output=True, text=True, timeout=120)
    assert crashed.returncode == -9, crashed.stderr[-2000:]
    wal = tmp_path / "live.db-wal"
    assert wal.exists() and wal.stat().st_size > 0

    # What the README used to say: put the copy in place of the database. The stale log is replayed onto it.
    by_hand = tmp_path / "by-hand"
    by_hand.mkdir()
    shutil.copy(backup, by_hand / "live.db")
    shutil.copy(wal, by_hand / "live.db-wal")
    shutil.copy(tmp_path / "live.db-shm", by_hand / "live.db-shm")
    assert requests_in(by_hand / "live.db") != requests_in(backup)

    result = small.test_cli_runner().invoke(args=["backup", "restore", str(backup), "--yes"])
    assert result.exit_code == 0, result.output + result.stderr
    assert requests_in(live_db) == ["Voor de back-up geplaatst"] == requests_in(backup)
    assert not (tmp_path / "live.db-wal").exists() and not (tmp_path / "live.db-shm").exists()
    with sqlite3.connect(live_db) as restored:
        assert restored.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert "integrity check ok" in result.output and "help_requests 1" in result.output
    # Nothing is lost: the crashed database (its log folded in) is kept next to it, with the four late requests.
    [kept] = [path for path in tmp_path.iterdir() if path.name.startswith("live.db.before-restore-")]
    assert f"Kept the replaced file as {kept}" in result.output
    assert requests_in(kept) == ["Voor de back-up geplaatst"] + [f"Na de back-up geplaatst {n}" for n in range(4)]
    # The restored database works.
    restored_app = fresh_app(f"sqlite:///{live_db}", tmp_path)
    try:
        assert row_counts(restored_app)["help_requests"] == 1
    finally:
        close(restored_app)


def test_restore_refuses_while_the_app_uses_the_database_or_a_bad_backup(small, tmp_path):
    live_db = tmp_path / "live.db"
    backup = tmp_path / "samen-backup.db"
    runner = small.test_cli_runner()
    assert runner.invoke(args=["backup", "create", str(backup)]).exit_code == 0
    before = content(live_db)

    with small.app_context():  # a running app: its pool holds a connection
        db.session.execute(select(User.id)).all()
        in_use = runner.invoke(args=["backup", "restore", str(backup), "--yes"])
        db.session.remove()
        db.engine.dispose()
    assert in_use.exit_code == 2 and "is in use: stop Samen" in in_use.stderr, in_use.output + in_use.stderr

    (tmp_path / "broken.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    (tmp_path / "other.db").touch()
    with sqlite3.connect(tmp_path / "other.db") as other:
        other.execute("CREATE TABLE notes (x)")
    for bad, reason in ((tmp_path / "missing.db", "does not exist"), (tmp_path / "broken.db", "not"),
                        (tmp_path / "other.db", "is not a Samen database")):
        refused = runner.invoke(args=["backup", "restore", str(bad), "--yes"])
        assert refused.exit_code == 2 and reason in refused.stderr, refused.stderr
        assert "Traceback" not in refused.output
    assert content(live_db) == before
    assert [p.name for p in tmp_path.iterdir() if "before-restore" in p.name or p.name.endswith(".restoring")] == []

    asked = runner.invoke(args=["backup", "restore", str(backup)], input="n\n")
    assert asked.exit_code == 1 and content(live_db) == before  # answered no: nothing changed


def test_restore_on_postgresql_explains_restoring_into_a_fresh_database(tmp_path):
    app = create_app(app_config("postgresql+psycopg://samen:geheim@db.example:5432/samen", str(tmp_path)))
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(tmp_path / "samen.dump"), "--yes"])
    assert result.exit_code == 2
    assert "createdb --host=db.example --port=5432 --username=samen samen_restored" in result.stderr
    assert 'pg_restore --no-owner --exit-on-error --dbname="postgresql://samen@db.example:5432/samen_restored"' \
        in result.stderr
    assert "geheim" not in result.output + result.stderr
    close(app)
