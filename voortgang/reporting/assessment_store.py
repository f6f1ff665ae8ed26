"""Keeping assessments in our own database: Prefect's history is not an audit log."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from voortgang.models import tables as t
from voortgang.reporting.assessment_schema import PeriodAssessment


def assessment_hash(assessment: PeriodAssessment) -> str:
    # assessed_on changes daily; what the letter says is what counts.
    document = assessment.model_dump(mode="json", exclude={"assessed_on"})
    return hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()


def store_assessment(
    session: Session, assessment: PeriodAssessment, *, flow_run_id: str | None = None
) -> int:
    """Store the assessment with one status row per goal and per ministry view.

    When the period's latest assessment says the same, that one is returned: a cycle that
    runs again (retried, or resumed after the approval wait) adds nothing.
    """
    digest = assessment_hash(assessment)
    latest_id = latest_assessment_id(session, assessment.period)
    if latest_id is not None:
        latest = session.get(t.Assessment, latest_id)
        if latest is not None and latest.content_hash == digest:
            return latest_id
    row = t.Assessment(
        period_id=assessment.period,
        flow_run_id=flow_run_id,
        content_hash=digest,
        payload=assessment.model_dump(mode="json"),
    )
    session.add(row)
    session.flush()
    for goal in assessment.goals:
        session.add(
            t.GoalStatus(
                assessment_id=row.id,
                goal_id=goal.id,
                ministry_code=None,
                status=goal.status.value,
                reasons=goal.reasons,
            )
        )
        for view in goal.by_ministry:
            session.add(
                t.GoalStatus(
                    assessment_id=row.id,
                    goal_id=goal.id,
                    ministry_code=view.ministry,
                    status=view.status.value,
                    reasons=view.reasons,
                )
            )
    session.flush()
    return row.id


def load_assessment(session: Session, assessment_id: int) -> PeriodAssessment:
    row = session.get(t.Assessment, assessment_id)
    if row is None:
        raise LookupError(f"no assessment {assessment_id}")
    return PeriodAssessment.model_validate(row.payload)


def latest_assessment_id(session: Session, period: str) -> int | None:
    return session.scalar(
        select(t.Assessment.id)
        .where(t.Assessment.period_id == period)
        .order_by(t.Assessment.id.desc())
        .limit(1)
    )
