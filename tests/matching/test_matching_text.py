"""What the text says decides: negation, word senses, the declared category as a prior, explanations that cite
the phrase that matched this request. Each test failed on the engine before FEATURE_VERSION 2."""

from __future__ import annotations

from matching_helpers import request, volunteer

from matching import MatchIndex, encode_request, encode_volunteer
from matching.records import Suggestion
from matching.vocabulary import analyse

POOL = {
    "cook": ["koken", "maaltijden bereiden"],
    "company": ["gezelschap", "een praatje maken", "samen eten"],
    "shop": ["boodschappen doen"],
    "babysit": ["oppassen op kinderen", "voorlezen"],
    "petsit": ["dierenoppas", "katten voeren"],
    "carer": ["katten oppas", "mantelzorger ontlasten"],
    "lift": ["mensen rijden naar afspraken", "lift geven"],
    "instructor": ["rijles geven", "oefenen voor het rijexamen"],
    "garden": ["tuinieren", "onkruid wieden", "heg knippen"],
    "handy": ["klussen", "meubels repareren"],
    "mover": ["sjouwen", "zware spullen tillen"],
    "tax": ["belastingaangifte", "formulieren invullen"],
    "pc": ["computer hulp", "telefoon instellen"],
    "jobs": ["solliciteren", "cv schrijven"],
}


def _rank(title: str, category: str, description: str = "", **kw: object) -> list[Suggestion]:
    vols = [volunteer(vid, skills, languages=frozenset({"nl", "en"}), screened=True) for vid, skills in POOL.items()]
    req = request("r", title, category, description=description, languages=frozenset({"nl", "en"}), **kw)
    return MatchIndex(vols, [req]).rank_volunteers_for("r", k=5)


def _details(s: Suggestion) -> list[str]:
    return [r.detail for r in s.reasons]


# -- negation -----------------------------------------------------------------------------------------------


def test_english_negation_rules_out_the_need_and_is_never_cited() -> None:
    top = _rank("I don't need a cook, I need company at dinner", "meals")[0]
    assert top.id == "company"
    assert not any("cook" in d.lower() or "kok" in d.lower() for d in _details(top))
    top = _rank("Rather than a lift to the hospital, I'd like someone to do my shopping", "transport")[0]
    assert top.id == "shop" and not any("lift" in d for d in _details(top))
    assert _rank("Help with my phone, not with the garden", "garden")[0].id == "pc"


def test_dutch_geen_wel() -> None:
    ranked = _rank("Geen boodschappen, wel gezelschap", "groceries")
    assert ranked[0].id == "company"
    assert "boodschappen" not in " ".join(_details(ranked[0]))


def test_backward_negation_and_instead_of() -> None:
    assert _rank("Sjouwen is niet nodig, wel iemand die helpt met formulieren", "moving")[0].id == "tax"
    assert _rank("Boodschappen doe ik zelf, ik zoek iemand om mee te koken", "groceries")[0].id == "cook"


def test_inability_is_not_negation() -> None:
    assert _rank("Ik kan niet meer zelf koken", "meals")[0].id == "cook"
    mentions = analyse("I can't carry the boxes myself")
    assert mentions and not any(m.negated for m in mentions)


def test_ruled_out_concepts_are_stored_on_the_profile() -> None:
    prof = encode_request(request("r", "Geen boodschappen, wel gezelschap", "groceries"))
    assert "groceries" in prof.negated and "groceries" not in dict(prof.concepts)


# -- senses and split concepts ----------------------------------------------------------------------------


def test_oppassen_on_a_cat_is_pet_care_not_babysitting() -> None:
    top = _rank("Oppas gezocht voor mijn kat", "pets", "Ik ga twee weken op vakantie.")[0]
    assert top.id in {"petsit", "carer"}


def test_oppassen_on_children_is_babysitting() -> None:
    assert _rank("Oppas nodig voor mijn twee kinderen", "carer_respite")[0].id == "babysit"
    top = _rank("Babysitter needed for my daughter", "other", "She is 4, Friday evening.")[0]
    assert top.id == "babysit"
    assert [r.detail for r in top.reasons if r.code == "skill"] == ["oppassen op kinderen"]


def test_rijden_as_driving_lessons() -> None:
    ranked = _rank("Wie kan mij leren autorijden?", "transport", "Ik wil mijn rijbewijs halen.")
    assert ranked[0].id == "instructor"
    assert _rank("Iemand die mij naar de fysio kan rijden", "transport")[0].id == "lift"


def test_garden_chair_is_a_repair_not_gardening() -> None:
    assert _rank("Can someone repair my garden chair?", "garden", "One leg is loose.")[0].id == "handy"


def test_thuiszorg_is_care_not_job_seeking() -> None:
    prof = encode_volunteer(volunteer("v", ["ervaring in de thuiszorg"]))
    cats = dict(prof.categories)
    assert cats.get("carer_respite", 0) >= 0.9 and "work" not in cats


# -- the category is a prior ------------------------------------------------------------------------------


def test_text_decides_when_the_category_contradicts_it() -> None:
    ranked = _rank(
        "Nieuwe koelkast moet naar boven", "paperwork", "Hij staat beneden in de gang en ik woon op drie hoog."
    )
    assert ranked[0].id == "mover"
    assert _rank("My laptop won't start", "garden", "It shows a black screen.")[0].id == "pc"


def test_a_silent_text_keeps_the_category() -> None:  # a guard: true before and after
    assert _rank("Wie kan helpen?", "paperwork")[0].id == "tax"


# -- explanations -----------------------------------------------------------------------------------------


def test_skill_reason_cites_the_phrase_that_matched_this_request() -> None:
    top = _rank("Hulp voor mijn man met MS", "carer_respite", "Ik ben mantelzorger en moet er even uit.")[0]
    assert top.id == "carer"
    skill = [r.detail for r in top.reasons if r.code == "skill"]
    assert skill == ["mantelzorger ontlasten"]
    assert any(r.code == "asked" for r in top.reasons)


def test_of_two_phrases_for_one_concept_the_closer_is_cited() -> None:
    top = _rank("Heg knippen", "garden")[0]
    assert [r.detail for r in top.reasons if r.code == "skill"] == ["heg knippen"]
    top = _rank("Need help setting up my new phone", "digital")[0]
    assert [r.detail for r in top.reasons if r.code == "skill"] == ["telefoon instellen"]


def test_asked_reason_quotes_the_requests_own_words() -> None:
    top = _rank("Mijn heg is te hoog", "garden")[0]
    asked = [r.detail for r in top.reasons if r.code == "asked"]
    assert asked == ["heg"]
