"""Does the time of an answer tell whether an address has an account? Wall-clock medians, with production cost.

    python scripts/enumeration-timing.py [--rounds 15]

Builds a throwaway app (SQLite in a temporary folder, the production argon2 cost, rate limits off) and, for each
page where an address is typed (log in, sign up, forgotten password), times the answer for an address with an
account and for one without, alternating, `rounds` times each. Prints the medians and their difference. The
automated tests count argon2 runs instead (tests/webapp/accounts/test_enumeration.py), which is exact but says
nothing about the rest of the work (a query, an e-mail rendered and queued); this measures everything.
A difference of a few milliseconds is below the jitter of any network path to the server.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade

from webapp import create_app
from webapp.accounts import services as accounts
from webapp.core.config import from_environment
from webapp.core.extensions import db
from webapp.core.reference.models import Wijk
from webapp.core.reference.services import load_reference_data

PASSWORD = "een lange zin als wachtwoord"  # noqa: S105 (a test account's password)
KNOWN = "bekend@example.org"


def build_app(folder: Path) -> Any:
    production = from_environment({})  # the default argon2 cost, as in production
    app = create_app({
        "TESTING": True, "SECRET_KEY": "timing-only-secret", "WTF_CSRF_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'timing.db'}", "INSTANCE_PATH": str(folder),
        "MATCHING_MODEL_PATH": str(folder / "no-model.bin"), "RATELIMIT_ENABLED": False, "MAIL_WORKER": False,
        "PAGE_CACHE_SECONDS": 0.0, "MAIL_OUTBOX_DIR": str(folder / "outbox"),
        "ARGON2_TIME_COST": production["ARGON2_TIME_COST"], "ARGON2_MEMORY_COST": production["ARGON2_MEMORY_COST"],
    })
    with app.app_context():
        upgrade()
        load_reference_data(db.session)
        wijk = db.session.query(Wijk).filter_by(code="WK039202").one()
        accounts.register_user(accounts.Registration(
            email=KNOWN, password=PASSWORD, first_name="Bekend", last_name="", phone="", postcode="2012 AB",
            wijk=wijk, roles=("resident",), locale="nl"))
        db.session.commit()
    return app


def sign_up(email: str) -> dict[str, Any]:
    return {"first_name": "Fatima", "email": email, "postcode": "2012 AB", "roles": ["resident"],
            "password": PASSWORD, "password_again": PASSWORD}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=15)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as tmp:
        app = build_app(Path(tmp))
        counter = iter(range(10**6))
        cases = {
            "log in (wrong password)": lambda email: ("/inloggen", {"email": email, "password": "niet dit"}),
            "sign up": lambda email: ("/registreren", sign_up(email if email == KNOWN else f"n{next(counter)}@x.nl")),
            "forgotten password": lambda email: ("/wachtwoord-vergeten", {"email": email}),
        }
        print(f"{'page':26} {'with account':>14} {'without':>10} {'difference':>11}  (median of {rounds}, ms)")
        for name, request in cases.items():
            times: dict[str, list[float]] = {KNOWN: [], "niemand@example.org": []}
            for _ in range(rounds + 1):  # the first round warms caches and is not counted
                for email in times:
                    path, data = request(email)
                    client = app.test_client()
                    start = time.perf_counter()
                    status = client.post(path, data=data).status_code
                    times[email].append((time.perf_counter() - start) * 1000)
                    assert status in (200, 302), (name, status)
            known, unknown = (statistics.median(t[1:]) for t in times.values())
            print(f"{name:26} {known:14.1f} {unknown:10.1f} {known - unknown:+11.1f}")


if __name__ == "__main__":
    main()
