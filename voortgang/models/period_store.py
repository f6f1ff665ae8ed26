"""Opening a reporting period: its collection window and deadline, once."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from voortgang.models import tables as t
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
