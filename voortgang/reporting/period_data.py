"""Reading what a period's assessment stands on: the latest submission of each ministry.

A ministry that did not submit for the period is represented by its latest earlier
submission, marked with that period, so old data is shown as old and never passed off as new.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.reporting.assessment_schema import SubmissionRef


@dataclass
class MinistryData:
    ref: SubmissionRef
    current: bool  # False: from an earlier period
    versions: int
    milestones: dict[str, t.MilestoneUpdate] = field(default_factory=dict)
    indicators: dict[str, t.IndicatorObservation] = field(default_factory=dict)
    instruments: list[t.MunicipalInstruments] = field(default_factory=list)


def _ref(s: t.Submission) -> SubmissionRef:
    return SubmissionRef(
        ministry=s.ministry_code,
        period=s.period_id,
        version=s.version,
        submitted_by=s.submitted_by,
        submitted_at=s.submitted_at,
        channel=s.channel,
    )


def _latest_submissions(session: Session, period: str) -> list[tuple[t.Submission, int]]:
    """Per ministry: its latest version for ``period``, else for its latest earlier period."""
    last_period = (
        select(t.Submission.ministry_code, func.max(t.Submission.period_id).label("period_id"))
        .where(t.Submission.period_id <= period)
        .group_by(t.Submission.ministry_code)
        .subquery("last_period")
    )
    last_version = (
        select(
            t.Submission.ministry_code,
            t.Submission.period_id,
            func.max(t.Submission.version).label("version"),
        )
        .join(
            last_period,
            and_(
                last_period.c.ministry_code == t.Submission.ministry_code,
                last_period.c.period_id == t.Submission.period_id,
            ),
        )
        .group_by(t.Submission.ministry_code, t.Submission.period_id)
        .subquery("last_version")
    )
    query = select(t.Submission, last_version.c.version).join(
        last_version,
        and_(
            last_version.c.ministry_code == t.Submission.ministry_code,
            last_version.c.period_id == t.Submission.period_id,
            last_version.c.version == t.Submission.version,
        ),
    )
    return [(s, int(v)) for s, v in session.execute(query)]


def load_period_data(session: Session, period: str) -> dict[str, MinistryData]:
    latest = _latest_submissions(session, period)
    by_id = {
        s.id: MinistryData(ref=_ref(s), current=s.period_id == period, versions=versions)
        for s, versions in latest
    }
    if not by_id:
        return {}
    ids = list(by_id)
    for update in session.scalars(
        select(t.MilestoneUpdate).where(t.MilestoneUpdate.submission_id.in_(ids))
    ):
        by_id[update.submission_id].milestones[update.milestone_id] = update
    for obs in session.scalars(
        select(t.IndicatorObservation).where(t.IndicatorObservation.submission_id.in_(ids))
    ):
        by_id[obs.submission_id].indicators[obs.indicator_id] = obs
    for row in session.scalars(
        select(t.MunicipalInstruments)
        .where(t.MunicipalInstruments.submission_id.in_(ids))
        .order_by(t.MunicipalInstruments.municipality_code)
    ):
        by_id[row.submission_id].instruments.append(row)
    return {data.ref.ministry: data for data in by_id.values()}
