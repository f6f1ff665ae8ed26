"""The remind flow's messages carry "Voortgang doorgeven" when the Slack app runs, and the
button opens the officer's modal (issue 10, part 2: reminder -> button -> modal).

Protects the whole path as it runs: the flow (Prefect) plans and sends the reminder through
the outbox to the fake Slack; the officer's click, over Socket Mode, opens the modal of the
ministry that was reminded.
"""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from tests.support.fake_slack import FakeSlack
from tests.support.slack_app_runner import slack_app_running
from tests.support.slack_channels import channel_id
from tests.support.slack_payloads import block_actions
from tests.support.submissions import submit_examples
from voortgang.flows.remind import remind_ministries

PERIOD = "2026Q4"
SZW_OFFICER = "U0SZW0001"


def test_the_flows_reminder_button_opens_the_modal_of_the_reminded_ministry(
    slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
):
    with slack_app_running(slack, monkeypatch):
        submit_examples(PERIOD, ["VRO", "BZK", "VWS", "JenV", "AenM"])
        remind_ministries(period=PERIOD, today=dt.date(2026, 12, 30))
        keys = {m["metadata"]["event_payload"]["dedupe_key"]: m for m in slack.messages()}
        reminder = keys["reminder:2026Q4:SZW:2026-12-30"]
        opened = keys["opened:2026Q4:SZW"]
        for message in (reminder, opened):
            [button] = [
                e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
            ]
            assert json.loads(button["value"]) == {"period": PERIOD, "ministry": "SZW"}

        sent = slack.socket.push(
            block_actions(SZW_OFFICER, button, channel_id=channel_id(reminder["channel"]))
        )
        slack.socket.wait_for_ack(sent["envelope_id"])
        deadline = time.monotonic() + 10
        while not slack.views() and time.monotonic() < deadline:
            time.sleep(0.05)
        [(method, view)] = slack.views()
        assert method == "views.open"
        assert json.loads(view["private_metadata"])["ministry"] == "SZW"
        assert view["callback_id"] == "voortgang_submission"
