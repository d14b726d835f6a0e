"""Every hook of the app, in one place. `create_app` calls `register`; nothing else installs a hook.

| hook | what it does |
|---|---|
| template hook "request-page:helpers" | suggested volunteers on an open request's page (webapp.suggestions) |
| template hook "request-page:staff" | the staff tools on a request's page (webapp.staff) |
| template hook "need:helpers" | suggested volunteers under an initiative's need (webapp.suggestions) |
| after a commit that queued e-mail | wakes the outbox worker thread, which sends it (webapp.core.outbox) |
"""

from __future__ import annotations

from flask import Flask

from webapp.core import outbox, template_hooks
from webapp.staff import views as staff_views
from webapp.suggestions import views as suggestions_views


def register(app: Flask) -> None:
    outbox.register(app)
    template_hooks.register(app)
    template_hooks.add(app, "request-page:helpers", suggestions_views.request_helpers)
    template_hooks.add(app, "request-page:staff", staff_views.request_panel)
    template_hooks.add(app, "need:helpers", suggestions_views.need_helpers)
