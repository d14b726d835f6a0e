"""Pages for initiatives: the "initiatives" blueprint (finding, registering, editing and showing an initiative;
initiative_views) with three sub-blueprints nested in it, so endpoints read "initiatives.needs.sign_up":

- needs (need_views): needs, sign-ups, the organisers' decisions
- activities (activity_views): activities, waiting list, hours, iCal feed
- support (support_views): backing, and for staff the support given and backing per area
- organisers (organiser_views): inviting co-organisers, answering an invitation, stopping as an organiser
"""

from __future__ import annotations

from webapp.initiatives import activity_views, need_views, organiser_views, support_views
from webapp.initiatives.initiative_views import bp

for sub in (need_views.bp, activity_views.bp, support_views.bp, organiser_views.bp):
    bp.register_blueprint(sub)

__all__ = ["bp"]
