"""A short-lived, shared cache of public pages for visitors who are not logged in.

Lists and details of requests, offers and initiatives are most of the traffic and the same for every anonymous
visitor in a language. Such a page is rendered once, kept in the database (so every worker and app server shares
it) for PAGE_CACHE_SECONDS, and served from there. A logged-in person, or anyone with a message waiting to be
shown, always gets a freshly rendered page.

Nothing stale may linger: every flush that changes what such pages show deletes the cached pages of that group in
the same transaction (see `invalidation`), and a page rendered while such a change was being written is not
stored (`services.store`). The time limit is only the backstop for changes made outside the app.
"""

from __future__ import annotations

from webapp.core.pagecache.views import register

__all__ = ["register"]
