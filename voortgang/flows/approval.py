"""The coordinator's approval as Prefect interactive input: the UI shows a typed form.

Nothing typed into the form can fail the run. The form's model holds only what the server
checks against its JSON schema before it resumes the run (types, the e-mail pattern,
lengths); every rule across fields ("changes needs a comment") and every rule that needs the
database (a registered coordinator, a draft not decided yet) is checked after the input is
in, and a refusal asks again with the reason, until the wait runs out.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Literal

from prefect import get_run_logger, task
from prefect.exceptions import FlowPauseTimeout
from prefect.flow_runs import pause_flow_run, suspend_flow_run
from prefect.input import RunInput
from prefect.runtime import deployment
from pydantic import BaseModel, Field, ValidationError

from voortgang.models.db import session_scope
from voortgang.models.identity import form_actor
from voortgang.reporting.decisions import (
    DecisionError,
    DecisionRecord,
    DecisionRefused,
    Verdict,
    decision_for,
    record_decision,
)
from voortgang.reporting.drafts import DraftResult

# A refused answer is asked again with at least this long to answer, also when the wait
# is nearly over: the coordinator who just answered is likely to answer again at once.
MIN_REASK_SECONDS = 600


class ApprovalInput(RunInput):
    """Besluit van de coördinator over het concept van de voortgangsbrief."""

    # No default: the form must not preselect approval. No validator across fields either:
    # Prefect runs validators while loading the input, outside our re-ask, and a failure
    # there fails the whole run. The comment rule lives in record_decision.
    decision: Literal["approve", "changes"] = Field(
        description="approve: het concept is definitief; changes: wijzigingen gevraagd"
    )
    decided_by: str = Field(
        pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="E-mailadres van de coördinator"
    )
    comment: str | None = Field(
        default=None, max_length=4000, description="Toelichting; verplicht bij changes"
    )


class DecisionOutcome(BaseModel):
    """What became of one answer: recorded (or found recorded), or refused with the reason."""

    record: DecisionRecord | None = None
    refused: str | None = None


@task(name="eerder besluit opzoeken", retries=2, retry_delay_seconds=[2, 10])
def existing_decision_step(draft_id: int) -> DecisionRecord | None:
    with session_scope() as session:
        return decision_for(session, draft_id)


@task(name="besluit vastleggen", retries=2, retry_delay_seconds=[2, 10])
def record_decision_step(
    draft: DraftResult, decision: str, decided_by: str | None, comment: str | None
) -> DecisionOutcome:
    """Record the answer. A refusal is an outcome, not a failure: retrying it would only
    refuse it again, later, and paint the run red in the UI."""
    try:
        with session_scope() as session:
            record = record_decision(
                session,
                period=draft.period,
                decision=Verdict(decision),
                decided_by=decided_by,
                comment=comment,
                channel="form",
                draft_id=draft.draft_id,
                # One shared login on the Prefect server: decided_by is a claim, unverified.
                actor=form_actor(),
            )
    except DecisionRefused as exc:
        # Decided already, through another channel: that decision holds for this run.
        get_run_logger().warning("Decision refused: %s", exc)
        return DecisionOutcome(record=exc.earlier, refused=str(exc))
    except DecisionError as exc:
        return DecisionOutcome(refused=str(exc))
    return DecisionOutcome(record=record)


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


def _input_error(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or 'input'}: {error['msg']}"
        for error in exc.errors()
    )


def wait_for_decision(draft: DraftResult, *, timeout_hours: float) -> DecisionRecord:
    """Wait for the coordinator: suspended (process freed) when run from a deployment.

    A resumed suspended run starts again from the top, so this is reached again with the
    decision already stored; every step before it is idempotent for the period. A refused
    answer is asked again, with the reason in the form, until the wait runs out; then the
    draft is kept and the timeout recorded. The run itself never fails on an answer.
    """
    logger = get_run_logger()
    refused: str | None = None
    deadline = time.monotonic() + timeout_hours * 3600
    attempt = 0
    while True:
        prefilled = ApprovalInput.with_initial_data(description=_prompt(draft, refused))
        # Deterministic keys: a suspended run that resumes re-runs from the top and gets the
        # input stored under the same key back instead of waiting again.
        key = f"approval-{draft.period.lower()}-v{draft.version}-{attempt}"
        remaining = deadline - time.monotonic()
        timeout = max(int(remaining), MIN_REASK_SECONDS if attempt else 1)
        attempt += 1
        try:
            if deployment.id:
                answer = suspend_flow_run(wait_for_input=prefilled, timeout=timeout, key=key)
            else:
                answer = pause_flow_run(
                    wait_for_input=prefilled, timeout=timeout, poll_interval=2, key=key
                )
            # The stored input is trusted by Prefect only as far as its schema: check again.
            checked = ApprovalInput.model_validate(answer.model_dump(exclude={"metadata"}))
        except FlowPauseTimeout:
            _running_again()
            logger.warning(
                "No decision on %s v%d within %s hours; the draft is kept.",
                draft.period,
                draft.version,
                timeout_hours,
            )
            timed_out = record_decision_step(
                draft, Verdict.timeout.value, None, f"Geen besluit binnen {timeout_hours:g} uur"
            )
            assert timed_out.record is not None  # a timeout is never refused
            return timed_out.record
        except ValidationError as exc:
            # Input the server let through but the model does not accept (an older form,
            # input sent with send_input): refused like any other answer.
            refused = _input_error(exc)
            logger.warning("Decision refused: %s", refused)
            continue
        outcome = record_decision_step(draft, checked.decision, checked.decided_by, checked.comment)
        if outcome.record is not None:
            return outcome.record
        refused = outcome.refused
        logger.warning("Decision refused: %s", refused)


def approval_deadline_hours(days: float) -> float:
    return dt.timedelta(days=days).total_seconds() / 3600
