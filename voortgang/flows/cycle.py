"""Flow: the quarterly cycle of DESIGN.md: open, ingest, check, draft."""

from __future__ import annotations

from prefect import flow, get_run_logger
from pydantic import BaseModel

from voortgang.flows.approval import (
    approval_deadline_hours,
    existing_decision_step,
    wait_for_decision,
)
from voortgang.flows.hooks import alert_on_failure
from voortgang.flows.notify_steps import deliver_step
from voortgang.flows.steps import (
    check_step,
    draft_letter_step,
    flag_held_submissions_step,
    ingest_inbox_step,
    notify_decision_step,
    notify_draft_step,
    open_period_step,
    previous_changes_step,
    publish_dashboard_step,
    publish_letter_step,
)
from voortgang.models.periods import Quarter
from voortgang.reporting.decisions import DecisionRecord
from voortgang.reporting.drafts import DraftResult


class CycleResult(BaseModel):
    period: str
    assessment_id: int
    statuses: dict[str, str]
    missing_ministries: list[str]
    draft: DraftResult
    decision: DecisionRecord | None = None
    held_submissions: list[str] = []  # stored after the approval; wait for a reopen


def _run_name() -> str:
    from prefect.runtime import flow_run

    period = flow_run.parameters.get("period")
    return f"kwartaalcyclus-{Quarter.parse(period) if period else str(Quarter.last_completed())}"


@flow(name="quarterly-cycle", flow_run_name=_run_name, on_failure=[alert_on_failure])
def quarterly_cycle(
    period: str | None = None,
    wait_for_approval: bool = True,
    approval_timeout_days: float = 14,
) -> CycleResult:
    """Open the period, take in the inbox, check every goal, draft the joint letter, and
    wait (days, not hours) for the coordinator's decision on the draft."""
    period = str(Quarter.parse(period)) if period else str(Quarter.last_completed())
    logger = get_run_logger()
    open_period_step(period)
    ingest_inbox_step()
    assessment_id, assessment = check_step(period)
    changes = previous_changes_step(period, assessment)
    publish_dashboard_step(assessment, changes)
    draft = draft_letter_step(period, assessment_id)
    held = flag_held_submissions_step(period) if draft.final else []
    publish_letter_step(draft)
    notify_draft_step(draft, assessment)
    deliver_step()  # before the wait: coordinators need the draft to decide on it
    decision = existing_decision_step(draft.draft_id)
    if decision is None and wait_for_approval:
        decision = wait_for_decision(
            draft, timeout_hours=approval_deadline_hours(approval_timeout_days)
        )
        notify_decision_step(decision)
        deliver_step()
    logger.info(
        "Letter %s version %d %s: %s",
        period,
        draft.version,
        "drafted" if draft.created else "unchanged",
        draft.files.get("html"),
    )
    return CycleResult(
        period=period,
        assessment_id=assessment_id,
        statuses={g.id: g.status.value for g in assessment.goals},
        missing_ministries=assessment.missing_ministries,
        draft=draft,
        decision=decision,
        held_submissions=held,
    )
