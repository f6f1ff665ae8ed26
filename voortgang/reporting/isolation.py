"""Keeping one ministry's unusable data from stopping the letter of all six.

Validation refuses what the letter cannot show, but data stored by an earlier release, or a
case nobody foresaw, may still make the assessment or the letter fail. Then each ministry's
data is tried on its own: a ministry whose data fails alone is left out of this draft, with
the reason, and the others go ahead. A failure that is not about data (the database, the
disk) is not isolated: it is raised, so that Prefect retries the step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from voortgang.models.catalogue import Catalogue
from voortgang.models.db import DatabaseUnavailableError
from voortgang.reporting.assessment import assess_period
from voortgang.reporting.assessment_schema import PeriodAssessment
from voortgang.reporting.period_data import load_period_data

# Failures of the machinery, not of one ministry's data: these must reach the retries.
INFRASTRUCTURE_ERRORS: tuple[type[BaseException], ...] = (
    SQLAlchemyError,
    DatabaseUnavailableError,
    OSError,
    MemoryError,
)

Probe = Callable[[PeriodAssessment], object]


def is_data_failure(exc: BaseException) -> bool:
    return not isinstance(exc, INFRASTRUCTURE_ERRORS)


def describe(exc: BaseException) -> str:
    """One line for the coordinators: what failed, without a traceback."""
    first = (str(exc).strip().splitlines() or [""])[0][:300]
    return f"{type(exc).__name__}: {first}" if first else type(exc).__name__


def ministries_with_data(session: Session, period: str) -> list[str]:
    return sorted(load_period_data(session, period))


def _failure(probe: Probe, assess: Callable[[], PeriodAssessment]) -> str | None:
    """Why assessing and probing fails, or None; infrastructure failures are raised."""
    try:
        probe(assess())
    except Exception as exc:
        if not is_data_failure(exc):
            raise
        return describe(exc)
    return None


def find_unusable(
    session: Session,
    catalogue: Catalogue,
    period: str,
    probe: Probe,
    *,
    today: dt.date | None = None,
    already: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The ministries whose own data makes ``probe`` (assessing, drafting) fail, with why.

    Each ministry is tried with every other ministry's data left out. If the probe fails even
    with no ministry's data, the fault is not in the data: that failure is raised as it is.
    """
    known = dict(already or {})
    codes = [c for c in ministries_with_data(session, period) if c not in known]

    def without(kept: str | None) -> Callable[[], PeriodAssessment]:
        left_out = {c: "probe" for c in codes if c != kept} | known
        return lambda: assess_period(session, catalogue, period, today=today, exclude=left_out)

    probe(without(None)())
    unusable: dict[str, str] = {}
    for code in codes:
        why = _failure(probe, without(code))
        if why is not None:
            unusable[code] = why
    return unusable


def assess_isolating(
    session: Session,
    catalogue: Catalogue,
    period: str,
    *,
    today: dt.date | None = None,
    exclude: Mapping[str, str] | None = None,
) -> PeriodAssessment:
    """The period's assessment; a ministry whose data cannot be assessed is left out."""
    try:
        return assess_period(session, catalogue, period, today=today, exclude=exclude)
    except Exception as exc:
        if not is_data_failure(exc):
            raise
    unusable = find_unusable(
        session, catalogue, period, lambda _assessment: None, today=today, already=exclude
    )
    return assess_period(
        session, catalogue, period, today=today, exclude={**(exclude or {}), **unusable}
    )


def letter_probe(session: Session, catalogue: Catalogue, letter_date: dt.date) -> Probe:
    """Drafting in memory, as ``make_draft`` would: the letter, its annexes and the notes."""
    from voortgang.reporting.drafts import render_draft

    def probe(assessment: PeriodAssessment) -> object:
        return render_draft(session, catalogue, assessment, version=1, letter_date=letter_date)

    return probe
