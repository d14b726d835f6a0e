"""Template hooks: named places in one feature's page where a feature higher up the stack adds a part, so the page
never imports the features that extend it. The staff tools and the suggested volunteers on a request page, and the
suggested volunteers under an initiative's need, come in this way.

A hook is a function that takes the page's objects as keyword arguments and returns HTML (or "" to add nothing:
it decides itself who may see its part). They are registered by name in create_app (webapp/hooks.py lists them
all); a template asks for a place with `{{ hook("request-page:owner", help_request=r) }}`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup

Hook = Callable[..., str]
_KEY = "samen_template_hooks"


def add(app: Flask, place: str, hook: Hook) -> None:
    app.extensions.setdefault(_KEY, {}).setdefault(place, []).append(hook)


def render(place: str, **objects: Any) -> Markup:
    hooks: list[Hook] = current_app.extensions.get(_KEY, {}).get(place, [])
    return Markup("").join(Markup(hook(**objects)) for hook in hooks)  # noqa: S704 (hooks render templates)


def register(app: Flask) -> None:
    app.jinja_env.globals["hook"] = render
