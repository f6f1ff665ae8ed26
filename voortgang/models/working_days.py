"""Working days in the Netherlands: Monday to Friday, not a Dutch public holiday.

The holidays are those of the ``holidays`` package for the Netherlands (New Year's Day, Good
Friday, Easter and Whit Monday, King's Day, Ascension Day, Christmas and Boxing Day, and
Liberation Day in the years it is a day off for all, every fifth year).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _dutch_holidays(year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("NL", years=year))


def holiday_name(day: dt.date) -> str | None:
    """The Dutch public holiday on ``day``, by its English name, or None."""
    if day not in _dutch_holidays(day.year):
        return None
    name = holidays.country_holidays("NL", years=day.year).get(day)
    return str(name) if name else None


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _dutch_holidays(day.year)


def working_days_until(today: dt.date, deadline: dt.date) -> int:
    """Working days from ``today`` up to and including ``deadline``, ``today`` included when
    it is one; 0 when the deadline has passed."""
    count = 0
    day = today
    while day <= deadline:
        count += is_working_day(day)
        day += dt.timedelta(days=1)
    return count
