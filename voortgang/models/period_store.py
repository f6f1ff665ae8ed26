"""Reporting periods in the database: opening one (once), its deadline, who has submitted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.models.catalogue import Catalogue
from voortgang.models.periods import Quarter


def open_period(
    session: Session, period: str, *, deadline: dt.date | None = None
) -> t.ReportingPeriod:
    """Return the period, creating it the first time. Idempotent for a period."""
    quarter = Quarter.parse(period)
    row = session.get(t.ReportingPeriod, str(quarter))
    if row is not None:
        return row
    row = t.ReportingPeriod(
        id=str(quarter),
        starts_on=quarter.start,
        ends_on=quarter.end,
        deadline=deadline or quarter.default_deadline,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # opened at the same moment by another run
        existing = session.get(t.ReportingPeriod, str(quarter))
        assert existing is not None
        return existing
    return row


def period_deadline(session: Session, period: str) -> dt.date:
    """The deadline stored when the period was opened, else the default (the 5th of the
    month after the quarter)."""
    quarter = Quarter.parse(period)
    stored = session.get(t.ReportingPeriod, str(quarter))
    return stored.deadline if stored is not None else quarter.default_deadline


def submitted_ministries(session: Session, period: str) -> set[str]:
    """Codes of the ministries with at least one stored submission for ``period``."""
    quarter = str(Quarter.parse(period))
    return set(
        session.scalars(
            select(t.Submission.ministry_code).where(t.Submission.period_id == quarter).distinct()
        )
    )


def missing_ministries(session: Session, catalogue: Catalogue, period: str) -> list[str]:
    """Catalogue ministries without a submission for ``period``, in catalogue order
    (the same rule as the assessment's ``missing_ministries``)."""
    submitted = submitted_ministries(session, period)
    return [m.code for m in catalogue.ministries if m.code not in submitted]


def collecting_period(today: dt.date) -> Quarter:
    """The period whose updates are being collected on ``today``.

    Collection runs from the last month of a quarter to the deadline early in the month
    after it: in December that is the current quarter; from January on, the quarter that
    just ended (``Quarter.last_completed``).
    """
    current = Quarter.containing(today)
    if today.month == current.end.month:
        return current
    return Quarter.last_completed(today)
