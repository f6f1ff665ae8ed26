"""The coordinator's approval through Prefect's API: the run waits, input resumes it, the decision is kept."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import select

from tests.support.submissions import submit_examples
from voortgang.flows.cycle import quarterly_cycle
from voortgang.models import tables as t
from voortgang.models.db import session_scope

COORDINATOR = "coordinator@programma-etvi.example.nl"


def _paused_run(name: str, thread: threading.Thread | None = None, timeout: float = 120):
    from prefect import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterName
    from prefect.utilities.asyncutils import run_coro_as_sync

    async def read():
        async with get_client() as client:
            return await client.read_flow_runs(
                flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[name]))
            )

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        runs = run_coro_as_sync(read())
        paused = [r for r in runs if r.state and r.state.is_paused()]
        if paused:
            return paused[0]
        if thread is not None and not thread.is_alive():
            raise AssertionError(f"the run {name} ended without waiting for a decision")
        time.sleep(0.5)
    raise AssertionError(f"no paused run named {name} within {timeout} s")


def _run_in_thread(**parameters):
    outcome: dict[str, object] = {}

    def target():
        outcome["state"] = quarterly_cycle(return_state=True, **parameters)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, outcome


def test_cycle_waits_for_decision_refuses_bad_input_and_stores_the_approval(db):
    from prefect.flow_runs import resume_flow_run

    submit_examples("2026Q3")
    submit_examples("2026Q4")
    thread, outcome = _run_in_thread(period="2026Q4", approval_timeout_days=1)
    run = _paused_run("kwartaalcyclus-2026Q4", thread)

    with session_scope() as session:
        draft = session.scalars(select(t.LetterDraft)).one()
        assert draft.state == "draft"
        assert session.scalars(select(t.Decision)).all() == []

    # The server checks the input against the form's schema and leaves the run paused.
    with pytest.raises(RuntimeError) as refused:
        resume_flow_run(run.id, run_input={"decision": "maybe", "decided_by": COORDINATOR})
    assert "decision" in str(refused.value)
    assert _paused_run("kwartaalcyclus-2026Q4", thread).id == run.id

    resume_flow_run(run.id, run_input={"decision": "approve", "decided_by": COORDINATOR})
    thread.join(timeout=120)
    state = outcome["state"]
    assert state.is_completed(), state
    result = state.result()
    assert result.decision.decision == "approve"
    with session_scope() as session:
        decision = session.scalars(select(t.Decision)).one()
        draft = session.get(t.LetterDraft, decision.draft_id)
        assert (decision.decision, decision.decided_by, decision.channel) == (
            "approve",
            COORDINATOR,
            "form",
        )
        assert draft.state == "final"


def test_a_request_for_changes_from_someone_not_a_coordinator_is_refused_then_a_real_one_is_kept(
    db,
):
    from prefect.flow_runs import resume_flow_run

    submit_examples("2026Q4")
    thread, outcome = _run_in_thread(period="2026Q4", approval_timeout_days=1)
    run = _paused_run("kwartaalcyclus-2026Q4", thread)
    resume_flow_run(
        run.id,
        run_input={"decision": "changes", "decided_by": "iemand@example.org", "comment": "x"},
    )
    # Valid by the form's schema, refused by our own check: the run asks again.
    again = _paused_run("kwartaalcyclus-2026Q4", thread)
    assert again.id == run.id
    resume_flow_run(
        run.id,
        run_input={
            "decision": "changes",
            "decided_by": COORDINATOR,
            "comment": "Graag de **tabel** inkorten.",
        },
    )
    thread.join(timeout=120)
    assert outcome["state"].is_completed()
    with session_scope() as session:
        decision = session.scalars(select(t.Decision)).one()
        draft = session.get(t.LetterDraft, decision.draft_id)
    assert decision.decision == "changes" and decision.comment == "Graag de **tabel** inkorten."
    assert draft.state == "changes_requested"


def test_a_wait_that_times_out_says_so_and_keeps_the_draft(db):
    submit_examples("2026Q4")
    state = quarterly_cycle(period="2026Q4", approval_timeout_days=3 / 86400, return_state=True)
    assert state.is_completed()
    result = state.result()
    assert result.decision.decision == "timeout"
    with session_scope() as session:
        draft = session.scalars(select(t.LetterDraft)).one()
        assert draft.state == "draft"
        assert session.scalars(select(t.Decision)).one().comment.startswith("Geen besluit binnen")
