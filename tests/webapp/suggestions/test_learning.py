"""Learning from the platform's own outcomes: every outcome it records (shown, "not for me", responded, chosen, done,
thanked) reaches training; no help done after a moment counts as experience before it; `flask suggestions
evaluate` compares the hand ranker with the learned model on a time split of the history, with intervals."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.webapp.suggestions.test_suggestions import _profile
from webapp.asks.models import SuggestionEvent
from webapp.core.extensions import db
from webapp.core.ids import utcnow
from webapp.suggestions import learning


def outcomes(make, volunteer, request):
    return make.run(lambda: sorted(db.session.execute(select(SuggestionEvent.outcome).where(
        SuggestionEvent.volunteer_id == volunteer.id, SuggestionEvent.request_id == request.id)).scalars()))


def test_thanks_from_the_requester_is_an_outcome_and_the_volunteers_is_not(make, login):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    helped = make.matched(resident, volunteer)
    login(volunteer.email).post(f"/vragen/{helped.public_id}/klaar")
    login(volunteer.email).post(f"/vragen/{helped.public_id}/bedanken", data={"message": "Graag gedaan"})
    assert "thanked" not in outcomes(make, volunteer, helped)
    login(resident.email).post(f"/vragen/{helped.public_id}/bedanken", data={"message": "Dank je wel!"})
    assert outcomes(make, volunteer, helped) == ["accepted", "completed", "responded", "thanked"]


def test_training_sees_every_outcome(make, login):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    _profile(make, volunteer, ["boodschappen doen"])
    declined = make.request(resident, title="Boodschappen voor mij", description="Wie haalt mijn boodschappen?")
    helped = make.request(resident, title="Boodschappen halen", description="Wie haalt mijn boodschappen?")
    client = login(volunteer.email)
    client.get("/aanbevolen/")  # shown
    client.post(f"/aanbevolen/{declined.public_id}/niet-voor-mij")
    make.accept(helped, make.respond(helped, volunteer))
    client.post(f"/vragen/{helped.public_id}/klaar")
    login(resident.email).post(f"/vragen/{helped.public_id}/bedanken", data={"message": "Dank je wel!"})
    found = make.run(learning.history)
    pairs = {(i.request, i.outcome) for i in found.interactions}
    assert {(declined.public_id, "shown"), (declined.public_id, "declined")} <= pairs
    assert {(helped.public_id, o) for o in ("shown", "responded", "accepted", "completed", "thanked")} <= pairs
    assert [i.at for i in found.interactions] == sorted(i.at for i in found.interactions)


def test_experience_is_counted_as_it_was_then(make, login):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    helped = make.matched(resident, volunteer)
    login(volunteer.email).post(f"/vragen/{helped.public_id}/klaar")

    def as_of(delta):
        found = learning.history()
        record = next(v for v in found.volunteers if v.id == volunteer.public_id)
        return learning._as_of([record], utcnow() + delta)[0]

    before, after = make.run(as_of, timedelta(hours=-1)), make.run(as_of, timedelta(hours=1))
    assert before.experience == {} and after.experience == {"groceries": 1}


@pytest.mark.slow
def test_evaluate_compares_the_hand_ranker_and_learning_on_a_time_split(app, make, tmp_path):
    """On the demo data (a year of requests and responses): seconds, not milliseconds."""
    from webapp.demo.services import seed_demo

    make.run(lambda: (seed_demo(db.session, scale=1), db.session.commit()))
    result = app.test_cli_runner().invoke(args=["suggestions", "evaluate", "--kind", "logistic"])
    assert result.exit_code == 0, result.output
    assert "| cold start (hand ranker) | " in result.output and "| learned (logistic) |" in result.output
    assert "minus cold start, paired: NDCG@10" in result.output
    assert "train_model's own decision on the older part:" in result.output
    trained = app.test_cli_runner().invoke(args=["suggestions", "train", "--out", str(tmp_path / "m.bin")])
    assert trained.exit_code == 0 and "Decision: " in trained.output, trained.output
