"""Protects the fake Slack's Socket Mode and views: slack_sdk's own Socket Mode client must
connect to it, get ``hello``, receive envelopes and have its acknowledgements recorded.

Driven with ``slack_sdk.socket_mode.SocketModeClient`` (the builtin one the app uses through
Bolt) and ``WebClient``, over a real WebSocket and real HTTP.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from tests.support.fake_slack import FakeSlack
from tests.support.fake_socket_mode import envelope

TOKEN = "xoxb-test"
APP_TOKEN = "xapp-test"


@pytest.fixture
def slack() -> Iterator[FakeSlack]:
    with FakeSlack(token=TOKEN, app_token=APP_TOKEN) as fake:
        yield fake


def test_connections_open_takes_only_the_app_token_and_answers_a_local_websocket_url(slack):
    opened = WebClient(token=APP_TOKEN, base_url=slack.base_url).apps_connections_open(
        app_token=APP_TOKEN
    )
    assert opened["url"].startswith(f"ws://127.0.0.1:{slack.socket.port}/link/?ticket=")
    with pytest.raises(SlackApiError) as refused:
        WebClient(token=TOKEN, base_url=slack.base_url).apps_connections_open(app_token=TOKEN)
    assert refused.value.response["error"] == "invalid_auth"


def test_socket_mode_client_gets_envelopes_and_its_acks_are_recorded(slack):
    received: list[SocketModeRequest] = []
    arrived = threading.Event()

    def listener(client: SocketModeClient, req: SocketModeRequest) -> None:
        received.append(req)
        payload = {"response_action": "errors", "errors": {"b": "fout"}}
        client.send_socket_mode_response(
            SocketModeResponse(envelope_id=req.envelope_id, payload=payload)
        )
        arrived.set()

    client = SocketModeClient(
        app_token=APP_TOKEN, web_client=WebClient(token=APP_TOKEN, base_url=slack.base_url)
    )
    client.socket_mode_request_listeners.append(listener)
    client.connect()
    try:
        slack.socket.wait_connected()
        sent = slack.socket.push(envelope("interactive", {"type": "view_submission"}))
        ack = slack.socket.wait_for_ack(sent["envelope_id"])
    finally:
        client.close()
    assert arrived.is_set()
    assert received[0].type == "interactive"
    assert received[0].payload == {"type": "view_submission"}
    assert ack.payload == {"response_action": "errors", "errors": {"b": "fout"}}


def test_an_unacknowledged_envelope_is_reported(slack):
    client = SocketModeClient(
        app_token=APP_TOKEN, web_client=WebClient(token=APP_TOKEN, base_url=slack.base_url)
    )
    client.connect()
    try:
        sent = slack.socket.push(envelope("slash_commands", {"command": "/voortgang"}))
        with pytest.raises(AssertionError, match="not acknowledged"):
            slack.socket.wait_for_ack(sent["envelope_id"], timeout=0.5)
    finally:
        client.close()


def test_views_and_ephemerals_are_recorded_and_slack_limits_refused(slack):
    client = WebClient(token=TOKEN, base_url=slack.base_url)
    view = {"type": "modal", "title": {"type": "plain_text", "text": "x"}, "blocks": []}
    opened = client.views_open(trigger_id="1.2.3", view=view)
    client.views_update(view_id=opened["view"]["id"], view=view)
    client.views_push(trigger_id="1.2.4", view=view)
    assert [m for m, _ in slack.views()] == ["views.open", "views.update", "views.push"]
    too_many = {**view, "blocks": [{"type": "divider"}] * 101}
    with pytest.raises(SlackApiError):
        client.views_open(trigger_id="1.2.5", view=too_many)
    with pytest.raises(SlackApiError):
        client.views_open(trigger_id="1.2.6", view={**view, "private_metadata": "x" * 3001})

    client.chat_postEphemeral(channel="C1", user="U1", text="alleen voor u")
    assert slack.ephemerals()[0]["text"] == "alleen voor u"
