"""A cycle run waiting for the coordinator's decision is resumed by "Goedkeuren" in Slack.

Protects issue 10, part 3 end to end: the cycle posts the draft with the decision buttons
(the Slack app's token is set), waits; a coordinator's click over Socket Mode stores the
approval with the Slack channel, resumes the waiting run, which completes with that same
decision (not a second one), and the decision is posted once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from tests.flows.test_approval import _paused_run, _run_in_thread
from tests.support.fake_slack import FakeSlack
from tests.support.slack_app_runner import slack_app_running
from tests.support.slack_channels import channel_id
from tests.support.slack_payloads import block_actions
from tests.support.submissions import submit_examples
from voortgang.models import tables as t
from voortgang.models.db import session_scope

COORDINATOR = "U0COORD01"


@pytest.fixture
def slack_app(slack: FakeSlack, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeSlack]:
    with slack_app_running(slack, monkeypatch) as fake:
        yield fake


@pytest.fixture
def prefect_api_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness's server as PREFECT_API_URL: how the Slack app finds waiting runs."""
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", str(PREFECT_API_URL.value()))


def _decide_buttons(slack: FakeSlack, timeout: float = 120) -> dict[str, dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in slack.messages():
            for block in message.get("blocks") or []:
                if block.get("type") == "actions" and block["block_id"].startswith("decide:"):
                    return {b["text"]["text"]: b for b in block["elements"]}
        time.sleep(0.2)
    raise AssertionError("no message with the decision buttons")


def test_goedkeuren_in_slack_resumes_the_waiting_cycle_run(slack_app, prefect_api_url):
    submit_examples("2026Q4")
    thread, outcome = _run_in_thread(period="2026Q4", approval_timeout_days=1)
    run = _paused_run("kwartaalcyclus-2026Q4", thread)
    buttons = _decide_buttons(slack_app)

    sent = slack_app.socket.push(
        block_actions(
            COORDINATOR, buttons["Goedkeuren"], channel_id=channel_id("#etvi-coordinatie")
        )
    )
    assert slack_app.socket.wait_for_ack(sent["envelope_id"]).payload is None
    thread.join(timeout=120)
    assert not thread.is_alive(), f"the run {run.name} was not resumed"
    state = outcome["state"]
    assert state.is_completed(), state
    assert state.result().decision.decision == "approve"

    with session_scope() as session:
        decisions = session.scalars(select(t.Decision)).all()
        assert [(d.decision, d.channel) for d in decisions] == [("approve", "slack")]
    answers = [e["text"] for e in slack_app.ephemerals()]
    assert any("De wachtende cyclus is hervat." in a for a in answers), answers
    finals = [u.title for u in slack_app.uploads() if "definitief" in u.title]
    assert finals == ["Voortgangsbrief vierde kwartaal 2026, definitief (versie 1)"]
    assert os.environ["PREFECT_API_URL"]
