"""Coordinators decide in Slack (issue 10, part 3), end to end over Socket Mode.

Protects: the draft's message carries "Goedkeuren" and "Wijzigingen vragen"; a coordinator's
click stores the decision with the Slack channel, answers the clicker and posts the decision
once; a click by someone who is not a coordinator is refused and stores nothing; the same
click delivered twice stores one decision and posts it once; "Wijzigingen vragen" asks for a
comment in a modal (an empty one comes back as an error beside the field); a click from
another workspace is refused. Every refusal reads Dutch in Slack: the channel left out of
VOORTGANG_DECIDE_CHANNELS, a draft already decided, a provisional draft, changes without a
comment (the command line keeps the English messages).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import select

from tests.slack_app.test_submissions import wait_for
from tests.support.drafts import draft_period
from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.slack_channels import channel_id
from tests.support.slack_payloads import block_actions, view_submission
from tests.support.submissions import submit_examples
from voortgang.models import tables as t
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.outbox import enqueue_all
from voortgang.models.slack_delivery import deliver_pending
from voortgang.reporting.decisions import Verdict
from voortgang.reporting.slack_messages import plan_draft_decision
from voortgang.slack_app.decisions import decide
from voortgang.slack_app.people import SlackUser

PERIOD = "2026Q4"
COORDINATOR = "U0COORD01"  # coordinator@programma-etvi.example.nl
OFFICER = "U0VWS0001"


@pytest.fixture(autouse=True)
def no_prefect_server(monkeypatch: pytest.MonkeyPatch) -> None:
    # No Prefect server here: decisions are recorded, no run is resumed (see tests/flows).
    monkeypatch.delenv("PREFECT_API_URL", raising=False)


@pytest.fixture
def buttons(slack_app: FakeSlack) -> dict[str, dict[str, Any]]:
    """A drafted letter and its decision message posted; the buttons by label."""
    submit_examples(PERIOD)
    draft = draft_period(PERIOD)
    with session_scope() as session:
        enqueue_all(
            session, plan_draft_decision(load_catalogue(), draft.draft_id, draft.version, PERIOD)
        )
    deliver_pending()
    [message] = slack_app.messages()
    assert message["channel"] == "#etvi-coordinatie"
    [actions] = [b for b in message["blocks"] if b["type"] == "actions"]
    return {b["text"]["text"]: b for b in actions["elements"]}


def _click(slack: FakeSlack, user: str, button: dict[str, Any], **kw: Any) -> dict[str, Any]:
    sent = slack.socket.push(
        block_actions(user, button, channel_id=channel_id("#etvi-coordinatie"), **kw)
    )
    assert slack.socket.wait_for_ack(sent["envelope_id"]).payload is None
    return sent


def _decisions() -> list[tuple[str, str | None, str]]:
    with session_scope() as session:
        return [
            (d.decision, d.decided_by, d.channel)
            for d in session.scalars(select(t.Decision).order_by(t.Decision.id))
        ]


def _who_decided() -> list[tuple[str | None, str | None, bool]]:
    with session_scope() as session:
        return [
            (d.claimed_by, d.principal, d.principal_verified)
            for d in session.scalars(select(t.Decision).order_by(t.Decision.id))
        ]


def _ephemerals(slack: FakeSlack, user: str, count: int = 1) -> list[str]:
    found = wait_for(lambda: [e for e in slack.ephemerals() if e["user"] == user][count - 1 :])
    return [str(e["text"]) for e in found]


def _final_letters(slack: FakeSlack) -> list[str]:
    return [u.title for u in slack.uploads() if "definitief" in u.title]


def test_the_draft_message_carries_the_two_buttons(buttons):
    assert set(buttons) == {"Goedkeuren", "Wijzigingen vragen"}
    assert '"period":"2026Q4"' in buttons["Goedkeuren"]["value"]


def test_goedkeuren_by_a_coordinator_stores_the_decision_and_posts_it_once(slack_app, buttons):
    _click(slack_app, COORDINATOR, buttons["Goedkeuren"])
    [answer] = _ephemerals(slack_app, COORDINATOR)
    assert "U heeft versie 1 van de brief over het vierde kwartaal 2026 goedgekeurd" in answer
    assert _decisions() == [("approve", "coordinator@programma-etvi.example.nl", "slack")]
    assert _who_decided() == [
        ("coordinator@programma-etvi.example.nl", f"slack:{TEAM_ID}/{COORDINATOR}", True)
    ]
    assert wait_for(lambda: _final_letters(slack_app)) == [
        "Voortgangsbrief vierde kwartaal 2026, definitief (versie 1)"
    ]
    with session_scope() as session:
        assert session.scalars(select(t.LetterDraft.state)).one() == "final"


def test_goedkeuren_by_someone_not_a_coordinator_is_refused_and_stores_nothing(slack_app, buttons):
    _click(slack_app, OFFICER, buttons["Goedkeuren"])
    [answer] = _ephemerals(slack_app, OFFICER)
    assert "Alleen de coördinatoren van het programma kunnen over de brief besluiten" in answer
    assert _decisions() == []
    _click(slack_app, OFFICER, buttons["Wijzigingen vragen"])
    assert "Alleen de coördinatoren" in _ephemerals(slack_app, OFFICER, 2)[0]
    assert [m for m, _ in slack_app.views()] == []  # no modal for the comment either


def test_the_same_click_delivered_twice_stores_one_decision_and_posts_it_once(slack_app, buttons):
    sent = block_actions(
        COORDINATOR, buttons["Goedkeuren"], channel_id=channel_id("#etvi-coordinatie")
    )
    again = {**sent, "envelope_id": sent["envelope_id"] + "-retry", "retry_attempt": 1}
    pushes = [threading.Thread(target=slack_app.socket.push, args=(m,)) for m in (sent, again)]
    for push in pushes:
        push.start()
    for push in pushes:
        push.join()
    slack_app.socket.wait_for_ack(sent["envelope_id"])
    slack_app.socket.wait_for_ack(again["envelope_id"])
    _ephemerals(slack_app, COORDINATOR, 2)  # both deliveries are answered
    answers = [e["text"] for e in slack_app.ephemerals()]
    assert len(answers) == 2 and any("al vastgelegd" in a for a in answers)
    assert _decisions() == [("approve", "coordinator@programma-etvi.example.nl", "slack")]
    time.sleep(0.5)  # any second post would have gone by now
    assert len(_final_letters(slack_app)) == 1


def test_wijzigingen_vragen_asks_for_a_comment_and_stores_the_request(slack_app, buttons):
    _click(slack_app, COORDINATOR, buttons["Wijzigingen vragen"])
    [(method, view)] = wait_for(lambda: slack_app.views())
    assert method == "views.open" and view["callback_id"] == "voortgang_changes"

    empty = slack_app.socket.push(view_submission(COORDINATOR, view, {}))
    ack = slack_app.socket.wait_for_ack(empty["envelope_id"])
    assert ack.payload is not None and ack.payload["response_action"] == "errors"
    assert "comment" in ack.payload["errors"]
    assert _decisions() == []

    values = {"comment": {"value": {"type": "plain_text_input", "value": "Tabel 2 inkorten."}}}
    sent = slack_app.socket.push(view_submission(COORDINATOR, view, values))
    assert slack_app.socket.wait_for_ack(sent["envelope_id"]).payload is None  # modal closes
    [answer] = _ephemerals(slack_app, COORDINATOR)
    assert "wijzigingen gevraagd in versie 1" in answer
    assert _decisions() == [("changes", "coordinator@programma-etvi.example.nl", "slack")]
    posted = wait_for(lambda: [m for m in slack_app.messages() if "Tabel 2 inkorten." in m["text"]])
    assert len(posted) == 1


def test_a_click_from_another_workspace_is_refused(slack_app, buttons):
    _click(slack_app, COORDINATOR, buttons["Goedkeuren"], team_id="T0OTHER001")
    time.sleep(0.5)
    assert _decisions() == []
    assert slack_app.ephemerals() == []


def test_when_slack_may_not_decide_the_click_is_refused_with_the_reason(
    slack_app, buttons, monkeypatch
):
    from voortgang.settings import reset_settings

    monkeypatch.setenv("VOORTGANG_DECIDE_CHANNELS", "cli")
    reset_settings()
    _click(slack_app, COORDINATOR, buttons["Goedkeuren"])
    [answer] = _ephemerals(slack_app, COORDINATOR)
    assert answer.startswith("Niet vastgelegd: besluiten via Slack staat hier uit")
    assert "Besluiten over een conceptbrief via het kanaal 'slack' worden hier niet aangenomen" in (
        answer
    )
    assert "VOORTGANG_DECIDE_CHANNELS=cli" in answer and "not accepted" not in answer
    assert _decisions() == []


def test_a_different_decision_on_a_decided_draft_is_refused_in_dutch(slack_app, buttons):
    _click(slack_app, COORDINATOR, buttons["Goedkeuren"])
    _ephemerals(slack_app, COORDINATOR)
    outcome = decide(
        load_catalogue(),
        SlackUser(team_id=TEAM_ID, user_id=COORDINATOR),
        period=PERIOD,
        draft_id=_draft_id(),
        verdict=Verdict.changes,
        comment="Tabel 2 inkorten.",
    )
    assert outcome.record is None
    assert outcome.message.startswith(
        "Niet vastgelegd: versie 1 van de brief is goedgekeurd door "
        "coordinator@programma-etvi.example.nl op "
    )
    assert " om " in outcome.message and "(slack); een besluit is definitief" in outcome.message
    assert "final" not in outcome.message and "approved" not in outcome.message
    assert _decisions() == [("approve", "coordinator@programma-etvi.example.nl", "slack")]

    # The same click again: the decision that holds, described in Dutch too.
    _click(slack_app, COORDINATOR, buttons["Goedkeuren"])
    again = _ephemerals(slack_app, COORDINATOR, 2)[0]
    assert again.startswith("Dit besluit was al vastgelegd: versie 1 van de brief is goedgekeurd")


def test_changes_without_a_comment_are_refused_in_dutch(slack_app, buttons):
    outcome = decide(
        load_catalogue(),
        SlackUser(team_id=TEAM_ID, user_id=COORDINATOR),
        period=PERIOD,
        draft_id=_draft_id(),
        verdict=Verdict.changes,
        comment="  ",
    )
    assert outcome.message == (
        "Niet vastgelegd: een verzoek om wijzigingen heeft een toelichting nodig (schrijf wat er "
        "moet veranderen)."
    )
    assert _decisions() == []


def test_approving_a_provisional_draft_is_refused_in_dutch(slack_app):
    submit_examples(PERIOD)
    draft = draft_period(PERIOD, provisional=True)
    with session_scope() as session:
        enqueue_all(
            session, plan_draft_decision(load_catalogue(), draft.draft_id, draft.version, PERIOD)
        )
    deliver_pending()
    [message] = slack_app.messages()
    [actions] = [b for b in message["blocks"] if b["type"] == "actions"]
    approve = {b["text"]["text"]: b for b in actions["elements"]}["Goedkeuren"]
    _click(slack_app, COORDINATOR, approve)
    [answer] = _ephemerals(slack_app, COORDINATOR)
    assert answer.startswith(
        "Niet vastgelegd: versie 1 over het vierde kwartaal 2026 is een voorlopig concept"
    )
    assert "kan niet worden goedgekeurd" in answer and "provisional" not in answer
    assert _decisions() == []


def _draft_id() -> int:
    with session_scope() as session:
        return session.scalars(select(t.LetterDraft.id)).one()
