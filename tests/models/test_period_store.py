"""Protects the cheap reads the reminders stand on: which period is being collected, its
deadline (stored or default) and who has submitted."""

from __future__ import annotations

import datetime as dt

from tests.support.submissions import submit_examples
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.period_store import (
    collecting_period,
    missing_ministries,
    open_period,
    period_deadline,
    submitted_ministries,
)


def test_the_period_collected_is_the_current_quarter_in_its_last_month_else_the_last_one():
    assert str(collecting_period(dt.date(2026, 12, 1))) == "2026Q4"
    assert str(collecting_period(dt.date(2026, 12, 31))) == "2026Q4"
    assert str(collecting_period(dt.date(2027, 1, 6))) == "2026Q4"
    assert str(collecting_period(dt.date(2026, 11, 30))) == "2026Q3"
    assert str(collecting_period(dt.date(2027, 3, 1))) == "2027Q1"


def test_deadline_is_the_stored_one_when_the_period_was_opened_with_another(db):
    with session_scope() as session:
        assert period_deadline(session, "2026Q4") == dt.date(2027, 1, 5)
        open_period(session, "2026Q4", deadline=dt.date(2027, 1, 12))
    with session_scope() as session:
        assert period_deadline(session, "2026-Q4") == dt.date(2027, 1, 12)


def test_missing_ministries_are_those_without_a_submission_for_that_period(db):
    submit_examples("2026Q3")
    submit_examples("2026Q4", ["VRO", "BZK", "VWS", "JenV"])
    with session_scope() as session:
        assert submitted_ministries(session, "2026Q4") == {"VRO", "BZK", "VWS", "JenV"}
        assert missing_ministries(session, load_catalogue(), "2026Q4") == ["SZW", "AenM"]
        assert missing_ministries(session, load_catalogue(), "2026Q3") == []
