"""Every hook of the app, in one place. `create_app` calls `register`; nothing else installs a hook.

| hook | what it does |
|---|---|
| template hook "request-page:helpers" | suggested volunteers on a request: names for staff, a count for its owner |
| template hook "request-page:staff" | the staff tools on a request's page (webapp.staff) |
| template hook "need:helpers" | volunteers who chose to be found, under a need for its organisers (suggestions) |
| after a commit that queued e-mail | wakes the outbox worker thread, which sends it (webapp.core.outbox) |
| signal `request_published` (webapp.core.signals) | a request went public (asks, staff): queued for placing into |
| | volunteers' stored lists, in the same transaction (webapp.suggestions.freshness) |
| after a commit that queued a placement | wakes the placement worker thread: the request enters the stored lists it |
| | fits, and the few it fits best are told (webapp.suggestions.freshness, notices) |
| after a flush and a commit of db.session | clears the cached public pages the change touched (webapp.core.pagecache) |
| before a bulk UPDATE/DELETE in any session | refuses it on the audit log, which is append-only (webapp.core.audit) |
| around every request | serves public pages from the page cache and stores them (webapp.core.pagecache) |
| after every response | security headers; ProxyFix when TRUSTED_PROXIES is set (webapp.core.security) |
| end of every request | gives the connection back, or drops it if the database went away (webapp.core.errors) |
| a person confirms their e-mail address | their waiting requests and offers go online (webapp.asks, webapp.offers) |
| template hook "request-page:contact" | a resident's address for their chosen helper, if agreed (staff.casework) |

SQLite pragmas (WAL, busy timeout, foreign keys) are set on every new connection; PostgreSQL connections are opened
with statement, lock and answer timeouts and pinged (within 1.5 s) when they leave the pool (webapp.core.database).
"""

from __future__ import annotations

from flask import Flask

from webapp.accounts import confirmation
from webapp.asks import services as asks_services
from webapp.core import audit, outbox, signals, template_hooks
from webapp.core.pagecache import invalidation as pagecache_invalidation
from webapp.offers import services as offers_services
from webapp.staff import casework_views
from webapp.staff import views as staff_views
from webapp.suggestions import freshness
from webapp.suggestions import views as suggestions_views


def register(app: Flask) -> None:
    audit.register()
    pagecache_invalidation.install()
    outbox.register(app)
    signals.request_published.connect(freshness.queue)
    freshness.register(app)
    template_hooks.register(app)
    template_hooks.add(app, "request-page:helpers", suggestions_views.request_helpers)
    template_hooks.add(app, "request-page:staff", staff_views.request_panel)
    template_hooks.add(app, "need:helpers", suggestions_views.need_helpers)
    confirmation.on_confirmed(app, asks_services.publish_waiting)
    confirmation.on_confirmed(app, offers_services.publish_waiting)
    template_hooks.add(app, "request-page:contact", casework_views.helper_address)
