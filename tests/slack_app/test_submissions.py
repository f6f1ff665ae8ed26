"""Officers hand in their update in Slack (issue 10, part 2), end to end over Socket Mode.

Protects: the reminder's "Voortgang doorgeven" button and /voortgang open the modal of the
officer's own ministry, pre-filled with last quarter's values; a submitted modal is stored
through the same validation with the Slack user as the verified actor, and the officer gets a
receipt with the version and what changed; invalid input comes back in the acknowledgement
as ``response_action: errors`` beside the fields, all at once, in Dutch (while files and the
command line keep the English messages), and nothing is stored; an
unregistered Slack user and an officer of another ministry are refused with the message
shown; an interaction from another workspace is refused.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from tests.support.fake_slack import TEAM_ID, FakeSlack
from tests.support.slack_channels import channel_id
from tests.support.slack_payloads import (
    block_actions,
    set_value,
    slash_command,
    state_from_view,
    view_submission,
)
from tests.support.submissions import submit_examples
from voortgang.models import tables as t
from voortgang.models.catalogue import load_catalogue
from voortgang.models.db import session_scope
from voortgang.models.outbox import enqueue_all
from voortgang.models.slack_delivery import deliver_pending
from voortgang.reporting.slack_messages import ACTION_SUBMIT, plan_reminders

PERIOD = "2026Q4"
VWS_OFFICER = "U0VWS0001"  # dakloosheid@minvws.example.nl
VRO_OFFICER = "U0VRO0001"
STRANGER = "U0STRANGE1"


def wait_for(probe: Callable[[], Any], timeout: float = 10) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("not within the time")


def _reminder_button(slack: FakeSlack, ministry: str) -> tuple[dict[str, Any], str]:
    """The reminder as the cycle posts it, and its button as Slack shows it."""
    catalogue = load_catalogue()
    planned = plan_reminders(
        catalogue, [ministry], PERIOD, dt.date(2027, 1, 8), dt.date(2027, 1, 6), interactive=True
    )
    with session_scope() as session:
        enqueue_all(session, planned)
    deliver_pending()
    [message] = slack.messages()
    [actions] = [b for b in message["blocks"] if b["type"] == "actions"]
    [button] = actions["elements"]
    assert button["text"]["text"] == "Voortgang doorgeven"
    return button, channel_id(catalogue.ministry(ministry).slack_channel)


def _opened_view(slack: FakeSlack, count: int = 1) -> dict[str, Any]:
    views = wait_for(lambda: [v for m, v in slack.views() if m == "views.open"][count - 1 :])
    return views[0]


def _input_ids(view: dict[str, Any]) -> list[str]:
    return [b["block_id"] for b in view["blocks"] if b["type"] == "input"]


def _texts(view: dict[str, Any]) -> str:
    return "\n".join(b["text"]["text"] for b in view["blocks"] if b["type"] == "section")


def _open_vws_modal(slack: FakeSlack) -> dict[str, Any]:
    button, channel = _reminder_button(slack, "VWS")
    sent = slack.socket.push(block_actions(VWS_OFFICER, button, channel_id=channel))
    ack = slack.socket.wait_for_ack(sent["envelope_id"])
    assert ack.payload is None  # a click is acknowledged at once, without a payload
    return _opened_view(slack)


def _submissions() -> list[t.Submission]:
    with session_scope() as session:
        return list(session.scalars(select(t.Submission).order_by(t.Submission.id)))


def test_reminder_button_opens_the_modal_of_the_officers_ministry_prefilled(slack_app):
    submit_examples("2026Q3", ["VWS"])
    view = _open_vws_modal(slack_app)

    assert view["callback_id"] == "voortgang_submission"
    catalogue = load_catalogue()
    for milestone in catalogue.milestones_of("VWS"):
        assert milestone.title in _texts(view)
    assert "Vooraf ingevuld met uw update over het derde kwartaal 2026 (versie 1)" in str(
        view["blocks"]
    )
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    status = inputs["ms:0:status"]["element"]
    assert status["initial_option"]["text"]["text"] == "op schema"  # last quarter's, in Dutch
    assert [o["text"]["text"] for o in status["options"]] == [
        "niet gestart",
        "op schema",
        "risico",
        "vertraagd",
        "gereed",
    ]
    assert inputs["ms:0:progress"]["element"]["initial_value"] == "55"
    assert inputs["ms:0:expected_completion"]["element"]["initial_date"] == "2026-12-31"
    assert inputs["ind:0:value"]["element"]["initial_value"] == "27950"
    assert len(view["blocks"]) <= 100 and len(view["private_metadata"]) <= 3000


def _submit(slack: FakeSlack, view: dict[str, Any], values: dict[str, Any]) -> str:
    """Submit the modal as the VWS officer; the receipt they get in a direct message."""
    before = len([m for m in slack.messages() if m["channel"] == VWS_OFFICER])
    pushed = time.time()
    sent = slack.socket.push(view_submission(VWS_OFFICER, view, values))
    ack = slack.socket.wait_for_ack(sent["envelope_id"])
    assert ack.time - pushed < 3  # within Slack's three seconds
    assert ack.payload is not None and ack.payload["response_action"] == "update", ack.payload
    receipts = wait_for(
        lambda: [m for m in slack.messages() if m["channel"] == VWS_OFFICER][before:]
    )
    return str(receipts[0]["text"])


def test_submitted_modal_is_stored_with_the_slack_user_and_the_officer_gets_a_receipt(slack_app):
    submit_examples("2026Q3", ["VWS"])
    view = _open_vws_modal(slack_app)
    receipt = _submit(slack_app, view, state_from_view(view))  # last quarter's, unchanged
    assert "opgeslagen als versie *1*" in receipt and "eerste versie" in receipt

    sent = slack_app.socket.push(slash_command(VWS_OFFICER))
    slack_app.socket.wait_for_ack(sent["envelope_id"])
    view = _opened_view(slack_app, 2)
    values = state_from_view(view)
    set_value(values, "ms:0:progress", "70")
    receipt = _submit(slack_app, view, values)
    assert "opgeslagen als versie *2*" in receipt
    assert "Veranderd ten opzichte van versie 1:" in receipt
    assert (
        "mijlpaal _Tussenevaluatie Nationaal Actieplan Dakloosheid_: voortgang 55 → 70" in receipt
    )
    updated = wait_for(lambda: [v for m, v in slack_app.views() if m == "views.update"][1:])
    assert "versie *2*" in str(updated[0]["blocks"])  # the modal says it too

    latest = _submissions()[-1]
    assert (latest.period_id, latest.version, latest.channel, latest.submitted_by) == (
        PERIOD,
        2,
        "slack",
        "dakloosheid@minvws.example.nl",
    )
    assert latest.payload["milestones"][0]["progress"] == 70.0
    # Who: the catalogue's address as the claim, the Slack user as the verified principal.
    assert (latest.claimed_by, latest.principal, latest.principal_verified) == (
        "dakloosheid@minvws.example.nl",
        f"slack:{TEAM_ID}/{VWS_OFFICER}",
        True,
    )


def test_invalid_input_comes_back_beside_the_fields_all_at_once_and_nothing_is_stored(slack_app):
    view = _open_vws_modal(slack_app)  # no earlier update: empty
    values = state_from_view(view)
    set_value(values, "ms:0:status", "delayed")  # without reason and measure
    set_value(values, "ms:0:progress", "150")
    set_value(values, "ms:0:narrative", "Vertraagd door de aanbesteding.")

    sent = slack_app.socket.push(view_submission(VWS_OFFICER, view, values))
    ack = slack_app.socket.wait_for_ack(sent["envelope_id"])

    assert ack.payload is not None and ack.payload["response_action"] == "errors"
    errors = ack.payload["errors"]
    assert "ms:0:progress" in errors and "100" in errors["ms:0:progress"]
    assert "reden is verplicht bij de status vertraagd" in errors["ms:0:status_reason"]
    assert "maatregel is verplicht bij de status vertraagd" in errors["ms:0:measure"]
    assert "ms:1:narrative" in errors and "ind:0:value" in errors  # every empty field at once
    assert set(errors) <= set(_input_ids(view))
    assert _submissions() == []


def test_slash_command_opens_the_modal_of_the_officers_own_ministry(slack_app):
    sent = slack_app.socket.push(slash_command(VRO_OFFICER))
    assert slack_app.socket.wait_for_ack(sent["envelope_id"]).payload is None
    view = _opened_view(slack_app)
    assert "ministerie van Volkshuisvesting" in _texts(view).lower() or "VRO" in str(view)
    assert '"ministry":"VRO"' in view["private_metadata"]
    assert '"period":"2026Q4"' in view["private_metadata"]  # the quarter being collected


def test_an_unregistered_slack_user_is_refused_with_the_message_in_the_modal(slack_app):
    sent = slack_app.socket.push(slash_command(STRANGER))
    slack_app.socket.wait_for_ack(sent["envelope_id"])
    view = _opened_view(slack_app)
    assert "niet als contactpersoon van een ministerie geregistreerd" in _texts(view)
    assert _input_ids(view) == []


def test_an_officer_of_another_ministry_is_refused_on_the_button_and_on_submit(slack_app):
    button, channel = _reminder_button(slack_app, "VWS")
    sent = slack_app.socket.push(block_actions(VRO_OFFICER, button, channel_id=channel))
    slack_app.socket.wait_for_ack(sent["envelope_id"])
    refusal = _opened_view(slack_app)
    assert "U bent contactpersoon van *VRO*, niet van *VWS*" in _texts(refusal)

    # A forged submission of the VWS modal by the VRO officer: refused, nothing stored.
    sent = slack_app.socket.push(slash_command(VWS_OFFICER))
    slack_app.socket.wait_for_ack(sent["envelope_id"])
    vws_view = _opened_view(slack_app, 2)
    values = state_from_view(vws_view)
    sent = slack_app.socket.push(view_submission(VRO_OFFICER, vws_view, values))
    ack = slack_app.socket.wait_for_ack(sent["envelope_id"])
    assert ack.payload is not None and ack.payload["response_action"] == "update"
    assert "niet van *VWS*" in str(ack.payload["view"]["blocks"])
    assert _submissions() == []


def test_an_interaction_from_another_workspace_is_refused(slack_app):
    button, channel = _reminder_button(slack_app, "VWS")
    sent = slack_app.socket.push(
        block_actions(VWS_OFFICER, button, channel_id=channel, team_id="T0OTHER001")
    )
    ack = slack_app.socket.wait_for_ack(sent["envelope_id"])
    assert ack.payload is None
    time.sleep(0.5)
    assert slack_app.views() == []
    assert button["action_id"] == ACTION_SUBMIT


def test_a_slow_check_is_acknowledged_in_time_and_its_errors_follow_in_the_modal(
    slack_app, monkeypatch
):
    # As if the database took longer than the budget: acknowledge first, then answer.
    monkeypatch.setattr("voortgang.slack_app.app.ACK_BUDGET_SECONDS", 0.0)
    view = _open_vws_modal(slack_app)
    values = state_from_view(view)
    set_value(values, "ms:0:progress", "150")
    sent = slack_app.socket.push(view_submission(VWS_OFFICER, view, values))
    ack = slack_app.socket.wait_for_ack(sent["envelope_id"])
    assert ack.payload is not None and ack.payload["response_action"] == "update"
    assert "wordt gecontroleerd en opgeslagen" in str(ack.payload["view"]["blocks"])
    [updated] = wait_for(lambda: [v for m, v in slack_app.views() if m == "views.update"])
    assert "verwacht een getal van 0 tot 100" in str(updated["blocks"])
    assert "expected" not in str(updated["blocks"])
    assert _submissions() == []


def test_when_slack_may_not_submit_the_modal_says_so_and_nothing_is_stored(slack_app, monkeypatch):
    from voortgang.settings import reset_settings

    submit_examples("2026Q3", ["VWS"])
    view = _open_vws_modal(slack_app)  # opened while Slack still could submit
    monkeypatch.setenv("VOORTGANG_SUBMIT_CHANNELS", "cli,file")
    reset_settings()
    sent = slack_app.socket.push(view_submission(VWS_OFFICER, view, state_from_view(view)))
    slack_app.socket.wait_for_ack(sent["envelope_id"])
    [updated] = wait_for(lambda: [v for m, v in slack_app.views() if m == "views.update"])
    assert "kon niet worden opgeslagen" in str(updated["blocks"])
    assert [s.period_id for s in _submissions()] == ["2026Q3"]

    sent = slack_app.socket.push(slash_command(VWS_OFFICER))
    slack_app.socket.wait_for_ack(sent["envelope_id"])
    refusal = _opened_view(slack_app, 2)
    assert "Inleveren via Slack staat hier uit" in _texts(refusal)
    assert "VOORTGANG_SUBMIT_CHANNELS=cli,file" in _texts(refusal)
    assert "Inzendingen via het kanaal 'slack' worden hier niet aangenomen" in _texts(refusal)
    assert "not accepted" not in _texts(refusal)
    assert _input_ids(refusal) == []


def test_errors_in_the_modal_are_dutch_beside_their_fields(slack_app):
    view = _open_vws_modal(slack_app)  # no earlier update: empty
    values = state_from_view(view)
    set_value(values, "ms:0:status", "at_risk")  # 'risico', without a reason
    set_value(values, "ms:0:progress", "150")
    set_value(values, "ms:0:narrative", "Loopt achter door de aanbesteding.")
    set_value(values, "ms:0:measure", "Extra capaciteit ingehuurd.")
    set_value(values, "ms:0:expected_completion", "2045-06-30")

    sent = slack_app.socket.push(view_submission(VWS_OFFICER, view, values))
    ack = slack_app.socket.wait_for_ack(sent["envelope_id"])

    assert ack.payload is not None and ack.payload["response_action"] == "errors"
    errors = ack.payload["errors"]
    progress = errors["ms:0:progress"]
    assert "voortgang is groter dan 100" in progress
    assert "verwacht een getal van 0 tot 100" in progress
    assert "reden is verplicht bij de status risico" in errors["ms:0:status_reason"]
    assert "ms:0:measure" not in errors  # given
    completion = errors["ms:0:expected_completion"]
    assert "verwachte afronding 30 juni 2045 ligt buiten de looptijd" in completion
    assert "tot en met 31 december 20" in completion  # a Dutch date, not 2036-12-31
    assert (
        errors["ms:1:narrative"].startswith("Mijlpaal ")
        and "toelichting" in (errors["ms:1:narrative"])
    )
    assert "waarde ontbreekt (verwacht een getal)" in errors["ind:0:value"]
    assert "status ontbreekt" in errors["ms:1:status"]
    for message in errors.values():
        assert "expected" not in message and "is missing" not in message, message
    assert _submissions() == []


def test_a_submission_error_without_a_field_is_dutch_on_the_first_input(slack_app):
    submit_examples("2026Q3", ["VWS"])  # pre-filled: every field of the modal is valid
    view = _open_vws_modal(slack_app)
    # A modal for a quarter that has not started (as if kept open, or forged): no field of
    # the modal holds the period, so the error goes on the first input.
    view = {**view, "private_metadata": view["private_metadata"].replace(PERIOD, "2027Q3")}
    sent = slack_app.socket.push(view_submission(VWS_OFFICER, view, state_from_view(view)))
    ack = slack_app.socket.wait_for_ack(sent["envelope_id"])

    assert ack.payload is not None and ack.payload["response_action"] == "errors"
    assert list(ack.payload["errors"]) == ["ms:0:status"]
    first = ack.payload["errors"]["ms:0:status"]
    assert first.startswith("Algemeen: kwartaal 2027Q3 is nog niet begonnen (verwacht 20")
    assert first.endswith("of een eerder kwartaal)")
    assert [s.period_id for s in _submissions()] == ["2026Q3"]  # nothing new stored
