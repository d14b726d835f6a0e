"""One page of a long list, and the whole numbers a list page reads from its URL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from flask import request
from sqlalchemy import Select, func, select

from webapp.core.extensions import db

T = TypeVar("T")
MAX_DIGITS = 9  # "?page=99999999999999999999" is page 1, not an overflow


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    page: int
    pages: int
    total: int


def paginate(query: Select[Any], page: int, per_page: int, *order_by: Any, options: tuple[Any, ...] = (),
             rows: bool = False) -> Page[Any]:
    """The rows of page `page` (moved into 1..pages), counted and fetched in two statements. Items are the first
    column of each row (an ORM object), or whole rows (tuples) with `rows=True`."""
    total = int(db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one())
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    result = db.session.execute(
        query.options(*options).order_by(*order_by).offset((page - 1) * per_page).limit(per_page))
    items = [tuple(row) for row in result] if rows else list(result.scalars())
    return Page(items=items, page=page, pages=pages, total=total)


def int_arg(name: str) -> int | None:
    """A whole number from the query string, or None for anything else (never an error page)."""
    value = request.args.get(name, "")
    return int(value) if value.isdecimal() and len(value) <= MAX_DIGITS else None


def page_arg() -> int:
    return int_arg("page") or 1
