"""Flow: the quarterly cycle of DESIGN.md: open, ingest, check, draft."""

from __future__ import annotations

import datetime as dt

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
    isolate_letter_step,
    notify_decision_step,
    notify_draft_step,
    notify_not_processed_step,
    open_period_step,
    previous_changes_step,
    publish_dashboard_step,
    publish_letter_step,
)
from voortgang.models.periods import Quarter
from voortgang.reporting.decisions import DecisionRecord
from voortgang.reporting.drafts import DraftResult
from voortgang.reporting.isolation import is_data_failure
from voortgang.reporting.letter_dates import DraftNotReady, draft_dates, drafting_day


class CycleResult(BaseModel):
    period: str
    assessment_id: int
    statuses: dict[str, str]
    missing_ministries: list[str]
    not_processed: dict[str, str] = {}  # ministry -> why its data was left out of the draft
    draft: DraftResult
    decision: DecisionRecord | None = None
    held_submissions: list[str] = []  # stored after the approval; wait for a reopen


def _run_name() -> str:
    from prefect.runtime import flow_run

    period = flow_run.parameters.get("period")
    return f"kwartaalcyclus-{Quarter.parse(period) if period else str(Quarter.last_completed())}"


@flow(
    name="quarterly-cycle",
    flow_run_name=_run_name,
    on_failure=[alert_on_failure],
    description=(
        "Het kwartaalproces: periode openen, inbox verwerken, doelen toetsen, brief opstellen "
        "en wachten op het besluit van de coördinator."
    ),
)
def quarterly_cycle(
    period: str | None = None,
    wait_for_approval: bool = True,
    approval_timeout_days: float = 14,
    provisional: bool = False,
    today: dt.date | None = None,
) -> CycleResult:
    """Open the period, take in the inbox, check every goal, draft the joint letter, and
    wait (days, not hours) for the coordinator's decision on the draft.

    Before the period's deadline has passed the run fails before drafting, unless
    ``provisional`` allows a draft marked "Voorlopig" (never approved, so not waited on).
    ``today`` stands in for the date (the demo runs past quarters on their cycle day)."""
    today = today or drafting_day()
    quarter = Quarter.parse(period) if period else Quarter.last_completed(today)
    period = str(quarter)
    logger = get_run_logger()
    deadline = open_period_step(period)
    try:
        dates = draft_dates(quarter, deadline, today, allow_provisional=provisional)
    except DraftNotReady as exc:
        logger.error("No letter drafted: %s", exc)
        raise
    ingest_inbox_step()
    # The assessment's day is the letter's peildatum: the one date it describes.
    assessment_id, assessment = check_step(period, today=dates.peildatum)
    # Told before drafting, so the coordinators hear of it even if drafting then fails.
    if assessment.not_processed:
        notify_not_processed_step(period, assessment.not_processed)
    try:
        draft = draft_letter_step(period, assessment_id, today, provisional=dates.provisional)
    except Exception as exc:
        # One ministry's data must not stop the letter of all: find whose data the letter
        # cannot be drafted from, leave it out with the reason, and draft the rest.
        if not is_data_failure(exc):
            raise
        logger.error("The letter for %s could not be drafted (%s); isolating", period, exc)
        unusable = isolate_letter_step(
            period, assessment.not_processed, today=today, peildatum=dates.peildatum
        )
        if not unusable:
            raise  # not one ministry's data: nothing could be drafted
        assessment_id, assessment = check_step(
            period, today=dates.peildatum, exclude={**assessment.not_processed, **unusable}
        )
        notify_not_processed_step(period, assessment.not_processed)
        draft = draft_letter_step(period, assessment_id, today, provisional=dates.provisional)
    changes = previous_changes_step(period, assessment)
    publish_dashboard_step(assessment, changes, today)
    held = flag_held_submissions_step(period) if draft.final else []
    publish_letter_step(draft)
    notify_draft_step(draft, assessment, today)
    deliver_step()  # before the wait: coordinators need the draft to decide on it
    decision = existing_decision_step(draft.draft_id)
    if decision is None and wait_for_approval and not draft.provisional:
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
        not_processed=assessment.not_processed,
        draft=draft,
        decision=decision,
        held_submissions=held,
    )
