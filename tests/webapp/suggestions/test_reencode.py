"""Stored text features of an older engine version are encoded again: by `flask suggestions reencode` (idempotent)
and by the refresh job when it finds any; rows without features (anonymised) are left alone. And `flask suggestions
exposure` measures the stored lists."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

import matching
from tests.webapp import initiative_helpers as h
from webapp.accounts.models import VolunteerProfile
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.initiatives.models import Initiative

MODELS = ((VolunteerProfile, VolunteerProfile.user_id), (HelpRequest, HelpRequest.id), (Initiative, Initiative.id))


def versions(make: Any) -> dict[str, list[Any]]:
    def read() -> dict[str, list[Any]]:
        return {model.__tablename__: [(f or {}).get("version") if isinstance(f, dict) else f for f in
                                      db.session.execute(select(model.match_features).order_by(key)).scalars()]
                for model, key in MODELS}
    return make.run(read)


def make_old(make: Any) -> None:
    """Features as an older engine version stored them (version 1)."""
    def age() -> None:
        for model, key in MODELS:
            for row_key, features in db.session.execute(select(key, model.match_features)).all():
                if features:
                    db.session.execute(update(model).where(key == row_key)
                                       .values(match_features={**features, "version": 1}))
        db.session.commit()
    make.run(age)


def world(make: Any) -> Any:
    resident = make.user("resident")
    make.user("volunteer")
    make.request(resident, title="Boodschappen doen")
    gone = make.request(resident, title="Weg")
    make.set_request(gone, match_features=None)  # anonymised: no features
    organiser = make.user("organiser")
    h.initiative(make, organiser, name="Buurttuin")
    return gone


def test_reencode_makes_every_stored_feature_current_once(app, make):
    world(make)
    make_old(make)
    old = versions(make)
    assert old["volunteer_profiles"] == [1] and old["help_requests"] == [1, None] and old["initiatives"] == [1]
    runner = app.test_cli_runner()
    first = runner.invoke(args=["suggestions", "reencode", "--batch", "1"])
    assert first.exit_code == 0, first.output
    assert "1 volunteer profile(s), 1 request(s), 1 initiative(s)" in first.output
    now = versions(make)
    v = matching.FEATURE_VERSION
    assert now == {"volunteer_profiles": [v], "help_requests": [v, None], "initiatives": [v]}
    second = runner.invoke(args=["suggestions", "reencode"])
    assert "0 volunteer profile(s), 0 request(s), 0 initiative(s)" in second.output


def test_the_refresh_job_encodes_old_features_first(app, make):
    world(make)
    make_old(make)
    result = app.test_cli_runner().invoke(args=["suggestions", "refresh"])
    assert result.exit_code == 0, result.output
    assert "Encoded 3 stored profile(s), request(s) and initiative(s) again" in result.output
    assert versions(make)["help_requests"] == [matching.FEATURE_VERSION, None]


def test_exposure_is_measured_on_the_stored_lists(app, make, login):
    resident = make.user("resident")
    volunteers = [make.user("volunteer") for _ in range(2)]
    make.request(resident, title="Boodschappen doen")
    make.request(resident, title="Hond uitlaten", category_key="pets", description="Wie laat mijn hond uit?")
    for person in volunteers:
        login(person.email).get("/aanbevolen/")
    result = app.test_cli_runner().invoke(args=["suggestions", "exposure", "--k", "10"])
    assert result.exit_code == 0, result.output
    # Both lists hold the grocery request and nothing else: it is in 100 % of them; the dog request in none.
    assert "top 10: 2 lists (0 empty), 1 open requests listed" in result.output
    assert "groceries) is in 100.0% of the lists" in result.output
    assert "coverage 50.0% of 2 open requests" in result.output
