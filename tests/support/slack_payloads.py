"""Slack interaction payloads as Slack sends them over Socket Mode (shapes from Slack's docs)."""

from __future__ import annotations

import itertools
from typing import Any

from tests.support.fake_slack import TEAM_ID
from tests.support.fake_socket_mode import envelope

_triggers = itertools.count(1)


def _trigger() -> str:
    return f"{next(_triggers)}.1111.abcdef"


def _user(user_id: str, team_id: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": team_id}


def block_actions(
    user_id: str,
    button: dict[str, Any],
    *,
    channel_id: str = "C0000000001",
    team_id: str = TEAM_ID,
    block_id: str = "actions",
) -> dict[str, Any]:
    """The envelope of a click on ``button`` (a button element of a posted message)."""
    return envelope(
        "interactive",
        {
            "type": "block_actions",
            "team": {"id": team_id, "domain": "fake"},
            "user": _user(user_id, team_id),
            "api_app_id": "A0000000001",
            "token": "verification-token",
            "container": {"type": "message", "channel_id": channel_id, "is_ephemeral": False},
            "trigger_id": _trigger(),
            "channel": {"id": channel_id, "name": "channel"},
            "message": {"type": "message", "ts": "1700000000.000100"},
            "response_url": "https://hooks.slack.invalid/actions/1",
            "actions": [
                {
                    "type": "button",
                    "action_id": button["action_id"],
                    "block_id": block_id,
                    "text": button["text"],
                    "value": button.get("value", ""),
                    "action_ts": "1700000001.000200",
                }
            ],
        },
    )


def view_submission(
    user_id: str,
    view: dict[str, Any],
    values: dict[str, dict[str, Any]],
    *,
    team_id: str = TEAM_ID,
    view_id: str = "V0000000001",
) -> dict[str, Any]:
    """The envelope of a submitted modal: ``view`` as opened, ``values`` as the state."""
    return envelope(
        "interactive",
        {
            "type": "view_submission",
            "team": {"id": team_id, "domain": "fake"},
            "user": _user(user_id, team_id),
            "api_app_id": "A0000000001",
            "token": "verification-token",
            "trigger_id": _trigger(),
            "view": {
                **view,
                "id": view_id,
                "team_id": team_id,
                "hash": "1700000000.abc",
                "state": {"values": values},
            },
            "response_urls": [],
        },
    )


def slash_command(user_id: str, text: str = "", *, team_id: str = TEAM_ID) -> dict[str, Any]:
    return envelope(
        "slash_commands",
        {
            "token": "verification-token",
            "team_id": team_id,
            "team_domain": "fake",
            "channel_id": "C0000000001",
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": "/voortgang",
            "text": text,
            "api_app_id": "A0000000001",
            "response_url": "https://hooks.slack.invalid/commands/1",
            "trigger_id": _trigger(),
        },
    )


def state_from_view(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The state Slack would send for a modal submitted as pre-filled (nothing changed)."""
    values: dict[str, dict[str, Any]] = {}
    for block in view.get("blocks", []):
        if block.get("type") != "input":
            continue
        element = block["element"]
        kind = element["type"]
        state: dict[str, Any] = {"type": kind}
        if kind == "static_select":
            state["selected_option"] = element.get("initial_option")
        elif kind == "datepicker":
            state["selected_date"] = element.get("initial_date")
        else:
            state["value"] = element.get("initial_value")
        values[block["block_id"]] = {element["action_id"]: state}
    return values


def set_value(values: dict[str, dict[str, Any]], block_id: str, value: Any) -> None:
    """Change one field of a state as an officer would."""
    state = next(iter(values[block_id].values()))
    if state["type"] == "static_select":
        state["selected_option"] = None if value is None else {"value": value}
    elif state["type"] == "datepicker":
        state["selected_date"] = value
    else:
        state["value"] = value
