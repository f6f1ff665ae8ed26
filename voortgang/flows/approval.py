"""The coordinator's approval as Prefect interactive input: the UI shows a typed form."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from prefect import get_run_logger, task
from prefect.exceptions import FlowPauseTimeout
from prefect.flow_runs import pause_flow_run, suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import deployment
from pydantic import Field, model_validator

from voortgang.models.db import session_scope
from voortgang.reporting.decisions import (
    DecisionError,
    DecisionRecord,
    Verdict,
    decision_for,
    record_decision,
)
from voortgang.reporting.drafts import DraftResult


class ApprovalInput(RunInput):
    """Besluit van de coördinator over het concept van de voortgangsbrief."""

    decision: Literal["approve", "changes"] = Field(
        description="approve: het concept is definitief; changes: wijzigingen gevraagd"
    )
    decided_by: str = Field(
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="E-mailadres van de coördinator"
    )
    comment: str | None = Field(
        default=None, max_length=4000, description="Toelichting; verplicht bij wijzigingen"
    )

    @model_validator(mode="after")
    def _comment_with_changes(self) -> ApprovalInput:
        if self.decision == "changes" and not (self.comment and self.comment.strip()):
            raise ValueError("comment is required when changes are requested")
        return self


@task(name="existing decision", retries=2, retry_delay_seconds=[2, 10])
def existing_decision_step(draft_id: int) -> DecisionRecord | None:
    with session_scope() as session:
        return decision_for(session, draft_id)


@task(name="record decision", retries=2, retry_delay_seconds=[2, 10])
def record_decision_step(
    draft: DraftResult, decision: str, decided_by: str | None, comment: str | None
) -> DecisionRecord:
    with session_scope() as session:
        return record_decision(
            session,
            period=draft.period,
            decision=Verdict(decision),
            decided_by=decided_by,
            comment=comment,
            channel="form",
            draft_id=draft.draft_id,
        )


def _prompt(draft: DraftResult, refused: str | None) -> str:
    lines = [
        f"**Concept voortgangsbrief {draft.period}, versie {draft.version}**",
        "",
        f"Het concept staat als artefact `letter-{draft.period.lower()}` bij deze run en als "
        f"bestanden op {draft.files.get('html', '')}.",
        "",
        "Kies *approve* om het concept definitief te maken, of *changes* met een toelichting.",
    ]
    if refused:
        lines += ["", f"**Vorige invoer geweigerd:** {refused}"]
    return "\n".join(lines)


def _running_again() -> None:
    """After a wait that timed out the run is still paused; the server would fail it."""
    from prefect import get_client
    from prefect.runtime import flow_run
    from prefect.states import Running

    run_id = flow_run.get_id()
    if run_id is None:
        return
    with get_client(sync_client=True) as client:
        client.set_flow_run_state(run_id, Running(), force=True)


def wait_for_decision(draft: DraftResult, *, timeout_hours: float) -> DecisionRecord:
    """Wait for the coordinator: suspended (process freed) when run from a deployment.

    A resumed suspended run starts again from the top, so this is reached again with the
    decision already stored; every step before it is idempotent for the period.
    """
    logger = get_run_logger()
    refused: str | None = None
    for attempt in range(5):
        prefilled = ApprovalInput.with_initial_data(
            description=_prompt(draft, refused), decision="approve"
        )
        # Deterministic keys: a suspended run that resumes re-runs from the top and gets the
        # input stored under the same key back instead of waiting again.
        key = f"approval-{draft.period.lower()}-v{draft.version}-{attempt}"
        timeout = int(timeout_hours * 3600)
        try:
            if deployment.id:
                answer = suspend_flow_run(wait_for_input=prefilled, timeout=timeout, key=key)
            else:
                answer = pause_flow_run(
                    wait_for_input=prefilled, timeout=timeout, poll_interval=2, key=key
                )
        except FlowPauseTimeout:
            _running_again()
            logger.warning(
                "No decision on %s v%d within %s hours; the draft is kept.",
                draft.period,
                draft.version,
                timeout_hours,
            )
            return record_decision_step(
                draft, Verdict.timeout.value, None, f"Geen besluit binnen {timeout_hours:g} uur"
            )
        # The stored input is trusted by Prefect only as far as its schema: validate again.
        try:
            checked = ApprovalInput.model_validate(answer.model_dump(exclude={"metadata"}))
            return record_decision_step(
                draft, checked.decision, checked.decided_by, checked.comment
            )
        except (DecisionError, ValueError) as exc:
            refused = str(exc)
            logger.warning("Decision refused: %s", refused)
    raise RuntimeError(f"no valid decision for {draft.period} v{draft.version} after 5 attempts")


def approval_deadline_hours(days: float) -> float:
    return dt.timedelta(days=days).total_seconds() / 3600
