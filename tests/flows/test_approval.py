"""The coordinator's approval through Prefect's API: the run waits, input resumes it, the decision is kept.

Protects part 7 of issue 12 (nothing typed into the form fails the run: invalid input, such
as changes without a comment, is asked again with the reason; the form preselects nothing)
and the flow's side of part 6 (a decision is final whichever channel gave it first; a cycle
after the approval drafts nothing new and names the submissions that came in since).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from tests.support.fake_slack import FakeSlack
from tests.support.submissions import example, submit_examples, submit_raw
from voortgang.flows.cycle import quarterly_cycle
from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.reporting.decisions import Verdict, record_decision, reopen_decision

COORDINATOR = "coordinator@programma-etvi.example.nl"
DEPUTY = "plv.coordinator@programma-etvi.example.nl"


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


def _form_input(run: Any, part: str) -> Any:
    """What the waiting run stored for the UI: its form's JSON ``schema`` or ``description``."""
    from prefect.input.actions import aread_flow_run_input
    from prefect.input.run_input import keyset_from_paused_state
    from prefect.utilities.asyncutils import run_coro_as_sync

    keyset = keyset_from_paused_state(run.state)
    return run_coro_as_sync(aread_flow_run_input(keyset[part], flow_run_id=run.id))


def _paused_again(name: str, thread: threading.Thread, before: Any, timeout: float = 120):
    """The run paused again, for a new question (another pause key), not the answered one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = _paused_run(name, thread)
        if run.state.state_details.pause_key != before.state.state_details.pause_key:
            return run
        time.sleep(0.5)
    raise AssertionError(f"{name} did not ask again within {timeout} s")


def _decision_rows() -> list[tuple[str, str | None, str, str | None]]:
    with session_scope() as session:
        return [
            (d.decision, d.decided_by, d.channel, d.comment)
            for d in session.scalars(select(t.Decision).order_by(t.Decision.id))
        ]


def _outbox_count(prefix: str) -> int:
    with session_scope() as session:
        return len(
            session.scalars(
                select(t.OutboxMessage.id).where(t.OutboxMessage.dedupe_key.like(f"{prefix}%"))
            ).all()
        )


def _decision_posts(slack: FakeSlack) -> list[str]:
    """The decision notices the coordinators saw: messages, and the final letter as a file."""
    posts = [
        m["text"]
        for m in slack.messages()
        if m["metadata"]["event_payload"]["dedupe_key"].startswith("decision:")
    ]
    return posts + [u.title for u in slack.uploads() if "definitief" in u.title]


def test_changes_without_a_comment_in_the_form_is_asked_again_with_the_reason_not_failed(db):
    from prefect.flow_runs import resume_flow_run

    submit_examples("2026Q4")
    thread, outcome = _run_in_thread(period="2026Q4", approval_timeout_days=1)
    run = _paused_run("kwartaalcyclus-2026Q4", thread)
    # The form preselects nothing: the coordinator has to choose.
    schema = _form_input(run, "schema")
    assert "decision" in schema["required"]
    assert "default" not in schema["properties"]["decision"], schema["properties"]["decision"]

    # Valid by the form's schema; the rule "changes needs a comment" is ours.
    resume_flow_run(run.id, run_input={"decision": "changes", "decided_by": COORDINATOR})
    again = _paused_again("kwartaalcyclus-2026Q4", thread, run)
    assert again.id == run.id and again.state.is_paused() and thread.is_alive()
    prompt = _form_input(again, "description")
    assert "Vorige invoer geweigerd" in prompt
    assert "comment: a request for changes needs a comment" in prompt
    assert _decision_rows() == []

    resume_flow_run(
        run.id,
        run_input={"decision": "changes", "decided_by": COORDINATOR, "comment": "Tabel 2 mist."},
    )
    thread.join(timeout=120)
    state = outcome["state"]
    assert state.is_completed(), state
    assert _decision_rows() == [("changes", COORDINATOR, "form", "Tabel 2 mist.")]
    with session_scope() as session:
        assert session.scalars(select(t.LetterDraft.state)).one() == "changes_requested"


def test_a_decision_from_the_command_line_while_the_form_waits_holds_and_is_posted_once(slack):
    from prefect.flow_runs import resume_flow_run

    submit_examples("2026Q4")
    thread, outcome = _run_in_thread(period="2026Q4", approval_timeout_days=1)
    run = _paused_run("kwartaalcyclus-2026Q4", thread)
    with session_scope() as session:
        record_decision(
            session,
            period="2026Q4",
            decision=Verdict.approve,
            decided_by=COORDINATOR,
            comment=None,
            channel="cli",
        )
    # Someone else answers the form differently: refused, the approval holds, the run ends.
    resume_flow_run(
        run.id, run_input={"decision": "changes", "decided_by": DEPUTY, "comment": "Nee."}
    )
    thread.join(timeout=120)
    state = outcome["state"]
    assert state.is_completed(), state
    result = state.result()
    assert (result.decision.decision, result.decision.channel) == ("approve", "cli")
    assert _decision_rows() == [("approve", COORDINATOR, "cli", None)]
    posts = _decision_posts(slack)
    assert len(posts) == 1, posts
    assert _outbox_count("decision:") == 1


def test_a_cycle_after_the_approval_drafts_nothing_new_and_names_later_submissions(db):
    submit_examples("2026Q4")
    first = quarterly_cycle(period="2026Q4", wait_for_approval=False)
    with session_scope() as session:
        record_decision(
            session,
            period="2026Q4",
            decision=Verdict.approve,
            decided_by=COORDINATOR,
            comment=None,
            channel="cli",
        )
    later = example("2026Q4", "VWS")
    later["milestones"][1]["progress"] = 70
    assert submit_raw(later).version == 2

    again = quarterly_cycle(period="2026Q4", approval_timeout_days=1)
    assert (again.draft.draft_id, again.draft.version) == (first.draft.draft_id, 1)
    assert (again.draft.created, again.draft.final) == (False, True)
    assert again.held_submissions == ["VWS v2"]
    assert again.decision is not None and again.decision.decision == "approve"
    assert _outbox_count("held:2026Q4:VWS:") == 1  # flagged once: at intake, not again now
    with session_scope() as session:
        assert session.scalars(select(t.LetterDraft.version)).all() == [1]

    with session_scope() as session:
        reopen_decision(
            session,
            period="2026Q4",
            decided_by=DEPUTY,
            reason="De nieuwe cijfers van VWS horen in de brief.",
            channel="cli",
        )
    reopened = quarterly_cycle(period="2026Q4", wait_for_approval=False)
    assert (reopened.draft.version, reopened.draft.created, reopened.held_submissions) == (
        2,
        True,
        [],
    )
