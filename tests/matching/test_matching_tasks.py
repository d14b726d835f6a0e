"""Tasks (needs, vacancies, activities) in the engine's request form, and the skills a task asks for."""

from __future__ import annotations

from matching_helpers import request, volunteer

from matching import MatchIndex, Reason, Suggestion
from matching.evaluate import EXPERTISE_CASES, expertise_cases
from matching.tasks import (
    asked_skills,
    phrase_similarity,
    skill_match,
    task_category,
    task_request,
    with_asked_skills,
)

NL = frozenset({"nl"})


def test_asked_skills_split_an_organisers_list_as_typed() -> None:
    assert asked_skills("koken, sjouwen en Nederlands; tafels opzetten / EHBO") == (
        "koken", "sjouwen", "Nederlands", "tafels opzetten", "EHBO")
    assert asked_skills("Koken, koken") == ("Koken",)
    assert asked_skills("") == ()


def test_similar_skills_are_the_same_concept_or_the_same_word_in_another_form() -> None:
    assert phrase_similarity("tuinieren", "gardening") == 1.0          # one concept, two languages
    assert phrase_similarity("boekhouder", "boekhouding") == 1.0       # one word, two forms
    assert phrase_similarity("elektricien", "elektra") == 1.0
    assert phrase_similarity("websites bouwen", "website") == 1.0      # a compound or plural
    assert phrase_similarity("schildpad", "schilderen") < 0.85        # a shared start is not enough
    assert phrase_similarity("hulp bij koken", "hulp bij tuinieren") < 0.85  # "hulp" says nothing


def test_a_volunteer_with_an_asked_skill_is_lifted_with_both_phrases_as_reasons() -> None:
    match = skill_match(("boekhouder", "wandelen"), asked_skills("boekhouding, begroting"))
    assert match is not None and (match.volunteer_phrase, match.asked) == ("boekhouder", "boekhouding")
    weak = Suggestion(id="n1", score=0.6, reasons=(Reason("distance", "0.4"),))
    lifted = with_asked_skills(weak, match)
    assert lifted.score > weak.score and lifted.score < 1.0
    assert [r.code for r in lifted.reasons[:2]] == ["skill", "asked"]
    # Never lower, never across the times-fit split, never twice a skill.
    slots_differ = Suggestion(id="n1", score=0.3, reasons=())
    assert 0.3 < with_asked_skills(slots_differ, match).score < 0.5
    cited = Suggestion(id="n1", score=0.7, reasons=(Reason("skill", "koken"),))
    assert with_asked_skills(cited, match) == cited
    assert with_asked_skills(weak, None) == weak


def test_a_task_in_request_form_keeps_the_hard_rules() -> None:
    """A vacancy that needs a VOG is never suggested to a volunteer without one; one far away not to someone who
    stays close to home; the shared language rule holds for the languages the task is given."""
    task = task_request("t1", "Huiswerkbegeleiding op maandag", lat=52.38, lon=4.64, languages=NL,
                        skills=("rekenen",), needs_screening=True)
    assert task.category == task_category("Huiswerkbegeleiding op maandag rekenen")
    screened = volunteer("v1", ["huiswerk", "rekenen"], screened=True)
    unscreened = volunteer("v2", ["huiswerk", "rekenen"], screened=False)
    english_only = volunteer("v3", ["huiswerk"], screened=True, languages=frozenset({"en"}))
    index = MatchIndex([screened, unscreened, english_only], [task])
    assert [s.id for s in index.rank_volunteers_for("t1", 10)] == ["v1"]


def test_requests_and_tasks_share_one_score_scale() -> None:
    """A gardener gets the gardening task above an unrelated request, and the grocery volunteer the reverse."""
    task = task_request("t1", "Tuinieren op zaterdag", lat=52.38, lon=4.64, languages=NL, skills=("tuinieren",))
    errand = request("r1", "Boodschappen doen", "groceries")
    gardener = volunteer("g", ["tuinieren"])
    shopper = volunteer("s", ["boodschappen doen"])
    index = MatchIndex([gardener, shopper], [task, errand])
    assert index.rank_requests_for("g", 2)[0].id == "t1"
    assert index.rank_requests_for("s", 2)[0].id == "r1"


def test_expertise_cases_rank_the_right_expert_first_with_asked_skills() -> None:
    """The evaluation's expertise set: the engine alone hardly tells experts apart by words it does not know; with
    the asked skills compared to the volunteers' own words, nearly every right expert comes first."""
    line = expertise_cases()[-1]
    engine = float(line.split("engine ")[1].split(";")[0])
    lifted = float(line.split("engine + asked skills ")[1].rstrip("."))
    assert lifted >= 0.8 and lifted > engine + 0.5, line
    assert len(EXPERTISE_CASES) >= 10
