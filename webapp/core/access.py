"""Roles, and who may open staff pages: staff and admins. The municipality's read-only role (CITY) sees the impact
figures and their exports, nothing else: never a person. Anonymous visitors are sent to the login page; anyone else
gets 403."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort
from flask_login import current_user

from webapp.core.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


class Role(StrEnum):
    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    ORGANISER = "organiser"
    STAFF = "staff"
    ADMIN = "admin"
    CITY = "city"  # a municipal policy officer: figures only, no personal data


# What a city account may open: the figures, its own login, logout and password, and the public pages.
CITY_BLUEPRINTS = frozenset({"reports", "help_pages"})
CITY_ENDPOINTS = frozenset({"accounts.login", "accounts.logout", "accounts.two_factor_step",
                            "accounts.two_factor_setup", "accounts.change_password", "pages.index", "pages.health",
                            "pages.ready", "pages.switch_language", "privacy.statement", "static"})


def only_figures(user: Any) -> bool:
    """A city account (and nothing more): it may open only the figures (see `city_may_open`)."""
    return bool(user.is_authenticated and user.has_role(Role.CITY) and not user.is_staff)


def city_may_open(endpoint: str | None) -> bool:
    if endpoint is None:
        return False
    return endpoint in CITY_ENDPOINTS or endpoint.split(".", 1)[0] in CITY_BLUEPRINTS


def _guard(view: F, allowed: Callable[[Any], bool]) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not allowed(current_user):
            abort(403)
        return view(*args, **kwargs)

    return cast(F, wrapped)


def staff_required(view: F) -> F:
    return _guard(view, lambda user: bool(user.is_staff))


def figures_required(view: F) -> F:
    """The impact figures: staff, admins and the municipality's read-only role."""
    return _guard(view, lambda user: bool(user.is_staff or user.has_role(Role.CITY)))


def admin_required(view: F) -> F:
    return _guard(view, lambda user: bool(user.has_role(Role.ADMIN)))
