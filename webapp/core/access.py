"""Roles, and who may open staff pages: staff and admins. Anonymous visitors are sent to the login page; anyone
else gets 403."""

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


def admin_required(view: F) -> F:
    return _guard(view, lambda user: bool(user.has_role(Role.ADMIN)))
