"""Samen matching engine: a pure, typed library (no Flask, SQLAlchemy or gettext).

Frozen records in (:class:`Volunteer`, :class:`HelpRequest`, :class:`Initiative`,
:class:`Interaction`), ranked :class:`Suggestion` s with :class:`Reason` codes out.
See ``matching/README.md`` for the API the web app calls.
"""

from __future__ import annotations

from matching.fairness import Exposure, exposure_gini, measure_exposure
from matching.features import (
    FEATURE_VERSION,
    TextProfile,
    encode_initiative,
    encode_request,
    encode_volunteer,
)
from matching.initiatives import InitiativeIndex, rank_initiatives
from matching.model import (
    ModelIncompatible,
    TrainedModel,
    TrainingError,
    load_model,
    save_model,
    should_use_model,
    train_model,
)
from matching.ranker import MatchIndex, Placement, rank_requests, rank_volunteers
from matching.records import (
    OUTCOMES,
    SLOTS,
    HelpRequest,
    Initiative,
    Interaction,
    Outcome,
    Reason,
    ReasonCode,
    Suggestion,
    Volunteer,
)
from matching.suggest import suggest_category
from matching.tasks import SkillMatch, asked_skills, skill_match, task_request, with_asked_skills
from matching.taxonomy import Category, Goal, Taxonomy, load_taxonomy
from matching.validation import (
    InputError,
    initiative_from_dict,
    interaction_from_dict,
    normalise_languages,
    normalise_slots,
    request_from_dict,
    volunteer_from_dict,
)

__all__ = [
    "FEATURE_VERSION",
    "OUTCOMES",
    "SLOTS",
    "Category",
    "Exposure",
    "Goal",
    "HelpRequest",
    "Initiative",
    "InitiativeIndex",
    "InputError",
    "Interaction",
    "MatchIndex",
    "ModelIncompatible",
    "Outcome",
    "Placement",
    "Reason",
    "ReasonCode",
    "SkillMatch",
    "Suggestion",
    "Taxonomy",
    "TextProfile",
    "TrainedModel",
    "TrainingError",
    "Volunteer",
    "asked_skills",
    "encode_initiative",
    "encode_request",
    "encode_volunteer",
    "exposure_gini",
    "initiative_from_dict",
    "interaction_from_dict",
    "load_model",
    "load_taxonomy",
    "measure_exposure",
    "normalise_languages",
    "normalise_slots",
    "rank_initiatives",
    "rank_requests",
    "rank_volunteers",
    "request_from_dict",
    "save_model",
    "should_use_model",
    "skill_match",
    "suggest_category",
    "task_request",
    "train_model",
    "volunteer_from_dict",
    "with_asked_skills",
]
