"""A throwaway SQLite database with demo data for the in-process benchmarks (bench/digests.py, bench/freshness.py):
seeded at a scale (`flask demo seed --scale N`: about 121·N volunteers), or copied from a file seeded before (so a
100× run need not seed again for minutes). The copy is a temporary file; the source is never changed."""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from flask_migrate import upgrade

from webapp import create_app
from webapp.core.config import from_environment
from webapp.core.extensions import db
from webapp.core.reference.services import load_reference_data
from webapp.demo.services import seed_demo


def arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scale", type=int, default=1, help="demo data scale to seed (100: ~12,100 volunteers)")
    parser.add_argument("--from-file", type=Path, default=None,
                        help="an SQLite file seeded before (any scale); copied, never changed")


@contextmanager
def seeded_app(scale: int, from_file: Path | None, **config: object) -> Iterator[Flask]:
    with tempfile.TemporaryDirectory(prefix="samen-bench-") as tmp:
        path = Path(tmp) / "bench.db"
        if from_file is not None:
            shutil.copyfile(from_file, path)
        settings = from_environment({"DATABASE_URL": f"sqlite:///{path}", "SAMEN_INSTANCE_PATH": tmp})
        app = create_app({**settings, "MAIL_OUTBOX_DIR": str(Path(tmp) / "mails"), "MAIL_WORKER": False,
                          "PLACEMENT_WORKER": False, **config})
        with app.app_context():
            upgrade()
            if from_file is None:
                started = time.perf_counter()
                load_reference_data(db.session)
                print(seed_demo(db.session, scale=scale)[:160], "...")
                db.session.commit()
                print(f"seeded scale {scale} in {time.perf_counter() - started:.0f} s")
            db.session.remove()
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
