"""A decision on a letter draft is final: the state machine in reporting/decisions.py.

Protects part 6 of issue 12 at the level of the functions every channel calls (CLI, the
Prefect form, Slack): approved and changes-requested are terminal for a draft; a second,
different decision is refused and names the earlier one, who and when; the same decision
delivered again is no second decision; of two decisions at the same moment, from two
threads on the real database, exactly one wins; reopening is recorded and allows a new
decision; each decision goes to the coordinators' outbox once; a submission after the
approval is stored and flagged and produces no new draft until the period is reopened.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from sqlalchemy import select

from tests.support.drafts import draft_period
from tests.support.submissions import example, submit_examples, submit_raw
from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.reporting.decisions import (
    DecisionError,
    DecisionRecord,
    DecisionRefused,
    Verdict,
    held_submissions,
    period_is_final,
    record_decision,
    reopen_decision,
)
from voortgang.reporting.drafts import current_draft

PERIOD = "2026Q4"
COORDINATOR = "coordinator@programma-etvi.example.nl"
DEPUTY = "plv.coordinator@programma-etvi.example.nl"
# "approved by <who> on 2026-11-30 15:02 CET (cli)"
WHEN = r"on \d{4}-\d{2}-\d{2} \d{2}:\d{2} \S+"


@pytest.fixture
def drafted(db: str) -> int:
    submit_examples(PERIOD)
    return draft_period(PERIOD).draft_id


def decide(decision: Verdict, by: str = COORDINATOR, comment: str | None = None, **kw: Any):
    with session_scope() as session:
        return record_decision(
            session,
            period=PERIOD,
            decision=decision,
            decided_by=by,
            comment=comment,
            channel=kw.pop("channel", "cli"),
            **kw,
        )


def reopen(by: str = COORDINATOR, reason: str = "VWS leverde nieuwe cijfers") -> DecisionRecord:
    with session_scope() as session:
        return reopen_decision(session, period=PERIOD, decided_by=by, reason=reason, channel="cli")


def decisions() -> list[tuple[str, str | None, str]]:
    with session_scope() as session:
        return [
            (d.decision, d.decided_by, d.channel)
            for d in session.scalars(select(t.Decision).order_by(t.Decision.id))
        ]


def draft_states() -> list[tuple[int, str]]:
    with session_scope() as session:
        return [
            (d.version, d.state)
            for d in session.scalars(
                select(t.LetterDraft)
                .where(t.LetterDraft.period_id == PERIOD)
                .order_by(t.LetterDraft.version)
            )
        ]


def outbox_keys(prefix: str) -> list[str]:
    with session_scope() as session:
        return list(
            session.scalars(
                select(t.OutboxMessage.dedupe_key)
                .where(t.OutboxMessage.dedupe_key.like(f"{prefix}%"))
                .order_by(t.OutboxMessage.id)
            )
        )


def test_approve_then_changes_is_refused_naming_the_approval_who_and_when(drafted):
    approved = decide(Verdict.approve)
    assert approved.created and approved.draft_state == "final"

    with pytest.raises(DecisionRefused) as refused:
        decide(Verdict.changes, by=DEPUTY, comment="Graag de tabel inkorten.")
    message = str(refused.value)
    assert re.search(
        rf"^--period 2026Q4: version 1 of the letter was approved by {COORDINATOR} {WHEN} "
        r"\(cli\); a decision is final",
        message,
    ), message
    assert "voortgang reopen --period 2026Q4" in message
    assert refused.value.earlier.decision_id == approved.decision_id
    assert draft_states() == [(1, "final")]
    assert decisions() == [("approve", COORDINATOR, "cli")]
    # Posted once: the refused attempt adds nothing to the coordinators' channel.
    assert outbox_keys("decision:") == [f"decision:{PERIOD}:v1:{approved.decision_id}"]


def test_changes_requested_is_final_for_that_draft_too(drafted):
    decide(Verdict.changes, comment="De inleiding is te lang.", channel="form")
    with pytest.raises(
        DecisionRefused, match=r"sent back with a request for changes by .*\(form\)"
    ):
        decide(Verdict.approve)
    assert draft_states() == [(1, "changes_requested")]


def test_the_same_decision_delivered_again_is_the_stored_one_and_posted_once(drafted):
    first = decide(Verdict.approve, channel="cli")
    # The form resumed with what the command line recorded, or a retried command.
    again = decide(Verdict.approve, channel="form")
    assert (again.created, again.decision_id) == (False, first.decision_id)
    same_person = decide(Verdict.approve, by=f"  {COORDINATOR.upper()} ")
    assert same_person.decision_id == first.decision_id
    assert decisions() == [("approve", COORDINATOR, "cli")]
    assert len(outbox_keys("decision:")) == 1


def test_wrong_input_is_refused_before_anything_is_stored(drafted):
    with pytest.raises(DecisionError, match=r"^decided_by: 'iemand@example\.org' is not a"):
        decide(Verdict.approve, by="iemand@example.org")
    with pytest.raises(DecisionError, match=r"^comment: a request for changes needs a comment"):
        decide(Verdict.changes, comment="   ")
    assert decisions() == [] and draft_states() == [(1, "draft")]


def _race() -> dict[str, DecisionRecord | Exception]:
    """An approval and a request for changes, each in its own thread, connection and
    transaction, released at the same moment."""
    barrier = threading.Barrier(2)
    outcomes: dict[str, DecisionRecord | Exception] = {}

    def attempt(name: str, verdict: Verdict, by: str, comment: str | None) -> None:
        barrier.wait()
        try:
            outcomes[name] = decide(verdict, by=by, comment=comment)
        except Exception as exc:  # the refusal is the expected outcome of one of them
            outcomes[name] = exc

    threads = [
        threading.Thread(target=attempt, args=("approve", Verdict.approve, COORDINATOR, None)),
        threading.Thread(
            target=attempt, args=("changes", Verdict.changes, DEPUTY, "Tabel 2 klopt niet.")
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("period_lock", [True, False], ids=["as-is", "compare-and-set-alone"])
def test_two_decisions_at_the_same_moment_exactly_one_wins(db, monkeypatch, period_lock):
    """Two threads, each its own connection and transaction, released together. Without
    the period's row lock (PostgreSQL) the compare-and-set on the draft must hold alone."""
    if not period_lock:
        monkeypatch.setattr("voortgang.reporting.decisions.lock_period", lambda *_: None)
    rounds = 3
    submit_examples(PERIOD)
    draft_period(PERIOD)
    for round_ in range(rounds):
        outcomes = _race()
        won = {k: v for k, v in outcomes.items() if isinstance(v, DecisionRecord)}
        lost = {k: v for k, v in outcomes.items() if not isinstance(v, DecisionRecord)}
        assert len(won) == 1 and len(lost) == 1, outcomes
        (winner, record), (_loser, refusal) = next(iter(won.items())), next(iter(lost.items()))
        assert isinstance(refusal, DecisionRefused), refusal
        assert refusal.earlier.decision_id == record.decision_id
        assert record.decided_by in str(refusal)
        deciding = [d for d in decisions() if d[0] != "reopen"]
        assert len(deciding) == round_ + 1
        assert draft_states() == [(1, "final" if winner == "approve" else "changes_requested")]
        reopen(reason=f"ronde {round_}")
    # One post per decision that won, one per reopen; none for the refused ones.
    assert len(outbox_keys("decision:")) == 2 * rounds


