"""Why a suggestion fits, in words: every reason code the engine gives reads as a plain sentence in Dutch and
English; the volunteer's skill and the request's own words that it matched are said together; a distance under
100 m does not read as "0,0 km"."""

from __future__ import annotations

import typing

import pytest
from flask_babel import force_locale

import matching
from tests.conftest import visible
from tests.webapp.suggestions.test_suggestions import _profile
from webapp.suggestions.reasons import reason_lines, reason_text

R = matching.Reason
EXAMPLES = {"skill": "koffie drinken", "asked": "gezelschap", "category": "company", "experience": "company",
            "distance": "1.2", "availability": "tue-afternoon", "language": "tr", "speaks_dutch": "",
            "screening": "", "need": "tuinieren", "goal": "5"}


def lines(app, lang, reasons, *, for_volunteer=True):
    with app.test_request_context("/"), force_locale(lang):
        return reason_lines(reasons, for_volunteer=for_volunteer)


def text(app, lang, reason, *, for_volunteer=True):
    with app.test_request_context("/"), force_locale(lang):
        return reason_text(reason, for_volunteer=for_volunteer)


def test_the_examples_cover_every_reason_code():
    assert set(EXAMPLES) == set(typing.get_args(matching.ReasonCode))


@pytest.mark.parametrize("code", sorted(EXAMPLES))
@pytest.mark.parametrize("for_volunteer", [True, False])
def test_every_reason_code_is_a_sentence_in_dutch_and_english(app, code, for_volunteer):
    reason = R(code, EXAMPLES[code])  # type: ignore[arg-type]
    dutch, english = (text(app, lang, reason, for_volunteer=for_volunteer) for lang in ("nl", "en"))
    assert dutch and english and dutch != EXAMPLES[code] and english != EXAMPLES[code]
    assert dutch != english, f"{code} has no Dutch text"
    if code in ("skill", "asked", "need", "distance"):  # the detail itself, as typed (a Dutch decimal comma)
        assert EXAMPLES[code].replace(".", ",") in dutch and EXAMPLES[code] in english


def test_the_skill_and_the_requests_words_make_one_line(app):
    reasons = (R("skill", "koffie drinken"), R("asked", "gezelschap"), R("category", "company"),
               R("distance", "1.2"))
    assert lines(app, "nl", reasons) == ["Gevraagd: ‘gezelschap’. Dat past bij jouw ‘koffie drinken’.",
                                         "1,2 km bij je vandaan"]
    assert lines(app, "en", reasons) == ["Asked for: ‘gezelschap’. That fits your ‘koffie drinken’.",
                                         "1.2 km from you"]
    assert lines(app, "nl", reasons, for_volunteer=False)[0] == "Goed in ‘koffie drinken’. Gevraagd: ‘gezelschap’."
    # The same words on both sides are said once.
    same = (R("skill", "Boodschappen"), R("asked", "boodschappen"), R("distance", "2.0"))
    assert lines(app, "nl", same) == ["Past bij wat je kunt: ‘Boodschappen’", "2,0 km bij je vandaan"]
    # Without a skill, the request's words and the category stay.
    alone = (R("asked", "gezelschap"), R("category", "company"), R("distance", "2.0"))
    assert lines(app, "nl", alone)[:2] == ["Gevraagd: ‘gezelschap’", "Je helpt graag met: gezelschap en ontmoeten"]


def test_practising_dutch_reads_as_a_reason(app):
    assert lines(app, "nl", (R("speaks_dutch"),)) == ["Je spreekt Nederlands. Daar kan de ander mee oefenen."]
    assert lines(app, "en", (R("speaks_dutch"),), for_volunteer=False) == ["Speaks Dutch, to practise with"]


@pytest.mark.parametrize("detail", ["0.0", "0.04"])
def test_a_distance_under_100_m_is_not_zero_km(app, detail):
    assert lines(app, "nl", (R("distance", detail),)) == ["Minder dan 100 meter bij je vandaan"]
    assert lines(app, "en", (R("distance", detail),), for_volunteer=False) == ["Less than 100 m away"]
    assert lines(app, "nl", (R("distance", "0.1"),)) == ["0,1 km bij je vandaan"]


def test_aanbevolen_cites_what_the_request_asked_for(make, login):
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    _profile(make, volunteer, ["koffie drinken", "computer"])
    make.request(resident, title="Gezelschap gezocht", category_key="company",
                 description="Ik zit veel alleen en zoek iemand om mee te praten.")
    page = visible(login(volunteer.email).get("/aanbevolen/"))
    assert "Gezelschap gezocht" in page
    assert "Gevraagd: ‘Gezelschap’. Dat past bij jouw ‘koffie drinken’." in page or \
        "Gevraagd: ‘gezelschap’. Dat past bij jouw ‘koffie drinken’." in page


def test_only_requests_that_fit_are_suggested(make, login):
    """Near and free at the time is no reason on its own: a request no skill, category or experience of the
    volunteer points to stays in the public list, not in "Aanbevolen voor jou"."""
    resident = make.user("resident")
    volunteer = make.user("volunteer")
    _profile(make, volunteer, ["boodschappen doen"])
    make.request(resident, title="Boodschappen doen", description="Wie haalt mijn boodschappen op woensdag?")
    make.request(resident, title="Hond uitlaten", category_key="pets",
                 description="Mijn hond moet drie keer per dag naar buiten.")
    page = visible(login(volunteer.email).get("/aanbevolen/"))
    assert "Boodschappen doen" in page and "Hond uitlaten" not in page
