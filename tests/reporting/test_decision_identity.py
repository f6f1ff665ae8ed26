"""Who decided: every decision keeps the claim and what its channel verified, and only the
channels of ``VOORTGANG_DECIDE_CHANNELS`` may decide.

Protects item 4 of issue 10 in reporting/decisions.py: a Slack decision stores the Slack
principal, verified; the command line stores ``os:user@host``; the Prefect form stores the
claim unverified; a channel left out of the setting is refused (the message names the
setting and the channel) and changes nothing, except that the very decision already recorded
elsewhere, delivered again (the form resumed by ``voortgang approve``), still holds.
"""

from __future__ import annotations

import getpass
import socket
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from tests.support.drafts import draft_period
from tests.support.submissions import submit_examples
from voortgang.models import tables as t
from voortgang.models.db import session_scope
from voortgang.models.identity import Actor, Channel, cli_actor, form_actor
from voortgang.reporting.decisions import (
    DecisionError,
    DecisionRefused,
    Verdict,
    record_decision,
    reopen_decision,
)
from voortgang.settings import reset_settings

PERIOD = "2026Q4"
COORDINATOR = "coordinator@programma-etvi.example.nl"
SLACK_PRINCIPAL = "slack:T0ETVI/U0COORD"


@pytest.fixture
def drafted(db: str) -> int:
    submit_examples(PERIOD)
    return draft_period(PERIOD).draft_id


@pytest.fixture
def slack_and_cli_decide(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("VOORTGANG_DECIDE_CHANNELS", "slack,cli")
    reset_settings()
    yield
    reset_settings()


def decide(channel: str, actor: Actor | None, decision: Verdict = Verdict.approve) -> None:
    with session_scope() as session:
        record_decision(
            session,
            period=PERIOD,
            decision=decision,
            decided_by=COORDINATOR,
            comment="Graag de VWS-cijfers nalopen" if decision is Verdict.changes else None,
            channel=channel,
            actor=actor,
        )


def decisions() -> list[tuple[str, str, str | None, str | None, bool]]:
    with session_scope() as session:
        return [
            (d.decision, d.channel, d.claimed_by, d.principal, d.principal_verified)
            for d in session.scalars(select(t.Decision).order_by(t.Decision.id))
        ]


def state(draft_id: int) -> str:
    with session_scope() as session:
        draft = session.get(t.LetterDraft, draft_id)
        assert draft is not None
        return draft.state


def test_slack_decision_stores_the_verified_slack_user(drafted: int) -> None:
    decide(
        "slack",
        Actor(channel=Channel.slack, claimed=COORDINATOR, principal=SLACK_PRINCIPAL, verified=True),
    )
    assert decisions() == [("approve", "slack", COORDINATOR, SLACK_PRINCIPAL, True)]


def test_command_line_decision_stores_the_operating_system_account(drafted: int) -> None:
    decide("cli", cli_actor())
    principal = f"os:{getpass.getuser()}@{socket.gethostname()}"
    assert decisions() == [("approve", "cli", COORDINATOR, principal, True)]


def test_form_decision_stores_the_claim_unverified(drafted: int) -> None:
    decide("form", form_actor(), Verdict.changes)
    assert decisions() == [("changes", "form", COORDINATOR, None, False)]


def test_channel_left_out_of_the_setting_is_refused_and_decides_nothing(
    drafted: int, slack_and_cli_decide: None
) -> None:
    with pytest.raises(DecisionError) as refused:
        decide("form", form_actor())

    message = str(refused.value)
    assert "'form' channel" in message
    assert "VOORTGANG_DECIDE_CHANNELS=cli,slack" in message
    assert decisions() == []
    assert state(drafted) == "draft"


def test_the_same_decision_delivered_again_through_a_refused_channel_holds(
    drafted: int, slack_and_cli_decide: None
) -> None:
    decide("cli", cli_actor())

    decide("form", form_actor())  # the waiting form, resumed with the command's decision

    assert [d[:2] for d in decisions()] == [("approve", "cli")]
    assert state(drafted) == "final"


def test_reopen_through_a_refused_channel_is_refused(
    drafted: int, slack_and_cli_decide: None
) -> None:
    decide("cli", cli_actor())

    with pytest.raises(DecisionError, match="VOORTGANG_DECIDE_CHANNELS"), session_scope() as s:
        reopen_decision(
            s, period=PERIOD, decided_by=COORDINATOR, reason="nieuwe cijfers", channel="form"
        )

    assert state(drafted) == "final"
    assert len(decisions()) == 1


def test_a_different_decision_through_a_refused_channel_names_the_one_that_holds(
    drafted: int, slack_and_cli_decide: None
) -> None:
    decide("cli", cli_actor())

    with pytest.raises(DecisionRefused) as refused:
        decide("form", form_actor(), Verdict.changes)

    assert refused.value.earlier.channel == "cli"
    assert [d[:2] for d in decisions()] == [("approve", "cli")]
    assert state(drafted) == "final"
