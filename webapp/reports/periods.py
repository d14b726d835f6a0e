"""Report periods: a month, a quarter or a year. Nothing else is reported: two ranges of days a day apart would
show one day's requests by subtraction, so a range of days is accepted only when it is a whole month, quarter or
year (`whole`). Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

KINDS = ("month", "quarter", "year")


class PeriodError(ValueError):
    """A period that cannot be read ("2026-13", "Q5") or that ends before it starts."""


@dataclass(frozen=True, order=True)
class Period:
    start: date  # first day
    end: date  # the day after the last day
    kind: str = "custom"

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def code(self) -> str:
        """How a URL names the period: 2026-03, 2026-Q1, 2026, or 2026-01-05..2026-02-04."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == "year":
            return f"{self.start.year}"
        return f"{self.start.isoformat()}..{self.last_day.isoformat()}"

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_of(day: date) -> Period:
    start = date(day.year, day.month, 1)
    return Period(start, _add_months(start, 1), "month")


def quarter_of(day: date) -> Period:
    start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return Period(start, _add_months(start, 3), "quarter")


def year_of(day: date) -> Period:
    return Period(date(day.year, 1, 1), date(day.year + 1, 1, 1), "year")


def period_of(kind: str, day: date) -> Period:
    if kind == "month":
        return month_of(day)
    if kind == "quarter":
        return quarter_of(day)
    if kind == "year":
        return year_of(day)
    raise PeriodError(kind)


def custom(start: date, last_day: date) -> Period:
    if last_day < start:
        raise PeriodError("the end is before the start")
    return Period(start, last_day + timedelta(days=1), "custom")


def whole(start: date, last_day: date) -> Period:
    """The month, quarter or year that runs exactly from `start` to `last_day` (included); PeriodError for any
    other range of days."""
    if last_day < start:
        raise PeriodError("the end is before the start")
    for kind in KINDS:
        period = period_of(kind, start)
        if period.start == start and period.last_day == last_day:
            return period
    raise PeriodError(f"{start.isoformat()}..{last_day.isoformat()} is not a whole month, quarter or year")


def previous(period: Period) -> Period:
    """The period just before, of the same kind (or the same length)."""
    if period.kind in KINDS:
        return period_of(period.kind, period.start - timedelta(days=1))
    return Period(period.start - timedelta(days=period.days), period.start, "custom")


def same_period_a_year_earlier(period: Period) -> Period:
    """The default baseline (nulmeting): the same month, quarter or year one year before."""
    if period.kind in KINDS:
        return period_of(period.kind, date(period.start.year - 1, period.start.month, 1))
    return Period(period.start - timedelta(days=365), period.end - timedelta(days=365), "custom")


_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def parse(code: str) -> Period:
    """Read a period code: 2026-03 (month), 2026-Q1 (quarter), 2026 (year)."""
    text = (code or "").strip()
    try:
        if found := _MONTH.match(text):
            return month_of(date(int(found.group(1)), int(found.group(2)), 1))
        if found := _QUARTER.match(text):
            return quarter_of(date(int(found.group(1)), (int(found.group(2)) - 1) * 3 + 1, 1))
        if found := _YEAR.match(text):
            return year_of(date(int(found.group(1)), 1, 1))
    except ValueError as error:
        raise PeriodError(text) from error
    raise PeriodError(text)


def months_up_to(period: Period, count: int = 12) -> list[Period]:
    """The `count` calendar months ending with the month of the period's last day."""
    last = month_of(period.last_day)
    return [month_of(_add_months(last.start, -i)) for i in range(count - 1, -1, -1)]
