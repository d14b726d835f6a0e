"""Pages for initiatives: one blueprint, its routes in four modules by subject. Importing them adds their routes
to `bp`; endpoint names stay "initiatives.<view>".

- initiative_views: finding initiatives and needs, registering, editing and showing an initiative
- need_views: needs, sign-ups, invitations
- activity_views: activities, waiting list, hours, iCal feed
- support_views: backing, and for staff the support given and backing per area
"""

from __future__ import annotations

from webapp.initiatives import activity_views, initiative_views, need_views, support_views
from webapp.initiatives.web import bp

ROUTE_MODULES = (initiative_views, need_views, activity_views, support_views)

__all__ = ["ROUTE_MODULES", "bp"]
