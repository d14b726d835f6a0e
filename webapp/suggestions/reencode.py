"""Stored text features of an older engine version, encoded again (`flask suggestions reencode`, and the refresh job
when it finds any).

Profiles, requests and initiatives keep what `matching.encode_*` computed when they were saved, with the engine's
FEATURE_VERSION. A row of another version still ranks (the engine encodes it again on every ranking, slowly) until
it is encoded again here. Idempotent and batched: a second run finds nothing; a run that stops halfway leaves
only rows that are either old or new, and the next run does the rest. Rows without features (anonymised, or erased
accounts) are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload, undefer

import matching
from webapp.accounts.models import VolunteerProfile
from webapp.asks.models import HelpRequest
from webapp.core.extensions import db
from webapp.core.text_features import encode_help_request, encode_volunteer_profile
from webapp.initiatives.models import Initiative
from webapp.initiatives.services import initiative_record

BATCH = 500


@dataclass(frozen=True)
class Reencoded:
    profiles: int = 0
    requests: int = 0
    initiatives: int = 0

    @property
    def total(self) -> int:
        return self.profiles + self.requests + self.initiatives

    def __str__(self) -> str:
        return (f"Encoded again for matching engine version {matching.FEATURE_VERSION}: {self.profiles} volunteer "
                f"profile(s), {self.requests} request(s), {self.initiatives} initiative(s).")


def _old(model: Any) -> Any:
    """SQL: stored features of another version (JSON null, for rows without features, has no version)."""
    version = model.match_features["version"].as_integer()
    return version.is_not(None) & (version != matching.FEATURE_VERSION)


def _profiles(batch: int) -> int:
    done = 0
    while ids := list(db.session.execute(select(VolunteerProfile.user_id).where(_old(VolunteerProfile))
                                         .order_by(VolunteerProfile.user_id).limit(batch)).scalars()):
        for profile in db.session.execute(select(VolunteerProfile).where(VolunteerProfile.user_id.in_(ids))).scalars():
            # A new updated_at is right: the profile's ranking input changed, so its stored lists are stale.
            profile.match_features = encode_volunteer_profile(profile)
        db.session.commit()
        done += len(ids)
    return done


def _requests(batch: int) -> int:
    done = 0
    while ids := list(db.session.execute(select(HelpRequest.id).where(_old(HelpRequest))
                                         .order_by(HelpRequest.id).limit(batch)).scalars()):
        for help_request in db.session.execute(select(HelpRequest).where(HelpRequest.id.in_(ids))).scalars():
            help_request.match_features = encode_help_request(help_request)
        db.session.commit()
        done += len(ids)
    return done


def _initiatives(batch: int) -> int:
    done = 0
    while ids := list(db.session.execute(select(Initiative.id).where(_old(Initiative))
                                         .order_by(Initiative.id).limit(batch)).scalars()):
        for initiative in db.session.execute(
                select(Initiative).where(Initiative.id.in_(ids))
                .options(selectinload(Initiative.wijken), selectinload(Initiative.goals),
                         selectinload(Initiative.needs), undefer(Initiative.match_features))).scalars():
            initiative.match_features = matching.encode_initiative(initiative_record(initiative)).to_dict()
        db.session.commit()
        done += len(ids)
    return done


def reencode_old(batch: int = BATCH) -> Reencoded:
    """Encode every stored profile, request and initiative of another feature version again; commits per batch."""
    return Reencoded(_profiles(batch), _requests(batch), _initiatives(batch))
