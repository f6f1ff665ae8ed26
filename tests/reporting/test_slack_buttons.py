"""The buttons of the Slack app on the cycle's messages (issue 10, parts 2 and 3).

Protects: "Voortgang doorgeven" on the period-opened message and on reminders, with the
period and the ministry it is for; "Goedkeuren" and "Wijzigingen vragen" under a draft, once
per version; no buttons unless asked for (``interactive``), so that without the Slack app
nobody clicks a button nothing answers.
"""

from __future__ import annotations

import datetime as dt
import json

from voortgang.models.catalogue import load_catalogue
from voortgang.reporting.slack_messages import (
    ACTION_APPROVE,
    ACTION_CHANGES,
    ACTION_SUBMIT,
    plan_draft_decision,
    plan_period_opened,
    plan_reminders,
)

DEADLINE = dt.date(2027, 1, 8)
TODAY = dt.date(2027, 1, 6)


def _buttons(blocks: list[dict]) -> list[dict]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"]]


def test_period_opened_and_reminders_carry_the_submit_button_for_their_ministry():
    catalogue = load_catalogue()
    opened = plan_period_opened(catalogue, "2026Q4", DEADLINE, interactive=True)
    reminders = plan_reminders(catalogue, ["VWS"], "2026Q4", DEADLINE, TODAY, interactive=True)
    for planned in [*opened, *reminders]:
        [button] = _buttons(planned.payload.blocks)
        assert (button["action_id"], button["text"]["text"]) == (
            ACTION_SUBMIT,
            "Voortgang doorgeven",
        )
        value = json.loads(button["value"])
        assert value["period"] == "2026Q4"
        assert catalogue.ministry(value["ministry"]).slack_channel == planned.channel


def test_without_the_app_the_messages_have_no_buttons():
    catalogue = load_catalogue()
    planned = plan_period_opened(catalogue, "2026Q4", DEADLINE) + plan_reminders(
        catalogue, ["VWS"], "2026Q4", DEADLINE, TODAY
    )
    assert all(_buttons(p.payload.blocks) == [] for p in planned)


def test_the_draft_gets_the_two_decision_buttons_once_per_version():
    catalogue = load_catalogue()
    [planned] = plan_draft_decision(catalogue, 41, 2, "2026Q4")
    assert planned.channel == catalogue.coordinators_channel
    assert planned.dedupe_key == "draft:2026Q4:v2:decide"
    buttons = _buttons(planned.payload.blocks)
    assert [(b["action_id"], b["text"]["text"]) for b in buttons] == [
        (ACTION_APPROVE, "Goedkeuren"),
        (ACTION_CHANGES, "Wijzigingen vragen"),
    ]
    assert json.loads(buttons[0]["value"]) == {"period": "2026Q4", "draft_id": 41, "version": 2}