def test_reopen_is_recorded_and_allows_a_new_decision(drafted):
    approved = decide(Verdict.approve)
    reopened = reopen(by=DEPUTY, reason="VWS leverde na goedkeuring nieuwe cijfers")
    assert (reopened.decision, reopened.decided_by, reopened.draft_state) == (
        Verdict.reopen,
        DEPUTY,
        "draft",
    )
    assert reopened.comment == "VWS leverde na goedkeuring nieuwe cijfers"
    changes = decide(Verdict.changes, comment="Neem de nieuwe cijfers op.")
    assert changes.created and changes.draft_state == "changes_requested"
    assert decisions() == [
        ("approve", COORDINATOR, "cli"),
        ("reopen", DEPUTY, "cli"),
        ("changes", COORDINATOR, "cli"),
    ]
    assert outbox_keys("decision:") == [
        f"decision:{PERIOD}:v1:{d}"
        for d in (approved.decision_id, reopened.decision_id, changes.decision_id)
    ]


def test_reopen_needs_a_decision_a_reason_and_a_coordinator(drafted):
    with pytest.raises(DecisionError, match="has no decision to reopen"):
        reopen()
    decide(Verdict.approve)
    with pytest.raises(DecisionError, match=r"^--reason: reopening needs a reason"):
        reopen(reason=" ")
    with pytest.raises(DecisionError, match=r"^decided_by: "):
        reopen(by="iemand@example.org")
    assert draft_states() == [(1, "final")]
    first = reopen()
    assert reopen().decision_id == first.decision_id  # the same reopen, delivered again


def test_a_timeout_after_a_decision_elsewhere_records_nothing_and_returns_that_decision(drafted):
    approved = decide(Verdict.approve)
    timed_out = decide(Verdict.timeout, by=None, comment="Geen besluit binnen 24 uur")
    assert timed_out.decision_id == approved.decision_id
    assert decisions() == [("approve", COORDINATOR, "cli")]


def test_a_submission_after_approval_is_stored_flagged_and_makes_no_new_draft(drafted):
    decide(Verdict.approve)
    later = example(PERIOD, "VWS")
    later["milestones"][1]["progress"] = 70
    stored = submit_raw(later)
    assert (stored.ministry, stored.version, stored.created) == ("VWS", 2, True)

    with session_scope() as session:
        assert period_is_final(session, PERIOD)
        assert [h.label() for h in held_submissions(session, PERIOD)] == ["VWS v2"]
    assert outbox_keys("held:") == [f"held:{PERIOD}:VWS:{stored.submission_id}"]
    with session_scope() as session:
        text = session.scalars(
            select(t.OutboxMessage.payload).where(t.OutboxMessage.dedupe_key.like("held:%"))
        ).one()["text"]
    assert "*VWS* heeft een nieuwe update" in text and "voortgang reopen --period 2026Q4" in text

    again = draft_period(PERIOD)
    assert (again.version, again.created, again.final) == (1, False, True)
    assert draft_states() == [(1, "final")]
    with session_scope() as session:
        letter = current_draft(session, PERIOD)
        assert letter is not None and (letter.version, letter.state) == (1, "final")

    reopen()
    redrafted = draft_period(PERIOD)
    assert (redrafted.version, redrafted.created, redrafted.final) == (2, True, False)
    assert draft_states() == [(1, "draft"), (2, "draft")]
    assert len(outbox_keys("held:")) == 1
