"""Protects what counts as a working day for reminders: Monday to Friday, no Dutch holiday."""

from __future__ import annotations

import datetime as dt

import pytest

from voortgang.models.working_days import holiday_name, is_working_day, working_days_until


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2026, 4, 24), True),  # Friday before King's Day 2026
        (dt.date(2026, 4, 25), False),  # Saturday
        (dt.date(2026, 4, 26), False),  # Sunday
        (dt.date(2026, 4, 27), False),  # King's Day, a Monday
        (dt.date(2026, 4, 28), True),
        (dt.date(2027, 4, 27), False),  # King's Day 2027, a Tuesday
        (dt.date(2026, 12, 24), True),  # Christmas Eve is a working day
        (dt.date(2026, 12, 25), False),  # Christmas Day, a Friday
        (dt.date(2026, 12, 28), True),  # Monday after Boxing Day (a Saturday)
        (dt.date(2027, 1, 1), False),  # New Year's Day, a Friday
        (dt.date(2027, 3, 29), False),  # Easter Monday 2027
    ],
)
def test_weekends_and_dutch_public_holidays_are_no_working_days(day: dt.date, working: bool):
    assert is_working_day(day) is working


def test_holidays_are_named():
    assert holiday_name(dt.date(2026, 4, 27)) == "King's Day"
    assert holiday_name(dt.date(2026, 4, 28)) is None


def test_working_days_until_the_deadline_skip_christmas_new_year_and_weekends():
    deadline = dt.date(2027, 1, 5)  # Tuesday: the deadline of 2026Q4
    assert working_days_until(deadline, deadline) == 1
    assert working_days_until(dt.date(2027, 1, 4), deadline) == 2
    # 31 Dec, (1 Jan holiday, weekend), 4 Jan, 5 Jan
    assert working_days_until(dt.date(2026, 12, 31), deadline) == 3
    # 24 Dec, (25, 26, 27), 28, 29, 30, 31, (1, 2, 3), 4, 5
    assert working_days_until(dt.date(2026, 12, 24), deadline) == 7
    assert working_days_until(dt.date(2027, 1, 6), deadline) == 0
