"""Last quarter's values for a new form: the officer changes only what changed.

The source is the ministry's latest stored version of the most recent earlier period that
has one. Its payload was validated when it was stored; it is read here as plain values
(not validated again), because a form only proposes them: whatever the officer hands in
is validated like any other submission.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select
from sqlalchemy.orm import Session

from voortgang.models import tables as t


class _Loose(BaseModel):
    model_config = ConfigDict(extra="ignore")


class MilestoneValues(_Loose):
    milestone: str
    status: str | None = None
    progress: float | None = None
    narrative: str | None = None
    expected_completion: dt.date | None = None
    status_reason: str | None = None
    measure: str | None = None


class IndicatorValues(_Loose):
    indicator: str
    value: float | None = None
    as_of: dt.date | None = None
    source: str | None = None
    measure: str | None = None


class CommitmentValues(_Loose):
    commitment: str
    status: str | None = None
    explanation: str | None = None
    expected: dt.date | None = None


class PreviousValues(BaseModel):
    """What a ministry last handed in, by milestone and indicator id."""

    period: str
    version: int
    milestones: dict[str, MilestoneValues]
    indicators: dict[str, IndicatorValues]
    commitments: dict[str, CommitmentValues] = {}

    @property
    def label(self) -> str:
        return f"{self.period} versie {self.version}"


def previous_values(session: Session, *, ministry: str, period: str) -> PreviousValues | None:
    """The latest version of the latest period before ``period`` (a ``Quarter`` string)."""
    # Period ids are "YYYYQn": their text order is their time order.
    row = session.scalars(
        select(t.Submission)
        .where(t.Submission.ministry_code == ministry, t.Submission.period_id < period)
        .order_by(t.Submission.period_id.desc(), t.Submission.version.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    payload = row.payload
    milestones = [MilestoneValues.model_validate(m) for m in payload.get("milestones", [])]
    indicators = [IndicatorValues.model_validate(i) for i in payload.get("indicators", [])]
    commitments = [CommitmentValues.model_validate(c) for c in payload.get("commitments", [])]
    return PreviousValues(
        period=row.period_id,
        version=row.version,
        milestones={m.milestone: m for m in milestones},
        indicators={i.indicator: i for i in indicators},
        commitments={c.commitment: c for c in commitments},
    )
